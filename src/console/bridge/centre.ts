/**
 * The centre's own opening hours (site.yaml `hours`) as the pages show them: open or closed now
 * and the next change, worked out here on the site's clock (daylight saving included, by
 * interaction's openingStatus, the same rule the mission's centre watch follows), so that a page
 * shows "opens tomorrow at 08.00" without time-zone data of its own.
 */
import { openingStatus, type OpeningMoment } from '../../interaction/index.js';
import { WEEKDAYS, formatInterval, type Site } from '../../map/index.js';
import type { CentreNow, LocalMoment } from '../protocol.js';
import { todaysHours } from './desks.js';

const NS_PER_MS = 1_000_000n;
const MINUTES_PER_DAY = 24 * 60;

/** 'HH.MM', as a Finnish or Swedish clock reads (08.00, 20.30). */
export function clockOf(minutes: number): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}.${String(m % 60).padStart(2, '0')}`;
}

/** An opening moment as a page shows it; a close at 24:00 is 00.00 the next day. */
export function localMoment(m: OpeningMoment): LocalMoment {
  const carry = Math.floor(m.minutes / MINUTES_PER_DAY);
  const weekdayIndex = (WEEKDAYS.indexOf(m.weekday) + carry) % 7;
  return {
    at: new Date(Number(m.epochNs / NS_PER_MS)).toISOString(),
    weekday: WEEKDAYS[weekdayIndex]!,
    in_days: m.inDays + carry,
    clock: clockOf(m.minutes),
  };
}

/** Whether the centre is open at `nowMs`, its next change, and today's hours. */
export function centreNow(site: Pick<Site, 'hours' | 'timezone'>, nowMs: number): CentreNow {
  const hours = site.hours;
  if (!hours) return { always_open: true, open: true, next: null, today: 'always open' };
  const status = openingStatus({ hours }, BigInt(Math.round(nowMs)) * NS_PER_MS, site.timezone);
  const next = status.open ? status.closesAt : status.opensAt;
  return {
    always_open: false,
    open: status.open,
    next: next ? localMoment(next) : null,
    today: todaysHours({ hours }, nowMs, site.timezone),
  };
}

/** The centre's week as GET /api/site gives it: each weekday's hours, or 'closed'; [] when always open. */
export function weekHours(site: Pick<Site, 'hours'>): Array<{ weekday: string; hours: string }> {
  const hours = site.hours;
  if (!hours) return [];
  return WEEKDAYS.map((weekday) => {
    const day = hours[weekday] ?? [];
    return {
      weekday,
      hours: day.length === 0 ? 'closed' : day.map((i) => formatInterval(i).replace('-', '–')).join(', '),
    };
  });
}
