import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { parseClock } from './local-time.js';
import {
  DEFAULT_VISITS,
  SERVICE_CENTRE_DAY,
  arrivalMinutes,
  integrate,
  intensityAt,
  robotRequestsPerDay,
  type ArrivalPlan,
} from './arrivals.js';

const WEEKDAY: ArrivalPlan = {
  profile: SERVICE_CENTRE_DAY,
  open: [{ open: 8 * 60, close: 20 * 60 }],
  expected: robotRequestsPerDay(DEFAULT_VISITS),
};
const SEEDS = 400;

/** Arrivals per local hour 08..19, summed over SEEDS days. */
function hourlyCounts(plan: ArrivalPlan): number[] {
  const counts = new Array<number>(24).fill(0);
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const m of arrivalMinutes(plan, new Rng(seed).fork('day-arrivals'))) counts[Math.floor(m / 60)]!++;
  }
  return counts;
}

/** Expected arrivals in local hour h of one day: the day's volume × the hour's share of the profile. */
function expectedInHour(plan: ArrivalPlan, h: number): number {
  const whole = integrate(plan.profile, plan.open[0]!.open, plan.open[0]!.close);
  return (plan.expected * integrate(plan.profile, h * 60, (h + 1) * 60)) / whole;
}

describe('the day profile', () => {
  it('peaks in the morning, dips over lunch, has a smaller afternoon peak and tails off', () => {
    const w = (hhmm: string) => intensityAt(SERVICE_CENTRE_DAY, parseClock(hhmm)!);
    expect(w('10:00')).toBe(1);
    expect(w('12:00')).toBeLessThan(w('10:00') * 0.6);
    expect(w('14:00')).toBeGreaterThan(w('12:00'));
    expect(w('14:00')).toBeLessThan(w('10:00'));
    expect(w('19:30')).toBeLessThan(w('14:00') / 4);
    // Linear between knots.
    expect(w('09:30')).toBeCloseTo((0.95 + 1.0) / 2, 12);
  });

  it('integrates exactly: a linear ramp over an hour is its mean times 60', () => {
    expect(integrate(SERVICE_CENTRE_DAY, 9 * 60, 10 * 60)).toBeCloseTo(((0.95 + 1.0) / 2) * 60, 9);
  });
});

describe('arrivals (thinning)', () => {
  it('counts per hour over many days follow the profile, within statistical bounds', () => {
    const counts = hourlyCounts(WEEKDAY);
    for (let h = 8; h < 20; h++) {
      const lambda = expectedInHour(WEEKDAY, h);
      // Poisson: the mean of SEEDS days has sd √(λ / SEEDS); 4.5 sd either way.
      const mean = counts[h]! / SEEDS;
      expect(Math.abs(mean - lambda), `hour ${h}: mean ${mean}, expected ${lambda}`).toBeLessThan(
        4.5 * Math.sqrt(lambda / SEEDS),
      );
    }
    expect(counts.slice(0, 8).every((c) => c === 0)).toBe(true);
    expect(counts.slice(20).every((c) => c === 0)).toBe(true);
    // The lunch hour is well below the morning peak, and so is the afternoon peak.
    expect(counts[12]!).toBeLessThan(counts[10]! * 0.75);
    expect(counts[14]!).toBeLessThan(counts[10]!);
    expect(counts[14]!).toBeGreaterThan(counts[12]!);
    // A day brings its volume: 112.5 on average.
    const perDay = counts.reduce((a, b) => a + b, 0) / SEEDS;
    expect(Math.abs(perDay - WEEKDAY.expected)).toBeLessThan(4.5 * Math.sqrt(WEEKDAY.expected / SEEDS));
  });

  it('brings nobody while the centre is closed, and a shortened day its own hours only', () => {
    const split: ArrivalPlan = {
      ...WEEKDAY,
      open: [
        { open: 8 * 60, close: 12 * 60 },
        { open: 13 * 60, close: 16 * 60 },
      ],
    };
    for (let seed = 1; seed <= 50; seed++) {
      const rng = () => new Rng(seed).fork('day-arrivals');
      const all = arrivalMinutes(split, rng());
      expect(all.some((m) => m >= 12 * 60 && m < 13 * 60)).toBe(false);
      expect(all.every((m) => m >= 8 * 60 && m < 16 * 60)).toBe(true);
      expect([...all].sort((a, b) => a - b)).toEqual(all);
      const morning = arrivalMinutes({ ...WEEKDAY, from: 9 * 60, until: 11 * 60 }, rng());
      expect(morning.every((m) => m >= 9 * 60 && m < 11 * 60)).toBe(true);
    }
    // A shortened day keeps the whole day's intensity: its hours get their share, not the day's volume.
    const counts = hourlyCounts({ ...WEEKDAY, from: 9 * 60, until: 11 * 60 });
    const mean = (counts[9]! + counts[10]!) / SEEDS;
    const lambda = expectedInHour(WEEKDAY, 9) + expectedInHour(WEEKDAY, 10);
    expect(Math.abs(mean - lambda)).toBeLessThan(4.5 * Math.sqrt(lambda / SEEDS));
  });

  it('is the same day for the same seed, another for another', () => {
    const a = arrivalMinutes(WEEKDAY, new Rng(7).fork('day-arrivals'));
    expect(arrivalMinutes(WEEKDAY, new Rng(7).fork('day-arrivals'))).toEqual(a);
    expect(arrivalMinutes(WEEKDAY, new Rng(8).fork('day-arrivals'))).not.toEqual(a);
  });

  it('brings nobody when nobody is expected', () => {
    expect(arrivalMinutes({ ...WEEKDAY, expected: 0 }, new Rng(1))).toEqual([]);
    expect(arrivalMinutes({ ...WEEKDAY, open: [] }, new Rng(1))).toEqual([]);
  });
});
