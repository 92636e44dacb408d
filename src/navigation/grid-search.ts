/**
 * Cost-aware 8-connected A* over a padded cost grid (Nav2 cost values), the core of the
 * `grid_astar` planner. Pure: no ROS, no map types; a test runs it against a brute-force
 * Dijkstra on the same graph.
 *
 * The graph:
 * - cells with cost ≥ 253 (COST_INSCRIBED) are impassable, 255 (unknown) too unless allowed;
 *   the goal cell is always enterable (the caller decides whether the goal is acceptable);
 * - a move goes to one of the 8 neighbours; a diagonal move needs both orthogonal cells it
 *   squeezes between to be passable (no cutting an obstacle's corner);
 * - a move's cost is its length × the mean of the two cells' multipliers, where a cell of cost c
 *   has multiplier 1 + costWeight × c / 252: free space costs its length, the top of the
 *   inflation ramp (1 + costWeight) × its length, so the route keeps off walls when the detour
 *   is cheaper than the ramp.
 *
 * The heuristic is the larger of the octile distance (× the smallest multiplier, 1) and, when
 * landmarks are set, the ALT bound (Goldberg & Harrelson, "Computing the shortest path: A*
 * search meets graph theory"): for a landmark L, |d(L, goal) − d(L, n)| ≤ d(n, goal). Both are
 * consistent, so the first time the goal is popped its cost is optimal. Landmark distances
 * computed on a grid stay valid lower bounds while costs only rise above it (the obstacle layer
 * only adds cost). They are stored as float32 and shrunk by `shrink` to absorb the rounding.
 *
 * The grid must carry a border of impassable cells (one cell wide) so that the inner loop needs
 * no bounds checks; `padCostGrid` makes one.
 *
 * Nothing is allocated or cleared per search: g and parent are valid only where the cell's
 * generation stamp says the current search touched it.
 */
import { MinHeap } from './min-heap.js';

/** First impassable cost (COST_INSCRIBED in Nav2). */
export const FIRST_BLOCKED_COST = 253;
export const COST_UNKNOWN_VALUE = 255;

export interface GridSearchOptions {
  /** Length of one cell side, m (path costs come out in metres-equivalent). */
  cellSize: number;
  /** Extra cost factor at cost 252, see the module doc. ≥ 0. */
  costWeight: number;
  /** Treat unknown (255) cells as traversable at the top cost. */
  allowUnknown: boolean;
}

/** Landmark distances for the ALT heuristic: `table[cell * count + k]` = d(landmark k, cell). */
export interface LandmarkTable {
  count: number;
  table: Float32Array;
  /** Multiply ALT bounds by (1 − shrink) so float32 rounding never overestimates. */
  shrink: number;
}

export type SearchOutcome = 'found' | 'no_path' | 'cancelled';

const SQRT2 = Math.SQRT2;
/** Check the cancel flag every this many expansions (a power of two minus one, as a mask). */
const CANCEL_CHECK_MASK = 4095;
/** Neighbour order: E, W, N, S (bits 1, 2, 4, 8), then NE, NW, SE, SW. */
const DX = new Int32Array([1, -1, 0, 0, 1, -1, 1, -1]);
const DY = new Int32Array([0, 0, 1, -1, 1, 1, -1, -1]);
/** The orthogonal neighbours a diagonal squeezes between, as bits of the E/W/N/S mask. */
const NEEDS = new Int32Array([0, 0, 0, 0, 1 | 4, 2 | 4, 1 | 8, 2 | 8]);

export class GridSearch {
  readonly width: number;
  readonly height: number;
  /** Cells of the last path found, start first; valid up to `pathLength`. */
  readonly path: Int32Array;
  pathLength = 0;
  /** Cost of the last path found. */
  pathCost = 0;
  /** Cells expanded by the last search (for benchmarks and tuning). */
  expansions = 0;

  readonly #g: Float64Array;
  readonly #parent: Int32Array;
  /** 2·generation: reached (g valid), 2·generation + 1: closed; anything else: untouched. */
  readonly #state: Uint32Array;
  readonly #heap: MinHeap;
  #generation = 0;
  readonly #halfMultiplier = new Float64Array(256);
  readonly #blocked = new Uint8Array(256);
  readonly #offsets: Int32Array;
  #landmarks: LandmarkTable | undefined;
  readonly #lo = new Float64Array(64);
  readonly #hi = new Float64Array(64);

  /** `width` × `height` of the padded grid the searches will run on. */
  constructor(width: number, height: number) {
    if (width < 3 || height < 3) throw new RangeError(`padded grid must be ≥ 3×3, got ${width}×${height}`);
    this.width = width;
    this.height = height;
    const n = width * height;
    this.path = new Int32Array(n);
    this.#g = new Float64Array(n);
    this.#parent = new Int32Array(n);
    this.#state = new Uint32Array(n);
    this.#heap = new MinHeap(Math.min(n, 1 << 16));
    this.#offsets = new Int32Array(8);
    for (let d = 0; d < 8; d++) this.#offsets[d] = DY[d]! * width + DX[d]!;
  }

