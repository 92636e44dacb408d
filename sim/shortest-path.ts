/**
 * The shortest way the robot could have driven between two points of the static map, for the
 * path length ratio (docs/social-metrics.md): exact 8-connected A* over 0.1 m cells whose centre
 * clears every wall by the robot's radius, then string pulling (straight lines wherever a disc of
 * that radius slides through), so the length is that of a taut line round the corners, not of a
 * cell staircase. The static map only: no people, no scenario obstacles, no inflation margin.
 */
import { MinHeap } from '../src/navigation/index.js';
import type { MapRayCaster } from './lidar.js';
import { NEIGHBOURS } from './people-nav.js';

const CELL_M = 0.1;
/** m: the least clearance asked of the way, however close to a wall the robot stood. */
const MIN_CLEARANCE_M = 0.05;

interface Point {
  x: number;
  y: number;
}

export class ShortestPaths {
  readonly #caster: MapRayCaster;
  readonly #radiusM: number;
  readonly #cols: number;
  readonly #rows: number;
  readonly #x0: number;
  readonly #y0: number;
  /** Free distance at each coarse cell's centre, m. */
  readonly #free: Float32Array;

  constructor(caster: MapRayCaster, robotRadiusM: number) {
    this.#caster = caster;
    this.#radiusM = robotRadiusM;
    const map = caster.map;
    this.#cols = Math.max(1, Math.floor(map.widthM / CELL_M));
    this.#rows = Math.max(1, Math.floor(map.heightM / CELL_M));
    this.#x0 = map.originX;
    this.#y0 = map.originY;
    this.#free = new Float32Array(this.#cols * this.#rows);
    for (let r = 0; r < this.#rows; r++)
      for (let c = 0; c < this.#cols; c++)
        this.#free[r * this.#cols + c] = caster.freeDistanceAt(this.#cx(c), this.#cy(r));
  }

  /**
   * Length of the shortest way from `from` to `to` (m), or null when none joins them. A robot
   * standing nearer a wall than its radius (the map's cells are coarse) is asked no more
   * clearance than it had where it stood.
   */
  lengthM(from: Point, to: Point): number | null {
    const clearance = Math.max(
      MIN_CLEARANCE_M,
      Math.min(
        this.#radiusM,
        this.#caster.freeDistanceAt(from.x, from.y),
        this.#caster.freeDistanceAt(to.x, to.y),
      ),
    );
    if (this.#sees(from, to, clearance)) return Math.hypot(to.x - from.x, to.y - from.y);
    const start = this.#cellAt(from);
    const goal = this.#cellAt(to);
    if (start < 0 || goal < 0) return null;
    const cells = this.#astar(start, goal, clearance);
    if (!cells) return null;
    const way: Point[] = [from, ...cells.map((i) => this.#centre(i)), to];
    return pulledLength(way, (a, b) => this.#sees(a, b, clearance));
  }

  #astar(start: number, goal: number, clearance: number): number[] | undefined {
    const n = this.#free.length;
    const g = new Float64Array(n).fill(Infinity);
    const parent = new Int32Array(n).fill(-1);
    const closed = new Uint8Array(n);
    const heap = new MinHeap();
    const cols = this.#cols;
    const gc = goal % cols;
    const gr = Math.floor(goal / cols);
    const h = (i: number) => {
      const dx = Math.abs((i % cols) - gc);
      const dy = Math.abs(Math.floor(i / cols) - gr);
      return Math.max(dx, dy) + (Math.SQRT2 - 1) * Math.min(dx, dy);
    };
    // The robot's own cells may be tighter than the clearance (it stood there, so it fits).
    const open = (i: number) => i === start || i === goal || this.#free[i]! >= clearance;
    g[start] = 0;
    heap.push(start, h(start));
    while (heap.size > 0) {
      const i = heap.pop();
      if (closed[i]) continue;
      closed[i] = 1;
      if (i === goal) break;
      const c = i % cols;
      const r = (i - c) / cols;
      for (const [dc, dr, cost] of NEIGHBOURS) {
        const nc = c + dc;
        const nr = r + dr;
        if (nc < 0 || nr < 0 || nc >= cols || nr >= this.#rows) continue;
        const j = nr * cols + nc;
        if (closed[j] || !open(j)) continue;
        if (dc !== 0 && dr !== 0 && (!open(r * cols + nc) || !open(nr * cols + c))) continue;
        const gj = g[i]! + cost;
        if (gj >= g[j]!) continue;
        g[j] = gj;
        parent[j] = i;
        heap.push(j, gj + h(j));
      }
    }
    if (!closed[goal]) return undefined;
    const cells: number[] = [];
    for (let i = goal; i !== -1; i = parent[i]!) cells.push(i);
    return cells.reverse();
  }

  /** A disc of `clearance` slides from a to b without touching a wall (sphere tracing). */
  #sees(a: Point, b: Point, clearance: number): boolean {
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const minStep = this.#caster.resolution / 2;
    for (let t = 0; ;) {
      const f = len > 0 ? t / len : 1;
      const free = this.#caster.freeDistanceAt(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
      // The ends are where the robot stood: it fits there whatever the coarse field says.
      if (free < clearance && t > minStep && t < len - minStep) return false;
      if (t >= len) return true;
      t = Math.min(len, t + Math.max(minStep, free - clearance));
    }
  }

  #cellAt(p: Point): number {
    const c = Math.floor((p.x - this.#x0) / CELL_M);
    const r = Math.floor((p.y - this.#y0) / CELL_M);
    return c < 0 || r < 0 || c >= this.#cols || r >= this.#rows ? -1 : r * this.#cols + c;
  }

  #cx(c: number): number {
    return this.#x0 + (c + 0.5) * CELL_M;
  }
  #cy(r: number): number {
    return this.#y0 + (r + 0.5) * CELL_M;
  }
  #centre(i: number): Point {
    return { x: this.#cx(i % this.#cols), y: this.#cy(Math.floor(i / this.#cols)) };
  }
}

/** Length of `way` once pulled taut: from each anchor, straight to the furthest point it sees. */
function pulledLength(way: readonly Point[], sees: (a: Point, b: Point) => boolean): number {
  let length = 0;
  let anchor = way[0]!;
  let i = 1;
  while (i < way.length) {
    let j = i;
    while (j + 1 < way.length && sees(anchor, way[j + 1]!)) j++;
    length += Math.hypot(way[j]!.x - anchor.x, way[j]!.y - anchor.y);
    anchor = way[j]!;
    i = j + 1;
  }
  return length;
}
