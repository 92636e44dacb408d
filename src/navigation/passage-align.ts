/**
 * Straight through narrow passages. The planner's route runs through cell centres and the
 * smoother pulls it towards the goal, so it crosses a door the robot barely fits through off
 * its middle and at a slant: on a 0.1 m map a 0.80 m door's middle is a cell boundary, and the
 * path ran 0.1 m off it, diagonally, leaving the 0.6 m robot no room for the safety gate's side
 * margin. A person goes through such a door differently: lines up in front of it, walks
 * straight through the middle, and turns only once through. This does the same to a path.
 *
 * A passage is a run of path points where the free width across the narrowest direction
 * (walls only: cells of cost ≥ 254) is under `narrowerThan`. Its axis is perpendicular to the
 * narrowest cross-section at the throat, through the throat's middle; the path is replaced,
 * from `lead` m before the passage to `lead` m after it, by a straight run along that axis,
 * joined to the rest of the path by straight segments. Every new segment must stay out of the
 * inscribed zone; where it cannot (a curved passage, something standing in the lead-in) the
 * lead is shortened, and failing that the path is left as it was.
 */
import { COST_INSCRIBED, COST_LETHAL } from '../map/index.js';
import { costAtWorld, segmentMaxCost, type CostGridView } from './line-cost.js';
import type { Polyline } from './smoothing.js';

/** A point this close to the passage's axis is on it, m. */
const ON_AXIS_M = 0.01;
/** A straight way longer than this through one passage is not looked for, m. */
const MAX_PASSAGE_M = 10;
/** Directions tried for the narrowest cross-section: every 5° of a half turn. */
const DIRECTIONS = 36;

export interface PassageAlignOptions {
  /**
   * The floor's own walls (the map as loaded, before any obstacle or person was marked), where
   * passages are measured: someone standing beside the path is not a door. Default: `map`.
   */
  floor?: CostGridView;
  /**
   * False where no wall is within half of `narrowerThan` (no passage that narrow can be there):
   * skips measuring most of a path in open space. Default: measure everywhere.
   */
  nearWall?: (x: number, y: number) => boolean;
  /** Passages narrower than this are driven straight through the middle, m. */
  narrowerThan: number;
  /** Straight run before and after the passage, m (shortened where the floor has no room). */
  lead: number;
  /** Points before this index stay put (the exact start, an escape move). */
  fixedPrefix?: number;
}

/** The narrowest cross-section through a point: its width, direction and middle. */
export interface CrossSection {
  width: number;
  /** Unit vector across the passage. */
  ux: number;
  uy: number;
  /** The middle of the cross-section. */
  cx: number;
  cy: number;
}

/** A copy of `line` driven straight through the middle of every narrow passage on it. */
export function alignThroughPassages(map: CostGridView, line: Polyline, o: PassageAlignOptions): Polyline {
  let xs = Array.from(line.xs);
  let ys = Array.from(line.ys);
  const floor = o.floor ?? map;
  const runs = narrowRuns(floor, line, o);
  // Last run first: splicing one leaves the indices of those before it as they were.
  for (let k = runs.length - 1; k >= 0; k--) {
    const spliced = spliceRun(floor, map, xs, ys, runs[k]!, o);
    if (spliced) ({ xs, ys } = spliced);
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys) };
}

interface NarrowRun {
  first: number;
  last: number;
  throat: CrossSection;
}

/** Runs of consecutive points (after the fixed prefix, before the goal) in narrow passages. */
function narrowRuns(map: CostGridView, line: Polyline, o: PassageAlignOptions): NarrowRun[] {
  const runs: NarrowRun[] = [];
  let open: NarrowRun | undefined;
  const n = line.xs.length;
  for (let i = Math.max(1, o.fixedPrefix ?? 0); i < n - 1; i++) {
    const x = line.xs[i]!;
    const y = line.ys[i]!;
    const cs = o.nearWall && !o.nearWall(x, y) ? undefined : narrowestCrossSection(map, x, y, o.narrowerThan);
    if (!cs || cs.width >= o.narrowerThan) {
      open = undefined;
      continue;
    }
    if (!open) {
      open = { first: i, last: i, throat: cs };
      runs.push(open);
    }
    open.last = i;
    if (cs.width < open.throat.width) open.throat = cs;
  }
  return runs;
}

/**
 * The narrowest wall-to-wall cross-section through (x, y) over 36 directions; widths are
 * measured up to `enough` m (wider counts as `enough`).
 */