  /** Multiplier of a cell with cost `cost` under `costWeight` (the documented edge-cost rule). */
  static multiplier(cost: number, costWeight: number): number {
    return 1 + (costWeight * Math.min(cost, 252)) / 252;
  }

  /** Use these landmark distances (computed on this grid's layout) in the heuristic, or none. */
  setLandmarks(landmarks: LandmarkTable | undefined): void {
    if (landmarks && landmarks.table.length !== landmarks.count * this.width * this.height) {
      throw new RangeError(
        `landmark table has ${landmarks.table.length} entries, expected ${landmarks.count}×${this.width * this.height}`,
      );
    }
    if (landmarks && landmarks.count > this.#lo.length)
      throw new RangeError(`at most ${this.#lo.length} landmarks`);
    this.#landmarks = landmarks && landmarks.count > 0 ? landmarks : undefined;
  }

  /**
   * Searches from cell `start` to cell `goal` (indices into the padded grid). On 'found' the
   * path is in `path[0 .. pathLength)` and its cost in `pathCost`.
   */
  search(
    costs: Uint8Array,
    start: number,
    goal: number,
    options: GridSearchOptions,
    isCancelled: () => boolean = () => false,
  ): SearchOutcome {
    this.#checkCells(costs, start, goal);
    const outcome = this.#run(costs, start, goal, options, isCancelled);
    if (outcome === 'found') {
      this.#reconstruct(goal);
      this.pathCost = this.#g[goal]!;
    } else this.pathLength = 0;
    return outcome;
  }

  /**
   * Dijkstra from `source` over the whole grid: `out[cell]` = cost of the cheapest route, or
   * Infinity where none (landmark tables, tests).
   */
  distancesFrom(costs: Uint8Array, source: number, options: GridSearchOptions, out: Float64Array): void {
    this.#checkCells(costs, source, source);
    const saved = this.#landmarks;
    this.#landmarks = undefined;
    try {
      this.#run(costs, source, -1, options, () => false);
    } finally {
      this.#landmarks = saved;
    }
    const closed = this.#generation * 2 + 1;
    const state = this.#state;
    const g = this.#g;
    for (let i = 0; i < out.length; i++) out[i] = state[i] === closed ? g[i]! : Infinity;
  }

  /** The search loop; `goal` −1 means "no goal": explore everything (Dijkstra). */
  #run(
    costs: Uint8Array,
    start: number,
    goal: number,
    options: GridSearchOptions,
    isCancelled: () => boolean,
  ): SearchOutcome {
    this.#prepareTables(options);
    const gen = this.#nextGeneration();
    const REACHED = gen * 2;
    const CLOSED = gen * 2 + 1;
    const g = this.#g;
    const parent = this.#parent;
    const state = this.#state;
    const heap = this.#heap;
    const half = this.#halfMultiplier;
    const blocked = this.#blocked;
    const offsets = this.#offsets;
    const w = this.width;
    const cell = options.cellSize;
    const diag = cell * SQRT2;
    const hasGoal = goal >= 0;
    const gx = hasGoal ? goal % w : 0;
    const gy = hasGoal ? (goal / w) | 0 : 0;
    // Octile distance: cell × (max + (√2 − 1) · min) of the cell offsets.
    const hDiagExtra = cell * (SQRT2 - 1);
    const lm = hasGoal ? this.#landmarks : undefined;
    const lmCount = lm ? this.#goalIntervals(lm, costs, goal) : 0;
    const lmTable = lm ? lm.table : undefined;
    const lmScale = lm ? 1 - lm.shrink : 1;
    const lo = this.#lo;
    const hi = this.#hi;

    heap.clear();
    let expansions = 0;
    g[start] = 0;
    parent[start] = -1;
    state[start] = REACHED;
    heap.push(start, 0);

    while (heap.size > 0) {
      const cur = heap.pop();
      if (state[cur] === CLOSED) continue; // a stale duplicate
      if (cur === goal) {
        this.expansions = expansions;
        return 'found';
      }
      state[cur] = CLOSED;
      if ((++expansions & CANCEL_CHECK_MASK) === 0 && isCancelled()) {
        this.expansions = expansions;
        return 'cancelled';
      }
      const cx = cur % w;
      const cy = (cur / w) | 0;
      const gCur = g[cur]!;
      const halfCur = half[costs[cur]!]!;
      // Which orthogonal neighbours are open decides which diagonals may be taken.
      let open = 0;
      for (let d = 0; d < 8; d++) {
        const next = cur + offsets[d]!;
        const c = costs[next]!;
        if (blocked[c] === 1 && next !== goal) continue;
        if (d < 4) open |= 1 << d;
        else if ((open & NEEDS[d]!) !== NEEDS[d]!) continue;
        const st = state[next]!;
        if (st === CLOSED) continue;
        const ng = gCur + (d < 4 ? cell : diag) * (halfCur + half[c]!);
        if (st === REACHED && ng >= g[next]!) continue;
        g[next] = ng;
        parent[next] = cur;
        state[next] = REACHED;
        let h = 0;
        if (hasGoal) {
          const x = cx + DX[d]!;
          const y = cy + DY[d]!;
          const ax = x > gx ? x - gx : gx - x;
          const ay = y > gy ? y - gy : gy - y;
          h = ax > ay ? ax * cell + ay * hDiagExtra : ay * cell + ax * hDiagExtra;
          if (lmCount > 0) {
            const base = next * lmCount;
            let best = 0;
            for (let k = 0; k < lmCount; k++) {
              const b = lmTable![base + k]!;
              const bound = b < lo[k]! ? lo[k]! - b : b > hi[k]! ? b - hi[k]! : 0;
              if (bound > best && b !== Infinity) best = bound;
            }
            best *= lmScale;
            if (best > h) h = best;
          }
        }
        heap.push(next, ng + h);
      }
    }
    this.expansions = expansions;
    return 'no_path';
  }

