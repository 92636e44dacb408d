/**
 * The most expensive costmap cell a straight segment touches (grid traversal after Amanatides &
 * Woo, conservative at exact corners: both cells beside a corner count). Used for line-of-sight
 * shortcuts, smoothing checks and the follower's arc check.
 */

/** The parts of a Costmap (src/map) the geometry needs; a Costmap is one. */
export interface CostGridView {
  readonly width: number;
  readonly height: number;
  /** m/cell */
  readonly resolution: number;
  readonly originX: number;
  readonly originY: number;
  readonly costs: Uint8Array;
}

const OUTSIDE = 254;
/** Two boundary crossings closer than this (in cell units of t) are one corner crossing. */
const CORNER_EPS = 1e-9;

export function costAtWorld(map: CostGridView, x: number, y: number): number {
  const c = Math.floor((x - map.originX) / map.resolution);
  const r = Math.floor((y - map.originY) / map.resolution);
  if (c < 0 || r < 0 || c >= map.width || r >= map.height) return OUTSIDE;
  return map.costs[r * map.width + c]!;
}

/**
 * Max cost over the cells the segment (x0, y0) → (x1, y1) passes through, outside the map
 * counting as lethal (254). Stops early once the max reaches `stopAt`.
 */
export function segmentMaxCost(
  map: CostGridView,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  stopAt = 256,
): number {
  const res = map.resolution;
  const gx0 = (x0 - map.originX) / res;
  const gy0 = (y0 - map.originY) / res;
  const gx1 = (x1 - map.originX) / res;
  const gy1 = (y1 - map.originY) / res;
  let cx = Math.floor(gx0);
  let cy = Math.floor(gy0);
  const ex = Math.floor(gx1);
  const ey = Math.floor(gy1);
  let max = cellCost(map, cx, cy);
  if (max >= stopAt) return max;
  const dx = gx1 - gx0;
  const dy = gy1 - gy0;
  const sx = dx > 0 ? 1 : -1;
  const sy = dy > 0 ? 1 : -1;
  const tDeltaX = dx !== 0 ? Math.abs(1 / dx) : Infinity;
  const tDeltaY = dy !== 0 ? Math.abs(1 / dy) : Infinity;
  let tMaxX = dx !== 0 ? (sx > 0 ? cx + 1 - gx0 : gx0 - cx) * tDeltaX : Infinity;
  let tMaxY = dy !== 0 ? (sy > 0 ? cy + 1 - gy0 : gy0 - cy) * tDeltaY : Infinity;
  // Each step moves one cell in x or y (or both at a corner), so this bounds the walk.
  let steps = Math.abs(ex - cx) + Math.abs(ey - cy);
  while (steps > 0 && (cx !== ex || cy !== ey)) {
    if (Math.abs(tMaxX - tMaxY) < CORNER_EPS) {
      // Through a corner: the two side cells count too (a robot centre there touches both).
      const a = cellCost(map, cx + sx, cy);
      const b = cellCost(map, cx, cy + sy);
      if (a > max) max = a;
      if (b > max) max = b;
      cx += sx;
      cy += sy;
      tMaxX += tDeltaX;
      tMaxY += tDeltaY;
      steps -= 2;
    } else if (tMaxX < tMaxY) {
      cx += sx;
      tMaxX += tDeltaX;
      steps--;
    } else {
      cy += sy;
      tMaxY += tDeltaY;
      steps--;
    }
    const v = cellCost(map, cx, cy);
    if (v > max) max = v;
    if (max >= stopAt) return max;
  }
  return max;
}

function cellCost(map: CostGridView, c: number, r: number): number {
  if (c < 0 || r < 0 || c >= map.width || r >= map.height) return OUTSIDE;
  return map.costs[r * map.width + c]!;
}
