import { describe, expect, it } from 'vitest';
import type { ChargeEstimate } from '../src/power/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { EmbeddedContext, SimClock, twist } from '../src/ros/index.js';
import { attachSimulator } from '../sim/sim-node.js';
import { roomMap, siteFor } from '../sim/test-support.js';
import { SimWorld } from '../sim/world.js';
import { watchBattery } from './battery-watch.js';

/** The simulator's world and node (ideal base: it publishes /odom and /battery) and the watch on a mission node. */
function rig() {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const world = new SimWorld({
    site: siteFor(roomMap(10, 8)),
    robot: DEFAULT_ROBOT,
    seed: 3,
    robotStart: { x: 5, y: 4, yaw: 0 },
    batteryStartCharge: 0.7,
  });
  const simulator = attachSimulator(ctx.createNode('simulator'), world);
  const told: Array<{ s: number; e: ChargeEstimate }> = [];
  const watch = watchBattery(ctx.createNode('mission'), DEFAULT_ROBOT, (e, stampNs) =>
    told.push({ s: Number(stampNs) / 1e9, e }),
  );
  const run = (seconds: number, each?: () => void) => {
    for (let i = 0; i < seconds * 100; i++) {
      each?.();
      world.step(0.01);
      clock.advanceTo(clock.nowNs() + 10_000_000n);
      ctx.spinSome();
    }
  };
  return { world, simulator, watch, told, run };
}

describe('watchBattery', () => {
  it('tells the charge estimate on every reading and every second, tracking the pack while the robot drives', () => {
    const r = rig();
    // Round and round at 0.6 m/s, stopping now and then: load steps.
    r.run(120, () => r.world.setCommand(twist(r.world.timeS % 20 < 15 ? 0.6 : 0, 0.8)));
    // A /battery reading and a timer tick each second.
    expect(r.told.filter((t) => t.s === 60).length).toBe(2);
    const last = r.told.at(-1)!.e;
    expect(last.status).toBe('ok');
    expect(last.charging).toBe(false);
    expect(Math.abs(last.charge - r.world.battery.charge)).toBeLessThan(0.02);
  });

  it('tells a bad reading with what and when, and a silent battery as stale', () => {
    const r = rig();
    r.run(10);
    r.world.setBatteryReadingFault({ kind: 'nan' });
    r.run(1);
    expect(r.told.at(-1)!.e).toMatchObject({ status: 'invalid', detail: 'voltage NaN at 00:00:11' });
    r.world.setBatteryReadingFault(undefined);
    r.run(1);
    expect(r.told.at(-1)!.e.status).toBe('ok');
    r.simulator.detach(); // the battery (and everything else) falls silent
    r.run(6);
    expect(r.told.at(-1)!.e).toMatchObject({ status: 'stale', detail: 'no battery reading since 00:00:12' });
  });

  it('tells nothing once stopped', () => {
    const r = rig();
    r.run(3);
    r.watch.stop();
    const count = r.told.length;
    r.run(3);
    expect(r.told.length).toBe(count);
  });
});
