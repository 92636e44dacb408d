/**
 * Path post-processing for the grid planner, all pure functions on polylines in the map frame:
 * line-of-sight shortcuts, densifying, a gentle gradient smoother (as Nav2's simple smoother)
 * and headings. None of them lets the path cross a cell the raw path did not already allow.
 */
import { FIRST_BLOCKED_COST } from './grid-search.js';
import { costAtWorld, segmentMaxCost, type CostGridView } from './line-cost.js';

export interface Polyline {
  xs: Float64Array;
  ys: Float64Array;
}

export interface ShortcutOptions {
  /** A shortcut may be this much costlier (cost units) than the stretch it replaces at its worst. */
  costMargin: number;
  /** Points [0, fixedPrefix] are kept as they are (the start-escape move). */
  fixedPrefix: number;
}

/**
 * Greedy line-of-sight shortcutting: from each kept point, jump to the farthest later point
 * whose straight segment (a) touches no cell of cost ≥ 253 unless the stretch it replaces did
 * (only possible at the endpoints), and (b) is at its worst no more than `costMargin` above the
 * worst of the stretch it replaces, both beyond the cell it starts from, so a route that kept off
 * the walls, or left one at once, stays off them. The
 * farthest point is found by galloping then bisecting, so each kept point costs O(log n) segment
 * checks, not O(n).
 */
export function shortcutPath(map: CostGridView, path: Polyline, options: ShortcutOptions): Polyline {
  const { xs, ys } = path;
  const n = xs.length;
  if (n <= 2) return { xs: xs.slice(), ys: ys.slice() };
  // Worst cell of each raw edge k (point k → k+1).
  const edgeMax = new Uint16Array(n - 1);
  for (let k = 0; k < n - 1; k++) edgeMax[k] = segmentMaxCost(map, xs[k]!, ys[k]!, xs[k + 1]!, ys[k + 1]!);

  const keepX: number[] = [];
  const keepY: number[] = [];
  const fixed = Math.min(Math.max(0, options.fixedPrefix), n - 1);
  for (let k = 0; k <= fixed; k++) {
    keepX.push(xs[k]!);
    keepY.push(ys[k]!);
  }
  // Both sides are judged without the cell the jump starts from: a route that starts close to a
  // wall (a robot resting against it) and leaves it at once must not be straightened into one that
  // runs along the wall at the start's cost all the way.
  const canJump = (i: number, j: number): boolean => {
    let rawMax = costAtWorld(map, xs[i + 1]!, ys[i + 1]!);
    for (let k = i + 1; k < j; k++) if (edgeMax[k]! > rawMax) rawMax = edgeMax[k]!;
    const limit =
      rawMax >= FIRST_BLOCKED_COST ? rawMax : Math.min(FIRST_BLOCKED_COST - 1, rawMax + options.costMargin);
    const [x0, y0] = oneCellOn(map.resolution, xs[i]!, ys[i]!, xs[j]!, ys[j]!);
    return segmentMaxCost(map, x0, y0, xs[j]!, ys[j]!, limit + 1) <= limit;
  };
  let i = fixed;
  const last = n - 1;
  while (i < last) {
    // Gallop (i+2, i+4, …, then the end) until a jump fails, then bisect.
    let good = i + 1;
    let bad = -1;
    for (let step = 2; ; step *= 2) {
      const j = i + step;
      if (j >= last) {
        if (good < last) {
          if (canJump(i, last)) good = last;
          else bad = last;
        }
        break;
      }
      if (!canJump(i, j)) {
        bad = j;
        break;
      }
      good = j;
    }
    while (bad - good > 1) {
      const mid = (good + bad) >> 1;
      if (canJump(i, mid)) good = mid;
      else bad = mid;
    }
    keepX.push(xs[good]!);
    keepY.push(ys[good]!);
    i = good;
  }
  return { xs: Float64Array.from(keepX), ys: Float64Array.from(keepY) };
}

/** The point one cell (`res` m) from (x0, y0) towards (x1, y1), or (x1, y1) if nearer. */
function oneCellOn(res: number, x0: number, y0: number, x1: number, y1: number): [number, number] {
  const d = Math.hypot(x1 - x0, y1 - y0);
  if (d <= res) return [x1, y1];
  return [x0 + ((x1 - x0) * res) / d, y0 + ((y1 - y0) * res) / d];
}

/**
 * Inserts evenly spaced points on each segment so no two consecutive points are more than
 * `spacing` apart; every input point is kept (corners are not cut).
 */
