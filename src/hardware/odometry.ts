/**
 * Differential-drive odometry from the board's cumulative wheel ticks: the pose in `odom` by
 * exact arc integration (constant curvature between readings, so the step size does not bias the
 * result), and the twist over the board's own clock (uptime_ms), so USB latency and host jitter
 * never show up as speed. Pure: no clock, no I/O.
 */
import { normalizeAngle, type Pose2D } from '../ros/index.js';
import type { DriveConfig } from './protocol.js';

export interface WheelGeometry {
  /** Counted encoder edges per metre of wheel travel. */
  ticksPerM: number;
  /** m between the wheels' contact points. */
  wheelBaseM: number;
}

export function geometryFromConfig(c: Pick<DriveConfig, 'ticksPerM' | 'wheelBaseMm'>): WheelGeometry {
  return { ticksPerM: c.ticksPerM, wheelBaseM: c.wheelBaseMm / 1000 };
}

/** Signed change between two int32 counter readings, right across the wrap at ±2³¹. */
export function tickDelta(now: number, before: number): number {
  return (now - before) | 0;
}

/** Change between two u32 millisecond readings, right across the wrap at 2³². */
export function uptimeDeltaMs(now: number, before: number): number {
  return (now - before) >>> 0;
}

/** sin(x)/x, with the series near 0 where the division loses precision. */
function sinc(x: number): number {
  return Math.abs(x) < 1e-4 ? 1 - (x * x) / 6 : Math.sin(x) / x;
}

/**
 * The pose after the left and right wheels travelled `dLeft`, `dRight` metres on one arc:
 * heading changes by (dRight − dLeft)/wheelBase, and the centre moves along the chord
 * ds·sinc(dθ/2) in the direction of the mean heading. Exact for constant curvature.
 */
export function integrateArc(p: Pose2D, dLeft: number, dRight: number, wheelBaseM: number): Pose2D {
  const ds = (dLeft + dRight) / 2;
  const dTheta = (dRight - dLeft) / wheelBaseM;
  const half = dTheta / 2;
  const chord = ds * sinc(half);
  return {
    x: p.x + chord * Math.cos(p.yaw + half),
    y: p.y + chord * Math.sin(p.yaw + half),
    yaw: normalizeAngle(p.yaw + dTheta),
  };
}

export interface OdometryEstimate {
  /** In `odom`. */
  pose: Pose2D;
  /** m/s forward, in base_link. */
  v: number;
  /** rad/s counter-clockwise. */
  w: number;
}

export interface WheelOdometryOptions {
  start?: Pose2D;
  /**
   * m/s. A tick change implying a wheel faster than this is a discontinuity (a board that reset,
   * a corrupt reading): the baseline moves, the pose does not. Default 5 (5× the robot's limit).
   */
  maxWheelSpeedMps?: number;
}

/** Counts wheel readings into a pose; call update() with every TELEMETRY's ticks and uptime. */
export class WheelOdometry {
  #geometry: WheelGeometry;
  #pose: Pose2D;
  #v = 0;
  #w = 0;
  #last: { left: number; right: number; uptimeMs: number } | undefined;
  #discontinuities = 0;
  readonly #maxWheelSpeed: number;

  constructor(geometry: WheelGeometry, options: WheelOdometryOptions = {}) {
    this.#geometry = { ...geometry };
    this.#pose = { ...(options.start ?? { x: 0, y: 0, yaw: 0 }) };
    this.#maxWheelSpeed = options.maxWheelSpeedMps ?? 5;
  }

  get geometry(): Readonly<WheelGeometry> {
    return this.#geometry;
  }

  /** The configuration in force changed: later ticks count with the new geometry. */
  setGeometry(g: WheelGeometry): void {
    this.#geometry = { ...g };
  }

  /** How many reading jumps (board restarts, corrupt readings) were not counted as motion. */
  get discontinuities(): number {
    return this.#discontinuities;
  }

  /** The next reading only sets the baseline (a new link: the board may have reset meanwhile). */
  rebaseline(): void {
    this.#last = undefined;
    this.#v = this.#w = 0;
  }

  estimate(): OdometryEstimate {
    return { pose: { ...this.#pose }, v: this.#v, w: this.#w };
  }

  update(leftTicks: number, rightTicks: number, uptimeMs: number): OdometryEstimate {
    const last = this.#last;
    this.#last = { left: leftTicks, right: rightTicks, uptimeMs };
    if (!last) return this.estimate();
    const dL = tickDelta(leftTicks, last.left) / this.#geometry.ticksPerM;
    const dR = tickDelta(rightTicks, last.right) / this.#geometry.ticksPerM;
    const dtMs = uptimeDeltaMs(uptimeMs, last.uptimeMs);
    // Uptime running backwards (read as a huge u32 step) means the board restarted and its
    // counters with it; a wheel outrunning the limit over at least one 20 ms period is no motion either.
    const implausible =
      Math.max(Math.abs(dL), Math.abs(dR)) > this.#maxWheelSpeed * Math.max(dtMs, 20) * 1e-3;
    if (dtMs >= 0x80000000 || implausible) {
      this.#discontinuities++;
      this.#v = this.#w = 0;
      return this.estimate();
    }
    this.#pose = integrateArc(this.#pose, dL, dR, this.#geometry.wheelBaseM);
    // Two frames with one uptime (a repeat) move nothing and say nothing new about speed.
    if (dtMs > 0) {
      const dt = dtMs / 1000;
      this.#v = (dL + dR) / 2 / dt;
      this.#w = (dR - dL) / this.#geometry.wheelBaseM / dt;
    }
    return this.estimate();
  }
}
