/**
 * The battery's charge from its voltage under load (docs/battery.md). The resting voltage is
 * what tells the charge (ocv.ts), but the robot reads its battery while drawing current, which
 * sags the voltage by I·R: OCV ≈ V − I·R, I the measured current when the source has one
 * (BatteryState.current, NaN when not), else the load model's (idle plus driving at the
 * odometry's speed) over V. The estimate moves with the energy the model says was drawn between
 * readings and is pulled toward each reading's charge with a time constant, so one sagging or
 * noisy reading moves it little. Bad readings are normal and are named, never averaged in.
 */
import type { BatteryDescription, RobotDescription } from '../robot-description.js';
import { validateRobotDescription } from '../robot-description.js';
import { LoadTracker } from './load-tracker.js';
import { ocvFromSoc, packOcvCurve, socFromOcv, type OcvCurve } from './ocv.js';
import { chargerCurrentA, packOperatingPoint } from './pack-model.js';

export type ChargeStatus = 'ok' | 'no_reading' | 'invalid' | 'jump' | 'frozen' | 'stale';

export interface ChargeEstimate {
  /** 0..1; NaN until a reading was accepted. Held, not guessed, while the status is not 'ok'. */
  charge: number;
  /** Terminal voltage of the last accepted reading, V (NaN before one). */
  voltage: number;
  /** The charger is pushing current into the pack (the source says so, or it is inferred). */
  charging: boolean;
  status: ChargeStatus;
  /** What and when, for logs and operators: "voltage NaN at 12:01:03". */
  detail: string;
}

/** sensor_msgs/msg/BatteryState power_supply_status values. */
export const PowerSupplyStatus = {
  UNKNOWN: 0,
  CHARGING: 1,
  DISCHARGING: 2,
  NOT_CHARGING: 3,
  FULL: 4,
} as const;

/** What a battery source reports (a sensor_msgs/BatteryState's measured fields). */
export interface BatteryReading {
  /** Terminal voltage, V. */
  voltage: number;
  /** A, positive into the pack (ROS: negative while discharging); NaN when not measured. */
  current: number;
  /** PowerSupplyStatus; UNKNOWN when the source does not know (a bare voltage divider). */
  powerSupplyStatus: number;
}

export interface ChargeEstimatorParams {
  /**
   * s: how fast the estimate follows the readings. The charge itself moves with the model's
   * energy, so this only has to outlast the load model's misses (a start, a turn: a few s) and
   * the readings' noise; 60 s averages about 60 readings at 1 Hz.
   */
  correctionTauS: number;
  /**
   * V: a load-compensated reading this far from the last accepted one, ≤ jumpWindowS after the
   * reading before it, is a jump. A healthy pack's resting voltage moves a few mV in 2 s (150 W
   * for 2 s is 0.04 % of 200 Wh); what compensation can miss is a load misjudged by the whole
   * driving draw (~60 W: 0.3 V at 0.06 Ω) or the charger's lift before charging is recognised
   * (0.57 V). 0.8 V stands clear of both; raised to 1.4 × the charger's lift for a bigger one.
   */
  jumpV: number;
  /** s: readings further apart than this are not judged for a jump (nothing says how far it may move). */
  jumpWindowS: number;
  /** A new level is accepted after this many consecutive readings agree on it. */
  jumpConfirmReadings: number;
  /** V: readings within this of one another agree on a new level. */
  jumpAgreeV: number;
  /** s: exactly the same voltage this long while the load changed is a frozen reading. */
  frozenAfterS: number;
  /**
   * V: "while the load changed": the load's sag (I·R) ranged over at least this during the
   * frozen span, so a live sensor's reading would have moved by 3 or more steps of the board's
   * 14.6 mV ADC. At rest a filtered ADC reading may well sit still for minutes.
   */
  frozenSwingV: number;
  /** s: no reading at all for this long is stale. */
  staleAfterS: number;
  /**
   * V: without a current or a status, the pack is inferred to be charging when its terminal
   * voltage is this far above the resting voltage of the estimated charge (only a charger pushes
   * it there), and discharging when this far below; in between the last judgement stands.
   */
  restMarginV: number;
  /**
   * V: a terminal voltage within this of fullV, while charging, is the charger holding its
   * constant voltage: it says nothing about the charge, so the estimate runs on the model alone.
   */
  cvBandV: number;
  /** A: a measured current above this into the pack is charging (the status unknown). */
  chargingCurrentA: number;
  /** IANA time zone of the times in `detail`. */
  timeZone: string;
}

