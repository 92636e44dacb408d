import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Destination, WeeklyHours } from '../map/index.js';
import { InteractionError } from './errors.js';
import {
  localWeekday,
  formatClock,
  formatMoment,
  formatOpensAt,
  formatUntil,
  openingStatus,
  weekdayName,
} from './hours.js';

const TZ = 'Europe/Helsinki';
const weekday = [{ open: 8 * 60, close: 16 * 60 }];

function desk(hours: WeeklyHours | undefined): Destination {
  return {
    id: 'kela',
    name: { fi: 'Kela', sv: 'FPA', en: 'Kela' },
    aliases: { fi: [], sv: [], en: [] },
    organisation: 'Kela',
    pose: { x: 0, y: 0, yaw: 0 },
    services: [],
    ...(hours ? { hours } : {}),
  };
}
const OFFICE = desk({ mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday });
const LIBRARY = desk({
  mon: [{ open: 9 * 60, close: 20 * 60 }],
  fri: [{ open: 9 * 60, close: 18 * 60 }],
  sat: [{ open: 10 * 60, close: 16 * 60 }],
  sun: [{ open: 12 * 60, close: 16 * 60 }],
});

/** Epoch ns of an ISO instant (with its offset), as node.now() would give it. */
const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('openingStatus', () => {
  it('is always open without hours', () => {
    expect(openingStatus(desk(undefined), at('2026-11-26T03:00:00+02:00'), TZ)).toEqual({ open: true });
  });

  it('is open inside an interval and says when it closes', () => {
    const s = openingStatus(OFFICE, at('2026-11-26T10:00:00+02:00'), TZ); // Thursday
    expect(s).toEqual({
      open: true,
      closesAt: { weekday: 'thu', minutes: 960, inDays: 0, epochNs: at('2026-11-26T16:00:00+02:00') },
    });
  });

  it('treats the closing minute as closed and the opening minute as open', () => {
    expect(openingStatus(OFFICE, at('2026-11-26T16:00:00+02:00'), TZ).open).toBe(false);
    expect(openingStatus(OFFICE, at('2026-11-26T15:59:59+02:00'), TZ).open).toBe(true);
    expect(openingStatus(OFFICE, at('2026-11-26T08:00:00+02:00'), TZ).open).toBe(true);
    expect(openingStatus(OFFICE, at('2026-11-26T07:59:59+02:00'), TZ).open).toBe(false);
  });

  it('after closing on a weekday opens tomorrow morning', () => {
    const s = openingStatus(OFFICE, at('2026-11-26T17:30:00+02:00'), TZ);
    expect(s).toEqual({
      open: false,
      opensAt: { weekday: 'fri', minutes: 480, inDays: 1, epochNs: at('2026-11-27T08:00:00+02:00') },
      nextOpenLocal: '2026-11-27T08:00',
    });
  });

  it('before opening opens later today', () => {
    const s = openingStatus(OFFICE, at('2026-11-26T06:15:00+02:00'), TZ);
    expect(s).toMatchObject({ open: false, opensAt: { weekday: 'thu', minutes: 480, inDays: 0 } });
  });

  it('on a Friday evening opens on Monday, across the weekend', () => {
    const s = openingStatus(OFFICE, at('2026-11-27T18:00:00+02:00'), TZ);
    expect(s).toMatchObject({
      open: false,
      opensAt: { weekday: 'mon', inDays: 3 },
      nextOpenLocal: '2026-11-30T08:00',
    });
  });

  it('uses the local date, not UTC, near midnight', () => {
    // 23:30 UTC on Friday is 01:30 on Saturday in Helsinki: the library opens at 10 the same day.
    const s = openingStatus(LIBRARY, at('2026-11-27T23:30:00Z'), TZ);
    expect(s).toMatchObject({ open: false, opensAt: { weekday: 'sat', minutes: 600, inDays: 0 } });
  });

  it('follows summer time in Europe/Helsinki', () => {
    // Monday 2026-06-01 08:30 local is 05:30Z in summer (UTC+3); a UTC+2 reading would say 07:30.
    expect(openingStatus(OFFICE, at('2026-06-01T05:30:00Z'), TZ).open).toBe(true);
    expect(openingStatus(OFFICE, at('2026-06-01T04:30:00Z'), TZ).open).toBe(false);
    // The same desk in winter (UTC+2): 06:30Z is 08:30 local.
    expect(openingStatus(OFFICE, at('2026-01-05T06:30:00Z'), TZ).open).toBe(true);
  });

  it('gives the right instant for an opening after the spring-forward switch', () => {
    // Clocks go from 03:00 to 04:00 on Sunday 2026-03-29. Saturday evening (UTC+2), the library
    // opens on Sunday at 12.00 local, which is already UTC+3: 09:00Z.
    const s = openingStatus(LIBRARY, at('2026-03-28T20:00:00+02:00'), TZ);
    expect(s).toMatchObject({ open: false, opensAt: { weekday: 'sun', minutes: 720, inDays: 1 } });
    expect(s.open === false && s.opensAt?.epochNs).toBe(at('2026-03-29T09:00:00Z'));
  });

  it('gives the right instant for an opening after the autumn switch', () => {
    // Clocks go from 04:00 back to 03:00 on Sunday 2026-10-25; 12.00 local is then 10:00Z.
    const s = openingStatus(LIBRARY, at('2026-10-24T20:00:00+03:00'), TZ);
    expect(s.open === false && s.opensAt?.epochNs).toBe(at('2026-10-25T10:00:00Z'));
  });

  it('says a desk with hours on no day never opens', () => {
    expect(openingStatus(desk({}), at('2026-11-26T10:00:00+02:00'), TZ)).toEqual({ open: false });
  });

  it('opens the same weekday next week when today was the only day and it is over', () => {
    const mondayOnly = desk({ mon: weekday });
    const s = openingStatus(mondayOnly, at('2026-11-30T17:00:00+02:00'), TZ);
    expect(s).toMatchObject({
      open: false,
      opensAt: { weekday: 'mon', inDays: 7 },
      nextOpenLocal: '2026-12-07T08:00',
    });
  });

  it('handles split days (lunch break)', () => {
    const split = desk({
      thu: [
        { open: 480, close: 720 },
        { open: 780, close: 960 },
      ],
    });
    expect(openingStatus(split, at('2026-11-26T12:30:00+02:00'), TZ)).toMatchObject({
      open: false,
      opensAt: { weekday: 'thu', minutes: 780, inDays: 0 },
    });
  });

  it('rejects an unknown time zone with a clear error', () => {
    expect(() => openingStatus(OFFICE, 0n, 'Mars/Olympus')).toThrow(InteractionError);
    expect(() => openingStatus(OFFICE, 0n, 'Mars/Olympus')).toThrow(
      /expected an IANA time zone .* "Mars\/Olympus"/,
    );
  });

  it('is consistent for any instant: open exactly when the local time is inside an interval', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 366 * 24 * 60 }), (minute) => {
        const ms = start + minute * 60_000;
        const s = openingStatus(OFFICE, BigInt(ms) * 1_000_000n, TZ);
        const local = new Intl.DateTimeFormat('en-GB', {
          timeZone: TZ,
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).formatToParts(ms);
        const get = (t: string) => local.find((p) => p.type === t)!.value;
        const m = Number(get('hour')) * 60 + Number(get('minute'));
        const workday = !['Sat', 'Sun'].includes(get('weekday'));
        expect(s.open).toBe(workday && m >= 480 && m < 960);
        // The next change is in the future and within a week.
        const next = s.open ? s.closesAt?.epochNs : s.opensAt?.epochNs;
        expect(next).toBeDefined();
        expect(next! > BigInt(ms) * 1_000_000n).toBe(true);
        expect(next! - BigInt(ms) * 1_000_000n <= 7n * 24n * 3600n * 1_000_000_000n).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('saying when', () => {
  const tomorrow8 = { weekday: 'fri', minutes: 480, inDays: 1 } as const;
  const monday830 = { weekday: 'mon', minutes: 510, inDays: 3 } as const;
  const today13 = { weekday: 'thu', minutes: 780, inDays: 0 } as const;

  it('says tomorrow, today and weekdays in each language', () => {
    expect(formatOpensAt(tomorrow8, 'en')).toBe('opens tomorrow at 8.00');
    expect(formatOpensAt(tomorrow8, 'fi')).toBe('avautuu huomenna klo 8.00');
    expect(formatOpensAt(tomorrow8, 'sv')).toBe('öppnar i morgon kl. 8.00');
    expect(formatMoment(monday830, 'en')).toBe('on Monday at 8.30');
    expect(formatMoment(monday830, 'fi')).toBe('maanantaina klo 8.30');
    expect(formatMoment(monday830, 'sv')).toBe('på måndag kl. 8.30');
    expect(formatMoment(today13, 'en')).toBe('today at 13.00');
    expect(formatMoment(today13, 'fi')).toBe('tänään klo 13.00');
    expect(formatMoment(today13, 'sv')).toBe('i dag kl. 13.00');
  });

  it('names every weekday', () => {
    expect(weekdayName('wed', 'fi')).toBe('keskiviikko');
    expect(weekdayName('sat', 'sv')).toBe('lördag');
    expect(weekdayName('sun', 'en')).toBe('Sunday');
    expect(formatMoment({ weekday: 'wed', minutes: 600, inDays: 5 }, 'fi')).toBe('keskiviikkona klo 10.00');
  });

  it('writes clock times the Nordic way', () => {
    expect(formatClock(0)).toBe('0.00');
    expect(formatClock(485)).toBe('8.05');
    expect(formatClock(1200)).toBe('20.00');
  });
});

describe('formatUntil', () => {
  const now = at('2026-11-26T10:00:00+02:00'); // Thursday

  it('says a time later today as a clock time, in each language', () => {
    const noon = at('2026-11-26T12:00:00+02:00');
    expect(formatUntil(noon, now, TZ, 'en')).toBe('12.00');
    expect(formatUntil(noon, now, TZ, 'fi')).toBe('klo 12.00');
    expect(formatUntil(noon, now, TZ, 'sv')).toBe('kl. 12.00');
  });

  it('says tomorrow, a weekday within the week (Finnish illative), and a date beyond', () => {
    expect(formatUntil(at('2026-11-27T08:00:00+02:00'), now, TZ, 'en')).toBe('tomorrow at 8.00');
    expect(formatUntil(at('2026-11-30T08:30:00+02:00'), now, TZ, 'fi')).toBe('maanantaihin klo 8.30');
    expect(formatUntil(at('2026-11-30T08:30:00+02:00'), now, TZ, 'sv')).toBe('måndag kl. 8.30');
    expect(formatUntil(at('2026-12-07T09:00:00+02:00'), now, TZ, 'en')).toBe('7.12. at 9.00');
  });

  it('counts days in the site time zone, not UTC', () => {
    // 23:30 local on Thursday is Thursday 21:30 UTC; 00:30 local Friday is still Thursday in UTC.
    const lateNow = at('2026-11-26T23:30:00+02:00');
    expect(formatUntil(at('2026-11-27T00:30:00+02:00'), lateNow, TZ, 'en')).toBe('tomorrow at 0.30');
  });
});

describe('localWeekday', () => {
  it("is the site's calendar day, not UTC's, just after local midnight", () => {
    // 00:30 on Thursday in Helsinki is still Wednesday 22:30 in UTC.
    const ns = BigInt(Date.parse('2026-11-26T00:30:00+02:00')) * 1_000_000n;
    expect(localWeekday(ns, 'Europe/Helsinki')).toBe('thu');
    expect(localWeekday(ns, 'UTC')).toBe('wed');
  });
});
