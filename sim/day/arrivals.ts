/**
 * When customers come to the robot over a day: a non-homogeneous Poisson process whose intensity
 * follows a public service centre's day (a morning peak, a lunch dip, a smaller afternoon peak,
 * tailing off to closing), drawn by thinning (Lewis & Shedler 1979): candidates from a
 * homogeneous process at the peak rate, each kept with the ratio of the intensity then to the
 * peak. Everything is in local minutes since midnight; the caller turns them into instants.
 */
import type { OpeningInterval } from '../../src/map/index.js';
import type { Rng } from '../rng.js';
import { parseClock } from './local-time.js';

/** The intensity at one local clock time, relative to the rest of the day. */
export interface ProfileKnot {
  /** Minutes since local midnight. */
  minute: number;
  weight: number;
}

const at = (hhmm: string, weight: number): ProfileKnot => {
  const minute = parseClock(hhmm);
  if (minute === undefined) throw new RangeError(`arrivals.ts: profile knot ${hhmm}: expected HH:MM`);
  return { minute, weight };
};

/**
 * The shape of a Finnish public service centre's weekday, hour by hour (and at the half hours
 * round lunch), linear between the knots: queues at the doors when they open, the busiest hours
 * 9–11 (appointments at Kela, the health station and the laboratory cluster in the morning), a
 * dip over lunch 11.30–12.30, a smaller peak at about two, then quieter to the evening, when
 * only the library and a few desks stay open. A plausible shape, not a measured one; only the
 * shape matters here: the day's volume scales it (robotRequestsPerDay).
 */
export const SERVICE_CENTRE_DAY: readonly ProfileKnot[] = [
  at('07:00', 0.1),
  at('08:00', 0.55),
  at('09:00', 0.95),
  at('10:00', 1.0),
  at('11:00', 0.85),
  at('11:30', 0.65),
  at('12:00', 0.5),
  at('12:30', 0.6),
  at('13:00', 0.75),
  at('14:00', 0.8),
  at('15:00', 0.7),
  at('16:00', 0.5),
  at('17:00', 0.35),
  at('18:00', 0.25),
  at('19:00', 0.18),
  at('20:00', 0.1),
  at('21:00', 0.05),
];

/** Visits a day at the Iso Omena service centre (the City of Espoo's figure, about 4,500). */
export const DEFAULT_VISITS = 4500;

/**
 * The share of visitors who ask the robot. Most know where they are going (an appointment, a
 * regular visit, the signs); a robot by the entrance is asked by a few in a hundred. An
 * assumption, not a measurement: 2.5 % of 4,500 is about 110 requests a day, which one robot
 * serves (docs/day.md has the measured day).
 */
export const ROBOT_SHARE = 0.025;

/** The robot requests a day with `visits` visitors, on average. */
export function robotRequestsPerDay(visits: number, share = ROBOT_SHARE): number {
  return visits * share;
}

/** The profile's relative intensity at `minute` (linear between knots, flat beyond the ends). */
export function intensityAt(profile: readonly ProfileKnot[], minute: number): number {
  const first = profile[0]!;
  if (minute <= first.minute) return first.weight;
  for (let i = 1; i < profile.length; i++) {
    const b = profile[i]!;
    if (minute <= b.minute) {
      const a = profile[i - 1]!;
      return a.weight + ((b.weight - a.weight) * (minute - a.minute)) / (b.minute - a.minute);
    }
  }
  return profile.at(-1)!.weight;
}

/** ∫ intensity over [from, until) minutes: exact for a profile with knots on whole minutes. */
export function integrate(profile: readonly ProfileKnot[], from: number, until: number): number {
  let sum = 0;
  for (let m = from; m < until; m += 1) {
    const end = Math.min(until, m + 1);
    sum += ((intensityAt(profile, m) + intensityAt(profile, end)) / 2) * (end - m);
  }
  return sum;
}

export interface ArrivalPlan {
  profile: readonly ProfileKnot[];
  /** The day's opening intervals (local minutes): nobody comes to the robot outside them. */
  open: readonly OpeningInterval[];
  /** Robot requests expected over the whole day's opening hours. */
  expected: number;
  /** Only arrivals within [from, until) local minutes (a shortened day); default the whole day. */
  from?: number;
  until?: number;
}

/**
 * Arrival times (local minutes, rising) for one day: the day's intensity is `expected` × the
 * profile over its integral across the opening hours, so a shortened day gets its share of the
 * day's customers, those of its own hours.
 */
export function arrivalMinutes(plan: ArrivalPlan, rng: Rng): number[] {
  const { profile, open } = plan;
  const whole = open.reduce((s, i) => s + integrate(profile, i.open, i.close), 0);
  if (!(whole > 0) || !(plan.expected > 0)) return [];
  const peak = Math.max(...open.map((i) => maxWeight(profile, i.open, i.close)));
  const peakPerMinute = (plan.expected * peak) / whole;
  const out: number[] = [];
  for (const interval of open) {
    const from = Math.max(interval.open, plan.from ?? -Infinity);
    const until = Math.min(interval.close, plan.until ?? Infinity);
    // 1 - next() lies in (0, 1]: the log is finite.
    for (let t = from - Math.log(1 - rng.next()) / peakPerMinute; t < until;) {
      if (rng.next() * peak < intensityAt(profile, t)) out.push(t);
      t -= Math.log(1 - rng.next()) / peakPerMinute;
    }
  }
  return out;
}

/** The largest weight over [from, until]: at a knot inside, or at an end. */
function maxWeight(profile: readonly ProfileKnot[], from: number, until: number): number {
  let max = Math.max(intensityAt(profile, from), intensityAt(profile, until));
  for (const k of profile) if (k.minute > from && k.minute < until) max = Math.max(max, k.weight);
  return max;
}
