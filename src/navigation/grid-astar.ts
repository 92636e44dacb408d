/**
 * The `grid_astar` global planner plugin: cost-aware 8-connected A* (grid-search.ts) on a
 * max-pooled copy of the costmap (downsample.ts), then line-of-sight shortcuts and a gentle
 * smoother (smoothing.ts), out as a nav_msgs/msg/Path at `path_resolution` spacing with headings
 * along the path and the goal's heading last.
 *
 * Speed: the search's heuristic adds ALT landmark bounds (landmarks.ts) computed on the costmap
 * as it is at configure. They stay exact lower bounds while costs only rise above that (the
 * obstacle layer only adds cost); after a map change that lowers costs, configure again.
 * The same analysis labels the map's connected regions, so a failed search can say whether the
 * map itself has no route (NO_PATH) or today's obstacles block it (BLOCKED).
 *
 * Endpoints: the goal's own cell must be traversable (< 253) on the full-resolution costmap,
 * else GOAL_OCCUPIED. A robot standing in the inscribed zone (it may be close to a wall or a
 * person) escapes to the nearest traversable planning cell within `start_escape_radius`; that
 * first move, and the moves joining the exact start and goal to the grid route, are the only
 * places a path may touch a cell ≥ 253.
 */
import type { Costmap } from '../map/index.js';
import type { Path, PoseStamped, RosNode } from '../ros/index.js';
import { declareParams, header, quaternionToYaw, yawToQuaternion } from '../ros/index.js';
import { createCoarseGrid, poolRegion, type CoarseGrid } from './downsample.js';
import { NavError } from './errors.js';
import { FIRST_BLOCKED_COST, GridSearch, type GridSearchOptions } from './grid-search.js';
import { analyseGrid } from './landmarks.js';
import { costAtWorld } from './line-cost.js';
import { alignThroughPassages } from './passage-align.js';
import { densify, headings, shortcutPath, smoothPath, type Polyline } from './smoothing.js';
import type { CellBounds, GlobalPlanner } from './types.js';

export const GRID_ASTAR_DEFAULTS = {
  /** Fine cells per planning cell side (2: plan on 0.1 m cells of a 0.05 m map). Whole number ≥ 1. */
  downsample_factor: 2,
  /**
   * ... but planning cells never coarser than this, m (a 0.1 m map is planned on its own cells):
   * 0.2 m cells, max-pooled, closed the 0.85–0.95 m doors the robot fits through.
   */
  max_planning_resolution: 0.1,
  /** Edge cost = length × (1 + cost_weight × cost / 252): 3 makes the ramp's top 4× dearer than free space. */
  cost_weight: 3.0,
  /** Landmarks for the ALT heuristic, computed once at configure (0: octile distance only). ≤ 64. */
  landmarks: 4,
  /** Plan through unknown (255) cells at the top traversable cost. */
  allow_unknown: false,
  /** How far a robot standing in an obstacle's inscribed zone may move to reach free space, m. */
  start_escape_radius: 0.6,
  /** Shortcuts and smoothing may pass at most this much (cost units) above what the raw route touched. */
  path_cost_margin: 10,
  /** Smooth the shortcut path (Nav2 simple smoother weights below). */
  smooth: true,
  smooth_w_data: 0.2,
  smooth_w_smooth: 0.3,
  smooth_max_iterations: 100,
  /** Stop smoothing when a sweep moves the path less than this in total, m. */
  smooth_tolerance: 1e-4,
  /** Spacing of the output poses, m. */
  path_resolution: 0.1,
  /**
   * Passages narrower than this are driven straight through the middle (passage-align.ts), m;
   * 0 turns it off. The follower's narrow passage rule: the robot's 0.6 m + 2 × 0.25 m.
   */
  narrow_passage_width: 1.1,
  /** ... lined up this far before such a passage and kept straight this far after it, m. */
  narrow_passage_lead: 0.6,
};
export type GridAStarParams = typeof GRID_ASTAR_DEFAULTS;