export const DEFAULT_CHARGE_ESTIMATOR_PARAMS: ChargeEstimatorParams = {
  correctionTauS: 60,
  jumpV: 0.8,
  jumpWindowS: 2,
  jumpConfirmReadings: 3,
  jumpAgreeV: 0.2,
  frozenAfterS: 60,
  frozenSwingV: 0.05,
  staleAfterS: 5,
  restMarginV: 0.1,
  cvBandV: 0.03,
  chargingCurrentA: 0.1,
  timeZone: 'UTC',
};

/** A reading against the last accepted one's level. */
type LevelVerdict = { verdict: 'same' } | { verdict: 'jump' | 'new_level'; detail: string };

/** A reading that passed the checks, with what the load model said at its instant. */
interface Judged {
  r: BatteryReading;
  atNs: bigint;
  /** Resting voltage if the pack were feeding the load (measured current, or the model's). */
  compensated: number;
  /** The instantaneous load, W. */
  loadW: number;
}

export class ChargeEstimator {
  readonly #b: BatteryDescription;
  readonly #curve: OcvCurve;
  readonly #p: ChargeEstimatorParams;
  readonly #load: LoadTracker;
  readonly #clock: Intl.DateTimeFormat;
  /** The charger's lift of the compensated voltage, V: its current through the pack's resistance. */
  readonly #chargeStepV: number;
  readonly #jumpV: number;
  #soc = NaN;
  #charging = false;
  #voltage = NaN;
  #status: ChargeStatus = 'no_reading';
  #detail = 'no battery reading yet';
  #lastReadingNs: bigint | undefined;
  #lastValidNs: bigint | undefined;
  #predictedNs: bigint | undefined;
  #correctedNs: bigint | undefined;
  /** The last accepted reading's load-compensated voltage and raw voltage. */
  #accepted: { compensated: number; voltage: number } | undefined;
  #candidate: { compensated: number; count: number } | undefined;
  #freeze: { voltage: number; sinceNs: bigint; sagMin: number; sagMax: number } | undefined;

  constructor(robot: RobotDescription, params: Partial<ChargeEstimatorParams> = {}) {
    validateRobotDescription(robot);
    this.#b = robot.battery;
    this.#curve = packOcvCurve(this.#b.emptyV, this.#b.fullV);
    this.#p = { ...DEFAULT_CHARGE_ESTIMATOR_PARAMS, ...params };
    this.#load = new LoadTracker(robot);
    this.#clock = new Intl.DateTimeFormat('en-GB', {
      timeZone: this.#p.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    const lift = chargerCurrentA(this.#b) * this.#b.internalResistanceOhm;
    this.#chargeStepV = lift / 2;
    this.#jumpV = Math.max(this.#p.jumpV, 1.4 * lift);
  }

  /** The odometry's body velocity (m/s, rad/s) at `stampNs`: the load model's input. */
  observeMotion(stampNs: bigint, v: number, w: number): void {
    this.#load.observe(stampNs, v, w);
  }

