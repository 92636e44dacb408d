import { describe, expect, it } from 'vitest';
import { boardInTheLoop, builtFirmware } from '../firmware-bridge/emulator/in-the-loop.js';
import { AT_REST, PowerSupplyStatus } from '../src/power/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { EmbeddedContext, SimClock, type BatteryState, type Pose2D } from '../src/ros/index.js';
import { SimBattery } from './battery.js';
import { attachSimulator } from './sim-node.js';
import { SimulatorWorld } from './simulator-world.js';
import { roomMap, siteFor } from './test-support.js';
import { Rng } from './rng.js';
import { SimWorld } from './world.js';

const CAPACITY_WH = DEFAULT_ROBOT.battery.capacityWh;
const IDLE_W = DEFAULT_ROBOT.battery.idleW;
const R = DEFAULT_ROBOT.battery.internalResistanceOhm;

function pack(charge: number, seed = 1): SimBattery {
  return new SimBattery(DEFAULT_ROBOT, charge, new Rng(seed));
}

/** Steps `p` at rest for `hours` in 1 s steps; returns the heat in its resistance, Wh. */
function rest(p: SimBattery, hours: number, onContacts: boolean, each?: () => void): number {
  let heatWh = 0;
  for (let i = 0; i < hours * 3600; i++) {
    p.step(1, AT_REST, onContacts);
    heatWh += (p.current * p.current * R) / 3600;
    each?.();
  }
  return heatWh;
}

describe('the simulated pack', () => {
  it('drained by the idle load for N hours loses N × idleW Wh, plus its own resistive heat', () => {
    const p = pack(0.9);
    const hours = 3;
    const heatWh = rest(p, hours, false);
    const lostWh = (0.9 - p.charge) * CAPACITY_WH;
    expect(lostWh).toBeGreaterThan(hours * IDLE_W);
    expect(lostWh / (hours * IDLE_W + heatWh)).toBeCloseTo(1, 2); // within 1 %
    // The heat is what a 0.06 Ω pack makes of 2.6 A: 1.2–1.6 % of the load.
    expect(heatWh / (hours * IDLE_W)).toBeGreaterThan(0.012);
    expect(heatWh / (hours * IDLE_W)).toBeLessThan(0.016);
    expect(p.energyDrawnWh).toBeCloseTo(lostWh, 9);
    expect(p.energyChargedWh).toBe(0);
    expect(p.equivalentFullCycles).toBeCloseTo(lostWh / CAPACITY_WH, 9);
    expect(p.voltage).toBeCloseTo(p.reading().voltage, 1);
  });

  it('charges on the contacts, never past full, tapering at the charger’s constant voltage', () => {
    const p = pack(0.3);
    let most = 0;
    let highestV = 0;
    rest(p, 4, true, () => {
      most = Math.max(most, p.charge);
      highestV = Math.max(highestV, p.voltage);
    });
    expect(most).toBeLessThanOrEqual(1);
    expect(p.charge).toBeGreaterThan(0.99);
    expect(highestV).toBe(12.6);
    expect(p.current).toBeLessThan(p.capacityAh / 20); // tapered off: the charger's "full"
    expect(p.charging).toBe(false);
    expect(p.reading().powerSupplyStatus).toBe(PowerSupplyStatus.FULL);
    expect(p.energyChargedWh).toBeCloseTo((p.charge - 0.3) * CAPACITY_WH, 6);
  });

  it('charges at the constant current first: 0.3 to over 0.6 within the hour', () => {
    const p = pack(0.3);
    rest(p, 1, true);
    expect(p.charge).toBeGreaterThan(0.6);
    expect(p.charging).toBe(true);
    expect(p.reading().powerSupplyStatus).toBe(PowerSupplyStatus.CHARGING);
  });

  it('does not charge off the contacts', () => {
    const p = pack(0.3);
    rest(p, 0.5, false);
    expect(p.charge).toBeLessThan(0.3);
    expect(p.charging).toBe(false);
    expect(p.current).toBeLessThan(0);
  });

  it('corrupts the reading, never the pack: NaN, a jump, a freeze', () => {
    const honest = pack(0.8, 5);
    const faulty = pack(0.8, 5);
    const both = (seconds: number) => {
      for (let i = 0; i < seconds; i++) {
        honest.step(1, { v: 1, w: 0, accel: 0 }, false);
        faulty.step(1, { v: 1, w: 0, accel: 0 }, false);
      }
    };
    faulty.setReadingFault({ kind: 'nan' });
    expect(Number.isNaN(faulty.reading().voltage)).toBe(true);
    faulty.setReadingFault({ kind: 'jump', offsetV: -1.5 });
    expect(faulty.reading().voltage).toBeCloseTo(faulty.voltage - 1.5, 1);
    faulty.setReadingFault({ kind: 'freeze' });
    const frozen = faulty.reading();
    both(600);
    expect(faulty.reading()).toEqual(frozen);
    expect(faulty.voltage).toBeLessThan(frozen.voltage - 0.02); // the pack went on draining
    expect(faulty.charge).toBe(honest.charge);
    faulty.setReadingFault(undefined);
    expect(faulty.reading().voltage).toBeCloseTo(faulty.voltage, 1);
  });

  it('refuses a start charge outside 0..1', () => {
    expect(() => pack(1.2)).toThrow(/battery.startCharge: expected a charge 0..1, found 1.2/);
  });
});

