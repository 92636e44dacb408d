/**
 * Opening hours as operators write them in site.yaml ("08:00-16:00", "08:00-12:00, 13:00-16:00",
 * "closed") and the questions the guide asks of them (open now? opens when?).
 */
import { WEEKDAYS, type OpeningInterval, type Weekday, type WeeklyHours } from './types.js';

const INTERVAL = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/;

/** Parses one weekday's value; returns the intervals, or a sentence saying what is wrong. */
export function parseDayHours(text: string): OpeningInterval[] | { problem: string } {
  const t = text.trim();
  if (t.toLowerCase() === 'closed') return [];
  const parts = t.split(',').map((p) => p.trim());
  const out: OpeningInterval[] = [];
  for (const part of parts) {
    const m = INTERVAL.exec(part);
    if (!m)
      return {
        problem: `expected "HH:MM-HH:MM" (comma-separated) or "closed", found ${JSON.stringify(text)}`,
      };
    const open = toMinutes(Number(m[1]), Number(m[2]));
    const close = toMinutes(Number(m[3]), Number(m[4]));
    if (open === undefined || close === undefined) {
      return { problem: `expected times 00:00..24:00, found ${JSON.stringify(part)}` };
    }
    if (open >= close) {
      return {
        problem: `expected opening before closing (overnight hours are not supported), found ${JSON.stringify(part)}`,
      };
    }
    const prev = out[out.length - 1];
    if (prev && open < prev.close) {
      return {
        problem: `expected intervals in order without overlap, found ${JSON.stringify(part)} after ${formatInterval(prev)}`,
      };
    }
    out.push({ open, close });
  }
  return out;
}

function toMinutes(h: number, m: number): number | undefined {
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return undefined;
  return h * 60 + m;
}

export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function formatInterval(i: OpeningInterval): string {
  return `${formatMinutes(i.open)}-${formatMinutes(i.close)}`;
}

/** True when the place is open at `minute` (since local midnight) on `day`. No hours = always open. */
export function isOpen(hours: WeeklyHours | undefined, day: Weekday, minute: number): boolean {
  if (!hours) return true;
  return (hours[day] ?? []).some((i) => minute >= i.open && minute < i.close);
}

/**
 * The next time the place opens after (`day`, `minute`), looking a week ahead; undefined when it
 * never opens. `daysAhead` 0 means later the same day.
 */
export function nextOpening(
  hours: WeeklyHours | undefined,
  day: Weekday,
  minute: number,
): { day: Weekday; minute: number; daysAhead: number } | undefined {
  if (!hours) return { day, minute, daysAhead: 0 };
  const start = WEEKDAYS.indexOf(day);
  for (let ahead = 0; ahead <= 7; ahead++) {
    const d = WEEKDAYS[(start + ahead) % 7]!;
    for (const i of hours[d] ?? []) {
      if (ahead > 0 || i.open > minute) return { day: d, minute: i.open, daysAhead: ahead };
    }
  }
  return undefined;
}
