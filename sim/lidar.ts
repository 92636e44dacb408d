/**
 * The 2D lidar: one ray per beam from the robot's centre. The static map is sphere traced on its
 * distance field (jump by the free distance while it is large, then walk cell by cell, so the
 * result is exactly the first blocked cell a cell-by-cell march would find); people and obstacles
 * are discs and boxes intersected analytically.
 */
import type { Pose2D } from '../src/ros/index.js';
import type { GridMap } from '../src/map/index.js';
import type { RobotDescription } from '../src/robot-description.js';
import { SimError } from './errors.js';
import type { Rng } from './rng.js';
import { rayBox, rayDisc, type Box, type Disc } from './shapes.js';

/**
 * Rays against the static map. A cell blocks when its distance-field value is 0 (an occupied or
 * unknown cell, as the distance transform defines it); outside the map blocks too (the map's
 * edge is a wall, as GridMap.valueAt has it).
 */
export class MapRayCaster {
  readonly width: number;
  readonly height: number;
  readonly resolution: number;
  readonly #x0: number;
  readonly #y0: number;
  readonly #x1: number;
  readonly #y1: number;
  readonly #invRes: number;
  /**
   * The field gives centre-to-centre distances; a point anywhere in a cell is within half a
   * diagonal of its centre, and so is the nearest point of the obstacle cell: free radius is
   * the field value less one cell diagonal.
   */
  readonly #margin: number;
  /**
   * The field again in whole cells, rounded down and capped at 255 (0 exactly on blocked
   * cells): a quarter of the memory, so the ray loop stays in cache. Free radius in cells is
   * this less one diagonal and one more cell for the rounding.
   */
  readonly #cells: Uint8Array;

  constructor(
    readonly map: GridMap,
    /** Metres from each cell to the nearest occupied or unknown cell, row-major like the map. */
    readonly distance: Float32Array,
  ) {
    if (distance.length !== map.width * map.height) {
      throw new SimError(
        'DISTANCE_FIELD_SIZE',
        'sim/lidar.ts MapRayCaster',
        `expected ${map.width}×${map.height} distances, found ${distance.length}`,
      );
    }
    this.width = map.width;
    this.height = map.height;
    this.resolution = map.resolution;
    this.#x0 = map.originX;
    this.#y0 = map.originY;
    this.#x1 = map.originX + map.width * map.resolution;
    this.#y1 = map.originY + map.height * map.resolution;
    this.#invRes = 1 / map.resolution;
    this.#margin = map.resolution * Math.SQRT2;
    this.#cells = new Uint8Array(distance.length);
    const perCell = 1 / map.resolution;
    for (let i = 0; i < distance.length; i++) {
      const d = distance[i]!;
      // The epsilon keeps √k·res from rounding to just under a whole cell in float32.
      this.#cells[i] = d <= 0 ? 0 : Math.max(1, Math.min(255, Math.floor(d * perCell + 1e-6)));
    }
  }

  /** True when the cell blocks (outside the map included). */
  blocked(col: number, row: number): boolean {
    if (col < 0 || row < 0 || col >= this.width || row >= this.height) return true;
    return this.#cells[row * this.width + col] === 0;
  }

