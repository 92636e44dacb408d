/**
 * The console's battery line from /battery: the battery's own gauge when the message has one,
 * else the estimate from the voltage; charging or not; and when the charge is not to be trusted
 * (a bad health, a reading unusable for a while, the mission's battery_unreliable), saying why.
 */
import { describe, expect, it } from 'vitest';
import { ChargeEstimator, ocvFromSoc, packOcvCurve } from '../../power/index.js';
import { DEFAULT_ROBOT } from '../../robot/index.js';
import type { BatteryState } from '../../ros/index.js';
import { BatteryView, DOUBT_AFTER_S } from './battery.js';

const S = 1_000_000_000n;
const CURVE = packOcvCurve(DEFAULT_ROBOT.battery.emptyV, DEFAULT_ROBOT.battery.fullV);
const CHARGING = 1;
const DISCHARGING = 2;
const HEALTH_GOOD = 1;
const HEALTH_OVERHEAT = 2;

function message(over: Partial<BatteryState> = {}): BatteryState {
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'base_link' },
    voltage: ocvFromSoc(CURVE, 0.5),
    temperature: NaN,
    current: NaN,
    charge: NaN,
    capacity: 18.5,
    design_capacity: 18.5,
    percentage: NaN,
    power_supply_status: DISCHARGING,
    power_supply_health: HEALTH_GOOD,
    power_supply_technology: 2,
    present: true,
    cell_voltage: new Float32Array(0),
    cell_temperature: new Float32Array(0),
    location: 'base',
    serial_number: '',
    ...over,
  };
}

describe('BatteryView', () => {
  it('says nothing before a message, then the estimate from the voltage of a pack without a gauge', () => {
    const view = new BatteryView(DEFAULT_ROBOT, 'Europe/Helsinki');
    expect(view.view()).toBeNull();
    view.reading(10n * S, message());
    const b = view.view()!;
    expect(b).toMatchObject({
      source: 'estimate',
      charging: false,
      health: 'good',
      trusted: true,
      doubt: '',
    });
    // What the mission's own estimator (the same one, the same reading) makes of it.
    const mission = new ChargeEstimator(DEFAULT_ROBOT).observe(10n * S, {
      voltage: message().voltage,
      current: NaN,
      powerSupplyStatus: DISCHARGING,
    });
    expect(b.percentage).toBe(Math.round(mission.charge * 100));
    expect(b.percentage).toBeGreaterThan(40);
    expect(b.percentage).toBeLessThan(70);
  });

  it("takes the battery's own gauge when it has one, and says when it charges", () => {
    const view = new BatteryView(DEFAULT_ROBOT, 'UTC');
    view.reading(1n * S, message({ percentage: 0.42, power_supply_status: CHARGING }));
    expect(view.view()).toMatchObject({ percentage: 42, source: 'gauge', charging: true, trusted: true });
  });

  it('distrusts a health that is a fault at once, naming it', () => {
    const view = new BatteryView(DEFAULT_ROBOT, 'UTC');
    view.reading(1n * S, message({ power_supply_health: HEALTH_OVERHEAT }));
    expect(view.view()).toMatchObject({
      health: 'overheat',
      trusted: false,
      doubt: 'the battery reports its health as overheat',
    });
  });

  it('distrusts a reading unusable for a while (not at the first odd one), and trusts it again', () => {
    const view = new BatteryView(DEFAULT_ROBOT, 'UTC');
    view.reading(1n * S, message());
    view.reading(2n * S, message({ voltage: NaN }));
    // One odd reading: the held charge is still shown as it was.
    expect(view.view()).toMatchObject({ source: 'estimate', trusted: true });
    for (let t = 3n; t <= 2n + BigInt(DOUBT_AFTER_S); t++) view.reading(t * S, message({ voltage: NaN }));
    const b = view.view()!;
    expect(b.trusted).toBe(false);
    expect(b.doubt).toMatch(/^the battery reading is not usable \(.*NaN.*\)$/);
    expect(b.percentage).toBeGreaterThan(0);
    view.reading(20n * S, message());
    expect(view.view()!.trusted).toBe(true);
  });

  it('says a battery that stopped reporting is stale', () => {
    const view = new BatteryView(DEFAULT_ROBOT, 'UTC');
    view.reading(1n * S, message());
    view.check(7n * S);
    expect(view.view()!.trusted).toBe(true);
    view.check(13n * S);
    expect(view.view()).toMatchObject({ trusted: false });
    expect(view.view()!.doubt).toMatch(/^the battery has stopped reporting/);
  });

  it("distrusts the charge while the mission's reason is battery_unreliable", () => {
    const view = new BatteryView(DEFAULT_ROBOT, 'UTC');
    view.reading(1n * S, message());
    view.missionReason('battery_unreliable');
    expect(view.view()).toMatchObject({
      trusted: false,
      doubt: 'the robot does not trust its battery reading (battery_unreliable)',
    });
    view.missionReason('charged');
    expect(view.view()!.trusted).toBe(true);
  });
});