/** What the last plan did (benchmarks, tests, logs). */
export interface PlanStats {
  /** Cost of the grid route under the documented edge-cost rule. */
  rawCost: number;
  /** Grid route cells. */
  rawCells: number;
  expansions: number;
  /** Whether the start escaped from an obstacle's inscribed zone. */
  escaped: boolean;
  /** Length of the output path, m. */
  length: number;
}

const WHERE = 'grid-astar.ts:plan';

export class GridAStar implements GlobalPlanner {
  #node: RosNode | undefined;
  #costmap: Costmap | undefined;
  /** The map alone (the costmap as configured, unless given): where narrow passages are measured. */
  #floor: Costmap | undefined;
  /** A bit per cell of the floor: set where a wall is near enough for a narrow passage (see nearWalls); undefined with narrow_passage_width 0. */
  #nearWall: Uint8Array | undefined;
  #params: GridAStarParams = { ...GRID_ASTAR_DEFAULTS };
  #grid: CoarseGrid | undefined;
  #search: GridSearch | undefined;
  #dirty: CellBounds | undefined;
  #regions: Int32Array | undefined;
  #searchOptions: GridSearchOptions = { cellSize: 0.1, costWeight: 3, allowUnknown: false };
  #active = false;
  lastStats: PlanStats = { rawCost: 0, rawCells: 0, expansions: 0, escaped: false, length: 0 };

