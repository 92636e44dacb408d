import { describe, expect, it } from 'vitest';
import { SimBattery } from '../../sim/battery.js';
import { Rng } from '../../sim/rng.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../robot-description.js';
import {
  ChargeEstimator,
  PowerSupplyStatus,
  type BatteryReading,
  type ChargeEstimate,
} from './charge-estimator.js';
import { PACK_3S_CURVE, socFromOcv } from './ocv.js';

const S = 1_000_000_000n;
const at = (seconds: number) => BigInt(Math.round(seconds * 1e9));

/** The drive base's battery pin: the board's 10-bit ADC over 0–15 V (PROTOCOL.md §1). */
const ADC_STEP_V = 15 / 1024;

/**
 * A shift's worth of load steps: cruise at 1 m/s, turn on the spot, a slow stretch with a curve,
 * stand; then the dock's charger for an hour; then off again.
 */
function plan(t: number): { v: number; w: number; docked: boolean } {
  if (t >= 90 * 60 && t < 150 * 60) return { v: 0, w: 0, docked: true };
  const c = t % 60;
  if (c < 25) return { v: 1, w: 0, docked: false };
  if (c < 30) return { v: 0, w: 1.2, docked: false };
  if (c < 45) return { v: 0.6, w: 0.3, docked: false };
  return { v: 0, w: 0, docked: false };
}

interface Tracking {
  /** Largest |estimate − truth| after the first two minutes. */
  maxError: number;
  /** Readings where the estimate's charging differed from the charger's, outside 2 s of a change. */
  chargingWrong: number;
  last: ChargeEstimate;
}

/**
 * The simulator's pack (sim/battery.ts) run through `plan` at 20 ms steps, the estimator fed noisy
 * odometry at 50 Hz and a reading a second: the current sensor's (current and status), or a bare
 * voltage divider's through the board's ADC (no current, status unknown).
 */
function track(source: 'current' | 'voltage', believed: RobotDescription, minutes: number): Tracking {
  const rng = new Rng(7);
  const pack = new SimBattery(DEFAULT_ROBOT, 0.9, rng.fork('battery'));
  const odometry = rng.fork('odometry');
  const estimator = new ChargeEstimator(believed);
  const dt = 0.02;
  let v = 0;
  let w = 0;
  let changedAt = 0;
  const result: Tracking = { maxError: 0, chargingWrong: 0, last: estimator.estimate };
  for (let i = 1; i <= (minutes * 60) / dt; i++) {
    const t = i * dt;
    const p = plan(t);
    if (p.docked !== plan(t - dt).docked) changedAt = t;
    const v0 = v;
    v += Math.max(-0.8 * dt, Math.min(0.8 * dt, p.v - v));
    w += Math.max(-2.5 * dt, Math.min(2.5 * dt, p.w - w));
    pack.step(dt, { v, w, accel: (v - v0) / dt }, p.docked);
    estimator.observeMotion(at(t), v + odometry.normal(0, 0.02), w + odometry.normal(0, 0.05));
    if (i % 50 !== 0) continue;
    const r = pack.reading();
    const reading: BatteryReading =
      source === 'current'
        ? r
        : {
            voltage: Math.round(r.voltage / ADC_STEP_V) * ADC_STEP_V,
            current: NaN,
            powerSupplyStatus: PowerSupplyStatus.UNKNOWN,
          };
    const e = estimator.observe(at(t), reading);
    expect(e.status).toBe('ok');
    if (t > 120) result.maxError = Math.max(result.maxError, Math.abs(e.charge - pack.charge));
    if (t - changedAt > 2 && e.charging !== p.docked) result.chargingWrong++;
    result.last = e;
  }
  return result;
}

/** DEFAULT_ROBOT as a badly calibrated robot believes it: R 25 % high, idle 13 % low, 5 kg heavier. */
const MISCALIBRATED: RobotDescription = {
  ...DEFAULT_ROBOT,
  battery: {
    ...DEFAULT_ROBOT.battery,
    internalResistanceOhm: 0.075,
    idleW: 26,
    motion: { ...DEFAULT_ROBOT.battery.motion, massKg: 40 },
  },
};

