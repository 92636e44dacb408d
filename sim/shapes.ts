/** Plain 2D shape maths shared by collisions, the lidar and the people: discs and boxes. */

export interface Disc {
  readonly x: number;
  readonly y: number;
  /** m */
  readonly radius: number;
}

/** An axis-aligned box by its corners, map frame, metres. */
export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/**
 * Distance along the unit ray (ox, oy) + t·(dx, dy) to where it enters the disc, Infinity when it
 * misses or the disc lies behind; 0 when the origin is inside.
 */
export function rayDisc(ox: number, oy: number, dx: number, dy: number, disc: Disc): number {
  const cx = disc.x - ox;
  const cy = disc.y - oy;
  const along = cx * dx + cy * dy;
  const c = cx * cx + cy * cy - disc.radius * disc.radius;
  if (c <= 0) return 0;
  if (along <= 0) return Infinity;
  const disc2 = along * along - c;
  if (disc2 < 0) return Infinity;
  return along - Math.sqrt(disc2);
}

/** Slab test: distance along the unit ray to where it enters the box; 0 inside; Infinity on a miss. */
export function rayBox(ox: number, oy: number, dx: number, dy: number, box: Box): number {
  let tNear = 0;
  let tFar = Infinity;
  if (dx !== 0) {
    const inv = 1 / dx;
    const ta = (box.minX - ox) * inv;
    const tb = (box.maxX - ox) * inv;
    const t1 = ta < tb ? ta : tb;
    const t2 = ta < tb ? tb : ta;
    if (t1 > tNear) tNear = t1;
    if (t2 < tFar) tFar = t2;
  } else if (ox < box.minX || ox > box.maxX) {
    return Infinity;
  }
  if (dy !== 0) {
    const inv = 1 / dy;
    const ta = (box.minY - oy) * inv;
    const tb = (box.maxY - oy) * inv;
    const t1 = ta < tb ? ta : tb;
    const t2 = ta < tb ? tb : ta;
    if (t1 > tNear) tNear = t1;
    if (t2 < tFar) tFar = t2;
  } else if (oy < box.minY || oy > box.maxY) {
    return Infinity;
  }
  return tNear <= tFar ? tNear : Infinity;
}

/** Distance from a point to the box (0 inside or on it). */
export function pointBoxDistance(x: number, y: number, box: Box): number {
  const dx = x < box.minX ? box.minX - x : x > box.maxX ? x - box.maxX : 0;
  const dy = y < box.minY ? box.minY - y : y > box.maxY ? y - box.maxY : 0;
  return Math.hypot(dx, dy);
}
