/**
 * From scan nodes to sensor_msgs/LaserScan. The device turns clockwise seen from above and
 * measures angles clockwise from its front, in degrees; ROS (REP-103) wants counter-clockwise
 * radians with x forward and y left, and ranges in metres. A revolution is the nodes from one
 * start flag (S) to the next; it is binned on a fixed angle grid (`beams` bins from angle_min =
 * -π), nearest return per bin. Bins say what REP-117 lets them: a range, +Infinity where the
 * device measured and saw nothing (distance 0, or beyond range_max), NaN where no measurement
 * fell at all (the device's samples are not on the grid: an A2 at 10 Hz gives 200 a turn for 360
 * bins), so an unmeasured bin never reads as free space to a costmap. Pure: time comes in with
 * the nodes.
 */
import type { LaserScan, TimeMsg } from '../../ros/index.js';
import { nodeAngleDeg, nodeDistanceMm, type ScanNode } from './protocol.js';

/** One full turn of the device, as received. */
export interface Revolution {
  /** Receive time of its first node (the one with the start flag), ns on the owner's clock. */
  startNs: bigint;
  /** Receive time of the next revolution's first node: where this one ended. */
  endNs: bigint;
  /** Degrees clockwise from the device's front. */
  angleDeg: Float64Array;
  /** mm; 0 = no return. */
  distanceMm: Float64Array;
  quality: Uint8Array;
}

export interface AssemblerStats {
  revolutions: number;
  /** Nodes before the first start flag (a partial turn) or thrown away by reset(). */
  nodesDropped: number;
  /** Turns abandoned for holding more nodes than a turn can (a device that stopped flagging starts). */
  overlong: number;
}

/** More nodes than this without a start flag is no turn (A2 at 4 kHz and 5 Hz gives 800). */
const MAX_NODES_PER_REVOLUTION = 8192;

/** Collects nodes into revolutions, split at the start flags. */
export class RevolutionAssembler {
  #angle = new Float64Array(1024);
  #distance = new Float64Array(1024);
  #quality = new Uint8Array(1024);
  #count = 0;
  #startNs: bigint | undefined;
  readonly #stats: AssemblerStats = { revolutions: 0, nodesDropped: 0, overlong: 0 };