  /** A battery reading received at `stampNs` (node clock). */
  observe(stampNs: bigint, r: BatteryReading): ChargeEstimate {
    this.#lastReadingNs = stampNs;
    const problem = invalidReading(r);
    if (problem) return this.#set('invalid', `${problem} at ${this.#time(stampNs)}`);
    const gapS = this.#lastValidNs === undefined ? Infinity : seconds(stampNs - this.#lastValidNs);
    this.#lastValidNs = stampNs;
    const meanW = this.#load.takeMeanW(stampNs);
    const loadW = this.#load.loadW;
    const j: Judged = { r, atNs: stampNs, loadW, compensated: this.#compensated(r, loadW) };
    if (Number.isNaN(this.#soc)) return this.#seed(j, '');
    const level = this.#judgeLevel(j, gapS);
    if (level.verdict !== 'same') {
      this.#predict(stampNs, meanW, NaN);
      if (level.verdict === 'jump') return this.#set('jump', level.detail);
      return this.#seed(j, level.detail);
    }
    this.#charging = this.#judgeCharging(j, gapS);
    this.#predict(stampNs, meanW, r.current);
    this.#accepted = { compensated: j.compensated, voltage: r.voltage };
    this.#voltage = r.voltage;
    const frozen = this.#judgeFrozen(j);
    if (frozen) return this.#set('frozen', frozen);
    this.#correct(j);
    return this.#set('ok', this.#okDetail(j));
  }

  /** The node clock's tick with no reading (a timer): says 'stale' once readings stop. */
  check(stampNs: bigint): ChargeEstimate {
    if (this.#lastReadingNs === undefined) {
      return this.#set('no_reading', `no battery reading yet at ${this.#time(stampNs)}`);
    }
    if (seconds(stampNs - this.#lastReadingNs) >= this.#p.staleAfterS) {
      return this.#set('stale', `no battery reading since ${this.#time(this.#lastReadingNs)}`);
    }
    return this.#estimate();
  }

  get estimate(): ChargeEstimate {
    return this.#estimate();
  }

  // ---- judging a reading ---------------------------------------------------------------------

  /** Resting voltage if the pack feeds the load: V − I·R with the measured or the model's I. */
  #compensated(r: BatteryReading, loadW: number): number {
    const current = Number.isFinite(r.current) ? r.current : -loadW / r.voltage;
    return r.voltage - current * this.#b.internalResistanceOhm;
  }

  /**
   * Whether the reading is at the level of the last accepted one ('same'), a jump to ignore, or
   * a new level to start again from: one that enough readings in a row agree on, or one that
   * comes after silence (nothing says it is wrong, and a swapped pack looks like that).
   */
  #judgeLevel(j: Judged, gapS: number): LevelVerdict {
    const before = this.#accepted!;
    if (Math.abs(j.compensated - before.compensated) <= this.#jumpV) {
      this.#candidate = undefined;
      return { verdict: 'same' };
    }
    const when = this.#time(j.atNs);
    const move = `from ${before.voltage.toFixed(2)} to ${j.r.voltage.toFixed(2)} V`;
    if (gapS > this.#p.jumpWindowS) {
      const detail = `voltage moved ${move} over ${gapS.toFixed(0)} s of silence at ${when}`;
      return { verdict: 'new_level', detail };
    }
    const c = this.#candidate;
    const agrees = c !== undefined && Math.abs(j.compensated - c.compensated) <= this.#p.jumpAgreeV;
    this.#candidate = { compensated: j.compensated, count: agrees ? c.count + 1 : 1 };
    const n = this.#p.jumpConfirmReadings;
    if (this.#candidate.count >= n) {
      this.#candidate = undefined;
      const detail = `voltage level moved ${move} and held for ${n} readings: accepted at ${when}`;
      return { verdict: 'new_level', detail };
    }
    const loads = Math.abs(j.compensated - j.r.voltage - (before.compensated - before.voltage));
    const detail =
      `voltage jumped ${move} at ${when}, ${loads.toFixed(2)} V of it the load's: ignored ` +
      `(${this.#candidate.count} of ${n} readings to accept a new level)`;
    return { verdict: 'jump', detail };
  }

  /**
   * The source's status when it has one; else a measured current into the pack; else inferred
   * from the voltage: a step of the compensated voltage by half the charger's lift or more (the
   * contacts touching or parting); a voltage the charger held at fullV falling clearly below it
   * (parting in the constant-voltage phase, where the lift is small); or the terminal voltage
   * above (below) the resting voltage of the estimated charge by restMarginV.
   */
  #judgeCharging(j: Judged, gapS: number): boolean {
    const status = j.r.powerSupplyStatus;
    if (status === PowerSupplyStatus.CHARGING) return true;
    if (status !== PowerSupplyStatus.UNKNOWN) return false;
    if (Number.isFinite(j.r.current)) return j.r.current > this.#p.chargingCurrentA;
    if (gapS <= this.#p.jumpWindowS) {
      const before = this.#accepted!;
      const step = j.compensated - before.compensated;
      if (step >= this.#chargeStepV) return true;
      if (step <= -this.#chargeStepV) return false;
      // Held at fullV, then well below it: nothing but the charger held it there.
      const fullV = this.#b.fullV;
      const held = this.#charging && before.voltage >= fullV - this.#p.cvBandV;
      if (held && j.r.voltage < fullV - this.#p.cvBandV - this.#p.restMarginV) return false;
    }
    const rest = ocvFromSoc(this.#curve, this.#soc);
    if (j.r.voltage > rest + this.#p.restMarginV) return true;
    if (j.r.voltage < rest - this.#p.restMarginV) return false;
    return this.#charging;
  }

  /** Exactly the same voltage for frozenAfterS while the load's sag ranged over frozenSwingV: a detail, else ''. */
  #judgeFrozen(j: Judged): string {
    const sag = Math.abs(j.compensated - j.r.voltage);
    const f = this.#freeze;
    if (f === undefined || f.voltage !== j.r.voltage) {
      this.#freeze = { voltage: j.r.voltage, sinceNs: j.atNs, sagMin: sag, sagMax: sag };
      return '';
    }
    f.sagMin = Math.min(f.sagMin, sag);
    f.sagMax = Math.max(f.sagMax, sag);
    const swing = f.sagMax - f.sagMin;
    if (seconds(j.atNs - f.sinceNs) < this.#p.frozenAfterS || swing < this.#p.frozenSwingV) return '';
    return (
      `voltage stuck at ${f.voltage.toFixed(3)} V since ${this.#time(f.sinceNs)} while the load ` +
      `moved it by ${swing.toFixed(2)} V (at ${this.#time(j.atNs)})`
    );
  }

  // ---- the estimate --------------------------------------------------------------------------

  /** Starts the estimate from this reading alone (the first, or a new level: `why`). */
  #seed(j: Judged, why: string): ChargeEstimate {
    this.#candidate = undefined;
    this.#freeze = undefined;
    this.#judgeFrozen(j);
    this.#charging =
      j.r.powerSupplyStatus === PowerSupplyStatus.CHARGING ||
      (Number.isFinite(j.r.current) && j.r.current > this.#p.chargingCurrentA);
    this.#soc = socFromOcv(this.#curve, this.#restingVoltage(j));
    this.#predictedNs = j.atNs;
    this.#correctedNs = j.atNs;
    this.#accepted = { compensated: j.compensated, voltage: j.r.voltage };
    this.#voltage = j.r.voltage;
    const detail = this.#okDetail(j);
    return this.#set('ok', why === '' ? detail : `${why}; ${detail}`);
  }

  /**
   * The model's energy since the last prediction: the pack's current is the measured one when
   * there is one, else the model's operating point for the mean load, on the charger or not.
   */
  #predict(atNs: bigint, meanW: number, measuredA: number): void {
    const dtS = this.#predictedNs === undefined ? 0 : seconds(atNs - this.#predictedNs);
    this.#predictedNs = atNs;
    if (!(dtS > 0)) return;
    const ocv = ocvFromSoc(this.#curve, this.#soc);
    const current = Number.isFinite(measuredA)
      ? measuredA
      : packOperatingPoint(this.#b, ocv, meanW, this.#charging).current;
    const wh = (ocv * current * dtS) / 3600;
    this.#soc = clamp01(this.#soc + wh / this.#b.capacityWh);
  }

  /**
   * Pulls the estimate toward this reading's charge, by 1 − e^(−Δt/τ); one reading after a gap
   * (silence, a frozen spell) counts for no more than staleAfterS of readings.
   */
  #correct(j: Judged): void {
    const dtS = Math.min(seconds(j.atNs - this.#correctedNs!), this.#p.staleAfterS);
    const resting = this.#restingVoltage(j);
    if (Number.isNaN(resting) || !(dtS > 0)) return;
    this.#correctedNs = j.atNs;
    const gain = 1 - Math.exp(-dtS / this.#p.correctionTauS);
    this.#soc = clamp01(this.#soc + gain * (socFromOcv(this.#curve, resting) - this.#soc));
  }

  /**
   * The resting voltage this reading says, V: V − I·R with the measured current, or the model's
   * (on the charger: its constant current less the load's; off it: the load's). NaN while the
   * charger holds its constant voltage: the reading is the charger's, not the pack's.
   */
  #restingVoltage(j: Judged): number {
    const { voltage, current } = j.r;
    const r = this.#b.internalResistanceOhm;
    if (Number.isFinite(current)) return voltage - current * r;
    if (!this.#charging) return j.compensated;
    if (voltage >= this.#b.fullV - this.#p.cvBandV) return NaN;
    return voltage - (chargerCurrentA(this.#b) - j.loadW / voltage) * r;
  }

  #okDetail(j: Judged): string {
    const charging = this.#charging ? ', charging' : '';
    return (
      `${j.r.voltage.toFixed(2)} V at ${this.#time(j.atNs)}: charge ${(this.#soc * 100).toFixed(0)} % ` +
      `(resting ${ocvFromSoc(this.#curve, this.#soc).toFixed(2)} V${charging})`
    );
  }

  #set(status: ChargeStatus, detail: string): ChargeEstimate {
    this.#status = status;
    this.#detail = detail;
    return this.#estimate();
  }

  #estimate(): ChargeEstimate {
    return {
      charge: this.#soc,
      voltage: this.#voltage,
      charging: this.#charging,
      status: this.#status,
      detail: this.#detail,
    };
  }

  #time(ns: bigint): string {
    return this.#clock.format(new Date(Number(ns / 1_000_000n)));
  }
}

/** What is wrong with a reading that cannot be a battery's, or '' (a NaN current is "not measured"). */
function invalidReading(r: BatteryReading): string {
  if (!Number.isFinite(r.voltage)) return `voltage ${r.voltage}`;
  if (r.voltage <= 0) return `voltage ${r.voltage} V`;
  if (Number.isNaN(r.current)) return '';
  if (!Number.isFinite(r.current)) return `current ${r.current}`;
  return '';
}

function seconds(ns: bigint): number {
  return Number(ns) / 1e9;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
