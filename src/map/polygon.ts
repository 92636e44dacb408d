/** Plane polygons for zones: validity, point-in-polygon and rasterising onto a grid. */

export interface Point {
  x: number;
  y: number;
}

/** Even-odd rule; a point exactly on an edge may fall either way. */
export function pointInPolygon(polygon: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Signed area (positive when counter-clockwise), m². */
export function polygonArea(polygon: readonly Point[]): number {
  let twice = 0;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    twice += (polygon[j]!.x - polygon[i]!.x) * (polygon[j]!.y + polygon[i]!.y);
  }
  return twice / 2;
}

/** What makes a polygon unusable as a zone, or undefined when it is a simple polygon. */
export function polygonProblem(polygon: readonly Point[]): string | undefined {
  const n = polygon.length;
  if (n < 3) return `expected at least 3 corners, found ${n}`;
  for (let i = 0; i < n; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % n]!;
    if (a.x === b.x && a.y === b.y) return `corners ${i} and ${(i + 1) % n} are the same point`;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Neighbouring edges share a corner; that is not a crossing.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsIntersect(polygon[i]!, polygon[(i + 1) % n]!, polygon[j]!, polygon[(j + 1) % n]!)) {
        return `edges ${i}-${(i + 1) % n} and ${j}-${(j + 1) % n} cross (expected a simple polygon)`;
      }
    }
  }
  if (Math.abs(polygonArea(polygon)) < 1e-9) return 'expected a non-zero area, found all corners on one line';
  return undefined;
}

function orient(a: Point, b: Point, c: Point): number {
  const v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: Point, b: Point, p: Point): boolean {
  return (
    Math.min(a.x, b.x) <= p.x &&
    p.x <= Math.max(a.x, b.x) &&
    Math.min(a.y, b.y) <= p.y &&
    p.y <= Math.max(a.y, b.y)
  );
}

function segmentsIntersect(p1: Point, p2: Point, q1: Point, q2: Point): boolean {
  const o1 = orient(p1, p2, q1);
  const o2 = orient(p1, p2, q2);
  const o3 = orient(q1, q2, p1);
  const o4 = orient(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(p1, p2, q1)) ||
    (o2 === 0 && onSegment(p1, p2, q2)) ||
    (o3 === 0 && onSegment(q1, q2, p1)) ||
    (o4 === 0 && onSegment(q1, q2, p2))
  );
}

/** Grid geometry a polygon is rasterised onto (a GridMap or Costmap fits). */
export interface GridFrame {
  width: number;
  height: number;
  resolution: number;
  originX: number;
  originY: number;
}

/**
 * Sets `mask[cell] = value` for every cell whose centre lies inside the polygon (even-odd), one
 * scanline per row, so a zone costs O(rows × edges + cells inside).
 */
export function rasterizePolygon(
  polygon: readonly Point[],
  grid: GridFrame,
  mask: Uint8Array,
  value: number,
): void {
  const { width, height, resolution: res, originX, originY } = grid;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of polygon) {
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  const rowStart = Math.max(0, Math.floor((minY - originY) / res));
  const rowEnd = Math.min(height - 1, Math.ceil((maxY - originY) / res));
  const crossings: number[] = [];
  for (let row = rowStart; row <= rowEnd; row++) {
    const y = originY + (row + 0.5) * res;
    crossings.length = 0;
    for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      const a = polygon[i]!;
      const b = polygon[j]!;
      if (a.y > y !== b.y > y) crossings.push(((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x);
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Cells whose centre x lies in [x0, x1).
      const c0 = Math.max(0, Math.ceil((crossings[k]! - originX) / res - 0.5));
      const c1 = Math.min(width - 1, Math.ceil((crossings[k + 1]! - originX) / res - 0.5) - 1);
      // A fill, not a loop: hundreds of zones over a large map stay a memset each.
      if (c1 >= c0) mask.fill(value, row * width + c0, row * width + c1 + 1);
    }
  }
}
