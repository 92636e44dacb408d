/**
 * The local obstacle layer: what the lidar sees that the map does not (a trolley in a corridor,
 * a queue, a person), marked into an overlay on the static costmap with Nav2-style inflation,
 * so the planner detours and the follower slows and checks its arc against it.
 *
 * - Marking: each scan hit within `obstacle_max_range` marks its cell, unless the map already
 *   has a wall there (a lethal cell within one cell: walls are the static map's job, and
 *   re-marking them every scan would cost time for nothing).
 * - Clearing: a mark is dropped when a beam passes through it (the beam towards it returns
 *   farther than the mark, or not at all): the person walked away. Done per mark, not per
 *   beam cell, so a scan costs O(beams + marks), not O(beams × range).
 * - Expiry: a mark the lidar could see but did not hit again for `obstacle_persistence`
 *   seconds (something nearer hides it) is dropped, so nothing seen once (people in /people
 *   included) becomes a permanent obstacle. A mark the lidar cannot see at all (out of range,
 *   or behind a wall of the map) is kept for `obstacle_memory` seconds instead: forgetting a
 *   blocked corridor the moment the robot turns the corner to detour would send it straight
 *   back (and round again).
 * - The overlay is rebuilt only when the set of marked cells changes, and only in the tiles
 *   around marks that came or went; `update` returns the box of those tiles so the planner can
 *   refresh its cached grid there (Nav2's updateBounds).
 */
import type { Costmap } from '../map/index.js';
import type { LaserScan, Pose2D } from '../ros/index.js';
import { normalizeAngle } from '../ros/index.js';
import type { CellBounds } from './types.js';
import { LiveMarks } from './live-marks.js';

export const OBSTACLE_LAYER_DEFAULTS = {
  /** Marks the lidar could see but no longer hits expire after this long, s. */
  obstacle_persistence: 3.0,
  /** Marks the lidar cannot see (out of range, behind a map wall) expire after this long, s. */
  obstacle_memory: 30.0,
  /** Hits farther than this are not marked, m. */
  obstacle_max_range: 3.5,
  /** Marks farther than this are not cleared by beams, m. */
  raytrace_max_range: 4.0,
  /** Inflation around marks, m (as the static costmap's inflation layer). */
  inflation_radius: 0.55,
  /** Exponential decay of the inflation ramp, 1/m (Nav2's cost_scaling_factor). */
  cost_scaling_factor: 3.0,
  /** A beam must return at least this much beyond a mark to clear it, m. */
  clearing_margin: 0.1,
  /**
   * A person's body around the legs the lidar sees, m: each person on /people is marked as a
   * ring this wide, since at the robot's height hips, arms and bags reach past the legs. 0: off.
   */
  person_radius: 0.25,
  /** A person's ring that /people no longer refreshes expires after this long, s. */
  person_persistence: 0.5,
};
export type ObstacleLayerParams = typeof OBSTACLE_LAYER_DEFAULTS;

/** Nav2 inflation cost at `distance` metres from an obstacle cell. */
export function inflationCost(distance: number, inscribedRadius: number, costScalingFactor: number): number {
  if (distance <= 0) return 254;
  if (distance <= inscribedRadius) return 253;
  return Math.floor(252 * Math.exp(-costScalingFactor * (distance - inscribedRadius)));
}

/** Cell offsets within `inflationRadius` and their costs, for stamping around a mark. */
export interface InflationKernel {
  dc: Int16Array;
  dr: Int16Array;
  cost: Uint8Array;
  radiusCells: number;
}

export function inflationKernel(
  resolution: number,
  inscribedRadius: number,
  inflationRadius: number,
  costScalingFactor: number,
): InflationKernel {
  const radiusCells = Math.max(0, Math.ceil(inflationRadius / resolution));
  const dc: number[] = [];
  const dr: number[] = [];
  const cost: number[] = [];
  for (let r = -radiusCells; r <= radiusCells; r++) {
    for (let c = -radiusCells; c <= radiusCells; c++) {
      const d = Math.hypot(c, r) * resolution;
      if (d > inflationRadius + 1e-9) continue;
      const v = inflationCost(d, inscribedRadius, costScalingFactor);
      if (v <= 0) continue;
      dc.push(c);
      dr.push(r);
      cost.push(v);
    }
  }
  return { dc: Int16Array.from(dc), dr: Int16Array.from(dr), cost: Uint8Array.from(cost), radiusCells };
}

