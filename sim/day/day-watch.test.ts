import { describe, expect, it } from 'vitest';
import { EmbeddedContext, SimClock, header } from '../../src/ros/index.js';
import { DayWatch } from './day-watch.js';

describe('the day watch', () => {
  it('books the open hours to in service or to what kept the robot out, from /guide/status', () => {
    const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
    const robot = ctx.createNode('guide_mission');
    const status = robot.createPublisher('medhjalparen_msgs/msg/GuideStatus', '/guide/status');
    let now = 0;
    // Open from 100 s to 1000 s of the run.
    const watch = new DayWatch(ctx.createNode('day_watch'), [{ fromS: 100, untilS: 1000 }], () => now);
    const say = (t: number, state: string, reason = '') => {
      now = t;
      status.publish({
        header: header('', robot.now()),
        state,
        request_id: '',
        destination_id: '',
        reason,
        why: '',
      });
      ctx.spinSome();
    };
    say(0, 'closed', 'centre_closed');
    say(100, 'idle');
    say(300, 'escorting');
    say(400, 'docking', 'battery_low');
    say(450, 'charging');
    say(650, 'idle', 'charged');
    say(1100, 'closed', 'centre_closed');
    const s = watch.summary();
    expect(s.openS).toBe(900);
    // 100–400 and 650–1000 in service; the way to the dock to charge and the charging out.
    expect(s.inServiceS).toBe(650);
    // Of which serving someone: the escort, 300–400 s.
    expect(s.busyS).toBe(100);
    expect(Object.fromEntries(s.outOfServiceS)).toEqual({ 'docking (battery_low)': 50, charging: 200 });
    expect(s.battery).toBeUndefined();
    expect(watch.state).toBe('closed');
  });

  it('keeps each request as the customers saw it: asked when, decided how and why', () => {
    const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
    const watch = new DayWatch(ctx.createNode('day_watch'), [], () => 0);
    watch.onEvent({ t: 5, kind: 'request', index: 0, text: 'kela' });
    watch.onEvent({ t: 9, kind: 'request', index: 1, text: 'passi' });
    watch.onEvent({
      t: 80,
      kind: 'done',
      index: 0,
      outcome: 'arrived',
      destination: 'kela',
      reason: 'asking',
    });
    watch.onEvent({
      t: 90,
      kind: 'done',
      index: 1,
      outcome: 'elsewhere',
      destination: '',
      reason: 'elsewhere',
    });
    // Asked back which desk, and then brought there: it went to plan.
    expect(watch.requests.get(0)).toEqual({ askedS: 5, outcome: 'arrived', reason: '' });
    expect(watch.requests.get(1)).toEqual({ askedS: 9, outcome: 'elsewhere', reason: 'elsewhere' });
  });

  it('adds up the way the robot drove and its lowest charge', () => {
    const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
    const battery = { charge: 0.9, energyDrawnWh: 0, energyChargedWh: 0, description: { capacityWh: 200 } };
    const watch = new DayWatch(ctx.createNode('day_watch'), [], () => 0, battery);
    watch.sample({ x: 0, y: 0 });
    battery.charge = 0.7;
    battery.energyDrawnWh = 40;
    watch.sample({ x: 3, y: 4 });
    battery.charge = 0.8;
    watch.sample({ x: 3, y: 5 });
    const s = watch.summary();
    expect(s.distanceM).toBe(6);
    expect(s.battery).toEqual({
      startCharge: 0.9,
      endCharge: 0.8,
      minCharge: 0.7,
      drawnWh: 40,
      chargedWh: 0,
      capacityWh: 200,
    });
  });
});
