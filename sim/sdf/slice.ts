/**
 * The static solids cut by the horizontal plane at the lidar's height, rasterised onto an
 * occupancy grid: a cell is occupied exactly when its centre, at that height, lies inside a solid
 * (a rotated box or cylinder is tested in its own frame, so rotation costs no accuracy). The grid
 * covers the cut solids plus a margin; its size and the work of rasterising are bounded by the
 * limits (docs/limits.md) before anything is allocated.
 */
import { LIMITS } from '../../src/input/index.js';
import { SdfImportError } from './import-errors.js';
import { applyInverse } from './pose3.js';
import type { Solid } from './sdf-scene.js';

export interface SliceGrid {
  width: number;
  height: number;
  resolution: number;
  originX: number;
  originY: number;
  /** 1 where occupied, row-major from the bottom row (y = originY), as a GridMap. */
  occupied: Uint8Array;
}

export interface SliceResult {
  grid: SliceGrid;
  /** The solids the plane cuts (the others are wholly above or below it). */
  cut: Solid[];
}

/** Half-extents of a solid's world-axis bounding box. */
export function worldHalfExtents(solid: Solid): [number, number, number] {
  const r = solid.pose.r;
  if (solid.kind === 'sphere') return [solid.radius, solid.radius, solid.radius];
  if (solid.kind === 'box') {
    const h = solid.half;
    return [0, 1, 2].map(
      (i) => Math.abs(r[i * 3]!) * h[0] + Math.abs(r[i * 3 + 1]!) * h[1] + Math.abs(r[i * 3 + 2]!) * h[2],
    ) as [number, number, number];
  }
  // A cylinder's axis is its local z (the rotation's third column).
  return [0, 1, 2].map((i) => {
    const axis = r[i * 3 + 2]!;
    return Math.abs(axis) * solid.halfLength + solid.radius * Math.sqrt(Math.max(0, 1 - axis * axis));
  }) as [number, number, number];
}

/** True when the world point lies inside the solid (its boundary included). */
export function solidContains(solid: Solid, x: number, y: number, z: number): boolean {
  const [lx, ly, lz] = applyInverse(solid.pose, x, y, z);
  if (solid.kind === 'box')
    return Math.abs(lx) <= solid.half[0] && Math.abs(ly) <= solid.half[1] && Math.abs(lz) <= solid.half[2];
  if (solid.kind === 'cylinder')
    return lx * lx + ly * ly <= solid.radius * solid.radius && Math.abs(lz) <= solid.halfLength;
  return lx * lx + ly * ly + lz * lz <= solid.radius * solid.radius;
}

/** Float slack when sizing the grid, in cells: extents written to 6 decimals are whole cells. */
const CELL_SLACK = 1e-4;

/** Rasterises the solids cut by the plane z = `sliceZ` at `resolution` m/cell, with `marginM` around. */
export function sliceSolids(
  solids: readonly Solid[],
  sliceZ: number,
  resolution: number,
  marginM: number,
  file: string,
): SliceResult {
  const boxes = solids
    .map((solid) => ({ solid, e: worldHalfExtents(solid), t: solid.pose.t }))
    .filter(({ e, t }) => Math.abs(t[2] - sliceZ) <= e[2]);
  if (boxes.length === 0) {
    throw new SdfImportError(
      'NO_GEOMETRY',
      file,
      `no static collision crosses the lidar's height ${sliceZ} m, so there is no wall to map (${solids.length} static solids read)`,
    );
  }
  const limit = LIMITS.mapCoordinateM.value;
  for (const { solid, e, t } of boxes) {
    if (Math.abs(t[0]) + e[0] > limit || Math.abs(t[1]) + e[1] > limit) {
      throw new SdfImportError(
        'TOO_LARGE',
        `${file}: ${solid.path}`,
        `reaches beyond ±${limit} m (mapCoordinateM in docs/limits.md): its centre is (${t[0]}, ${t[1]}), its half-size ${e[0].toPrecision(4)} × ${e[1].toPrecision(4)} m`,
      );
    }
  }
  const { x0, x1, y0, y1 } = extentOf(boxes);
  const margin = Math.ceil(marginM / resolution - CELL_SLACK);
  const width = Math.ceil((x1 - x0) / resolution - CELL_SLACK) + 2 * margin;
  const height = Math.ceil((y1 - y0) / resolution - CELL_SLACK) + 2 * margin;
  checkGridSize(width, height, resolution, { x0, x1, y0, y1 }, file);
  const grid: SliceGrid = {
    width,
    height,
    resolution,
    originX: x0 - margin * resolution,
    originY: y0 - margin * resolution,
    occupied: new Uint8Array(width * height),
  };
  checkWork(boxes, grid, file);
  for (const { solid, e, t } of boxes) paint(grid, solid, t, e, sliceZ);
  return { grid, cut: boxes.map((b) => b.solid) };
}

