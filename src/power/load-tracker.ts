/**
 * The robot's electrical load as the odometry tells it: speed and turn rate from each /odom
 * message, acceleration from the smoothed speed, and the energy drawn between battery readings.
 * Without odometry the load is the idle draw alone.
 */
import type { RobotDescription } from '../robot-description.js';
import { AT_REST, loadW, type Motion } from './pack-model.js';

/**
 * Speed is smoothed over this, s, before it is differentiated: wheel odometry at 50 Hz jitters by
 * a few cm/s from tick to tick, and the jitter's derivative (m/s² of noise) would be taken for
 * acceleration. A real start to 1 m/s takes over a second, so 0.5 s keeps its shape.
 */
const SPEED_TAU_S = 0.5;
/** An odometry gap longer than this does not count as driving on at the last speed, s. */
const MAX_GAP_S = 0.5;

export class LoadTracker {
  readonly #robot: RobotDescription;
  #motion: Motion = AT_REST;
  #lastMotionNs: bigint | undefined;
  /** Energy drawn (J) and time (s) since the last take, up to #lastMotionNs. */
  #energyJ = 0;
  #timeS = 0;
  #takenNs: bigint | undefined;

  constructor(robot: RobotDescription) {
    this.#robot = robot;
  }

  /** The odometry's body velocity at `stampNs`; non-finite values are ignored. */
  observe(stampNs: bigint, v: number, w: number): void {
    if (!Number.isFinite(v) || !Number.isFinite(w)) return;
    if (this.#lastMotionNs === undefined) {
      this.#lastMotionNs = stampNs;
      this.#motion = { v, w, accel: 0 };
      return;
    }
    if (stampNs <= this.#lastMotionNs) return; // a repeat or out of order: nothing new
    const dtS = Number(stampNs - this.#lastMotionNs) / 1e9;
    this.#accumulate(Math.min(dtS, MAX_GAP_S));
    const alpha = 1 - Math.exp(-dtS / SPEED_TAU_S);
    const smoothed = this.#motion.v + alpha * (v - this.#motion.v);
    this.#motion = { v: smoothed, w, accel: (smoothed - this.#motion.v) / dtS };
    this.#lastMotionNs = stampNs;
  }

  /** The motion the load model sees now. */
  get motion(): Motion {
    return this.#motion;
  }

  /** Everything drawn right now, W. */
  get loadW(): number {
    return loadW(this.#robot, this.#motion);
  }

  /**
   * Mean draw since the last take (or `stampNs` minus nothing: the draw now, on the first take),
   * W; starts a new interval at `stampNs`.
   */
  takeMeanW(stampNs: bigint): number {
    const since = this.#takenNs;
    this.#takenNs = stampNs;
    if (this.#lastMotionNs !== undefined && stampNs > this.#lastMotionNs) {
      this.#accumulate(Math.min(Number(stampNs - this.#lastMotionNs) / 1e9, MAX_GAP_S));
      this.#lastMotionNs = stampNs;
    }
    const spanS = since === undefined ? 0 : Number(stampNs - since) / 1e9;
    const idle = this.#robot.battery.idleW;
    // Driving energy over the interval; the rest of it (an odometry gap) counts as idle.
    const mean = spanS > 0 ? idle + Math.max(0, this.#energyJ - idle * this.#timeS) / spanS : this.loadW;
    this.#energyJ = 0;
    this.#timeS = 0;
    return mean;
  }

  #accumulate(dtS: number): void {
    if (!(dtS > 0)) return;
    this.#energyJ += this.loadW * dtS;
    this.#timeS += dtS;
  }
}