describe('the charge estimate from voltage under load', () => {
  for (const source of ['current', 'voltage'] as const) {
    it(`tracks the true charge within 2 % while driving and charging (${source} source, description right)`, () => {
      const r = track(source, DEFAULT_ROBOT, 160);
      expect(r.maxError).toBeLessThan(0.02);
      expect(r.chargingWrong).toBe(0);
      expect(r.last.charging).toBe(false); // off the dock again at the end
    });

    it(`stays within 10 % when the robot's description is off (${source} source)`, () => {
      const r = track(source, MISCALIBRATED, 160);
      expect(r.maxError).toBeLessThan(0.1);
      expect(r.maxError).toBeGreaterThan(0.02); // the miscalibration does show
      expect(r.chargingWrong).toBe(0);
    });
  }
});

/** An estimator at rest fed a steady 11.5 V once a second up to `seconds`. */
function steady(seconds: number, params = {}): { estimator: ChargeEstimator; last: ChargeEstimate } {
  const estimator = new ChargeEstimator(DEFAULT_ROBOT, params);
  let last = estimator.estimate;
  for (let t = 1; t <= seconds; t++) last = estimator.observe(at(t), volts(11.5));
  return { estimator, last };
}

function volts(voltage: number, current = NaN, status: number = PowerSupplyStatus.UNKNOWN): BatteryReading {
  return { voltage, current, powerSupplyStatus: status };
}

