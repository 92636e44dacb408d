/**
 * Is a desk open at a given instant, and when does it open or close next, in the site's own
 * time zone (daylight saving included), and how to say so in fi/sv/en. Deterministic: the
 * instant is always passed in (node time), never read from a clock.
 */
import type { Destination, Language, OpeningInterval, Weekday } from '../map/index.js';
import { WEEKDAYS } from '../map/index.js';
import { InteractionError } from './errors.js';

/** A moment in the weekly timetable, with when it falls relative to "now". */
export interface OpeningMoment {
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
  /** 0 = today, 1 = tomorrow, … (local calendar days from now; 7 = the same weekday next week). */
  inDays: number;
  /** The same moment as an epoch time in nanoseconds (what node.now() returns). */
  epochNs: bigint;
}

export type OpeningStatus =
  | {
      open: true;
      /** When the current opening interval ends; absent for places that are always open. */
      closesAt?: OpeningMoment;
    }
  | {
      open: false;
      /** Next opening within a week; absent when the place has no opening hours at all. */
      opensAt?: OpeningMoment;
      /** The next opening as local 'YYYY-MM-DDTHH:MM', for logs and screens. */
      nextOpenLocal?: string;
    };

interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** Index into WEEKDAYS (0 = Monday). */
  weekday: number;
  minutes: number;
}

const NS_PER_MS = 1_000_000n;
const MS_PER_MINUTE = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      throw new InteractionError(
        'TIMEZONE_INVALID',
        'hours.ts:timezone',
        `expected an IANA time zone such as "Europe/Helsinki", found ${JSON.stringify(timezone)}`,
      );
    }
    formatters.set(timezone, f);
  }
  return f;
}

/** Throws InteractionError TIMEZONE_INVALID unless `timezone` is usable (check a site once at start). */
export function assertTimezone(timezone: string): void {
  formatterFor(timezone);
}

function localTime(epochMs: number, timezone: string): LocalTime {
  const parts = formatterFor(timezone).formatToParts(epochMs);
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of parts) {
    if (p.type === 'year') year = Number(p.value);
    else if (p.type === 'month') month = Number(p.value);
    else if (p.type === 'day') day = Number(p.value);
    else if (p.type === 'hour') hour = Number(p.value) % 24;
    else if (p.type === 'minute') minute = Number(p.value);
  }
  // Date.UTC's day of week for the local calendar date: 0 = Sunday → index 6.
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  return { year, month, day, weekday, minutes: hour * 60 + minute };
}

/** The site's local weekday at `epochNs`: the day whose opening hours apply then. */
export function localWeekday(epochNs: bigint, timezone: string): Weekday {
  return WEEKDAYS[localTime(Number(epochNs / NS_PER_MS), timezone).weekday]!;
}

/** The local wall-clock time as if it were UTC, in ms (the offset is its difference to the instant). */
function wallAsUtcMs(t: LocalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, 0, t.minutes);
}

/**
 * The instant of a local date and time. Twice refined, because the offset at the guess may
 * differ from the offset at the answer near a daylight-saving switch.
 */
/**
 * The instant (epoch ms) of `minutes` past local midnight on a calendar day in `timezone`; the
 * zone's offset is read twice, since it differs next to a daylight-saving switch.
 */
export function localToEpochMs(
  year: number,
  month: number,
  day: number,
  minutes: number,
  timezone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  let t = wall;
  for (let i = 0; i < 2; i++) {
    const offset = wallAsUtcMs(localTime(t, timezone)) - Math.floor(t / MS_PER_MINUTE) * MS_PER_MINUTE;
    t = wall - offset;
  }
  return t;
}

function moment(now: LocalTime, inDays: number, minutes: number, timezone: string): OpeningMoment {
  const date = new Date(Date.UTC(now.year, now.month - 1, now.day + inDays));
  const epochMs = localToEpochMs(
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    minutes,
    timezone,
  );
  return {
    weekday: WEEKDAYS[(now.weekday + inDays) % 7]!,
    minutes,
    inDays,
    epochNs: BigInt(epochMs) * NS_PER_MS,
  };
}

function localIso(now: LocalTime, m: OpeningMoment): string {
  const d = new Date(Date.UTC(now.year, now.month - 1, now.day + m.inDays, 0, m.minutes));
  return d.toISOString().slice(0, 16);
}

function intervalsOf(destination: Pick<Destination, 'hours'>, weekdayIndex: number): OpeningInterval[] {
  const list = destination.hours?.[WEEKDAYS[weekdayIndex % 7]!] ?? [];
  return list.filter((i) => i.open < i.close).sort((a, b) => a.open - b.open);
}

/**
 * Whether `destination` is open at `epochNs` in `timezone`, and the next change. A destination
 * without `hours` is always open; a weekday missing from its hours is closed all day.
 */
