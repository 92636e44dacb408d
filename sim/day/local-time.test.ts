import { describe, expect, it } from 'vitest';
import { formatClock, localToEpochMs, parseClock, parseDate, weekdayOf } from './local-time.js';

const HELSINKI = 'Europe/Helsinki';

describe('local time in the site time zone', () => {
  it('turns a local date and time into the instant, winter and summer', () => {
    const winter = parseDate('2026-11-26')!;
    expect(new Date(localToEpochMs(winter, 8 * 60, HELSINKI)).toISOString()).toBe('2026-11-26T06:00:00.000Z');
    const summer = parseDate('2026-06-15')!;
    expect(new Date(localToEpochMs(summer, 8 * 60, HELSINKI)).toISOString()).toBe('2026-06-15T05:00:00.000Z');
    expect(weekdayOf(winter)).toBe('thu');
    expect(weekdayOf(parseDate('2026-11-29')!)).toBe('sun');
  });

  it('keeps a day that springs forward an hour short and one that falls back an hour long', () => {
    // EU switches: 29 March 2026 at 03:00 local (to +3), 25 October 2026 at 04:00 local (to +2).
    const spring = parseDate('2026-03-29')!;
    const autumn = parseDate('2026-10-25')!;
    const hours = (d: typeof spring, from: number, to: number) =>
      (localToEpochMs(d, to, HELSINKI) - localToEpochMs(d, from, HELSINKI)) / 3_600_000;
    expect(hours(spring, 0, 24 * 60)).toBe(23);
    expect(hours(autumn, 0, 24 * 60)).toBe(25);
    // Opening hours lie clear of the switch: 08:00-20:00 is twelve hours either day.
    expect(hours(spring, 8 * 60, 20 * 60)).toBe(12);
    expect(hours(autumn, 8 * 60, 20 * 60)).toBe(12);
    expect(new Date(localToEpochMs(spring, 8 * 60, HELSINKI)).toISOString()).toBe('2026-03-29T05:00:00.000Z');
  });

  it('reads dates and clock times that exist, and nothing else', () => {
    expect(parseDate('2026-02-28')).toEqual({ year: 2026, month: 2, day: 28 });
    expect(parseDate('2026-02-30')).toBeUndefined();
    expect(parseDate('26-11-2026')).toBeUndefined();
    expect(parseClock('09:30')).toBe(570);
    expect(parseClock('24:00')).toBe(1440);
    expect(parseClock('24:01')).toBeUndefined();
    expect(parseClock('9:30')).toBeUndefined();
    expect(formatClock(570.9)).toBe('09:30');
  });
});
