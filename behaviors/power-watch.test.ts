import { describe, expect, it } from 'vitest';
import type { GuideStatus } from '../src/interfaces/index.js';
import { chargeForTrip } from '../src/power/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { EmbeddedContext, SimClock, TransformBuffer, header } from '../src/ros/index.js';
import type { GuideEvent } from './guide-mission.js';
import { watchPower } from './power-watch.js';

const SECOND_NS = 1_000_000_000n;
const KELA = { x: 40, y: 0, yaw: 0 };
const DOCK = { x: 0, y: 0, yaw: 0 };

function watching(state: string) {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const node = ctx.createNode('mission');
  const base = ctx.createNode('base');
  const battery = base.createPublisher('sensor_msgs/msg/BatteryState', '/battery');
  const tfPub = base.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
  const told: Array<Extract<GuideEvent, { type: 'POWER' }>> = [];
  const warnings: string[] = [];
  const status: GuideStatus = {
    header: header('', node.now()),
    state,
    request_id: 'r1',
    destination_id: 'kela',
    reason: '',
    why: '',
  };
  const log = node.getLogger();
  const warn = log.warn.bind(log);
  log.warn = (msg: string, fields?: Record<string, unknown>) => {
    warnings.push(msg);
    warn(msg, fields);
  };
  const watch = watchPower({
    node,
    site: { dock: DOCK, destinations: [{ id: 'kela', pose: KELA } as never] },
    robot: DEFAULT_ROBOT,
    tf: TransformBuffer.listen(node),
    params: { unreliableAfterS: 10, detourFactor: 1.3, walkingSpeedMps: 0.8 },
    status: () => status,
    send: (e) => {
      if (e.type === 'POWER') told.push(e);
    },
  });
  const robotAt = (x: number) =>
    tfPub.publish({
      transforms: [
        {
          header: header('map', base.now()),
          child_frame_id: 'base_link',
          transform: { translation: { x, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } },
        },
      ],
    });
  const reading = (voltage: number) =>
    battery.publish({
      header: header('base_link', base.now()),
      voltage,
      temperature: Number.NaN,
      current: Number.NaN,
      charge: Number.NaN,
      capacity: Number.NaN,
      design_capacity: Number.NaN,
      percentage: Number.NaN,
      power_supply_status: 2,
      power_supply_health: 0,
      power_supply_technology: 2,
      present: true,
      cell_voltage: new Float32Array(0),
      cell_temperature: new Float32Array(0),
      location: '',
      serial_number: '',
    });
  /** One reading a second for `seconds`. */
  const run = (seconds: number, voltage: () => number) => {
    for (let i = 0; i < seconds; i++) {
      reading(voltage());
      clock.advanceTo(clock.nowNs() + SECOND_NS);
      ctx.spinSome();
    }
  };
  return { told, warnings, run, robotAt, ctx, watch };
}

describe('watchPower', () => {
  it('tells a trusted charge, and an unreliable battery only after it has been bad a while', () => {
    const w = watching('idle');
    w.run(5, () => 12.0);
    const good = w.told.at(-1)!;
    expect(good.reliable).toBe(true);
    expect(good.charge).toBeGreaterThan(0.3);
    expect(good.charge).toBeLessThan(0.9);
    expect(good.tripCharge).toBeUndefined();
    // Not a number: held, and still trusted for a few seconds (one odd reading is no fault).
    w.run(5, () => Number.NaN);
    expect(w.told.at(-1)!.reliable).toBe(true);
    expect(w.told.at(-1)!.charge).toBeCloseTo(good.charge, 2);
    w.run(8, () => Number.NaN);
    expect(w.told.at(-1)!.reliable).toBe(false);
    expect(w.warnings).toEqual(['battery reading unreliable']);
    w.run(3, () => 12.0);
    expect(w.told.at(-1)!.reliable).toBe(true);
    w.watch.stop();
  });

  it('during an escort, tells what the rest of the trip and the way home would take', () => {
    const w = watching('escorting');
    w.robotAt(10);
    w.run(3, () => 12.0);
    const trip = w.told.at(-1)!.tripCharge!;
    // 30 m on to the desk at a walking pace, 40 m home at the robot's speed, 1.3 × for detours.
    const expected = chargeForTrip(DEFAULT_ROBOT.battery, 70 * 1.3, (30 * 1.3) / 0.8 + (40 * 1.3) / 1.0);
    expect(trip).toBeCloseTo(expected, 6);
    expect(trip).toBeGreaterThan(0);
    w.watch.stop();
  });

  it('tells nothing before a battery has reported at all', () => {
    const w = watching('idle');
    w.ctx.spinSome();
    expect(w.told).toEqual([]);
    w.watch.stop();
  });
});