const DOCK: Pose2D = { x: 1, y: 1, yaw: 0 };

function world(start: Pose2D, batteryStartCharge = 0.5): SimWorld {
  return new SimWorld({
    site: siteFor(roomMap(8, 6), DOCK),
    robot: DEFAULT_ROBOT,
    seed: 1,
    robotStart: start,
    batteryStartCharge,
  });
}

describe('the dock’s charging contacts in the simulated world', () => {
  it('touch within 5 cm and 0.1 rad of the dock pose, by the true pose', () => {
    expect(world(DOCK).onChargingContacts()).toBe(true);
    expect(world({ x: 1.03, y: 1.03, yaw: -0.09 }).onChargingContacts()).toBe(true);
    expect(world({ x: 1.06, y: 1, yaw: 0 }).onChargingContacts()).toBe(false);
    expect(world({ x: 1, y: 1, yaw: 0.12 }).onChargingContacts()).toBe(false);
  });

  it('charge the pack while the robot stands on them, and stop when it drives off', () => {
    const w = world(DOCK);
    for (let i = 0; i < 6000; i++) w.step(0.01);
    expect(w.battery.charging).toBe(true);
    expect(w.battery.charge).toBeGreaterThan(0.5);
    w.kidnap({ x: 3, y: 3, yaw: 0 });
    const before = w.battery.charge;
    for (let i = 0; i < 100; i++) w.step(0.01);
    expect(w.battery.charging).toBe(false);
    expect(w.battery.charge).toBeLessThan(before);
  });

  it('pays for driving: the same minute costs more on the move than standing', () => {
    const standing = world({ x: 4, y: 3, yaw: 0 });
    const driving = world({ x: 4, y: 3, yaw: 0 });
    for (let i = 0; i < 6000; i++) {
      driving.setCommand({ linear: { x: 0, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 1 } });
      standing.step(0.01);
      driving.step(0.01);
    }
    expect(driving.battery.energyDrawnWh).toBeGreaterThan(standing.battery.energyDrawnWh * 1.05);
  });

  it('starts at 0.9 unless told, and takes a reading fault on the sensor', () => {
    const w = new SimWorld({
      site: siteFor(roomMap(8, 6), DOCK),
      robot: DEFAULT_ROBOT,
      seed: 1,
      robotStart: { x: 4, y: 3, yaw: 0 },
    });
    expect(w.battery.charge).toBe(0.9);
    w.setBatteryReadingFault({ kind: 'jump', offsetV: 2 });
    expect(w.battery.reading().voltage).toBeGreaterThan(w.battery.voltage + 1.9);
    expect(() => w.setBatteryReadingFault({ kind: 'jump', offsetV: NaN })).toThrow(/battery_fault.jump/);
  });
});

