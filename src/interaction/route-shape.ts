/**
 * The shape of a planned route as a person walks it: a few straight legs joined by turns. A
 * planner's path is hundreds of points 0.1 m apart with smooth corners and small wiggles round
 * inflated walls; a walker hears "straight on, then left". Douglas–Peucker keeps the corners,
 * then bends too gentle to mention and legs too short to walk alone are folded into their
 * neighbours, so what is left turns only where the path really turns.
 *
 * Every vertex is an index into the original path, so distances and positions along the way are
 * measured on the path itself, not on the simplification.
 */

export interface XY {
  x: number;
  y: number;
}

export interface ShapeOptions {
  /** Douglas–Peucker tolerance: how far the legs may stray from the path, m. */
  tolerance: number;
  /** A bend gentler than this is walked as straight on, degrees. */
  minTurnDeg: number;
  /** A leg shorter than this is folded into its neighbours (a wiggle, not a walk), m. */
  minLegMetres: number;
  /**
   * A gentle bend is straightened only while the straightened leg stays this close to the path,
   * m: a long zigzag between pillars keeps its bends (unsaid, but its legs stay true), so a real
   * turn after it is measured from the way the walker is really going.
   */
  maxStray: number;
}

export const SHAPE_DEFAULTS: ShapeOptions = {
  tolerance: 0.6,
  minTurnDeg: 35,
  minLegMetres: 4,
  maxStray: 2.5,
};

/** Cumulative arc length at each point: s[0] = 0, s[n-1] = the path's length. */
export function arcLengths(path: readonly XY[]): number[] {
  const s = [0];
  for (let i = 1; i < path.length; i++) {
    s.push(s[i - 1]! + Math.hypot(path[i]!.x - path[i - 1]!.x, path[i]!.y - path[i - 1]!.y));
  }
  return s;
}

/** Heading from a to b, radians counter-clockwise from +x. */
export function heading(a: XY, b: XY): number {
  return Math.atan2(b.y - a.y, b.x - a.x);
}

/** a − b wrapped to (−π, π]: positive is a turn to the left (counter-clockwise). */
export function angleDiff(a: number, b: number): number {
  let d = (a - b) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d <= -Math.PI) d += 2 * Math.PI;
  return d;
}

