import { describe, expect, it } from 'vitest';
import { EmbeddedContext, SimClock } from '../src/ros/index.js';
import { watchCentreHours } from './centre-hours-watch.js';
import type { GuideEvent } from './guide-mission.js';

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
const MINUTE_NS = 60_000_000_000n;
const weekday = [{ open: 8 * 60, close: 20 * 60 }];
const HOURS = {
  mon: weekday,
  tue: weekday,
  wed: weekday,
  thu: weekday,
  fri: weekday,
  sat: [{ open: 600, close: 960 }],
};

function watching(startIso: string) {
  const clock = new SimClock(at(startIso));
  const ctx = new EmbeddedContext({ clock });
  const node = ctx.createNode('mission');
  const told: Array<Extract<GuideEvent, { type: 'CENTRE' }>> = [];
  const watch = watchCentreHours(node, { hours: HOURS, timezone: 'Europe/Helsinki' }, (e) => {
    if (e.type === 'CENTRE') told.push(e);
  });
  const run = (ns: bigint) => {
    const end = clock.nowNs() + ns;
    while (clock.nowNs() < end) {
      clock.advanceTo(clock.nowNs() + MINUTE_NS);
      ctx.spinSome();
    }
  };
  return { told, run, watch };
}

describe('watchCentreHours', () => {
  it('tells open at start, closed at closing time with the next opening, and open again', () => {
    const w = watching('2026-11-27T19:58:00+02:00'); // a Friday
    expect(w.told).toEqual([{ type: 'CENTRE', open: true, stampNs: at('2026-11-27T19:58:00+02:00') }]);
    w.run(3n * MINUTE_NS);
    const closed = w.told.find((e) => !e.open)!;
    expect(closed.stampNs).toBe(at('2026-11-27T20:00:00+02:00'));
    expect(closed.opensAt).toMatchObject({ weekday: 'sat', minutes: 600, inDays: 1 });
    // Through the night it is told again every hour, so "tomorrow" stays true after midnight.
    w.run(14n * 60n * MINUTE_NS + MINUTE_NS);
    const afterMidnight = w.told.find((e) => e.stampNs === at('2026-11-28T00:00:00+02:00'))!;
    expect(afterMidnight).toMatchObject({ open: false, opensAt: { inDays: 0, minutes: 600 } });
    expect(w.told.at(-1)).toMatchObject({ open: true, stampNs: at('2026-11-28T10:00:00+02:00') });
    w.watch.stop();
  });

  it('follows daylight saving: opens at 08:00 local on the Monday after the clocks go forward', () => {
    const w = watching('2026-03-29T12:00:00+03:00'); // Sunday, the first day of summer time
    expect(w.told[0]).toMatchObject({ open: false, opensAt: { weekday: 'mon', minutes: 480, inDays: 1 } });
    w.run(21n * 60n * MINUTE_NS);
    expect(w.told.find((e) => e.open)?.stampNs).toBe(at('2026-03-30T08:00:00+03:00'));
    w.watch.stop();
  });

  it('tells nothing for a site without hours (always open)', () => {
    const clock = new SimClock(0n);
    const node = new EmbeddedContext({ clock }).createNode('mission');
    const told: GuideEvent[] = [];
    watchCentreHours(node, { timezone: 'Europe/Helsinki' }, (e) => told.push(e)).stop();
    expect(told).toEqual([]);
  });
});