/** Writes max(cell, kernel) around (col, row) into `out` (width × height), clipped to the grid. */
export function stampKernel(
  out: Uint8Array,
  width: number,
  height: number,
  col: number,
  row: number,
  k: InflationKernel,
): void {
  const inside =
    col - k.radiusCells >= 0 &&
    row - k.radiusCells >= 0 &&
    col + k.radiusCells < width &&
    row + k.radiusCells < height;
  const base = row * width + col;
  for (let i = 0; i < k.cost.length; i++) {
    if (!inside) {
      const c = col + k.dc[i]!;
      const r = row + k.dr[i]!;
      if (c < 0 || r < 0 || c >= width || r >= height) continue;
    }
    const idx = base + k.dr[i]! * width + k.dc[i]!;
    const v = k.cost[i]!;
    if (out[idx]! < v) out[idx] = v;
  }
}

/** Overlay tiles of 16 × 16 cells (0.8 m at 0.05 m/cell) are the unit of rebuilding. */
const TILE_SHIFT = 4;
const TILE = 1 << TILE_SHIFT;

/** The kernel as a square of costs (0 outside its radius), for stamping within a clip rectangle. */
interface DenseKernel {
  readonly side: number;
  readonly radiusCells: number;
  readonly cost: Uint8Array;
}

function denseKernel(k: InflationKernel): DenseKernel {
  const side = 2 * k.radiusCells + 1;
  const cost = new Uint8Array(side * side);
  for (let i = 0; i < k.cost.length; i++)
    cost[(k.dr[i]! + k.radiusCells) * side + k.dc[i]! + k.radiusCells] = k.cost[i]!;
  return { side, radiusCells: k.radiusCells, cost };
}

/**
 * Writes max(cell, kernel) around (col, row) into `out`, only within columns [c0, c1) and rows
 * [r0, r1) (the caller keeps those on the grid); into `also` as well when given.
 */
function stampWithin(
  out: Uint8Array,
  also: Uint8Array | undefined,
  width: number,
  col: number,
  row: number,
  k: DenseKernel,
  c0: number,
  r0: number,
  c1: number,
  r1: number,
): void {
  const R = k.radiusCells;
  const ca = Math.max(col - R, c0);
  const cb = Math.min(col + R + 1, c1);
  const ra = Math.max(row - R, r0);
  const rb = Math.min(row + R + 1, r1);
  const cost = k.cost;
  for (let r = ra; r < rb; r++) {
    let ki = (r - row + R) * k.side + (ca - col + R);
    for (let idx = r * width + ca, end = r * width + cb; idx < end; idx++, ki++) {
      const v = cost[ki]!;
      if (out[idx]! < v) out[idx] = v;
      if (also && also[idx]! < v) also[idx] = v;
    }
  }
}

/** A growable list of cell indices. */
class CellList {
  #cells = new Int32Array(256);
  count = 0;