  /** Adds a node received at `atNs`; returns the revolution it completed, if its start flag ended one. */
  push(node: ScanNode, atNs: bigint): Revolution | undefined {
    let done: Revolution | undefined;
    if (node.start) {
      if (this.#startNs !== undefined && this.#count > 0) done = this.#finish(atNs);
      this.#startNs = atNs;
      this.#count = 0;
    }
    if (this.#startNs === undefined) {
      this.#stats.nodesDropped++;
      return done;
    }
    if (this.#count === MAX_NODES_PER_REVOLUTION) {
      this.#stats.overlong++;
      this.#stats.nodesDropped += this.#count + 1;
      this.#startNs = undefined;
      this.#count = 0;
      return done;
    }
    if (this.#count === this.#angle.length) this.#grow();
    this.#angle[this.#count] = nodeAngleDeg(node);
    this.#distance[this.#count] = nodeDistanceMm(node);
    this.#quality[this.#count] = node.quality;
    this.#count++;
    return done;
  }

  /** Forgets the turn in progress (the device went quiet: its nodes must not join later ones). */
  reset(): void {
    this.#stats.nodesDropped += this.#count;
    this.#count = 0;
    this.#startNs = undefined;
  }

  /** Nodes of the turn in progress. */
  get pending(): number {
    return this.#count;
  }

  stats(): AssemblerStats {
    return { ...this.#stats };
  }

  #finish(endNs: bigint): Revolution {
    this.#stats.revolutions++;
    return {
      startNs: this.#startNs!,
      endNs,
      angleDeg: this.#angle.slice(0, this.#count),
      distanceMm: this.#distance.slice(0, this.#count),
      quality: this.#quality.slice(0, this.#count),
    };
  }

  #grow(): void {
    const n = this.#angle.length * 2;
    const angle = new Float64Array(n);
    const distance = new Float64Array(n);
    const quality = new Uint8Array(n);
    angle.set(this.#angle);
    distance.set(this.#distance);
    quality.set(this.#quality);
    this.#angle = angle;
    this.#distance = distance;
    this.#quality = quality;
  }
}

/** Where the scan is published and how it is binned. */
export interface ScanGeometry {
  /** Bins over 360°, angle_min = -π. */
  beams: number;
  /** m: the device's own limits; returns outside them are no returns. */
  rangeMin: number;
  rangeMax: number;
  /** The lidar's pose on the robot (in `frameId`): m, m, rad (counter-clockwise). */
  mountX: number;
  mountY: number;
  mountYaw: number;
  frameId: string;
}

const DEG = Math.PI / 180;
const TWO_PI = 2 * Math.PI;

/**
 * The revolution as a LaserScan in `frameId`, stamped at `stamp` (its first node's time).
 *
 * Each return is placed by its point in the scan frame: the device's clockwise angle θ becomes
 * the counter-clockwise -θ in the lidar's frame, the mount pose takes it to the scan frame, and
 * the point's bearing from the frame's origin picks the bin (nearest return wins). For a lidar
 * at the origin (any yaw) this is exact up to the bin width. For an off-centre lidar it is an
 * approximation: every point lands where it truly is, but a bin's ray from the origin is not the
 * ray the lidar swept, so "no return" (+Infinity) in a bin does not prove that ray free up to
 * range_max (a consumer clearing along rays clears a little too much near the robot; a no-return
 * is binned by its direction from a point 1 m out along the lidar's ray), and two returns that
 * the lidar saw apart may share a bin. range_min and range_max widen by the mount offset so that
 * no return the device measured is dropped by a consumer as out of range.
 *
 * scan_time is the turn's duration; time_increment is scan_time / beams, a nominal spacing (the
 * device sweeps clockwise from its front, so bin order is not measurement order).
 */
export function revolutionToScan(rev: Revolution, g: ScanGeometry, stamp: TimeMsg): LaserScan {
  const beams = g.beams;
  const increment = TWO_PI / beams;
  const angleMin = -Math.PI;
  const ranges = new Float32Array(beams).fill(NaN);
  const intensities = new Float32Array(beams);
  const cosYaw = Math.cos(g.mountYaw);
  const sinYaw = Math.sin(g.mountYaw);
  const minMm = g.rangeMin * 1000;
  const maxMm = g.rangeMax * 1000;
  for (let i = 0; i < rev.angleDeg.length; i++) {
    const mm = rev.distanceMm[i]!;
    if (mm > 0 && mm < minMm) continue; // nearer than the device can measure: not a measurement
    const noReturn = mm === 0 || mm > maxMm;
    const r = noReturn ? 1 : mm / 1000; // a no-return is placed along its ray, 1 m out
    const a = -rev.angleDeg[i]! * DEG; // clockwise degrees → counter-clockwise radians
    const lx = r * Math.cos(a);
    const ly = r * Math.sin(a);
    const x = g.mountX + cosYaw * lx - sinYaw * ly;
    const y = g.mountY + sinYaw * lx + cosYaw * ly;
    let bin = Math.round((Math.atan2(y, x) - angleMin) / increment) % beams;
    if (bin < 0) bin += beams;
    const held = ranges[bin]!;
    if (noReturn) {
      if (Number.isNaN(held)) ranges[bin] = Infinity;
      continue;
    }
    const range = Math.hypot(x, y);
    if (Number.isNaN(held) || range < held) {
      ranges[bin] = range;
      intensities[bin] = rev.quality[i]!;
    }
  }
  const offset = Math.hypot(g.mountX, g.mountY);
  const scanTime = Number(rev.endNs - rev.startNs) / 1e9;
  return {
    header: { stamp, frame_id: g.frameId },
    angle_min: angleMin,
    angle_max: angleMin + (beams - 1) * increment,
    angle_increment: increment,
    time_increment: scanTime / beams,
    scan_time: scanTime,
    range_min: Math.max(0, g.rangeMin - offset),
    range_max: g.rangeMax + offset,
    ranges,
    intensities,
  };
}
