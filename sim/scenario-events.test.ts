import { describe, expect, it } from 'vitest';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { EmbeddedContext, SimClock } from '../src/ros/index.js';
import type { LiveEvent } from '../src/telemetry/index.js';
import { EventSchedule } from './scenario-events.js';
import { roomMap, siteFor } from './test-support.js';
import { SimWorld } from './world.js';

describe('a battery fault event', () => {
  it('corrupts the battery reading for its duration, then puts it right; the pack is untouched', () => {
    const world = new SimWorld({
      site: siteFor(roomMap(8, 6)),
      robot: DEFAULT_ROBOT,
      seed: 1,
      robotStart: { x: 4, y: 3, yaw: 0 },
    });
    const node = new EmbeddedContext({ clock: new SimClock(0n) }).createNode('scenario');
    let t = 0;
    const events: LiveEvent[] = [];
    const schedule = new EventSchedule(
      [
        {
          time: { at: 1 },
          kind: 'battery_fault',
          fault: { kind: 'nan' },
          durationS: 2,
          where: 'test.yaml:4',
        },
      ],
      { node, world, now: () => t, emit: (e) => events.push(e) },
    );
    const readings: boolean[] = [];
    for (; t <= 4; t += 0.5) {
      schedule.step();
      world.step(0.5);
      readings.push(Number.isNaN(world.battery.reading().voltage));
    }
    expect(readings).toEqual([false, false, true, true, true, true, false, false, false]);
    expect(events.map((e) => ('what' in e ? e.what : e.kind))).toEqual([
      'battery reading reads NaN for 2 s',
      'battery reading right again',
    ]);
    expect(Number.isFinite(world.battery.voltage)).toBe(true);
  });
});
