/**
 * The differential-drive base as the simulator sees it: the commanded twist, shaped by the
 * base's speed and acceleration limits and its firmware watchdog, moves the true pose along exact
 * arcs; the wheel encoders see that motion with a little slip, so odometry drifts slowly from the
 * truth, as a real base's does.
 */
import { normalizeAngle, type Pose2D } from '../src/ros/index.js';
import type { RobotDescription } from '../src/robot-description.js';
import type { Rng } from './rng.js';

export interface PlantParams {
  /** s without a command after which the base commands zero itself (as the firmware will). */
  watchdogS: number;
  /**
   * Per-wheel random slip, m per √m of wheel travel (a random walk, so the drift it causes does
   * not depend on the step size).
   */
  wheelSlipSd: number;
  /** Per-wheel scale error (worn or mis-measured wheel), drawn once per run: relative sd. */
  wheelScaleSd: number;
}

export const DEFAULT_PLANT_PARAMS: PlantParams = {
  watchdogS: 0.5,
  wheelSlipSd: 0.002,
  wheelScaleSd: 0.0005,
};

/**
 * Given the arc the plant wants to drive this step (from → to), returns the fraction of it
 * (0..1) the world lets it drive; less than 1 means the robot touched something and stops.
 */
export type MotionLimiter = (from: Pose2D, to: Pose2D) => number;

export interface Velocity {
  /** m/s */
  v: number;
  /** rad/s */
  w: number;
}

/** Wheel odometry gone wrong for a while: distances scaled, and a heading drift per metre driven. */
export interface OdometryFault {
  /** Measured distance = true distance × scale (1: right). */
  scale: number;
  /** rad of false turn per metre driven (0: none). */
  driftRadPerM: number;
}

/** Left and right wheel ground speeds right now, m/s (forward positive). */
export type WheelSpeedSource = () => { left: number; right: number };

export class DiffDrivePlant {
  readonly params: PlantParams;
  #timeS = 0;
  #lastCommandS = -Infinity;
  #cmdV = 0;
  #cmdW = 0;
  #v = 0;
  #w = 0;
  readonly #pose: Pose2D;
  readonly #odom: Pose2D = { x: 0, y: 0, yaw: 0 };
  readonly #scratch: Pose2D = { x: 0, y: 0, yaw: 0 };
  #odomV = 0;
  #odomW = 0;
  #accelV = 0;
  #accelW = 0;
  readonly #scaleLeft: number;
  readonly #scaleRight: number;
  #wheels: WheelSpeedSource | undefined;
  #odometryFault: OdometryFault | undefined;

  constructor(
    readonly robot: RobotDescription,
    start: Pose2D,
    private readonly rng: Rng,
    params: Partial<PlantParams> = {},
  ) {
    this.params = { ...DEFAULT_PLANT_PARAMS, ...params };
    this.#pose = { x: start.x, y: start.y, yaw: normalizeAngle(start.yaw) };
    this.#scaleLeft = 1 + rng.normal(0, this.params.wheelScaleSd);
    this.#scaleRight = 1 + rng.normal(0, this.params.wheelScaleSd);
  }

  /**
   * Drive the body from measured wheel speeds instead of the commanded twist: a drive base in
   * the loop (the emulated board's motors) decides how fast the wheels turn, acceleration and
   * watchdog included. `undefined` returns to the ideal base.
   */
  useWheelSpeeds(source: WheelSpeedSource | undefined): void {
    this.#wheels = source;
  }

  /**
   * Sets the true pose without the wheels turning (the robot lifted and carried): odometry does
   * not see it. A localisation fault for scenarios (a kidnap).
   */
  teleport(pose: Pose2D): void {
    this.#pose.x = pose.x;
    this.#pose.y = pose.y;
    this.#pose.yaw = normalizeAngle(pose.yaw);
  }

  /** Wheel odometry goes wrong (slipping wheels, a floor mat) until cleared with undefined. */
  setOdometryFault(fault: OdometryFault | undefined): void {
    this.#odometryFault = fault;
  }

  /** A velocity command (m/s, rad/s); non-finite values count as a stop. Feeds the watchdog. */
  setCommand(v: number, w: number): void {
    this.#cmdV = Number.isFinite(v) ? v : 0;
    this.#cmdW = Number.isFinite(w) ? w : 0;
    this.#lastCommandS = this.#timeS;
  }

  /** True while the watchdog holds the base at zero because commands stopped coming. */
  get watchdogTripped(): boolean {
    // A hair of slack so that 50 steps of 0.01 s still count as "0.5 s" despite rounding.
    return this.#timeS - this.#lastCommandS > this.params.watchdogS + 1e-9;
  }