describe('bad battery readings', () => {
  it('has no charge before a reading, and says so', () => {
    const estimator = new ChargeEstimator(DEFAULT_ROBOT);
    const e = estimator.check(at(3));
    expect(e).toMatchObject({ status: 'no_reading', detail: 'no battery reading yet at 00:00:03' });
    expect(Number.isNaN(e.charge)).toBe(true);
  });

  it('starts from the first reading, compensated for the idle draw', () => {
    const { last } = steady(1);
    const sag = (30 / 11.5) * 0.06;
    expect(last.status).toBe('ok');
    expect(last.charge).toBeCloseTo(socFromOcv(PACK_3S_CURVE, 11.5 + sag), 9);
    expect(last.voltage).toBe(11.5);
  });

  it('calls NaN, infinite and negative readings invalid, names them and when, and holds the charge', () => {
    const { estimator, last } = steady(10);
    const bad: Array<[BatteryReading, string]> = [
      [volts(NaN), 'voltage NaN at 00:00:11'],
      [volts(-3), 'voltage -3 V at 00:00:12'],
      [volts(11.5, Infinity), 'current Infinity at 00:00:13'],
      [volts(Infinity), 'voltage Infinity at 00:00:14'],
    ];
    bad.forEach(([reading, detail], i) => {
      const e = estimator.observe(at(11 + i), reading);
      expect(e).toMatchObject({ status: 'invalid', detail, voltage: 11.5 });
      expect(e.charge).toBeCloseTo(last.charge, 4);
    });
    expect(estimator.observe(at(15), volts(11.5)).status).toBe('ok');
  });

  it('ignores a jump the load cannot explain, and goes on when the reading comes back', () => {
    const { estimator, last } = steady(10);
    const e = estimator.observe(at(11), volts(13.0));
    expect(e.status).toBe('jump');
    expect(e.detail).toMatch(
      /^voltage jumped from 11\.50 to 13\.00 V at 00:00:11, 0\.02 V of it the load's: ignored \(1 of 3/,
    );
    expect(e.charge).toBeCloseTo(last.charge, 4);
    expect(e.voltage).toBe(11.5);
    expect(estimator.observe(at(12), volts(11.5)).status).toBe('ok');
  });

  it('accepts a new level once three readings in a row agree on it', () => {
    const { estimator, last } = steady(10);
    expect([20, 21].map((t) => estimator.observe(at(t * 0.1 + 9), volts(10.6)).status)).toEqual([
      'jump',
      'jump',
    ]);
    const e = estimator.observe(at(11.2), volts(10.62));
    expect(e.status).toBe('ok');
    expect(e.detail).toMatch(
      /^voltage level moved from 11\.50 to 10\.62 V and held for 3 readings: accepted at 00:00:11/,
    );
    expect(e.charge).toBeLessThan(last.charge - 0.3);
    expect(e.charge).toBeCloseTo(socFromOcv(PACK_3S_CURVE, 10.62 + (30 / 10.62) * 0.06), 3);
  });

  it('takes a new level after silence at once: a swapped pack looks like that', () => {
    const { estimator } = steady(10);
    const e = estimator.observe(at(40), volts(12.4));
    expect(e.status).toBe('ok');
    expect(e.detail).toMatch(/^voltage moved from 11\.50 to 12\.40 V over 30 s of silence at 00:00:40/);
  });

  it('calls a reading frozen when it stays exactly the same for a minute while the load changes', () => {
    const estimator = new ChargeEstimator(DEFAULT_ROBOT);
    const statuses: string[] = [];
    for (let t = 1; t <= 70; t++) {
      // Driving at 1 m/s for 10 s, standing for 10 s, …: the load swings by 17 W.
      const v = Math.floor(t / 10) % 2 === 0 ? 1 : 0;
      for (let k = 0; k < 50; k++) estimator.observeMotion(at(t - 1 + k / 50), v, 0);
      statuses.push(estimator.observe(at(t), volts(11.5)).status);
    }
    expect(statuses.indexOf('frozen')).toBe(60); // the 61st reading: 60 s after the first
    expect(statuses.slice(0, 60).every((s) => s === 'ok')).toBe(true);
    expect(estimator.estimate.detail).toMatch(
      /^voltage stuck at 11\.500 V since 00:00:01 while the load moved it by 0\.\d\d V \(at 00:01:10\)$/,
    );
    expect(estimator.observe(at(71), volts(11.49)).status).toBe('ok');
  });

  it('does not call a still reading frozen while the robot stands (a filtered ADC sits still for minutes)', () => {
    expect(steady(300).last.status).toBe('ok');
  });

  it('says stale after 5 s without a reading, with when the last came', () => {
    const { estimator } = steady(10);
    expect(estimator.check(at(14.9)).status).toBe('ok');
    expect(estimator.check(at(15))).toMatchObject({
      status: 'stale',
      detail: 'no battery reading since 00:00:10',
    });
    expect(estimator.observe(at(16), volts(11.5)).status).toBe('ok');
  });

  it('writes its times in the time zone it is given', () => {
    const estimator = new ChargeEstimator(DEFAULT_ROBOT, { timeZone: 'Europe/Helsinki' });
    expect(estimator.observe(60n * S, volts(NaN)).detail).toBe('voltage NaN at 02:01:00');
  });
});

describe('charging', () => {
  it('believes the source’s status, then a measured current’s sign', () => {
    const e = new ChargeEstimator(DEFAULT_ROBOT);
    expect(e.observe(at(1), volts(11.2, NaN, PowerSupplyStatus.CHARGING)).charging).toBe(true);
    expect(e.observe(at(2), volts(11.9, NaN, PowerSupplyStatus.DISCHARGING)).charging).toBe(false);
    expect(e.observe(at(3), volts(11.9, 2)).charging).toBe(true);
    expect(e.observe(at(4), volts(11.3, -2.5)).charging).toBe(false);
  });

  it('infers it from a bare voltage rising above what the pack gives at rest, and its end from the fall', () => {
    const { estimator } = steady(10);
    // The charger's 9.5 A less the idle 2.6 A through 0.06 Ω: the contacts touch.
    const lifted = 11.5 + (30 / 11.5) * 0.06 + (9.52 - 30 / 11.9) * 0.06;
    expect(estimator.observe(at(11), volts(lifted)).charging).toBe(true);
    expect(estimator.observe(at(12), volts(lifted + 0.001)).charging).toBe(true);
    expect(estimator.observe(at(13), volts(11.5)).charging).toBe(false);
  });
});
