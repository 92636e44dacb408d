/**
 * How simulated people find their way: a coarse walkable grid over the static map (a cell is
 * walkable when a person standing at its centre clears every wall), 8-connected A* on it, and
 * string pulling so that they walk straight lines between corners, not cell zig-zags.
 */
import type { MapRayCaster } from './lidar.js';
import type { Rng } from './rng.js';

export interface Point2 {
  x: number;
  y: number;
}

export interface PeopleNavParams {
  /** Coarse cell size, m. */
  cellM: number;
  /** Clearance a person needs from walls, m (their radius). */
  clearanceM: number;
}
export const DEFAULT_PEOPLE_NAV_PARAMS: PeopleNavParams = { cellM: 0.2, clearanceM: 0.25 };

/**
 * Inflated A* (weighted heuristic): people need a sensible route, not the shortest one, and
 * this expands far fewer cells on a large floor. Routes are at most this factor too long.
 */
const HEURISTIC_WEIGHT = 1.5;

/** The 8 neighbours of a grid cell: column step, row step, step length in cells. */
export const NEIGHBOURS: ReadonlyArray<readonly [number, number, number]> = [
  [1, 0, 1],
  [-1, 0, 1],
  [0, 1, 1],
  [0, -1, 1],
  [1, 1, Math.SQRT2],
  [1, -1, Math.SQRT2],
  [-1, 1, Math.SQRT2],
  [-1, -1, Math.SQRT2],
];

export class PeopleNav {
  readonly params: PeopleNavParams;
  readonly cols: number;
  readonly rows: number;
  readonly #x0: number;
  readonly #y0: number;
  /** 1 where a person fits. */
  readonly walkable: Uint8Array;
  /** Connected walkable area per cell (-1 where not walkable). */
  readonly component: Int32Array;
  // A* scratch, reused across searches (a generation stamp stands in for clearing).
  readonly #g: Float64Array;
  readonly #parent: Int32Array;
  readonly #seen: Uint32Array;
  readonly #closed: Uint32Array;
  #generation = 0;
  readonly #heapNodes: number[] = [];
  readonly #heapKeys: number[] = [];