  /**
   * Per landmark, the range of its distances at the goal: the goal's own distance, or when the
   * goal cell is impassable (entered only by the goal exception) the range over its passable
   * neighbours, through one of which every route must come. Landmarks that do not reach there
   * get an empty range (lo = +∞, so they bound nothing). Returns the landmark count.
   */
  #goalIntervals(lm: LandmarkTable, costs: Uint8Array, goal: number): number {
    const k = lm.count;
    const lo = this.#lo;
    const hi = this.#hi;
    for (let i = 0; i < k; i++) {
      const own = lm.table[goal * k + i]!;
      if (own !== Infinity) {
        lo[i] = own;
        hi[i] = own;
        continue;
      }
      let min = Infinity;
      let max = -Infinity;
      for (let d = 0; d < 8; d++) {
        const n = goal + this.#offsets[d]!;
        if (this.#blocked[costs[n]!] === 1) continue;
        const v = lm.table[n * k + i]!;
        if (v === Infinity) continue;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      // No reachable neighbour: make the bound 0 everywhere (lo = −∞, hi = +∞).
      lo[i] = min === Infinity ? -Infinity : min;
      hi[i] = min === Infinity ? Infinity : max;
    }
    return k;
  }

  #checkCells(costs: Uint8Array, start: number, goal: number): void {
    const n = this.width * this.height;
    if (costs.length !== n) throw new RangeError(`cost grid has ${costs.length} cells, expected ${n}`);
    if (!(start >= 0 && start < n && goal >= 0 && goal < n)) {
      throw new RangeError(`start ${start} or goal ${goal} outside the grid of ${n} cells`);
    }
  }

  #prepareTables(options: GridSearchOptions): void {
    if (!(options.costWeight >= 0) || !(options.cellSize > 0)) {
      throw new RangeError(
        `costWeight must be ≥ 0 and cellSize > 0, got ${options.costWeight} and ${options.cellSize}`,
      );
    }
    for (let c = 0; c < 256; c++) {
      this.#halfMultiplier[c] = GridSearch.multiplier(c, options.costWeight) / 2;
      const unknownOk = options.allowUnknown && c === COST_UNKNOWN_VALUE;
      this.#blocked[c] = c >= FIRST_BLOCKED_COST && !unknownOk ? 1 : 0;
    }
  }

  #nextGeneration(): number {
    if (this.#generation >= 0x7ffffffe) {
      this.#state.fill(0);
      this.#generation = 0;
    }
    return ++this.#generation;
  }

  #reconstruct(goal: number): void {
    let count = 0;
    for (let c = goal; c !== -1; c = this.#parent[c]!) count++;
    let i = count;
    for (let c = goal; c !== -1; c = this.#parent[c]!) this.path[--i] = c;
    this.pathLength = count;
  }
}

/**
 * Copies a `width` × `height` cost grid into one with a one-cell border of lethal cells
 * (the layout GridSearch needs). Index (c, r) moves to (c+1, r+1).
 */
export function padCostGrid(costs: Uint8Array, width: number, height: number): Uint8Array {
  const pw = width + 2;
  const out = new Uint8Array(pw * (height + 2)).fill(254);
  for (let r = 0; r < height; r++) out.set(costs.subarray(r * width, (r + 1) * width), (r + 1) * pw + 1);
  return out;
}