describe('/battery from the simulator', () => {
  function rig(options: { battery?: 'sim' | 'external'; start?: Pose2D } = {}) {
    const clock = new SimClock(0n);
    const ctx = new EmbeddedContext({ clock });
    const w = world(options.start ?? { x: 4, y: 3, yaw: 0 });
    attachSimulator(ctx.createNode('simulator'), w, {
      ...(options.battery ? { battery: options.battery } : {}),
    });
    const got: Array<{ ms: number; msg: BatteryState }> = [];
    ctx
      .createNode('probe')
      .createSubscription('sensor_msgs/msg/BatteryState', '/battery', (msg) =>
        got.push({ ms: Number(clock.nowNs() / 1_000_000n), msg }),
      );
    const run = (seconds: number) => {
      for (let i = 0; i < seconds * 100; i++) {
        w.step(0.01);
        clock.advanceTo(clock.nowNs() + 10_000_000n);
        ctx.spinSome();
      }
    };
    return { w, got, run };
  }

  it('publishes at 1 Hz what a current sensor and a charger with a status line would: no charge, no percentage', () => {
    const r = rig();
    r.run(3);
    expect(r.got.map((g) => g.ms)).toEqual([1000, 2000, 3000]);
    const m = r.got.at(-1)!.msg;
    expect(m.voltage).toBeCloseTo(r.w.battery.voltage, 1);
    expect(m.current).toBeLessThan(-2); // discharging: negative, about 30 W / 11.4 V
    expect(m.power_supply_status).toBe(PowerSupplyStatus.DISCHARGING);
    expect([m.charge, m.percentage, m.temperature].every(Number.isNaN)).toBe(true);
    expect(m.capacity).toBeCloseTo(200 / 10.8, 9);
    expect(m.header.frame_id).toBe('base_link');
    expect(m.power_supply_technology).toBe(2); // Li-ion
  });

  it('says CHARGING on the dock', () => {
    const r = rig({ start: DOCK });
    r.run(2);
    expect(r.got.at(-1)!.msg.power_supply_status).toBe(PowerSupplyStatus.CHARGING);
    expect(r.got.at(-1)!.msg.current).toBeGreaterThan(5);
  });

  it('publishes none when a drive-base driver reports the battery', () => {
    const r = rig({ battery: 'external' });
    r.run(3);
    expect(r.got).toEqual([]);
  });
});

describe('the battery with the real firmware in the loop', () => {
  it('puts the pack on the board’s battery pin: the real driver’s /battery follows the pack', async () => {
    const hexPath = await builtFirmware();
    const site = siteFor(roomMap(8, 6), DOCK);
    const startNs = 0n;
    const board = await boardInTheLoop(startNs, { hexPath });
    const world = new SimulatorWorld({
      site,
      robot: DEFAULT_ROBOT,
      seed: 1,
      robotStart: DOCK,
      startNs,
      driveBase: board,
      batteryStartCharge: 0.5,
    });
    const ctx = new EmbeddedContext({ clock: world.clock });
    const started = await world.start(ctx);
    const got: Array<{ s: number; msg: BatteryState; packV: number }> = [];
    ctx
      .createNode('probe')
      .createSubscription('sensor_msgs/msg/BatteryState', '/battery', (msg) =>
        got.push({ s: world.elapsedS, msg, packV: world.physics.battery.voltage }),
      );
    const run = async (seconds: number) => {
      for (let i = 0; i < seconds * 100; i++) {
        world.step();
        ctx.spinSome();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    await run(2.5); // on the dock: charging lifts the voltage
    world.physics.kidnap({ x: 4, y: 3, yaw: 0 }); // carried off the contacts
    await run(2);
    await started.stop();
    // One /battery a second, the driver's own (a board measures no current): no second publisher.
    expect(got.map((g) => Math.round(g.s))).toEqual([1, 2, 3, 4]);
    expect(got.every((g) => Number.isNaN(g.msg.current))).toBe(true);
    // Within the board's ADC step (14.6 mV) and its filter of the pack's voltage.
    for (const g of got) expect(Math.abs(g.msg.voltage - g.packV)).toBeLessThan(0.03);
    expect(got[1]!.msg.voltage - got[3]!.msg.voltage).toBeGreaterThan(0.4); // the charger's lift, gone
  }, 60_000);
});