  /** Advances by `dtS`; `limit` may cut the step short at a contact (linear speed drops to 0). */
  step(dtS: number, limit?: MotionLimiter): void {
    if (!(dtS > 0)) return;
    this.#timeS += dtS;
    const v0 = this.#v;
    const w0 = this.#w;
    if (this.#wheels) {
      const { left, right } = this.#wheels();
      this.#v = (left + right) / 2;
      this.#w = (right - left) / this.robot.wheelBase;
    } else {
      const target = this.#target();
      this.#v = approach(v0, target.v, this.robot.maxLinearAccel * dtS);
      this.#w = approach(w0, target.w, this.robot.maxAngularAccel * dtS);
    }
    // Speeds ramp linearly within the step, so the midpoint speeds give the travelled arc.
    let ds = 0.5 * (v0 + this.#v) * dtS;
    let dyaw = 0.5 * (w0 + this.#w) * dtS;
    if (ds === 0 && dyaw === 0) {
      this.#odomV = 0;
      this.#odomW = 0;
      this.#accelV = (this.#v - v0) / dtS;
      this.#accelW = (this.#w - w0) / dtS;
      return;
    }
    if (limit) {
      const to = arc(this.#pose, ds, dyaw, this.#scratch);
      const fraction = Math.min(1, Math.max(0, limit(this.#pose, to)));
      if (fraction < 1) {
        ds *= fraction;
        dyaw *= fraction;
        this.#v = 0;
      }
    }
    this.#accelV = (this.#v - v0) / dtS;
    this.#accelW = (this.#w - w0) / dtS;
    arc(this.#pose, ds, dyaw, this.#pose);
    this.#odometry(ds, dyaw, dtS);
  }

  /** True position and heading without a copy (hot loops). */
  get x(): number {
    return this.#pose.x;
  }
  get y(): number {
    return this.#pose.y;
  }
  get yaw(): number {
    return this.#pose.yaw;
  }
  /** True pose in the world (map) frame. */
  get pose(): Pose2D {
    return { ...this.#pose };
  }
  /** Pose by wheel odometry in the odom frame (identity where the plant started). */
  get odomPose(): Pose2D {
    return { ...this.#odom };
  }
  /** True body velocity. */
  get velocity(): Velocity {
    return { v: this.#v, w: this.#w };
  }
  /** True body acceleration over the last step (m/s², rad/s²): what the battery pays for. */
  get acceleration(): Velocity {
    return { v: this.#accelV, w: this.#accelW };
  }
  /** Body velocity as the encoders measured it over the last step. */
  get odomVelocity(): Velocity {
    return { v: this.#odomV, w: this.#odomW };
  }
  /** The command in force after limits and watchdog. */
  get effectiveCommand(): Velocity {
    return this.#target();
  }
  get timeS(): number {
    return this.#timeS;
  }

  #target(): Velocity {
    if (this.watchdogTripped) return { v: 0, w: 0 };
    const r = this.robot;
    return {
      v: clamp(this.#cmdV, -r.maxReverse, r.maxLinear),
      w: clamp(this.#cmdW, -r.maxAngular, r.maxAngular),
    };
  }

  /** What the encoders report for a driven arc: each wheel's travel with scale error and slip. */
  #odometry(ds: number, dyaw: number, dtS: number): void {
    const half = this.robot.wheelBase / 2;
    const left = ds - dyaw * half;
    const right = ds + dyaw * half;
    const slip = this.params.wheelSlipSd;
    const leftMeasured = left * this.#scaleLeft + this.rng.normal(0, slip * Math.sqrt(Math.abs(left)));
    const rightMeasured = right * this.#scaleRight + this.rng.normal(0, slip * Math.sqrt(Math.abs(right)));
    let dsMeasured = (leftMeasured + rightMeasured) / 2;
    let dyawMeasured = (rightMeasured - leftMeasured) / this.robot.wheelBase;
    const fault = this.#odometryFault;
    if (fault) {
      dyawMeasured += fault.driftRadPerM * Math.abs(dsMeasured);
      dsMeasured *= fault.scale;
    }
    arc(this.#odom, dsMeasured, dyawMeasured, this.#odom);
    this.#odomV = dsMeasured / dtS;
    this.#odomW = dyawMeasured / dtS;
  }
}

/**
 * Moves `from` along the arc of length `ds` that turns by `dyaw` (exact for a constant twist),
 * writing into `out` (which may be `from`) and returning it.
 */
export function arc(from: Pose2D, ds: number, dyaw: number, out: Pose2D): Pose2D {
  const half = dyaw / 2;
  // Chord length = ds · sin(half)/half; the series keeps it exact as the turn goes to zero.
  const sinc = Math.abs(half) < 1e-4 ? 1 - (half * half) / 6 : Math.sin(half) / half;
  const chord = ds * sinc;
  const heading = from.yaw + half;
  const x = from.x + chord * Math.cos(heading);
  const y = from.y + chord * Math.sin(heading);
  out.x = x;
  out.y = y;
  out.yaw = wrap(from.yaw + dyaw);
  return out;
}

function wrap(a: number): number {
  if (a > Math.PI) return a - 2 * Math.PI;
  if (a <= -Math.PI) return a + 2 * Math.PI;
  return a;
}

function approach(current: number, target: number, maxDelta: number): number {
  if (target > current) return Math.min(target, current + maxDelta);
  return Math.max(target, current - maxDelta);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