export function narrowestCrossSection(map: CostGridView, x: number, y: number, enough: number): CrossSection {
  const isWall = wallsOf(map);
  let best: CrossSection = { width: enough, ux: 1, uy: 0, cx: x, cy: y };
  for (let k = 0; k < DIRECTIONS; k++) {
    const a = (k * Math.PI) / DIRECTIONS;
    const ux = Math.cos(a);
    const uy = Math.sin(a);
    // Measured only as far as the narrowest so far: most directions stop early.
    const { plus, minus } = widthAcross(isWall, map.resolution, x, y, ux, uy, best.width);
    if (plus + minus >= best.width) continue;
    const shift = (plus - minus) / 2;
    best = { width: plus + minus, ux, uy, cx: x + ux * shift, cy: y + uy * shift };
  }
  return best;
}

/** Whether the floor at a world point is a wall. */
export type IsWall = (x: number, y: number) => boolean;

/** Lethal cells of `map` are walls: the geometry, not its inflation. */
export function wallsOf(map: CostGridView): IsWall {
  return (x, y) => costAtWorld(map, x, y) >= COST_LETHAL;
}

/**
 * Free width through (x, y) along (ux, uy): the distances to the first wall ahead (`plus`) and
 * behind (`minus`), looked at up to `enough` m in all on a map of `resolution` m/cell.
 */
export function widthAcross(
  isWall: IsWall,
  resolution: number,
  x: number,
  y: number,
  ux: number,
  uy: number,
  enough: number,
): { plus: number; minus: number } {
  const plus = freeRay(isWall, resolution, x, y, ux, uy, enough);
  return { plus, minus: freeRay(isWall, resolution, x, y, -ux, -uy, enough - plus) };
}

/**
 * Free distance from (x, y) along (dx, dy) to the first wall, up to `reach`, m: marched at half
 * a cell, then the crossing bisected to a hundredth of a cell (the middle of a door is wanted
 * to well under the 0.05 m a half-cell march would give).
 */
function freeRay(
  isWall: IsWall,
  resolution: number,
  x: number,
  y: number,
  dx: number,
  dy: number,
  reach: number,
): number {
  const step = resolution / 2;
  const wall = (d: number) => isWall(x + dx * d, y + dy * d);
  for (let d = 0; d < reach; d += step) {
    if (!wall(d)) continue;
    if (d === 0) return 0;
    let free = d - step;
    let hit = d;
    while (hit - free > resolution / 100) {
      const mid = (free + hit) / 2;
      if (wall(mid)) hit = mid;
      else free = mid;
    }
    return Math.min(hit, reach);
  }
  return reach;
}

/**
 * The run replaced by a straight way through its passage (measured on `floor`, every new
 * segment clear on `map`), or undefined when there is no room.
 */
function spliceRun(
  floor: CostGridView,
  map: CostGridView,
  xs: number[],
  ys: number[],
  run: NarrowRun,
  o: PassageAlignOptions,
): { xs: number[]; ys: number[] } | undefined {
  const axis = passageAxis(floor, xs, ys, run, o.narrowerThan);
  for (const lead of [o.lead, o.lead / 2, 0]) {
    const spliced = tryLead(map, xs, ys, run, axis, lead, o.fixedPrefix ?? 0);
    if (spliced) return spliced;
  }
  return undefined;
}

interface Axis {
  /** The throat's middle. */
  cx: number;
  cy: number;
  /** Unit vector along the passage, the way the path goes. */
  tx: number;
  ty: number;
  /** Where the run begins and ends along the axis, m from the middle. */
  from: number;
  to: number;
}

/**
 * The passage's axis: across its narrowest cross-section, through its middle, the path's way;
 * from where it gets narrow to where it widens again (measured along the axis, not only at the
 * path's points, which may stop short of the wall's face by a point's spacing).
 */
function passageAxis(
  map: CostGridView,
  xs: number[],
  ys: number[],
  run: NarrowRun,
  narrowerThan: number,
): Axis {
  const { throat } = run;
  let tx = -throat.uy;
  let ty = throat.ux;
  const before = Math.max(0, run.first - 1);
  const after = Math.min(xs.length - 1, run.last + 1);
  if ((xs[after]! - xs[before]!) * tx + (ys[after]! - ys[before]!) * ty < 0) {
    tx = -tx;
    ty = -ty;
  }
  let from = Infinity;
  let to = -Infinity;
  for (let i = run.first; i <= run.last; i++) {
    const s = (xs[i]! - throat.cx) * tx + (ys[i]! - throat.cy) * ty;
    from = Math.min(from, s);
    to = Math.max(to, s);
  }
  const axis = { cx: throat.cx, cy: throat.cy, tx, ty, from, to };
  axis.from = Math.min(from, -narrowFor(map, axis, -1, narrowerThan));
  axis.to = Math.max(to, narrowFor(map, axis, 1, narrowerThan));
  return axis;
}

