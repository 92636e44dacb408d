/**
 * The centre's opening hours as the pages get them: the next opening or closing worked out on the
 * site's clock, right across a daylight-saving change (the instant moves by the hour the clocks
 * do; the local time the kiosk shows does not), and the week for GET /api/site.
 */
import { describe, expect, it } from 'vitest';
import { parseDayHours, type OpeningInterval, type Site } from '../../map/index.js';
import { centreNow, clockOf, weekHours } from './centre.js';

const HELSINKI = 'Europe/Helsinki';
function day(text: string): OpeningInterval[] {
  const hours = parseDayHours(text);
  if (!Array.isArray(hours)) throw new Error(hours.problem);
  return hours;
}
/** Iso Omena's sample hours: weekdays 08–20, weekends 10–16. */
const CENTRE: Pick<Site, 'hours' | 'timezone'> = {
  timezone: HELSINKI,
  hours: {
    mon: day('08:00-20:00'),
    tue: day('08:00-20:00'),
    wed: day('08:00-20:00'),
    thu: day('08:00-20:00'),
    fri: day('08:00-20:00'),
    sat: day('10:00-16:00'),
    sun: day('10:00-16:00'),
  },
};

describe('centreNow', () => {
  it('is open until closing time, on the local clock', () => {
    const now = centreNow(CENTRE, Date.parse('2026-11-26T09:00:00+02:00'));
    expect(now).toEqual({
      always_open: false,
      open: true,
      today: '08:00–20:00',
      next: { at: '2026-11-26T18:00:00.000Z', weekday: 'thu', in_days: 0, clock: '20.00' },
    });
  });

  it('after closing, opens tomorrow at 08.00', () => {
    const now = centreNow(CENTRE, Date.parse('2026-11-26T21:00:00+02:00'));
    expect(now.open).toBe(false);
    expect(now.next).toEqual({ at: '2026-11-27T06:00:00.000Z', weekday: 'fri', in_days: 1, clock: '08.00' });
  });

  it('across the spring change (clocks forward on 29 March 2026) opens at 10.00 summer time', () => {
    // Saturday evening in winter time (UTC+2); Sunday's opening is in summer time (UTC+3).
    const now = centreNow(CENTRE, Date.parse('2026-03-28T17:00:00+02:00'));
    expect(now.open).toBe(false);
    expect(now.next).toEqual({ at: '2026-03-29T07:00:00.000Z', weekday: 'sun', in_days: 1, clock: '10.00' });
    // Without the change it would have been 08:00 UTC: a week earlier, both days in winter time.
    expect(centreNow(CENTRE, Date.parse('2026-03-21T17:00:00+02:00')).next?.at).toBe(
      '2026-03-22T08:00:00.000Z',
    );
    // On the night itself, after the clocks went forward at 03:00.
    expect(centreNow(CENTRE, Date.parse('2026-03-29T04:30:00+03:00')).next).toMatchObject({
      at: '2026-03-29T07:00:00.000Z',
      in_days: 0,
      clock: '10.00',
    });
  });

  it('across the autumn change (clocks back on 25 October 2026) opens at 10.00 winter time', () => {
    const now = centreNow(CENTRE, Date.parse('2026-10-24T17:00:00+03:00'));
    expect(now.next).toEqual({ at: '2026-10-25T08:00:00.000Z', weekday: 'sun', in_days: 1, clock: '10.00' });
    // In the repeated hour (03:00–04:00 twice), the same opening.
    expect(centreNow(CENTRE, Date.parse('2026-10-25T03:30:00+02:00')).next?.at).toBe(
      '2026-10-25T08:00:00.000Z',
    );
    // And it closes at 16.00 winter time that afternoon.
    expect(centreNow(CENTRE, Date.parse('2026-10-25T12:00:00+02:00')).next).toEqual({
      at: '2026-10-25T14:00:00.000Z',
      weekday: 'sun',
      in_days: 0,
      clock: '16.00',
    });
  });

  it('closed over a weekend day names the weekday it opens on', () => {
    const noSunday: Pick<Site, 'hours' | 'timezone'> = {
      timezone: HELSINKI,
      hours: { ...CENTRE.hours, sun: [] },
    };
    const now = centreNow(noSunday, Date.parse('2026-11-28T17:00:00+02:00'));
    expect(now.next).toEqual({ at: '2026-11-30T06:00:00.000Z', weekday: 'mon', in_days: 2, clock: '08.00' });
    expect(centreNow(noSunday, Date.parse('2026-11-29T12:00:00+02:00')).today).toBe('closed');
  });

  it('a close at midnight is 00.00 the next day; a site without hours is always open', () => {
    const late: Pick<Site, 'hours' | 'timezone'> = {
      timezone: HELSINKI,
      hours: { thu: day('08:00-24:00') },
    };
    expect(centreNow(late, Date.parse('2026-11-26T21:00:00+02:00')).next).toEqual({
      at: '2026-11-26T22:00:00.000Z',
      weekday: 'fri',
      in_days: 1,
      clock: '00.00',
    });
    expect(centreNow({ timezone: HELSINKI }, 0)).toEqual({
      always_open: true,
      open: true,
      next: null,
      today: 'always open',
    });
  });
});

describe('weekHours and clockOf', () => {
  it('gives the week Monday first, and clocks as HH.MM', () => {
    expect(weekHours(CENTRE).map((d) => `${d.weekday} ${d.hours}`)).toEqual([
      'mon 08:00–20:00',
      'tue 08:00–20:00',
      'wed 08:00–20:00',
      'thu 08:00–20:00',
      'fri 08:00–20:00',
      'sat 10:00–16:00',
      'sun 10:00–16:00',
    ]);
    expect(weekHours({})).toEqual([]);
    expect([clockOf(0), clockOf(8 * 60), clockOf(20 * 60 + 30), clockOf(24 * 60)]).toEqual([
      '00.00',
      '08.00',
      '20.30',
      '00.00',
    ]);
  });
});
