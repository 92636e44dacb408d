/**
 * The battery as the console shows it: the charge (the battery's own gauge when its message has
 * one, else the robot's estimate from the voltage, by the same estimator the mission uses,
 * src/power), charging or not, and whether the charge can be trusted: the message's
 * power_supply_health, a reading that has been unusable for a while (not a number, frozen,
 * silent), or the mission's own word (reason battery_unreliable).
 */
import { ChargeEstimator, PowerSupplyStatus, type ChargeEstimate } from '../../power/index.js';
import type { RobotDescription } from '../../robot/index.js';
import type { BatteryState } from '../../ros/index.js';
import type { Battery } from '../protocol.js';

/** sensor_msgs/msg/BatteryState POWER_SUPPLY_HEALTH_* by value, in the words the pages get. */
export const HEALTH_WORDS = [
  'unknown',
  'good',
  'overheat',
  'dead',
  'overvoltage',
  'failure',
  'cold',
  'watchdog_timer_expire',
  'safety_timer_expire',
] as const;
/** Healths that are no fault: good, or a source that cannot tell (a bare voltage divider). */
const FINE_HEALTH: ReadonlySet<string> = new Set(['unknown', 'good']);
/** Estimates whose charge is a held one, not a measured one. */
const DOUBTFUL: Readonly<Record<string, string>> = {
  invalid: 'the battery reading is not usable',
  frozen: 'the battery reading is frozen',
  stale: 'the battery has stopped reporting',
};
/** A reading unusable this long (s) is said so (one odd reading is no fault; the mission waits too). */
export const DOUBT_AFTER_S = 5;
const NS_PER_S = 1_000_000_000n;

export class BatteryView {
  readonly #estimator: ChargeEstimator;
  #message: BatteryState | undefined;
  #estimate: ChargeEstimate | undefined;
  #badSinceNs: bigint | undefined;
  #badNow = false;
  #missionDoubts = false;

  constructor(robot: RobotDescription, timeZone: string) {
    this.#estimator = new ChargeEstimator(robot, { timeZone });
  }

  /** The odometry's body velocity: the estimator's load model. */
  motion(nowNs: bigint, v: number, w: number): void {
    if (Number.isFinite(v) && Number.isFinite(w)) this.#estimator.observeMotion(nowNs, v, w);
  }

  /** A /battery message received at `nowNs` (node clock). */
  reading(nowNs: bigint, msg: BatteryState): void {
    this.#message = msg;
    this.#judge(
      nowNs,
      this.#estimator.observe(nowNs, {
        voltage: msg.voltage,
        current: msg.current,
        powerSupplyStatus: msg.power_supply_status,
      }),
    );
  }

  /** The node clock's tick (1 Hz): a battery gone silent becomes stale. */
  check(nowNs: bigint): void {
    if (this.#message !== undefined) this.#judge(nowNs, this.#estimator.check(nowNs));
  }

  /** The mission's reason: battery_unreliable means the robot itself does not trust the reading. */
  missionReason(reason: string): void {
    this.#missionDoubts = reason === 'battery_unreliable';
  }

  #judge(nowNs: bigint, e: ChargeEstimate): void {
    this.#estimate = e;
    if (e.status in DOUBTFUL) this.#badSinceNs ??= nowNs;
    else this.#badSinceNs = undefined;
    this.#badNow =
      this.#badSinceNs !== undefined && nowNs - this.#badSinceNs >= BigInt(DOUBT_AFTER_S) * NS_PER_S;
  }

  /** What the pages show; null before any /battery message. */
  view(): Battery | null {
    const msg = this.#message;
    if (msg === undefined) return null;
    const e = this.#estimate;
    const gauge = Number.isFinite(msg.percentage) && msg.percentage >= 0 && msg.percentage <= 1;
    const estimate = e !== undefined && Number.isFinite(e.charge);
    const percentage = gauge ? Math.round(msg.percentage * 100) : estimate ? Math.round(e.charge * 100) : -1;
    const status = msg.power_supply_status;
    const charging =
      status === PowerSupplyStatus.CHARGING ||
      status === PowerSupplyStatus.FULL ||
      (status === PowerSupplyStatus.UNKNOWN && e?.charging === true);
    const health = HEALTH_WORDS[msg.power_supply_health] ?? 'unknown';
    const doubts: string[] = [];
    if (!FINE_HEALTH.has(health))
      doubts.push(`the battery reports its health as ${health.replaceAll('_', ' ')}`);
    if (this.#badNow && e)
      doubts.push(`${DOUBTFUL[e.status] ?? 'the battery reading is doubtful'} (${e.detail})`);
    if (this.#missionDoubts) doubts.push('the robot does not trust its battery reading (battery_unreliable)');
    return {
      percentage,
      source: gauge ? 'gauge' : estimate ? 'estimate' : 'none',
      voltage: Number.isFinite(msg.voltage) ? Math.round(msg.voltage * 100) / 100 : -1,
      charging,
      health,
      trusted: doubts.length === 0,
      doubt: doubts.join('; '),
    };
  }
}
