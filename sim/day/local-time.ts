/**
 * A calendar date and a local wall-clock time in the site's IANA time zone, and the instant they
 * name: a simulated day is laid out in local minutes (opening hours, the day's profile) and run
 * on epoch time. Daylight saving comes from Intl (the platform's tz database), as the robot's
 * own opening-hours code has it (src/interaction/hours.ts).
 */
import { localToEpochMs as zoneLocalToEpochMs } from '../../src/interaction/index.js';
import { WEEKDAYS, type Weekday } from '../../src/map/index.js';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;

/** 'YYYY-MM-DD' as a date that exists, or undefined. */
export function parseDate(text: string): CalendarDate | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day));
  const real =
    d.getUTCFullYear() === date.year && d.getUTCMonth() === date.month - 1 && d.getUTCDate() === date.day;
  return real ? date : undefined;
}

export function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The date's weekday: the day whose opening hours apply. */
export function weekdayOf(d: CalendarDate): Weekday {
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7]!;
}

/** 'HH:MM' as minutes since midnight (00:00..24:00), or undefined. */
export function parseClock(text: string): number | undefined {
  const m = /^(\d\d):(\d\d)$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

/** Minutes since midnight as 'HH:MM' (fractions dropped). */
export function formatClock(minutes: number): string {
  const whole = Math.floor(minutes);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * The instant (epoch ms) of `minutes` past local midnight on `date` in `timezone`. The zone's
 * offset is read at a first guess and again at the answer, since the two differ next to a
 * daylight-saving switch; a wall time the switch skips resolves to the instant after it.
 */
export function localToEpochMs(date: CalendarDate, minutes: number, timezone: string): number {
  return zoneLocalToEpochMs(date.year, date.month, date.day, minutes, timezone);
}
