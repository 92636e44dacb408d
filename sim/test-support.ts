/**
 * Small synthetic floors for the simulator's tests (and anyone's): rooms, walls with doors and
 * random clutter as GridMaps, wrapped in a minimal Site, so tests never depend on the sample map.
 */
import { CELL_FREE, CELL_OCCUPIED, CELL_UNKNOWN, GridMap, type Site } from '../src/map/index.js';
import { Rng } from './rng.js';

/**
 * An empty rectangular room, `widthM` × `heightM` metres, origin at (0, 0), with a one-cell wall
 * all round: the walls' inner faces lie at `resolution` and `size − resolution`.
 */
export function roomMap(widthM: number, heightM: number, resolution = 0.05): GridMap {
  const w = Math.round(widthM / resolution);
  const h = Math.round(heightM / resolution);
  const data = new Int8Array(w * h).fill(CELL_FREE);
  for (let c = 0; c < w; c++) {
    data[c] = CELL_OCCUPIED;
    data[(h - 1) * w + c] = CELL_OCCUPIED;
  }
  for (let r = 0; r < h; r++) {
    data[r * w] = CELL_OCCUPIED;
    data[r * w + w - 1] = CELL_OCCUPIED;
  }
  return new GridMap(w, h, resolution, 0, 0, data);
}

/** Fills the world rectangle [x0, x1) × [y0, y1) with `value` (walls, pillars, unknown patches). */
export function fillRect(
  map: GridMap,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  value = CELL_OCCUPIED,
): GridMap {
  const c0 = Math.max(0, map.col(x0 + 1e-9));
  const c1 = Math.min(map.width, map.col(x1 - 1e-9) + 1);
  const r0 = Math.max(0, map.row(y0 + 1e-9));
  const r1 = Math.min(map.height, map.row(y1 - 1e-9) + 1);
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) map.data[r * map.width + c] = value;
  return map;
}

/** A map of random blocks (occupied and unknown) over free floor, for property-style tests. */
export function randomClutterMap(seed: number, width = 160, height = 120, resolution = 0.05): GridMap {
  const rng = new Rng(seed);
  const data = new Int8Array(width * height).fill(CELL_FREE);
  const map = new GridMap(width, height, resolution, -1.5, 2.25, data);
  const blocks = 10 + rng.int(30);
  for (let i = 0; i < blocks; i++) {
    const c = rng.int(width);
    const r = rng.int(height);
    const bw = 1 + rng.int(12);
    const bh = 1 + rng.int(12);
    const value = rng.chance(0.2) ? CELL_UNKNOWN : CELL_OCCUPIED;
    for (let y = r; y < Math.min(height, r + bh); y++) {
      for (let x = c; x < Math.min(width, c + bw); x++) data[y * width + x] = value;
    }
  }
  return map;
}

/** The least Site a SimWorld needs around a map. */
export function siteFor(map: GridMap, dock = { x: 1, y: 1, yaw: 0 }): Site {
  return {
    id: 'test',
    name: 'Test floor',
    timezone: 'Europe/Helsinki',
    dir: '.',
    map,
    elsewhere: [],
    dock,
    destinations: [],
    landmarks: [],
    zones: [],
  };
}
