/**
 * A day laid out before it runs: the centre's opening hours on that date (site.yaml `hours`, or
 * 08:00–18:00 for a site without them), the run's window (from a quarter of an hour before
 * opening until a quarter of an hour after closing, or the part a shortened day asks for), the
 * instants of both in the site's time zone (daylight saving included), and when each customer
 * comes. Everything in the run counts seconds from the window's start.
 */
import type { OpeningInterval, Site, Weekday } from '../../src/map/index.js';
import { SimError } from '../errors.js';
import { Rng } from '../rng.js';
import {
  DEFAULT_VISITS,
  ROBOT_SHARE,
  SERVICE_CENTRE_DAY,
  arrivalMinutes,
  robotRequestsPerDay,
} from './arrivals.js';
import type { Span } from './day-watch.js';
import { formatClock, localToEpochMs, parseDate, weekdayOf, type CalendarDate } from './local-time.js';

/** The hours of a site that gives none: a plain office day. */
export const DEFAULT_OPENING: OpeningInterval = { open: 8 * 60, close: 18 * 60 };
/** The run starts this long before opening and ends this long after closing, minutes. */
export const MARGIN_MIN = 15;
/** A day whose robot is not home this long after its end stops anyway (stuck, not idle), s. */
export const OVERRUN_S = 3 * 3600;
/** A Thursday: the sample site is open 08:00–20:00 and every desk keeps its hours. */
export const DEFAULT_DATE = '2026-11-26';
export const DEFAULT_PEDESTRIANS = 4;

export interface DayOptions {
  /** 'YYYY-MM-DD' in the site's time zone. */
  date: string;
  seed: number;
  /** Visitors to the centre that day (a share of them ask the robot). */
  visits: number;
  /** Background pedestrians wandering the floor all day. */
  pedestrians: number;
  /** The share of visitors who ask the robot; default ROBOT_SHARE. */
  robotShare?: number;
  /** A shortened day: starts at this local time (minutes since midnight) instead. */
  fromMin?: number;
  /** A shortened day: nobody comes after this local time, and the run ends there once the robot rests. */
  untilMin?: number;
  /** Arrivals at these local times (minutes) instead of the day's process: tests place customers. */
  arrivalsMin?: readonly number[];
}

export interface DayPlan {
  options: DayOptions;
  date: CalendarDate;
  weekday: Weekday;
  timezone: string;
  /** The centre's opening intervals that day, local minutes. */
  open: readonly OpeningInterval[];
  /** Where the hours came from: the site's own, or the default for a site without any. */
  hoursFrom: 'site' | 'default';
  startMin: number;
  /** Customers arrive before this local time only. */
  arrivalsUntilMin: number;
  /** The run ends once past this local time and the robot rests. */
  endMin: number;
  startEpochMs: number;
  /** Run seconds at which the run may end (the robot resting), and at which it ends regardless. */
  endS: number;
  limitS: number;
  /** Open hours within the window, run seconds: time in service is measured over these. */
  serviceSpans: Span[];
  /** Robot requests expected over the whole day. */
  expectedRequests: number;
  /** When each customer arrives, run seconds, rising. */
  arrivalsS: number[];
}

/** Lays out the day; throws SimError naming the option when the centre is closed or a bound is wrong. */
export function planDay(site: Site, options: DayOptions): DayPlan {
  const date = parseDate(options.date);
  if (!date) throw new SimError('BAD_NUMBER', 'date', `expected a date YYYY-MM-DD, found ${options.date}`);
  const weekday = weekdayOf(date);
  const hoursFrom = site.hours ? 'site' : 'default';
  const open = site.hours ? (site.hours[weekday] ?? []) : [DEFAULT_OPENING];
  if (open.length === 0) {
    throw new SimError(
      'SCENARIO_SITE',
      'date',
      `the centre is closed on ${options.date} (${weekday}) by the hours in site.yaml; expected a date it opens`,
    );
  }
  const firstOpen = open[0]!.open;
  const lastClose = open.at(-1)!.close;
  const startMin = options.fromMin ?? firstOpen - MARGIN_MIN;
  const arrivalsUntilMin = options.untilMin ?? lastClose;
  const endMin = options.untilMin ?? lastClose + MARGIN_MIN;
  if (!(endMin > startMin)) {
    throw new SimError(
      'BAD_NUMBER',
      'until',
      `expected a time after the start (${formatClock(startMin)}), found ${formatClock(endMin)}`,
    );
  }
  const toS = runSeconds(date, site.timezone, startMin);
  const expectedRequests = robotRequestsPerDay(options.visits, options.robotShare ?? ROBOT_SHARE);
  const minutes =
    options.arrivalsMin ??
    arrivalMinutes(
      {
        profile: SERVICE_CENTRE_DAY,
        open,
        expected: expectedRequests,
        from: startMin,
        until: arrivalsUntilMin,
      },
      new Rng(options.seed).fork('day-arrivals'),
    );
  const serviceSpans = open
    .map((i) => ({
      fromS: toS(Math.max(i.open, startMin)),
      untilS: toS(Math.min(i.close, arrivalsUntilMin)),
    }))
    .filter((s) => s.untilS > s.fromS);
  const endS = toS(endMin);
  return {
    options,
    date,
    weekday,
    timezone: site.timezone,
    open,
    hoursFrom,
    startMin,
    arrivalsUntilMin,
    endMin,
    startEpochMs: localToEpochMs(date, startMin, site.timezone),
    endS,
    limitS: endS + OVERRUN_S,
    serviceSpans,
    expectedRequests,
    arrivalsS: minutes.map(toS).sort((a, b) => a - b),
  };
}

/** Local minutes on `date` as seconds after the run's start at `startMin` (DST-correct). */
function runSeconds(date: CalendarDate, timezone: string, startMin: number): (minute: number) => number {
  const startMs = localToEpochMs(date, startMin, timezone);
  return (minute) => (localToEpochMs(date, minute, timezone) - startMs) / 1000;
}

export { DEFAULT_VISITS };