/** How far from the middle along the axis (`dir` 1 ahead, −1 back) the passage stays narrow, m. */
function narrowFor(map: CostGridView, axis: Axis, dir: 1 | -1, narrowerThan: number): number {
  const isWall = wallsOf(map);
  const step = map.resolution / 2;
  let d = 0;
  for (; d < MAX_PASSAGE_M; d += step) {
    const x = axis.cx + dir * axis.tx * (d + step);
    const y = axis.cy + dir * axis.ty * (d + step);
    if (isWall(x, y)) break;
    const { plus, minus } = widthAcross(isWall, map.resolution, x, y, axis.ty, -axis.tx, narrowerThan);
    if (plus + minus >= narrowerThan) break;
  }
  return d;
}

/** Splices the straight way with `lead` m before and after, or undefined if any of it is not free. */
function tryLead(
  map: CostGridView,
  xs: number[],
  ys: number[],
  run: NarrowRun,
  axis: Axis,
  lead: number,
  fixedPrefix: number,
): { xs: number[]; ys: number[] } | undefined {
  const along = (i: number) => (xs[i]! - axis.cx) * axis.tx + (ys[i]! - axis.cy) * axis.ty;
  const reach = lead + 0.1;
  // The last point before the passage, and the first after it, far enough from it to turn.
  // (Not beside the lead-in either: turning back to reach the path would make a hook.)
  let i0 = run.first - 1;
  while (
    i0 > fixedPrefix &&
    (distanceTo(xs, ys, i0, axis, axis.from) < reach || along(i0) > axis.from - lead)
  )
    i0--;
  let i1 = run.last + 1;
  while (i1 < xs.length - 1 && (distanceTo(xs, ys, i1, axis, axis.to) < reach || along(i1) < axis.to + lead))
    i1++;
  const kept = straightWay(
    axis,
    lead,
    {
      along: along(i0),
      near: distanceTo(xs, ys, i0, axis, axis.from) < reach,
      beside: offAxis(xs, ys, i0, axis) > ON_AXIS_M,
    },
    {
      along: along(i1),
      near: distanceTo(xs, ys, i1, axis, axis.to) < reach,
    },
  );
  if (kept.length === 0) return undefined;
  const midX = kept.map((s) => axis.cx + axis.tx * s);
  const midY = kept.map((s) => axis.cy + axis.ty * s);
  const newX = [xs[i0]!, ...midX, xs[i1]!];
  const newY = [ys[i0]!, ...midY, ys[i1]!];
  for (let k = 0; k + 1 < newX.length; k++) {
    // A robot starting in a wall's inscribed zone may leave it (as the planner's escape does).
    const own = k === 0 && i0 === 0 ? costAtWorld(map, newX[0]!, newY[0]!) + 1 : 0;
    const limit = Math.max(COST_INSCRIBED, own);
    if (segmentMaxCost(map, newX[k]!, newY[k]!, newX[k + 1]!, newY[k + 1]!, limit) >= limit) return undefined;
  }
  return {
    xs: [...xs.slice(0, i0 + 1), ...midX, ...xs.slice(i1)],
    ys: [...ys.slice(0, i0 + 1), ...midY, ...ys.slice(i1)],
  };
}

/** Where the path joins the straight way: how far along the axis, and whether near the passage. */
interface Join {
  along: number;
  near: boolean;
}

/**
 * The points of the straight way, as distances along the axis: `lead` before the passage, its
 * ends, `lead` after it. A path that starts near the passage (a replan on the way in) keeps only
 * those ahead of its start, after a step straight across onto the axis if it is `beside` it;
 * one that ends near it keeps those short of its goal. Neither turns back to line up.
 */
function straightWay(axis: Axis, lead: number, start: Join & { beside: boolean }, end: Join): number[] {
  const straight = [axis.from - lead, axis.from, axis.to, axis.to + lead];
  const kept = straight.filter(
    (s, k) =>
      (k === 0 || s > straight[k - 1]! + 1e-6) &&
      (!start.near || s > start.along + ON_AXIS_M) &&
      (!end.near || s < end.along - ON_AXIS_M),
  );
  // Coming from the side (a corridor the passage leaves at a right angle) the step across is
  // straight on; coming along the axis a few centimetres off, the follower takes it as reached.
  if (start.near && start.beside) {
    const across = Math.min(Math.max(start.along, axis.from - lead), axis.to);
    if (!kept.some((s) => Math.abs(s - across) < ON_AXIS_M)) {
      kept.unshift(across);
      kept.sort((a, b) => a - b);
    }
  }
  return kept;
}

/** How far point i is beside the axis, m. */
function offAxis(xs: number[], ys: number[], i: number, axis: Axis): number {
  return Math.abs((xs[i]! - axis.cx) * -axis.ty + (ys[i]! - axis.cy) * axis.tx);
}

/** Distance from point i to the point `s` m along the axis, m. */
function distanceTo(xs: number[], ys: number[], i: number, axis: Axis, s: number): number {
  return Math.hypot(xs[i]! - (axis.cx + axis.tx * s), ys[i]! - (axis.cy + axis.ty * s));
}