  constructor(
    readonly caster: MapRayCaster,
    params: Partial<PeopleNavParams> = {},
  ) {
    this.params = { ...DEFAULT_PEOPLE_NAV_PARAMS, ...params };
    const map = caster.map;
    const cell = this.params.cellM;
    this.cols = Math.max(1, Math.floor(map.widthM / cell));
    this.rows = Math.max(1, Math.floor(map.heightM / cell));
    this.#x0 = map.originX;
    this.#y0 = map.originY;
    const n = this.cols * this.rows;
    this.walkable = new Uint8Array(n);
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const free = caster.freeDistanceAt(this.centreX(c), this.centreY(r));
        this.walkable[r * this.cols + c] = free >= this.params.clearanceM ? 1 : 0;
      }
    }
    this.component = labelComponents(this.walkable, this.cols, this.rows);
    this.#g = new Float64Array(n);
    this.#parent = new Int32Array(n);
    this.#seen = new Uint32Array(n);
    this.#closed = new Uint32Array(n);
  }

  centreX(col: number): number {
    return this.#x0 + (col + 0.5) * this.params.cellM;
  }
  centreY(row: number): number {
    return this.#y0 + (row + 0.5) * this.params.cellM;
  }

  /** Coarse cell index under a point, or -1 outside the grid. */
  cellAt(x: number, y: number): number {
    const c = Math.floor((x - this.#x0) / this.params.cellM);
    const r = Math.floor((y - this.#y0) / this.params.cellM);
    if (c < 0 || r < 0 || c >= this.cols || r >= this.rows) return -1;
    return r * this.cols + c;
  }

  /** The walkable cell nearest a point (breadth first, up to `maxRings` cells away), or -1. */
  nearestWalkable(x: number, y: number, maxRings = 25): number {
    const c0 = Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.#x0) / this.params.cellM)));
    const r0 = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.#y0) / this.params.cellM)));
    let best = -1;
    let bestD = Infinity;
    for (let ring = 0; ring <= maxRings && best < 0; ring++) {
      for (let r = r0 - ring; r <= r0 + ring; r++) {
        for (let c = c0 - ring; c <= c0 + ring; c++) {
          if (Math.max(Math.abs(r - r0), Math.abs(c - c0)) !== ring) continue;
          if (c < 0 || r < 0 || c >= this.cols || r >= this.rows) continue;
          const i = r * this.cols + c;
          if (!this.walkable[i]) continue;
          const d = Math.hypot(this.centreX(c) - x, this.centreY(r) - y);
          if (d < bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }

  /**
   * True when a disc of `clearance` can slide from a to b without touching a wall: sphere
   * tracing on the distance field, in steps no longer than the free distance allows.
   */
  lineOfSight(ax: number, ay: number, bx: number, by: number, clearance = this.params.clearanceM): boolean {
    const len = Math.hypot(bx - ax, by - ay);
    const minStep = this.caster.resolution / 2;
    let t = 0;
    for (;;) {
      const f = len > 0 ? t / len : 1;
      const free = this.caster.freeDistanceAt(ax + (bx - ax) * f, ay + (by - ay) * f);
      if (free < clearance) return false;
      if (t >= len) return true;
      t = Math.min(len, t + Math.max(minStep, free - clearance));
    }
  }

  /**
   * Waypoints from `from` to `to` (start excluded, `to` last when it is walkable, else the
   * nearest walkable point), or undefined when no walkable route joins them.
   */
  path(from: Point2, to: Point2): Point2[] | undefined {
    if (this.lineOfSight(from.x, from.y, to.x, to.y)) return [{ x: to.x, y: to.y }];
    const start = this.nearestWalkable(from.x, from.y);
    const goal = this.nearestWalkable(to.x, to.y);
    if (start < 0 || goal < 0 || this.component[start] !== this.component[goal]) return undefined;
    const cells = this.#astar(start, goal);
    if (!cells) return undefined;
    const points: Point2[] = cells.map((i) => ({
      x: this.centreX(i % this.cols),
      y: this.centreY(Math.floor(i / this.cols)),
    }));
    const goalExact = this.lineOfSight(
      points[points.length - 1]!.x,
      points[points.length - 1]!.y,
      to.x,
      to.y,
    );
    if (goalExact) points.push({ x: to.x, y: to.y });
    return this.#pull(from, points);
  }

  /**
   * A random walkable point in the same walkable area as (x, y), at least `minDistance` away
   * when one can be found in a few tries; undefined when (x, y) is nowhere walkable.
   */
  randomPointNear(rng: Rng, x: number, y: number, minDistance: number): Point2 | undefined {
    const here = this.nearestWalkable(x, y);
    if (here < 0) return undefined;
    const area = this.component[here]!;
    let fallback = -1;
    for (let tries = 0; tries < 400; tries++) {
      const i = rng.int(this.walkable.length);
      if (this.component[i] !== area) continue;
      const px = this.centreX(i % this.cols);
      const py = this.centreY(Math.floor(i / this.cols));
      if (Math.hypot(px - x, py - y) >= minDistance) return { x: px, y: py };
      fallback = i;
    }
    const i = fallback >= 0 ? fallback : here;
    return { x: this.centreX(i % this.cols), y: this.centreY(Math.floor(i / this.cols)) };
  }

  /**
   * The nearest place a person at `from` can walk to (within `reachM` of walking) that is clear of
   * `route` (the robot's way ahead) by `clearM`, centre to the route's line: where someone steps
   * to let the robot pass in a tight place (a door recess, the side of a lobby). The spot keeps
   * `standM` from every wall (default: a little room to stand in; a person's radius and a hair
   * when pressing flat against a wall). With `keepOff`, the walk there never comes within its
   * radius of its centre (nobody walks through the robot to get behind it). Undefined when there
   * is none.
   */
  spotOutOfTheWay(
    from: Point2,
    route: readonly Point2[],
    clearM: number,
    reachM = 5,
    standM = this.params.clearanceM + 0.1,
    keepOff?: { x: number; y: number; radiusM: number },
  ): Point2 | undefined {
    const here = this.nearestWalkable(from.x, from.y);
    if (here < 0 || route.length === 0) return undefined;
    const cell = this.params.cellM;
    const rings = Math.ceil(reachM / cell);
    const c0 = here % this.cols;
    const r0 = Math.floor(here / this.cols);
    const candidates: Array<{ i: number; d: number }> = [];
    for (let r = Math.max(0, r0 - rings); r <= Math.min(this.rows - 1, r0 + rings); r++) {
      for (let c = Math.max(0, c0 - rings); c <= Math.min(this.cols - 1, c0 + rings); c++) {
        const i = r * this.cols + c;
        if (!this.walkable[i] || this.component[i] !== this.component[here]) continue;
        const x = this.centreX(c);
        const y = this.centreY(r);
        const d = Math.hypot(x - from.x, y - from.y);
        // A little room to stand in (standM from any wall), unless told to press against one.
        if (d > reachM || this.caster.freeDistanceAt(x, y) < standM) continue;
        if (distanceToPolyline(x, y, route) < clearM) continue;
        candidates.push({ i, d });
      }
    }
    candidates.sort((a, b) => a.d - b.d);
    // The nearest by walking, not through a wall: check the few nearest as the crow flies.
    for (const { i } of candidates.slice(0, 12)) {
      const spot = { x: this.centreX(i % this.cols), y: this.centreY(Math.floor(i / this.cols)) };
      const way = this.path(from, spot);
      if (!way || polylineLength(from, way) > reachM * 1.5) continue;
      if (keepOff && distanceToPolyline(keepOff.x, keepOff.y, [from, ...way]) < keepOff.radiusM) continue;
      return spot;
    }
    return undefined;
  }

  #astar(start: number, goal: number): number[] | undefined {
    const cols = this.cols;
    const rows = this.rows;
    const gen = ++this.#generation;
    const g = this.#g;
    const parent = this.#parent;
    const seen = this.#seen;
    const closed = this.#closed;
    const nodes = this.#heapNodes;
    const keys = this.#heapKeys;
    nodes.length = 0;
    keys.length = 0;
    const gc = goal % cols;
    const gr = Math.floor(goal / cols);
    const h = (i: number) => {
      const dx = Math.abs((i % cols) - gc);
      const dy = Math.abs(Math.floor(i / cols) - gr);
      return Math.max(dx, dy) + (Math.SQRT2 - 1) * Math.min(dx, dy);
    };
    g[start] = 0;
    parent[start] = -1;
    seen[start] = gen;
    heapPush(nodes, keys, start, h(start));
    while (nodes.length > 0) {
      const i = heapPop(nodes, keys);
      if (closed[i] === gen) continue;
      closed[i] = gen;
      if (i === goal) break;
      const c = i % cols;
      const r = Math.floor(i / cols);
      for (const [dc, dr, cost] of NEIGHBOURS) {
        const nc = c + dc;
        const nr = r + dr;
        if (nc < 0 || nr < 0 || nc >= cols || nr >= rows) continue;
        const j = nr * cols + nc;
        if (!this.walkable[j] || closed[j] === gen) continue;
        // No corner cutting: a diagonal needs both side cells walkable.
        if (dc !== 0 && dr !== 0 && (!this.walkable[r * cols + nc] || !this.walkable[nr * cols + c]))
          continue;
        const gj = g[i]! + cost;
        if (seen[j] === gen && gj >= g[j]!) continue;
        seen[j] = gen;
        g[j] = gj;
        parent[j] = i;
        heapPush(nodes, keys, j, gj + HEURISTIC_WEIGHT * h(j));
      }
    }
    if (closed[goal] !== gen) return undefined;
    const cells: number[] = [];
    for (let i = goal; i !== -1; i = parent[i]!) cells.push(i);
    return cells.reverse();
  }

  /** Greedy string pulling: keep a waypoint only where the straight line to the next one fails. */
  #pull(from: Point2, points: Point2[]): Point2[] {
    const out: Point2[] = [];
    let anchor = from;
    let i = 0;
    while (i < points.length) {
      let j = i;
      while (
        j + 1 < points.length &&
        this.lineOfSight(anchor.x, anchor.y, points[j + 1]!.x, points[j + 1]!.y)
      )
        j++;
      out.push(points[j]!);
      anchor = points[j]!;
      i = j + 1;
    }
    return out;
  }
}

/** Distance from (x, y) to the nearest point of a polyline (a single point counts). */
export function distanceToPolyline(x: number, y: number, line: readonly Point2[]): number {
  if (line.length === 1) return Math.hypot(x - line[0]!.x, y - line[0]!.y);
  let best = Infinity;
  for (let k = 0; k + 1 < line.length; k++) {
    const a = line[k]!;
    const b = line[k + 1]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - a.x) * dx + (y - a.y) * dy) / len2)) : 0;
    best = Math.min(best, Math.hypot(x - a.x - t * dx, y - a.y - t * dy));
  }
  return best;
}

function polylineLength(from: Point2, way: readonly Point2[]): number {
  let length = 0;
  let prev = from;
  for (const p of way) {
    length += Math.hypot(p.x - prev.x, p.y - prev.y);
    prev = p;
  }
  return length;
}

/** 4-connected labels (A* forbids corner cutting, so 4-connectivity is what it can reach). */
function labelComponents(walkable: Uint8Array, cols: number, rows: number): Int32Array {
  const label = new Int32Array(walkable.length).fill(-1);
  const stack = new Int32Array(walkable.length);
  let next = 0;
  for (let s = 0; s < walkable.length; s++) {
    if (!walkable[s] || label[s]! >= 0) continue;
    let top = 0;
    stack[top++] = s;
    label[s] = next;
    while (top > 0) {
      const i = stack[--top]!;
      const c = i % cols;
      const r = (i - c) / cols;
      for (let k = 0; k < 4; k++) {
        const nc = c + (k === 0 ? 1 : k === 1 ? -1 : 0);
        const nr = r + (k === 2 ? 1 : k === 3 ? -1 : 0);
        if (nc < 0 || nr < 0 || nc >= cols || nr >= rows) continue;
        const j = nr * cols + nc;
        if (walkable[j] && label[j]! < 0) {
          label[j] = next;
          stack[top++] = j;
        }
      }
    }
    next++;
  }
  return label;
}

function heapPush(nodes: number[], keys: number[], node: number, key: number): void {
  let i = nodes.length;
  nodes.push(node);
  keys.push(key);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (keys[p]! <= key) break;
    nodes[i] = nodes[p]!;
    keys[i] = keys[p]!;
    i = p;
  }
  nodes[i] = node;
  keys[i] = key;
}

function heapPop(nodes: number[], keys: number[]): number {
  const top = nodes[0]!;
  const lastNode = nodes.pop()!;
  const lastKey = keys.pop()!;
  const n = nodes.length;
  if (n > 0) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && keys[r]! < keys[l]! ? r : l;
      if (keys[c]! >= lastKey) break;
      nodes[i] = nodes[c]!;
      keys[i] = keys[c]!;
      i = c;
    }
    nodes[i] = lastNode;
    keys[i] = lastKey;
  }
  return top;
}