  push(cell: number): void {
    if (this.count === this.#cells.length) {
      const bigger = new Int32Array(this.#cells.length * 2);
      bigger.set(this.#cells);
      this.#cells = bigger;
    }
    this.#cells[this.count++] = cell;
  }

  at(i: number): number {
    return this.#cells[i]!;
  }
}

export class ObstacleLayer {
  /** Static map ⊕ observed obstacles: what planner and follower read. */
  readonly master: Costmap;
  /** Inflated marks only (0 where nothing was observed). */
  readonly overlay: Uint8Array;
  readonly #static: Costmap;
  readonly #params: ObstacleLayerParams;
  readonly #kernel: InflationKernel;
  readonly #dense: DenseKernel;
  /**
   * The marked cells, when each was last hit, and which are a person's body from /people (beams
   * pass their legs, so only time clears those).
   */
  readonly #marks = new LiveMarks();
  /** Cells marked since the last rebuild. */
  readonly #added = new CellList();
  /** Cells unmarked since the last rebuild. */
  readonly #removed = new CellList();
  readonly #tilesX: number;
  readonly #tileDirty: Uint8Array;
  readonly #dirtyTiles: Int32Array;

  constructor(staticMap: Costmap, params: ObstacleLayerParams, inscribedRadius: number) {
    this.#static = staticMap;
    this.#params = params;
    this.master = staticMap.clone();
    this.overlay = new Uint8Array(staticMap.width * staticMap.height);
    this.#tilesX = Math.ceil(staticMap.width / TILE);
    const tiles = this.#tilesX * Math.ceil(staticMap.height / TILE);
    this.#tileDirty = new Uint8Array(tiles);
    this.#dirtyTiles = new Int32Array(tiles);
    this.#kernel = inflationKernel(
      staticMap.resolution,
      inscribedRadius,
      Math.max(params.inflation_radius, inscribedRadius),
      params.cost_scaling_factor,
    );
    this.#dense = denseKernel(this.#kernel);
  }

  get markCount(): number {
    return this.#marks.count;
  }

  /** The marked cells (row-major indices), a copy: for displays and tests. */
  marks(): Int32Array {
    return this.#marks.cells();
  }

  /** Overlay cost under a world point (0 outside the map: the static map says lethal there). */
  obstacleCostAt(x: number, y: number): number {
    const m = this.master;
    const c = m.col(x);
    const r = m.row(y);
    return m.inBounds(c, r) ? this.overlay[r * m.width + c]! : 0;
  }

  /**
   * Folds one scan in. `sensorPose` is the scan frame's pose in `map` at the scan; `now` is in
   * seconds. Returns the cells whose master cost may have changed, or undefined.
   */
  update(scan: LaserScan, sensorPose: Pose2D, now: number): CellBounds | undefined {
    const marks = this.#marks;
    const p = this.#params;
    const m = this.master;
    const w = m.width;
    const res = m.resolution;
    const n = scan.ranges.length;
    let changed = false;

    // Clear marks a beam passed through, and expire old ones.
    const maxClear2 = p.raytrace_max_range * p.raytrace_max_range;
    for (let i = 0; i < marks.count;) {
      const cell = marks.cellAt(i);
      const age = now - marks.seenAt(i);
      let visible = false;
      let drop = false;
      if (marks.isPerson(i)) {
        if (age > p.person_persistence) {
          this.#dropMark(i);
          changed = true;
        } else i++;
        continue;
      }
      const mx = m.originX + ((cell % w) + 0.5) * res - sensorPose.x;
      const my = m.originY + (Math.floor(cell / w) + 0.5) * res - sensorPose.y;
      const d2 = mx * mx + my * my;
      const beam = d2 <= maxClear2 && n > 0 ? beamToward(scan, Math.atan2(my, mx) - sensorPose.yaw) : -1;
      if (beam >= 0) {
        const r = scan.ranges[beam]!;
        const d = Math.sqrt(d2);
        if (r > scan.range_max)
          drop = d < scan.range_max; // no return: free all the way
        else if (r >= scan.range_min) {
          drop = r > d + p.clearing_margin;
          // Hidden behind a wall of the map, it is out of sight, not gone.
          visible = !(r < d - p.clearing_margin && this.#beamEndsOnWall(sensorPose, scan, beam, r));
        }
      }
      if (!drop) drop = age > (visible ? p.obstacle_persistence : p.obstacle_memory);
      if (drop) {
        this.#dropMark(i);
        changed = true;
      } else i++;
    }

    // Mark new hits.
    const maxMark = Math.min(p.obstacle_max_range, scan.range_max);
    for (let b = 0; b < n; b++) {
      const r = scan.ranges[b]!;
      if (!(r >= scan.range_min && r <= maxMark)) continue;
      const a = sensorPose.yaw + scan.angle_min + b * scan.angle_increment;
      const c = m.col(sensorPose.x + r * Math.cos(a));
      const row = m.row(sensorPose.y + r * Math.sin(a));
      if (!m.inBounds(c, row) || this.#nearStaticWall(c, row)) continue;
      const cell = row * w + c;
      if (marks.see(cell, now, false)) {
        this.#added.push(cell);
        changed = true;
      }
    }
    return changed ? this.#rebuild() : undefined;
  }

  /**
   * Marks each person (map frame, from /people) as a ring of `person_radius` around them, so the
   * planner and the path check keep the robot's footprint off their body, not only off the legs
   * the lidar sees. Rings last `person_persistence` unless a newer /people refreshes them.
   */
  markPeople(people: ReadonlyArray<{ x: number; y: number }>, now: number): CellBounds | undefined {
    const radius = this.#params.person_radius;
    if (!(radius > 0) || people.length === 0) return undefined;
    const m = this.master;
    const steps = Math.max(8, Math.ceil((2 * Math.PI * radius) / m.resolution));
    let changed = false;
    for (const person of people) {
      for (let k = 0; k < steps; k++) {
        const a = (2 * Math.PI * k) / steps;
        const c = m.col(person.x + radius * Math.cos(a));
        const r = m.row(person.y + radius * Math.sin(a));
        if (!m.inBounds(c, r) || this.#nearStaticWall(c, r)) continue;
        const cell = r * m.width + c;
        if (this.#marks.see(cell, now, true)) {
          this.#added.push(cell);
          changed = true;
        }
      }
    }
    return changed ? this.#rebuild() : undefined;
  }

  #dropMark(slot: number): void {
    this.#removed.push(this.#marks.cellAt(slot));
    this.#marks.removeAt(slot);
  }

  /** Forgets every mark (a recovery starts again from what the next scan shows). */
  clear(): CellBounds | undefined {
    const marks = this.#marks;
    if (marks.count === 0) return undefined;
    for (let i = 0; i < marks.count; i++) this.#removed.push(marks.cellAt(i));
    marks.clear();
    return this.#rebuild();
  }

  #beamEndsOnWall(sensorPose: Pose2D, scan: LaserScan, beam: number, r: number): boolean {
    const a = sensorPose.yaw + scan.angle_min + beam * scan.angle_increment;
    const m = this.master;
    return this.#nearStaticWall(m.col(sensorPose.x + r * Math.cos(a)), m.row(sensorPose.y + r * Math.sin(a)));
  }

  #nearStaticWall(c: number, r: number): boolean {
    const s = this.#static;
    for (let dr = -1; dr <= 1; dr++)
      for (let dc = -1; dc <= 1; dc++) if (s.costAt(c + dc, r + dr) >= 254) return true;
    return false;
  }

  /**
   * Brings the overlay and master up to date after marks came or went; returns the box of cells
   * whose master cost may have changed. A new mark only raises costs around it, so it is stamped
   * on top (overlay and master). A mark gone can lower them: the tiles around it are cleared and
   * restamped from every mark that reaches them, within those tiles only. Most rebuilds (a person
   * ring moving on) are mostly new marks, and people walking around the robot change a few marks
   * each scan, so this is far cheaper than restamping a union box of all marks.
   */
  #rebuild(): CellBounds | undefined {
    const removed = this.#removed;
    const added = this.#added;
    if (removed.count === 0 && added.count === 0) return undefined;
    const m = this.master;
    const w = m.width;
    const h = m.height;
    const R = this.#dense.radiusCells;
    let box = this.#restampAround(removed);
    for (let i = 0; i < added.count; i++) {
      const cell = added.at(i);
      // A mark added and dropped again before this rebuild (a clear) has nothing to stamp.
      if (this.#marks.slotOf(cell) < 0) continue;
      const c = cell % w;
      const r = (cell - c) / w;
      stampWithin(this.overlay, m.costs, w, c, r, this.#dense, 0, 0, w, h);
      const b = {
        minCol: Math.max(0, c - R),
        minRow: Math.max(0, r - R),
        maxCol: Math.min(w - 1, c + R),
        maxRow: Math.min(h - 1, r + R),
      };
      box = box ? union(box, b) : b;
    }
    removed.count = 0;
    added.count = 0;
    return box;
  }

  /**
   * Clears and restamps the tiles within the kernel's reach of the `removed` cells, from every
   * mark that reaches them, and sets master = max(static, overlay) there; returns their box.
   */
  #restampAround(removed: CellList): CellBounds | undefined {
    const m = this.master;
    const w = m.width;
    const h = m.height;
    const R = this.#dense.radiusCells;
    const tilesX = this.#tilesX;
    const dirty = this.#tileDirty;
    const dirtyTiles = this.#dirtyTiles;
    let dirtyCount = 0;
    for (let i = 0; i < removed.count; i++) {
      const cell = removed.at(i);
      const c = cell % w;
      const r = (cell - c) / w;
      for (
        let ty = Math.max(0, r - R) >> TILE_SHIFT, t1y = Math.min(h - 1, r + R) >> TILE_SHIFT;
        ty <= t1y;
        ty++
      )
        for (
          let tx = Math.max(0, c - R) >> TILE_SHIFT, t1x = Math.min(w - 1, c + R) >> TILE_SHIFT;
          tx <= t1x;
          tx++
        ) {
          const t = ty * tilesX + tx;
          if (dirty[t] === 0) {
            dirty[t] = 1;
            dirtyTiles[dirtyCount++] = t;
          }
        }
    }
    if (dirtyCount === 0) return undefined;

    const overlay = this.overlay;
    let box: CellBounds | undefined;
    for (let i = 0; i < dirtyCount; i++) {
      const b = this.#tileBox(dirtyTiles[i]!);
      for (let r = b.minRow; r <= b.maxRow; r++) overlay.fill(0, r * w + b.minCol, r * w + b.maxCol + 1);
      box = box ? union(box, b) : b;
    }
    const marks = this.#marks;
    for (let i = 0; i < marks.count; i++) {
      const cell = marks.cellAt(i);
      const c = cell % w;
      const r = (cell - c) / w;
      for (
        let ty = Math.max(0, r - R) >> TILE_SHIFT, t1y = Math.min(h - 1, r + R) >> TILE_SHIFT;
        ty <= t1y;
        ty++
      )
        for (
          let tx = Math.max(0, c - R) >> TILE_SHIFT, t1x = Math.min(w - 1, c + R) >> TILE_SHIFT;
          tx <= t1x;
          tx++
        ) {
          if (dirty[ty * tilesX + tx] === 0) continue;
          const c0 = tx << TILE_SHIFT;
          const r0 = ty << TILE_SHIFT;
          stampWithin(
            overlay,
            undefined,
            w,
            c,
            r,
            this.#dense,
            c0,
            r0,
            Math.min(w, c0 + TILE),
            Math.min(h, r0 + TILE),
          );
        }
    }
    const master = m.costs;
    const base = this.#static.costs;
    for (let i = 0; i < dirtyCount; i++) {
      const b = this.#tileBox(dirtyTiles[i]!);
      for (let r = b.minRow; r <= b.maxRow; r++) {
        for (let j = r * w + b.minCol, end = r * w + b.maxCol; j <= end; j++) {
          const a = base[j]!;
          const o = overlay[j]!;
          master[j] = o > a ? o : a;
        }
      }
      dirty[dirtyTiles[i]!] = 0;
    }
    return box;
  }

  /** The cells of overlay tile `t`, clipped to the grid. */
  #tileBox(t: number): CellBounds {
    const m = this.master;
    const tx = t % this.#tilesX;
    const ty = (t - tx) / this.#tilesX;
    const minCol = tx << TILE_SHIFT;
    const minRow = ty << TILE_SHIFT;
    return {
      minCol,
      minRow,
      maxCol: Math.min(m.width, minCol + TILE) - 1,
      maxRow: Math.min(m.height, minRow + TILE) - 1,
    };
  }
}

/** Index of the beam nearest to `bearing` (rad, in the scan frame), or −1 when no beam looks there. */
export function beamToward(scan: LaserScan, bearing: number): number {
  const n = scan.ranges.length;
  const inc = scan.angle_increment;
  if (n === 0 || !(inc > 0)) return -1;
  let rel = normalizeAngle(bearing - scan.angle_min);
  if (rel < 0) rel += 2 * Math.PI;
  const i = Math.round(rel / inc);
  if (i < n) return i;
  // A full-circle scan wraps around: past the last beam is the first one again.
  return n * inc >= 2 * Math.PI - inc / 2 && i - n < 1 ? 0 : -1;
}

function union(a: CellBounds, b: CellBounds): CellBounds {
  return {
    minCol: Math.min(a.minCol, b.minCol),
    minRow: Math.min(a.minRow, b.minRow),
    maxCol: Math.max(a.maxCol, b.maxCol),
    maxRow: Math.max(a.maxRow, b.maxRow),
  };
}