/** The world-axis rectangle holding every box (a loop: a spread of 100,000 arguments overflows). */
function extentOf(boxes: ReadonlyArray<{ e: readonly number[]; t: readonly number[] }>) {
  const ext = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  for (const { e, t } of boxes) {
    ext.x0 = Math.min(ext.x0, t[0]! - e[0]!);
    ext.x1 = Math.max(ext.x1, t[0]! + e[0]!);
    ext.y0 = Math.min(ext.y0, t[1]! - e[1]!);
    ext.y1 = Math.max(ext.y1, t[1]! + e[1]!);
  }
  return ext;
}

/** Cell range [c0, c1] × [r0, r1] of the grid whose centres may fall inside the extent. */
function cellRange(
  grid: SliceGrid,
  t: readonly number[],
  e: readonly number[],
): [number, number, number, number] {
  const res = grid.resolution;
  const c0 = Math.max(0, Math.floor((t[0]! - e[0]! - grid.originX) / res));
  const c1 = Math.min(grid.width - 1, Math.floor((t[0]! + e[0]! - grid.originX) / res));
  const r0 = Math.max(0, Math.floor((t[1]! - e[1]! - grid.originY) / res));
  const r1 = Math.min(grid.height - 1, Math.floor((t[1]! + e[1]! - grid.originY) / res));
  return [c0, c1, r0, r1];
}

function paint(grid: SliceGrid, solid: Solid, t: readonly number[], e: readonly number[], z: number): void {
  const [c0, c1, r0, r1] = cellRange(grid, t, e);
  const res = grid.resolution;
  for (let row = r0; row <= r1; row++) {
    const y = grid.originY + (row + 0.5) * res;
    for (let col = c0; col <= c1; col++) {
      if (solidContains(solid, grid.originX + (col + 0.5) * res, y, z))
        grid.occupied[row * grid.width + col] = 1;
    }
  }
}

function checkGridSize(
  width: number,
  height: number,
  res: number,
  ext: { x0: number; x1: number; y0: number; y1: number },
  file: string,
): void {
  const cells = width * height;
  const side = LIMITS.mapSideCells.value;
  if (width <= side && height <= side && cells <= LIMITS.mapCells.value) return;
  const span = `${(ext.x1 - ext.x0).toFixed(1)} × ${(ext.y1 - ext.y0).toFixed(1)} m (x ${ext.x0.toFixed(1)}..${ext.x1.toFixed(1)}, y ${ext.y0.toFixed(1)}..${ext.y1.toFixed(1)})`;
  throw new SdfImportError(
    'TOO_LARGE',
    file,
    `the static geometry spans ${span}: at ${res} m/cell that is a ${width} × ${height} grid, over the map limits (mapSideCells ${side}, mapCells ${LIMITS.mapCells.value} in docs/limits.md); use a coarser --resolution or remove far-off models`,
  );
}

/** Refuses before painting when the solids' cell ranges together exceed sdfSliceCells. */
function checkWork(
  boxes: ReadonlyArray<{ solid: Solid; e: readonly number[]; t: readonly number[] }>,
  grid: SliceGrid,
  file: string,
): void {
  let work = 0;
  for (const { e, t } of boxes) {
    const [c0, c1, r0, r1] = cellRange(grid, t, e);
    work += Math.max(0, c1 - c0 + 1) * Math.max(0, r1 - r0 + 1);
  }
  const limit = LIMITS.sdfSliceCells;
  if (work > limit.value) {
    throw new SdfImportError(
      'TOO_LARGE',
      file,
      `${boxes.length} solids cover ${work} cells between them, over the limit for ${limit.what} (sdfSliceCells ${limit.value} in docs/limits.md)`,
    );
  }
}
