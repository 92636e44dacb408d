/**
 * The floor's solid cells as few axis-aligned rectangles, for extruding into walls: every cell
 * that is not known-free (occupied or unknown, both of which the robot treats as a wall) is
 * covered exactly once, and no free cell is. Runs of solid cells in each row are merged with the
 * identical run in the row below, so a straight wall of any length is one box, not one a cell.
 */
import { CELL_FREE, type GridMap } from '../../src/map/index.js';

/** A rectangle of cells: columns [col0, col1), rows [row0, row1). */
export interface CellBox {
  col0: number;
  col1: number;
  row0: number;
  row1: number;
}

/** Solid cells of `map` merged into rectangles (row-major runs grown upwards). */
export function wallBoxes(map: GridMap): CellBox[] {
  const done: CellBox[] = [];
  /** Boxes still growing, keyed by their column span "col0:col1". */
  let open = new Map<string, CellBox>();
  for (let row = 0; row < map.height; row++) {
    const next = new Map<string, CellBox>();
    for (const [col0, col1] of solidRuns(map, row)) {
      const key = `${col0}:${col1}`;
      const growing = open.get(key);
      if (growing) {
        growing.row1 = row + 1;
        open.delete(key);
        next.set(key, growing);
      } else {
        next.set(key, { col0, col1, row0: row, row1: row + 1 });
      }
    }
    for (const box of open.values()) done.push(box);
    open = next;
  }
  for (const box of open.values()) done.push(box);
  return done;
}

/** Maximal runs [col0, col1) of non-free cells in `row`. */
function* solidRuns(map: GridMap, row: number): Generator<[number, number]> {
  const base = row * map.width;
  let start = -1;
  for (let col = 0; col < map.width; col++) {
    const solid = map.data[base + col] !== CELL_FREE;
    if (solid && start < 0) start = col;
    if (!solid && start >= 0) {
      yield [start, col];
      start = -1;
    }
  }
  if (start >= 0) yield [start, map.width];
}
