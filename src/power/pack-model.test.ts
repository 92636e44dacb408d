import { describe, expect, it } from 'vitest';
import { DEFAULT_ROBOT } from '../robot-description.js';
import { AT_REST, chargerCurrentA, loadW, motionDrawW, packOperatingPoint } from './pack-model.js';
import { chargeForTrip } from './trip.js';

const BATTERY = DEFAULT_ROBOT.battery;
const B = DEFAULT_ROBOT.wheelBase;
/** Rolling resistance force of DEFAULT_ROBOT, N: 0.03 × 35 kg × 9.81. */
const ROLLING_N = 0.03 * 35 * 9.81;

describe('the load model', () => {
  it('draws the idle power at rest, and rolling resistance over efficiency when cruising', () => {
    expect(loadW(DEFAULT_ROBOT, AT_REST)).toBe(30);
    expect(motionDrawW(BATTERY, B, { v: 1, w: 0, accel: 0 })).toBeCloseTo(ROLLING_N / 0.6, 9);
    expect(motionDrawW(BATTERY, B, { v: -0.25, w: 0, accel: 0 })).toBeCloseTo((ROLLING_N * 0.25) / 0.6, 9);
  });

  it('pays m·a·v to speed up, nothing back when braking, and wheel travel to turn on the spot', () => {
    const cruise = motionDrawW(BATTERY, B, { v: 0.5, w: 0, accel: 0 });
    expect(motionDrawW(BATTERY, B, { v: 0.5, w: 0, accel: 0.8 }) - cruise).toBeCloseTo(
      (35 * 0.8 * 0.5) / 0.6,
      9,
    );
    expect(motionDrawW(BATTERY, B, { v: 0.5, w: 0, accel: -0.8 })).toBeCloseTo(cruise, 9);
    // On the spot at 1 rad/s each wheel rolls at 0.21 m/s.
    expect(motionDrawW(BATTERY, B, { v: 0, w: 1, accel: 0 })).toBeCloseTo((ROLLING_N * 0.21) / 0.6, 9);
  });
});

describe('the pack under load and on the charger', () => {
  it('sags by I·R while feeding the load, and the load gets exactly its power', () => {
    const p = packOperatingPoint(BATTERY, 11.4, 60, false);
    expect(p.current).toBeLessThan(0);
    expect(p.voltage).toBeCloseTo(11.4 + p.current * 0.06, 12);
    expect(-p.current * p.voltage).toBeCloseTo(60, 9);
  });

  it('charges at the constant current less the load, then holds fullV while the current tapers', () => {
    const cc = packOperatingPoint(BATTERY, 11.4, 30, true);
    expect(cc.current).toBeCloseTo(chargerCurrentA(BATTERY) - 30 / cc.voltage, 9);
    expect(cc.voltage).toBeCloseTo(11.4 + cc.current * 0.06, 12);
    const cv = packOperatingPoint(BATTERY, 12.5, 30, true);
    expect(cv.voltage).toBe(12.6);
    expect(cv.current).toBeCloseTo(0.1 / 0.06, 9);
    expect(packOperatingPoint(BATTERY, 12.6, 30, true).current).toBe(0);
  });

  it('gives what it can to a load beyond its reach: half its voltage', () => {
    expect(packOperatingPoint(BATTERY, 11, 1000, false).voltage).toBe(5.5);
  });
});

describe('chargeForTrip', () => {
  it('costs the idle draw for the time plus the pack’s heat when standing still', () => {
    const i = 30 / 10.8;
    expect(chargeForTrip(BATTERY, 0, 3600)).toBeCloseTo((30 + i * i * 0.06) / 200, 9);
  });

  it('costs more for a longer or slower trip, and an escort and return is a few percent', () => {
    const escort = chargeForTrip(BATTERY, 2 * 150, 2 * 300); // 150 m there and back, 5 min each way
    expect(escort).toBeGreaterThan(chargeForTrip(BATTERY, 0, 600));
    expect(escort).toBeLessThan(chargeForTrip(BATTERY, 400, 600));
    expect(escort).toBeLessThan(chargeForTrip(BATTERY, 300, 900));
    expect(escort).toBeGreaterThan(0.02);
    expect(escort).toBeLessThan(0.05);
  });

  it('refuses a trip it cannot cost', () => {
    expect(() => chargeForTrip(BATTERY, -1, 60)).toThrow(/distanceM: expected a finite number ≥ 0, found -1/);
    expect(() => chargeForTrip(BATTERY, 10, 0)).toThrow(/durationS: expected a finite number > 0, found 0/);
    expect(() => chargeForTrip(BATTERY, NaN, 60)).toThrow(/distanceM/);
  });
});