export function densify(path: Polyline, spacing: number): Polyline {
  if (!(spacing > 0)) throw new RangeError(`spacing must be > 0, got ${spacing}`);
  const { xs, ys } = path;
  const n = xs.length;
  if (n === 0) return { xs: new Float64Array(0), ys: new Float64Array(0) };
  let total = 1;
  for (let k = 0; k < n - 1; k++) total += pieces(k);
  const outX = new Float64Array(total);
  const outY = new Float64Array(total);
  let o = 0;
  outX[o] = xs[0]!;
  outY[o++] = ys[0]!;
  for (let k = 0; k < n - 1; k++) {
    const m = pieces(k);
    for (let s = 1; s <= m; s++) {
      const t = s / m;
      outX[o] = xs[k]! + (xs[k + 1]! - xs[k]!) * t;
      outY[o++] = ys[k]! + (ys[k + 1]! - ys[k]!) * t;
    }
  }
  return { xs: outX, ys: outY };

  function pieces(k: number): number {
    const len = Math.hypot(xs[k + 1]! - xs[k]!, ys[k + 1]! - ys[k]!);
    return Math.max(1, Math.ceil(len / spacing - 1e-9));
  }
}

export interface SmoothOptions {
  /** Pull towards the original point (Nav2 simple smoother's w_data). */
  wData: number;
  /** Pull towards the neighbours' midpoint (w_smooth). */
  wSmooth: number;
  maxIterations: number;
  /** Stop when a sweep moves the points less than this in total, m. */
  tolerance: number;
  /** A point may not move onto a cell costlier than its original cell by more than this. */
  costMargin: number;
  /** Points [0, fixedPrefix] do not move (start, start escape); the last point never moves. */
  fixedPrefix: number;
}

/**
 * Gradient smoothing (Nav2's simple smoother: each point is pulled towards its original place
 * and towards its neighbours). A move that would land on a cell of cost ≥ 253, or on one more
 * than `costMargin` costlier than the point's original cell, is refused for that sweep. If the
 * result has any segment touching a cell ≥ 253 where the input had none, the input is returned:
 * smoothing is a nicety, never a risk.
 */
export function smoothPath(map: CostGridView, path: Polyline, options: SmoothOptions): Polyline {
  const { xs: ox, ys: oy } = path;
  const n = ox.length;
  const xs = ox.slice();
  const ys = oy.slice();
  if (n <= 2) return { xs, ys };
  const first = Math.min(n - 1, Math.max(0, options.fixedPrefix) + 1);
  const limit = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    limit[i] = Math.min(FIRST_BLOCKED_COST - 1, costAtWorld(map, ox[i]!, oy[i]!) + options.costMargin);
  }
  const { wData, wSmooth } = options;
  for (let it = 0; it < options.maxIterations; it++) {
    let change = 0;
    for (let i = first; i < n - 1; i++) {
      const x = xs[i]!;
      const y = ys[i]!;
      const nx = x + wData * (ox[i]! - x) + wSmooth * (xs[i - 1]! + xs[i + 1]! - 2 * x);
      const ny = y + wData * (oy[i]! - y) + wSmooth * (ys[i - 1]! + ys[i + 1]! - 2 * y);
      if (costAtWorld(map, nx, ny) > limit[i]!) continue;
      change += Math.abs(nx - x) + Math.abs(ny - y);
      xs[i] = nx;
      ys[i] = ny;
    }
    if (change < options.tolerance) break;
  }
  for (let i = Math.max(0, first - 1); i < n - 1; i++) {
    const after = segmentMaxCost(map, xs[i]!, ys[i]!, xs[i + 1]!, ys[i + 1]!, FIRST_BLOCKED_COST);
    if (after < FIRST_BLOCKED_COST) continue;
    const before = segmentMaxCost(map, ox[i]!, oy[i]!, ox[i + 1]!, oy[i + 1]!);
    if (after > before) return { xs: ox.slice(), ys: oy.slice() };
  }
  return { xs, ys };
}

/**
 * Headings for a polyline: each point faces the next one; the last point takes `goalYaw`.
 * Repeated points inherit the previous heading.
 */
export function headings(path: Polyline, goalYaw: number): Float64Array {
  const { xs, ys } = path;
  const n = xs.length;
  const yaws = new Float64Array(n);
  // A leading run of repeated points takes the first real heading.
  let prev = goalYaw;
  for (let i = 0; i < n - 1; i++) {
    const dx = xs[i + 1]! - xs[i]!;
    const dy = ys[i + 1]! - ys[i]!;
    if (dx !== 0 || dy !== 0) {
      prev = Math.atan2(dy, dx);
      break;
    }
  }
  for (let i = 0; i < n - 1; i++) {
    const dx = xs[i + 1]! - xs[i]!;
    const dy = ys[i + 1]! - ys[i]!;
    if (dx !== 0 || dy !== 0) prev = Math.atan2(dy, dx);
    yaws[i] = prev;
  }
  if (n > 0) yaws[n - 1] = goalYaw;
  return yaws;
}

/** Length of a polyline, m. */
export function polylineLength(path: Polyline): number {
  let len = 0;
  for (let i = 1; i < path.xs.length; i++) {
    len += Math.hypot(path.xs[i]! - path.xs[i - 1]!, path.ys[i]! - path.ys[i - 1]!);
  }
  return len;
}