  configure(node: RosNode, name: string, costmap: Costmap, floor?: Costmap): void {
    this.#node = node;
    this.#costmap = costmap;
    this.#floor = floor ?? costmap.clone();
    this.#params = declareParams(node, name, GRID_ASTAR_DEFAULTS);
    const p = this.#params;
    this.#nearWall =
      p.narrow_passage_width > 0 ? nearWalls(this.#floor, p.narrow_passage_width / 2) : undefined;
    if (!(p.cost_weight >= 0)) throw new RangeError(`${name}.cost_weight must be ≥ 0, got ${p.cost_weight}`);
    if (!(p.path_resolution > 0)) {
      throw new RangeError(`${name}.path_resolution must be > 0 m, got ${p.path_resolution}`);
    }
    const factor = downsampleFactor(p, costmap.resolution, name);
    this.#grid = createCoarseGrid(costmap.width, costmap.height, factor);
    this.#search = new GridSearch(this.#grid.paddedWidth, this.#grid.paddedHeight);
    poolRegion(this.#grid, costmap.costs, costmap.width, costmap.height);
    this.#dirty = undefined;
    if (!Number.isInteger(p.landmarks) || p.landmarks < 0 || p.landmarks > 64) {
      throw new RangeError(`${name}.landmarks must be a whole number in [0, 64], got ${p.landmarks}`);
    }
    this.#searchOptions = {
      cellSize: costmap.resolution * factor,
      costWeight: p.cost_weight,
      allowUnknown: p.allow_unknown,
    };
    const g = this.#grid;
    const analysis = analyseGrid(
      g.costs,
      g.paddedWidth,
      g.paddedHeight,
      this.#searchOptions,
      p.landmarks,
      this.#search,
    );
    this.#search.setLandmarks(analysis.landmarks);
    this.#regions = analysis.regions;
  }

  activate(): void {
    this.#active = true;
  }
  deactivate(): void {
    this.#active = false;
  }
  cleanup(): void {
    this.#grid = undefined;
    this.#search = undefined;
    this.#regions = undefined;
    this.#costmap = undefined;
    this.#floor = undefined;
    this.#nearWall = undefined;
    this.#active = false;
  }

  costmapChanged(b: CellBounds): void {
    const d = this.#dirty;
    this.#dirty = d
      ? {
          minCol: Math.min(d.minCol, b.minCol),
          minRow: Math.min(d.minRow, b.minRow),
          maxCol: Math.max(d.maxCol, b.maxCol),
          maxRow: Math.max(d.maxRow, b.maxRow),
        }
      : { ...b };
  }

  plan(start: PoseStamped, goal: PoseStamped, isCancelled: () => boolean): Path {
    const costmap = this.#costmap;
    const grid = this.#grid;
    const search = this.#search;
    const node = this.#node;
    if (!costmap || !grid || !search || !node)
      throw new NavError('UNKNOWN', WHERE, 'planner used before configure()');
    if (!this.#active)
      throw new NavError('UNKNOWN', WHERE, 'planner used while inactive; activate() it first');
    const p = this.#params;
    if (isCancelled()) throw new NavError('CANCELLED', WHERE, 'planning was cancelled');
    const s = checkPose(start, 'start');
    const g = checkPose(goal, 'goal');

    const goalCost = costAtWorld(costmap, g.x, g.y);
    if (!traversable(goalCost, p.allow_unknown)) {
      throw new NavError(
        'GOAL_OCCUPIED',
        `${WHERE} goal`,
        `goal (${fmt(g.x)}, ${fmt(g.y)}) m has cost ${goalCost}${costmap.inBounds(costmap.col(g.x), costmap.row(g.y)) ? '' : ' (outside the map)'}, expected < ${FIRST_BLOCKED_COST}`,
      );
    }
    if (!costmap.inBounds(costmap.col(s.x), costmap.row(s.y))) {
      throw new NavError(
        'START_OCCUPIED',
        `${WHERE} start`,
        `start (${fmt(s.x)}, ${fmt(s.y)}) m is outside the map`,
      );
    }
    if (this.#dirty) {
      const d = this.#dirty;
      poolRegion(grid, costmap.costs, costmap.width, costmap.height, d.minCol, d.minRow, d.maxCol, d.maxRow);
      this.#dirty = undefined;
    }

    const f = grid.factor;
    const pw = grid.paddedWidth;
    const coarseRes = costmap.resolution * f;
    const cellOf = (x: number, y: number) =>
      (Math.floor(costmap.row(y) / f) + 1) * pw + Math.floor(costmap.col(x) / f) + 1;
    let startCell = cellOf(s.x, s.y);
    const goalCell = cellOf(g.x, g.y);
    let escaped = false;
    if (!traversable(grid.costs[startCell]!, p.allow_unknown) && startCell !== goalCell) {
      const radius = Math.max(1, Math.round(p.start_escape_radius / coarseRes));
      const found = nearestTraversable(grid, startCell, radius, p.allow_unknown);
      if (found < 0) {
        throw new NavError(
          'START_OCCUPIED',
          `${WHERE} start`,
          `start (${fmt(s.x)}, ${fmt(s.y)}) m is in an obstacle with no free cell within ${p.start_escape_radius} m`,
        );
      }
      startCell = found;
      escaped = true;
    }

    const outcome = search.search(grid.costs, startCell, goalCell, this.#searchOptions, isCancelled);
    if (outcome === 'cancelled') throw new NavError('CANCELLED', WHERE, 'planning was cancelled');
    if (outcome === 'no_path') {
      const route = `from (${fmt(s.x)}, ${fmt(s.y)}) to (${fmt(g.x)}, ${fmt(g.y)}) m`;
      if (this.#mapConnects(startCell, goalCell)) {
        throw new NavError('BLOCKED', WHERE, `obstacles block every route ${route} (the map has one)`);
      }
      throw new NavError('NO_PATH', WHERE, `the map has no traversable route ${route}`);
    }

    // Grid route → world polyline: exact start, [escape cell], cell centres, exact goal.
    const k = search.pathLength;
    const xs: number[] = [s.x];
    const ys: number[] = [s.y];
    const centreX = (cell: number) => costmap.originX + ((cell % pw) - 1 + 0.5) * coarseRes;
    const centreY = (cell: number) => costmap.originY + (Math.floor(cell / pw) - 1 + 0.5) * coarseRes;
    const firstInner = escaped ? 0 : 1;
    for (let i = firstInner; i < k - 1; i++) {
      xs.push(centreX(search.path[i]!));
      ys.push(centreY(search.path[i]!));
    }
    xs.push(g.x);
    ys.push(g.y);
    const fixedPrefix = escaped ? 1 : 0;
    let line: Polyline = { xs: Float64Array.from(xs), ys: Float64Array.from(ys) };
    line = shortcutPath(costmap, line, { costMargin: p.path_cost_margin, fixedPrefix });
    line = densify(line, p.path_resolution);
    const fixedAfterDensify = escaped ? densifiedIndexOfEscape(line, xs[1]!, ys[1]!) : 0;
    if (p.smooth) {
      line = smoothPath(costmap, line, {
        wData: p.smooth_w_data,
        wSmooth: p.smooth_w_smooth,
        maxIterations: p.smooth_max_iterations,
        tolerance: p.smooth_tolerance,
        costMargin: p.path_cost_margin,
        fixedPrefix: fixedAfterDensify,
      });
    }
    if (p.narrow_passage_width > 0) {
      const floor = this.#floor!;
      const near = this.#nearWall!;
      const aligned = alignThroughPassages(costmap, line, {
        floor,
        nearWall: (x, y) => {
          const c = floor.col(x);
          const r = floor.row(y);
          return !floor.inBounds(c, r) || bitAt(near, r * floor.width + c);
        },
        narrowerThan: p.narrow_passage_width,
        lead: p.narrow_passage_lead,
        fixedPrefix: fixedAfterDensify,
      });
      line = densify(aligned, p.path_resolution);
    }
    const yaws = headings(line, g.yaw);
    const stamp = node.now();
    const h = header('map', stamp);
    const poses = new Array<PoseStamped>(line.xs.length);
    let length = 0;
    for (let i = 0; i < line.xs.length; i++) {
      if (i > 0) length += Math.hypot(line.xs[i]! - line.xs[i - 1]!, line.ys[i]! - line.ys[i - 1]!);
      poses[i] = {
        header: h,
        pose: { position: { x: line.xs[i]!, y: line.ys[i]!, z: 0 }, orientation: yawToQuaternion(yaws[i]!) },
      };
    }
    this.lastStats = {
      rawCost: search.pathCost,
      rawCells: k,
      expansions: search.expansions,
      escaped,
      length,
    };
    return { header: h, poses };
  }

  /** Did the map at configure connect these cells (the goal through any passable neighbour)? */
  #mapConnects(startCell: number, goalCell: number): boolean {
    const regions = this.#regions!;
    const from = regions[startCell]!;
    if (from === 0) return false;
    if (regions[goalCell] === from) return true;
    const pw = this.#grid!.paddedWidth;
    for (const d of [1, -1, pw, -pw]) if (regions[goalCell + d] === from) return true;
    return false;
  }
}

function traversable(cost: number, allowUnknown: boolean): boolean {
  return cost < FIRST_BLOCKED_COST || (allowUnknown && cost === 255);
}

/** A pose's planar part, or INVALID_GOAL when it is not finite or not in `map`. */
function checkPose(p: PoseStamped, which: 'start' | 'goal'): { x: number; y: number; yaw: number } {
  const where = `${WHERE} ${which}`;
  if (p.header.frame_id !== 'map') {
    throw new NavError(
      'INVALID_GOAL',
      `${where}.header.frame_id`,
      `expected 'map', found '${p.header.frame_id}'`,
    );
  }
  const { x, y } = p.pose.position;
  const yaw = quaternionToYaw(p.pose.orientation);
  if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(yaw)) {
    throw new NavError(
      'INVALID_GOAL',
      `${where}.pose`,
      `expected finite x, y and orientation, found (${x}, ${y}, yaw ${yaw})`,
    );
  }
  return { x, y, yaw };
}

/** The traversable cell nearest to `from` (Euclidean, in cells) within `radius` cells, or −1. */
function nearestTraversable(grid: CoarseGrid, from: number, radius: number, allowUnknown: boolean): number {
  const pw = grid.paddedWidth;
  const fx = from % pw;
  const fy = Math.floor(from / pw);
  let best = -1;
  let bestD2 = Infinity;
  for (let dy = -radius; dy <= radius; dy++) {
    const y = fy + dy;
    if (y < 1 || y > grid.height) continue;
    for (let dx = -radius; dx <= radius; dx++) {
      const x = fx + dx;
      if (x < 1 || x > grid.width) continue;
      const d2 = dx * dx + dy * dy;
      if (d2 > radius * radius || d2 >= bestD2) continue;
      if (traversable(grid.costs[y * pw + x]!, allowUnknown)) {
        best = y * pw + x;
        bestD2 = d2;
      }
    }
  }
  return best;
}

/** Index of the escape point in a densified path (it is kept exactly, so search for it). */
function densifiedIndexOfEscape(line: Polyline, x: number, y: number): number {
  for (let i = 0; i < line.xs.length; i++) if (line.xs[i] === x && line.ys[i] === y) return i;
  return 0;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : String(v);
}

/**
 * A bit set for each cell with a wall (cost ≥ 254) within `reach` m of it along both axes (a square
 * window, so also some a little further off diagonally): only there can the floor be narrower
 * than 2 × `reach` across. A separable running count, row by row then column by column: a
 * byte and a bit a cell, where an exact distance field took seven bytes.
 */
function nearWalls(floor: Costmap, reach: number): Uint8Array {
  const { width: w, height: h, costs } = floor;
  const k = Math.ceil(reach / floor.resolution);
  const rows = new Uint8Array(w * h);
  for (let r = 0; r < h; r++)
    slidingAny(
      w,
      k,
      (c) => costs[r * w + c]! >= 254,
      (c, v) => (rows[r * w + c] = v),
    );
  // One bit a cell: the run's memory bound is tight.
  const near = new Uint8Array(Math.ceil((w * h) / 8));
  const setBit = (i: number) => (near[i >> 3]! |= 1 << (i & 7));
  for (let c = 0; c < w; c++) {
    slidingAny(
      h,
      k,
      (r) => rows[r * w + c] === 1,
      (r, v) => v && setBit(r * w + c),
    );
  }
  return near;
}

/** Is bit `i` of `bits` set? */
function bitAt(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** For i in [0, n): set(i, 1) when is(j) for some j within k of i, else set(i, 0). */
function slidingAny(
  n: number,
  k: number,
  is: (i: number) => boolean,
  set: (i: number, v: number) => void,
): void {
  let count = 0;
  for (let j = 0; j < Math.min(n, k); j++) if (is(j)) count++;
  for (let i = 0; i < n; i++) {
    if (i + k < n && is(i + k)) count++;
    if (i - k - 1 >= 0 && is(i - k - 1)) count--;
    set(i, count > 0 ? 1 : 0);
  }
}

/** The downsample factor to plan with on a costmap of `resolution` m/cell (see the params). */
export function downsampleFactor(
  p: Pick<GridAStarParams, 'downsample_factor' | 'max_planning_resolution'>,
  resolution: number,
  name = 'planner',
): number {
  const f = p.downsample_factor;
  if (!Number.isInteger(f) || f < 1) {
    throw new RangeError(`${name}.downsample_factor must be a whole number ≥ 1, got ${f}`);
  }
  if (!(p.max_planning_resolution > 0)) {
    throw new RangeError(`${name}.max_planning_resolution must be > 0 m, got ${p.max_planning_resolution}`);
  }
  const finest = Math.max(1, Math.floor(p.max_planning_resolution / resolution + 1e-9));
  return Math.min(f, finest);
}
