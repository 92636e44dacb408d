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

export class ObstacleLayer {
  /** Static map ⊕ observed obstacles: what planner and follower read. */
  readonly master: Costmap;
  /** Inflated marks only (0 where nothing was observed). */
  readonly overlay: Uint8Array;
  readonly #static: Costmap;
  readonly #params: ObstacleLayerParams;
  readonly #kernel: InflationKernel;
  /**
   * The marked cells, when each was last hit, and which are a person's body from /people (beams
   * pass their legs, so only time clears those).
   */
  readonly #marks = new LiveMarks();
  /** Cells marked or unmarked since the last rebuild. */
  #changed = new Int32Array(1024);
  #changedCount = 0;
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
        this.#noteChanged(cell);
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
          this.#noteChanged(cell);
          changed = true;
        }
      }
    }
    return changed ? this.#rebuild() : undefined;
  }

  #dropMark(slot: number): void {
    this.#noteChanged(this.#marks.cellAt(slot));
    this.#marks.removeAt(slot);
  }

  /** Forgets every mark (a recovery starts again from what the next scan shows). */
  clear(): CellBounds | undefined {
    const marks = this.#marks;
    if (marks.count === 0) return undefined;
    for (let i = 0; i < marks.count; i++) this.#noteChanged(marks.cellAt(i));
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
   * Brings the overlay and master up to date after marks came or went. Only the tiles around
   * marks that changed are cleared and restamped: people walking around the robot change a
   * few marks every scan, and a union box of all marks would span much of the floor.
   * Restamping a mark that also reaches an untouched tile is harmless (stamping takes the max).
   * Returns the box of cells whose master cost may have changed.
   */
  #rebuild(): CellBounds | undefined {
    const m = this.master;
    const w = m.width;
    const h = m.height;
    const k = this.#kernel;
    const tilesX = this.#tilesX;
    const dirty = this.#tileDirty;
    let dirtyCount = 0;
    let box: CellBounds | undefined;
    const flag = (cell: number) => {
      const c = cell % w;
      const r = (cell - c) / w;
      const t0x = Math.max(0, c - k.radiusCells) >> TILE_SHIFT;
      const t1x = Math.min(w - 1, c + k.radiusCells) >> TILE_SHIFT;
      const t0y = Math.max(0, r - k.radiusCells) >> TILE_SHIFT;
      const t1y = Math.min(h - 1, r + k.radiusCells) >> TILE_SHIFT;
      for (let ty = t0y; ty <= t1y; ty++)
        for (let tx = t0x; tx <= t1x; tx++) {
          const t = ty * tilesX + tx;
          if (dirty[t] === 0) {
            dirty[t] = 1;
            this.#dirtyTiles[dirtyCount++] = t;
          }
        }
    };
    for (let i = 0; i < this.#changedCount; i++) flag(this.#changed[i]!);
    this.#changedCount = 0;
    if (dirtyCount === 0) return undefined;

    const overlay = this.overlay;
    const master = m.costs;
    const base = this.#static.costs;
    const forEachDirtyRow = (fn: (from: number, to: number) => void) => {
      for (let i = 0; i < dirtyCount; i++) {
        const t = this.#dirtyTiles[i]!;
        const tx = t % tilesX;
        const ty = (t - tx) / tilesX;
        const c0 = tx << TILE_SHIFT;
        const c1 = Math.min(w, c0 + TILE);
        for (let r = ty << TILE_SHIFT, rEnd = Math.min(h, r + TILE); r < rEnd; r++)
          fn(r * w + c0, r * w + c1);
        const b = {
          minCol: c0,
          minRow: ty << TILE_SHIFT,
          maxCol: c1 - 1,
          maxRow: Math.min(h, (ty + 1) << TILE_SHIFT) - 1,
        };
        box = box ? union(box, b) : b;
      }
    };
    forEachDirtyRow((from, to) => overlay.fill(0, from, to));
    for (let i = 0; i < this.#marks.count; i++) {
      const cell = this.#marks.cellAt(i);
      const c = cell % w;
      const r = (cell - c) / w;
      if (this.#touchesDirtyTile(c, r)) stampKernel(overlay, w, h, c, r, k);
    }
    forEachDirtyRow((from, to) => {
      for (let j = from; j < to; j++) {
        const a = base[j]!;
        const o = overlay[j]!;
        master[j] = o > a ? o : a;
      }
    });
    for (let i = 0; i < dirtyCount; i++) dirty[this.#dirtyTiles[i]!] = 0;
    return box;
  }

  #touchesDirtyTile(c: number, r: number): boolean {
    const k = this.#kernel.radiusCells;
    const m = this.master;
    const t0x = Math.max(0, c - k) >> TILE_SHIFT;
    const t1x = Math.min(m.width - 1, c + k) >> TILE_SHIFT;
    const t0y = Math.max(0, r - k) >> TILE_SHIFT;
    const t1y = Math.min(m.height - 1, r + k) >> TILE_SHIFT;
    for (let ty = t0y; ty <= t1y; ty++)
      for (let tx = t0x; tx <= t1x; tx++) if (this.#tileDirty[ty * this.#tilesX + tx] === 1) return true;
    return false;
  }

  #noteChanged(cell: number): void {
    if (this.#changedCount === this.#changed.length) {
      const bigger = new Int32Array(this.#changed.length * 2);
      bigger.set(this.#changed);
      this.#changed = bigger;
    }
    this.#changed[this.#changedCount++] = cell;
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