export function openingStatus(
  destination: Pick<Destination, 'hours'>,
  epochNs: bigint,
  timezone: string,
): OpeningStatus {
  if (!destination.hours) return { open: true };
  const epochMs = Number(epochNs / NS_PER_MS);
  const now = localTime(epochMs, timezone);
  const today = intervalsOf(destination, now.weekday);
  const current = today.find((i) => now.minutes >= i.open && now.minutes < i.close);
  if (current) {
    // Hours that run to midnight and start again at midnight are one opening, not a closing.
    const next = current.close >= 1440 ? intervalsOf(destination, now.weekday + 1)[0] : undefined;
    if (next && next.open === 0) return { open: true, closesAt: moment(now, 1, next.close, timezone) };
    return { open: true, closesAt: moment(now, 0, current.close, timezone) };
  }
  for (let inDays = 0; inDays <= 7; inDays++) {
    for (const i of intervalsOf(destination, now.weekday + inDays)) {
      if (inDays === 0 && i.open <= now.minutes) continue;
      const opensAt = moment(now, inDays, i.open, timezone);
      return { open: false, opensAt, nextOpenLocal: localIso(now, opensAt) };
    }
  }
  return { open: false };
}

// ---- saying it -------------------------------------------------------------------------------

const WEEKDAY_NAMES: Record<Language, Record<Weekday, string>> = {
  fi: {
    mon: 'maanantai',
    tue: 'tiistai',
    wed: 'keskiviikko',
    thu: 'torstai',
    fri: 'perjantai',
    sat: 'lauantai',
    sun: 'sunnuntai',
  },
  sv: {
    mon: 'måndag',
    tue: 'tisdag',
    wed: 'onsdag',
    thu: 'torsdag',
    fri: 'fredag',
    sat: 'lördag',
    sun: 'söndag',
  },
  en: {
    mon: 'Monday',
    tue: 'Tuesday',
    wed: 'Wednesday',
    thu: 'Thursday',
    fri: 'Friday',
    sat: 'Saturday',
    sun: 'Sunday',
  },
};

/** "on Monday" as each language says it for a time this week: "maanantaina", "på måndag". */
const ON_WEEKDAY: Record<Language, (w: Weekday) => string> = {
  fi: (w) => `${WEEKDAY_NAMES.fi[w]}na`,
  sv: (w) => `på ${WEEKDAY_NAMES.sv[w]}`,
  en: (w) => `on ${WEEKDAY_NAMES.en[w]}`,
};
const TODAY: Record<Language, string> = { fi: 'tänään', sv: 'i dag', en: 'today' };
const TOMORROW: Record<Language, string> = { fi: 'huomenna', sv: 'i morgon', en: 'tomorrow' };
const AT: Record<Language, string> = { fi: 'klo', sv: 'kl.', en: 'at' };
const OPENS: Record<Language, string> = { fi: 'avautuu', sv: 'öppnar', en: 'opens' };

/** The weekday's name in `language` ("maanantai", "måndag", "Monday"). */
export function weekdayName(weekday: Weekday, language: Language): string {
  return WEEKDAY_NAMES[language][weekday];
}

/** Minutes since midnight as the clock reads in Finland and Sweden: 8.00, 16.30. */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return `${h}.${String(m).padStart(2, '0')}`;
}

/** "tomorrow at 8.00" / "huomenna klo 8.00" / "i morgon kl. 8.00" / "on Monday at 8.00". */
export function formatMoment(
  m: Pick<OpeningMoment, 'weekday' | 'minutes' | 'inDays'>,
  language: Language,
): string {
  const day =
    m.inDays === 0 ? TODAY[language] : m.inDays === 1 ? TOMORROW[language] : ON_WEEKDAY[language](m.weekday);
  return `${day} ${AT[language]} ${formatClock(m.minutes)}`;
}

/** Weekdays as "until" takes them: Finnish in the illative ("maanantaihin klo 8.00 asti"). */
const UNTIL_WEEKDAY: Record<Language, (w: Weekday) => string> = {
  fi: (w) =>
    ({
      mon: 'maanantaihin',
      tue: 'tiistaihin',
      wed: 'keskiviikkoon',
      thu: 'torstaihin',
      fri: 'perjantaihin',
      sat: 'lauantaihin',
      sun: 'sunnuntaihin',
    })[w],
  sv: (w) => WEEKDAY_NAMES.sv[w],
  en: (w) => WEEKDAY_NAMES.en[w],
};

/**
 * When something ends, as the phrases' `until` takes it, in the site's time zone seen from
 * `nowNs`: today "12.00" (fi "klo 12.00", sv "kl. 12.00"), "tomorrow at 8.00", "Monday at 8.00"
 * within the week, else the date "3.12. at 8.00". Throws InteractionError for a bad time zone.
 */
export function formatUntil(epochNs: bigint, nowNs: bigint, timezone: string, language: Language): string {
  const then = localTime(Number(epochNs / NS_PER_MS), timezone);
  const now = localTime(Number(nowNs / NS_PER_MS), timezone);
  const days = Math.round(
    (Date.UTC(then.year, then.month - 1, then.day) - Date.UTC(now.year, now.month - 1, now.day)) / 86_400_000,
  );
  const clock = `${AT[language]} ${formatClock(then.minutes)}`;
  if (days <= 0) return language === 'en' ? formatClock(then.minutes) : clock;
  if (days === 1) return `${TOMORROW[language]} ${clock}`;
  if (days < 7) return `${UNTIL_WEEKDAY[language](WEEKDAYS[then.weekday]!)} ${clock}`;
  return `${then.day}.${then.month}. ${clock}`;
}

/** "opens tomorrow at 8.00" / "avautuu huomenna klo 8.00" / "öppnar i morgon kl. 8.00". */
export function formatOpensAt(
  m: Pick<OpeningMoment, 'weekday' | 'minutes' | 'inDays'>,
  language: Language,
): string {
  return `${OPENS[language]} ${formatMoment(m, language)}`;
}