  /**
   * A lower bound on the distance from (x, y) to the nearest blocked cell's edge (0 on or
   * outside the map's blocked cells).
   */
  freeDistanceAt(x: number, y: number): number {
    const col = Math.floor((x - this.#x0) * this.#invRes);
    const row = Math.floor((y - this.#y0) * this.#invRes);
    if (col < 0 || row < 0 || col >= this.width || row >= this.height) return 0;
    const d = this.distance[row * this.width + col]!;
    if (d <= 0) return 0;
    // Also bounded by the map's edge, which blocks.
    const edge = Math.min(x - this.#x0, this.#x1 - x, y - this.#y0, this.#y1 - y);
    return Math.max(0, Math.min(d - this.#margin, edge));
  }

  /**
   * Distance along the unit ray (ox, oy) + t·(dx, dy) to the first blocked cell's edge, or
   * Infinity when there is none within `maxRange`. 0 when the origin itself is blocked.
   */
  cast(ox: number, oy: number, rayX: number, rayY: number, maxRange: number): number {
    // A component of rounding size (cos(π) leaves sin(π) ≈ 1.2e-16) is none: on a cell boundary
    // it would flip the cell back and forth between the jump and the step below, for ever.
    const dx = Math.abs(rayX) < 1e-12 ? 0 : rayX;
    const dy = Math.abs(rayY) < 1e-12 ? 0 : rayY;
    const x0 = this.#x0;
    const y0 = this.#y0;
    const res = this.resolution;
    const invRes = this.#invRes;
    const w = this.width;
    const h = this.height;
    const cells = this.#cells;
    const marginCells = Math.SQRT2 + 1;
    if (!(ox >= x0 && ox < this.#x1 && oy >= y0 && oy < this.#y1)) return 0;

    let tExit = Infinity;
    if (dx > 0) tExit = (this.#x1 - ox) / dx;
    else if (dx < 0) tExit = (x0 - ox) / dx;
    if (dy > 0) tExit = Math.min(tExit, (this.#y1 - oy) / dy);
    else if (dy < 0) tExit = Math.min(tExit, (y0 - oy) / dy);
    const tEnd = Math.min(tExit, maxRange);

    const stepX = dx > 0 ? 1 : -1;
    const stepY = dy > 0 ? 1 : -1;
    const nextX = dx > 0 ? 1 : 0;
    const nextY = dy > 0 ? 1 : 0;
    const invDx = dx !== 0 ? 1 / dx : Infinity;
    const invDy = dy !== 0 ? 1 / dy : Infinity;
    let col = clampIndex(Math.floor((ox - x0) * invRes), w);
    let row = clampIndex(Math.floor((oy - y0) * invRes), h);
    let t = 0;
    for (;;) {
      const d = cells[row * w + col]!;
      if (d <= 0) return t <= maxRange ? t : Infinity;
      // Next cell boundary from the cell indices, not the point, so a step never stalls.
      const tx = dx !== 0 ? (x0 + (col + nextX) * res - ox) * invDx : Infinity;
      const ty = dy !== 0 ? (y0 + (row + nextY) * res - oy) * invDy : Infinity;
      // Both moves are safe; take the longer one. A jump only ever moves forward: a ray starting
      // on a cell edge and running along it finds that edge at t ≤ 0, and a negative jump past
      // it would walk the ray backwards and forwards for ever.
      const jump = (d - marginCells) * res;
      if (jump > 0 && t + jump > (tx < ty ? tx : ty)) {
        t += jump;
        if (t >= tEnd) break;
        col = clampIndex(Math.floor((ox + t * dx - x0) * invRes), w);
        row = clampIndex(Math.floor((oy + t * dy - y0) * invRes), h);
        continue;
      }
      if (tx < ty) {
        t = tx > t ? tx : t;
        col += stepX;
      } else {
        t = ty > t ? ty : t;
        row += stepY;
      }
      if (t >= tEnd || col < 0 || row < 0 || col >= w || row >= h) break;
    }
    return tExit <= maxRange ? tExit : Infinity;
  }
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** What the lidar sees besides the map: people and disc obstacles, box obstacles. */
export interface ScanScene {
  readonly discs: readonly Disc[];
  readonly boxes: readonly Box[];
}

export interface LidarParams {
  /** Gaussian range noise, m (sd). */
  rangeNoiseSd: number;
}
export const DEFAULT_LIDAR_PARAMS: LidarParams = { rangeNoiseSd: 0.01 };

export class Lidar {
  readonly beams: number;
  /** rad: beam 0 points backwards (-π), as sensor_msgs/LaserScan angle_min. */
  readonly angleMin = -Math.PI;
  readonly angleIncrement: number;
  readonly rangeMin: number;
  readonly rangeMax: number;
  readonly params: LidarParams;
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;
  readonly #nearDiscs: Disc[] = [];
  readonly #nearBoxes: Box[] = [];
  /** The static map seen from one pose, reused while the robot stands exactly there (see #walls). */
  readonly #walls: StandingWalls;

  constructor(
    readonly caster: MapRayCaster,
    spec: RobotDescription['lidar'],
    private readonly rng: Rng | undefined,
    params: Partial<LidarParams> = {},
  ) {
    this.params = { ...DEFAULT_LIDAR_PARAMS, ...params };
    this.beams = spec.beams;
    this.angleIncrement = (2 * Math.PI) / spec.beams;
    this.rangeMin = spec.rangeMin;
    this.rangeMax = spec.rangeMax;
    this.#cos = new Float64Array(this.beams);
    this.#sin = new Float64Array(this.beams);
    for (let i = 0; i < this.beams; i++) {
      const a = this.angleMin + i * this.angleIncrement;
      this.#cos[i] = Math.cos(a);
      this.#sin[i] = Math.sin(a);
    }
    this.#walls = new StandingWalls(this.beams);
  }

  /**
   * One scan from the sensor at `pose` (map frame; the lidar sits at the robot's centre).
   * Ranges in metres, Infinity where nothing lies within rangeMax.
   */
  scan(pose: Pose2D, scene: ScanScene, out: Float32Array = new Float32Array(this.beams)): Float32Array {
    const ox = pose.x;
    const oy = pose.y;
    const cy = Math.cos(pose.yaw);
    const sy = Math.sin(pose.yaw);
    const reach = this.rangeMax;
    const discs = this.#nearDiscs;
    const boxes = this.#nearBoxes;
    discs.length = 0;
    boxes.length = 0;
    for (const d of scene.discs) if (Math.hypot(d.x - ox, d.y - oy) - d.radius <= reach) discs.push(d);
    for (const b of scene.boxes) {
      const bx = ox < b.minX ? b.minX - ox : ox > b.maxX ? ox - b.maxX : 0;
      const by = oy < b.minY ? b.minY - oy : oy > b.maxY ? oy - b.maxY : 0;
      if (Math.hypot(bx, by) <= reach) boxes.push(b);
    }
    const sd = this.params.rangeNoiseSd;
    const walls = this.#walls.at(pose, this.caster, this.#cos, this.#sin, reach);
    for (let i = 0; i < this.beams; i++) {
      const ca = this.#cos[i]!;
      const sa = this.#sin[i]!;
      const dx = cy * ca - sy * sa;
      const dy = sy * ca + cy * sa;
      let nearest = Infinity;
      for (let k = 0; k < discs.length; k++) {
        const t = rayDisc(ox, oy, dx, dy, discs[k]!);
        if (t < nearest) nearest = t;
      }
      for (let k = 0; k < boxes.length; k++) {
        const t = rayBox(ox, oy, dx, dy, boxes[k]!);
        if (t < nearest) nearest = t;
      }
      const wall = walls ? walls[i]! : this.caster.cast(ox, oy, dx, dy, Math.min(reach, nearest));
      let r = wall < nearest ? wall : nearest;
      if (r <= reach && this.rng && sd > 0) r = Math.max(0, r + this.rng.normal(0, sd));
      out[i] = r <= reach ? r : Infinity;
    }
    return out;
  }
}

/**
 * The static map's distance along every beam from one pose, for a robot that stands still (on
 * its dock most of a day). A ray cast to the full range marches through the same cells as one
 * cut short at the nearest person or obstacle, so it finds the same wall whenever that is the
 * nearer; when it is not, the scan keeps the person's range either way: the scan is the same,
 * bit for bit. Filled on the second scan from the same pose, so a moving robot pays nothing.
 */
class StandingWalls {
  readonly #ranges: Float64Array;
  #x = NaN;
  #y = NaN;
  #yaw = NaN;
  #filled = false;

  constructor(beams: number) {
    this.#ranges = new Float64Array(beams);
  }

  /** The full-range wall distances from `pose`, or undefined on the first scan from it. */
  at(
    pose: Pose2D,
    caster: MapRayCaster,
    cos: Float64Array,
    sin: Float64Array,
    reach: number,
  ): Float64Array | undefined {
    if (pose.x !== this.#x || pose.y !== this.#y || pose.yaw !== this.#yaw) {
      this.#x = pose.x;
      this.#y = pose.y;
      this.#yaw = pose.yaw;
      this.#filled = false;
      return undefined;
    }
    if (!this.#filled) {
      const cy = Math.cos(pose.yaw);
      const sy = Math.sin(pose.yaw);
      for (let i = 0; i < this.#ranges.length; i++) {
        const dx = cy * cos[i]! - sy * sin[i]!;
        const dy = sy * cos[i]! + cy * sin[i]!;
        this.#ranges[i] = caster.cast(pose.x, pose.y, dx, dy, reach);
      }
      this.#filled = true;
    }
    return this.#ranges;
  }
}