/** Distance from p to the segment a–b. */
function segmentDistance(p: XY, a: XY, b: XY): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Douglas–Peucker: indices of the points kept (first and last always), ascending. Iterative. */
export function simplify(path: readonly XY[], tolerance: number): number[] {
  const n = path.length;
  if (n <= 2) return [...Array(n).keys()];
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: Array<[number, number]> = [[0, n - 1]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    let worst = -1;
    let worstD = tolerance;
    for (let k = i + 1; k < j; k++) {
      const d = segmentDistance(path[k]!, path[i]!, path[j]!);
      if (d > worstD) {
        worstD = d;
        worst = k;
      }
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    stack.push([i, worst], [worst, j]);
  }
  const out: number[] = [];
  for (let k = 0; k < n; k++) if (keep[k]) out.push(k);
  return out;
}

/** How far the path between indices i and j strays from the straight line i–j, m. */
function stray(path: readonly XY[], i: number, j: number): number {
  let worst = 0;
  for (let k = i + 1; k < j; k++) worst = Math.max(worst, segmentDistance(path[k]!, path[i]!, path[j]!));
  return worst;
}

/** The heading change at interior vertex v (index into `vs`), radians, left positive. */
function turnAt(path: readonly XY[], vs: readonly number[], v: number): number {
  const a = path[vs[v - 1]!]!;
  const b = path[vs[v]!]!;
  const c = path[vs[v + 1]!]!;
  return angleDiff(heading(b, c), heading(a, b));
}

/**
 * The legs of the route: vertex indices into `path` (first 0, last path.length − 1). An interior
 * vertex is a turn of at least `minTurnDeg`, or a gentler bend kept because straightening it
 * would stray from the path (the walker is not told of it). Every inner leg is at least
 * `minLegMetres` long.
 */
export function routeLegs(path: readonly XY[], options: ShapeOptions = SHAPE_DEFAULTS): number[] {
  const s = arcLengths(path);
  const vs = simplify(path, options.tolerance);
  const minTurn = (options.minTurnDeg * Math.PI) / 180;
  const legLength = (k: number) => s[vs[k + 1]!]! - s[vs[k]!]!;
  // Each pass removes one vertex; at most n passes, each O(n) on a few dozen vertices.
  for (;;) {
    if (vs.length <= 2) return vs;
    // The gentlest bend goes first: removing it changes its neighbours' bends, which are then
    // judged again, so many gentle bends that add up to a real turn still become one.
    const gentle: Array<{ v: number; turn: number }> = [];
    for (let v = 1; v < vs.length - 1; v++) {
      const turn = Math.abs(turnAt(path, vs, v));
      if (turn < minTurn) gentle.push({ v, turn });
    }
    gentle.sort((a, b) => a.turn - b.turn);
    const straightened = gentle.find(({ v }) => stray(path, vs[v - 1]!, vs[v + 1]!) <= options.maxStray);
    if (straightened) {
      vs.splice(straightened.v, 1);
      continue;
    }
    const short = shortestLeg(vs.length - 1, legLength, options.minLegMetres, LAST_LEG_METRES);
    if (short < 0) return vs;
    vs.splice(vertexToDrop(path, vs, short), 1);
  }
}

/**
 * The last leg is kept down to this length, m: its turn is the last thing said before the
 * arrival, and without it the desk would be told from a heading the walker no longer has.
 */
const LAST_LEG_METRES = 1.5;

/** The shortest leg under `min` metres (the last one: under `minLast`), or −1. */
function shortestLeg(legs: number, length: (k: number) => number, min: number, minLast: number): number {
  let best = -1;
  let bestLen = min;
  for (let k = 0; k < legs; k++) {
    const len = length(k);
    if (len < (k === legs - 1 ? Math.min(min, minLast) : min) && len < bestLen) {
      bestLen = len;
      best = k;
    }
  }
  return best;
}

/**
 * Which vertex of short leg k to remove: the first leg keeps the start (the turn then happens
 * where the walk starts), the last keeps the end (the arrival says where the desk is), an inner
 * one loses the end with the gentler bend (a wiggle then straightens, a corner taken in two
 * steps becomes one turn).
 */
function vertexToDrop(path: readonly XY[], vs: readonly number[], k: number): number {
  const last = vs.length - 1;
  if (k === 0) return 1;
  if (k + 1 === last) return last - 1;
  return Math.abs(turnAt(path, vs, k)) <= Math.abs(turnAt(path, vs, k + 1)) ? k : k + 1;
}

/** Nearest point of the path to p: its index, arc length, and signed lateral offset (left +). */
export interface Projection {
  index: number;
  s: number;
  /** Signed distance from the path, m: positive when p is on the walker's left. */
  lateral: number;
  /** |lateral|'s share of the straight distance to the point: 1 when exactly beside the path. */
  beside: number;
  /** The nearest point of the path itself. */
  at: XY;
}

/**
 * Projects p onto the path (its nearest segment), the side taken from the path's direction over
 * about a metre either side (a smoothed corner's last 0.1 m says little about the way walked).
 */
export function project(path: readonly XY[], s: readonly number[], p: XY): Projection {
  let best = { index: 0, t: 0, d: Infinity };
  for (let i = 0; i + 1 < path.length; i++) {
    const a = path[i]!;
    const b = path[i + 1]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
    const d = Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
    if (d < best.d) best = { index: i, t, d };
  }
  if (path.length === 1) best = { index: 0, t: 0, d: Math.hypot(p.x - path[0]!.x, p.y - path[0]!.y) };
  const i = best.index;
  const a = path[i]!;
  const b = path[Math.min(i + 1, path.length - 1)]!;
  const at = { x: a.x + best.t * (b.x - a.x), y: a.y + best.t * (b.y - a.y) };
  const arc = s[i]! + best.t * (s[Math.min(i + 1, path.length - 1)]! - s[i]!);
  const dir = directionAt(path, s, arc, 1);
  const cross = dir.x * (p.y - at.y) - dir.y * (p.x - at.x);
  const lateral = Math.sign(cross) * best.d;
  // Beside the path both as it comes and as it goes on: off the outside of a corner it is
  // beside neither, though it is square to the corner's bisector.
  const before = directionAt(path, s, arc - 0.5, 0.5);
  const after = directionAt(path, s, arc + 0.5, 0.5);
  const squareness = (d: XY) => {
    const c = Math.abs(d.x * (p.y - at.y) - d.y * (p.x - at.x));
    const a = d.x * (p.x - at.x) + d.y * (p.y - at.y);
    return best.d === 0 ? 1 : c / Math.hypot(c, a);
  };
  const beside = Math.min(squareness(before), squareness(after));
  return { index: i, s: arc, lateral, beside, at };
}

/** Unit direction of travel at arc length `arc`, over ±`half` metres of path. */
export function directionAt(path: readonly XY[], s: readonly number[], arc: number, half: number): XY {
  const a = pointAt(path, s, Math.max(0, arc - half));
  const b = pointAt(path, s, Math.min(s[s.length - 1]!, arc + half));
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  return len === 0 ? { x: 1, y: 0 } : { x: (b.x - a.x) / len, y: (b.y - a.y) / len };
}

/** The point at arc length `arc` along the path (clamped to its ends). */
export function pointAt(path: readonly XY[], s: readonly number[], arc: number): XY {
  if (arc <= 0) return path[0]!;
  const n = path.length;
  if (arc >= s[n - 1]!) return path[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (s[mid]! <= arc) lo = mid;
    else hi = mid;
  }
  const span = s[hi]! - s[lo]!;
  const t = span === 0 ? 0 : (arc - s[lo]!) / span;
  return {
    x: path[lo]!.x + t * (path[hi]!.x - path[lo]!.x),
    y: path[lo]!.y + t * (path[hi]!.y - path[lo]!.y),
  };
}
