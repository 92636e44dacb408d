/**
 * A shortened day on the sample floor, on simulated time: twenty minutes of the morning peak, run
 * twice for the same seed; and the quarter hour before opening, when the centre is closed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../cli/simulate.js';
import { loadSite, type Site } from '../../src/map/index.js';
import type { RunSimulation } from '../sweep.js';
import type { DayOptions } from './day-plan.js';
import { dayReportJson, type DayReport } from './day-report.js';
import { runDay } from './day-run.js';

const run: RunSimulation = (scenario, site, onStart, hooks) => simulate(scenario, { site, onStart }, hooks);

let site: Site;
beforeAll(async () => {
  site = await loadSite('maps/iso-omena');
});

/** Every customer who came is accounted for exactly once. */
function accounted(r: DayReport): number {
  const q = r.requests;
  const others = Object.values(q.other).reduce((a, b) => a + b, 0);
  return (
    q.served +
    q.refused.total +
    q.handed_over.total +
    others +
    q.gave_up_waiting +
    q.waiting_at_end +
    q.unfinished
  );
}

describe('sim day (a shortened day)', () => {
  // Thursday 26 November 2026: the centre is open 08:00–20:00.
  const peak: DayOptions = {
    date: '2026-11-26',
    seed: 3,
    visits: 4500,
    pedestrians: 2,
    fromMin: 9 * 60 + 35,
    untilMin: 9 * 60 + 55,
  };

  it('is the same day for the same seed, with every customer accounted for and no collision', async () => {
    const first = await runDay(site, peak, run);
    const second = await runDay(site, peak, run);
    expect(dayReportJson(second, 0)).toBe(dayReportJson(first, 0));

    const q = first.requests;
    expect(q.total).toBeGreaterThanOrEqual(4);
    expect(accounted(first)).toBe(q.total);
    expect(q.served).toBeGreaterThanOrEqual(Math.ceil(q.total / 2));
    expect(q.by_reason).not.toHaveProperty('internal_error');
    expect(first.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
    expect(first.waiting_s.count).toBe(q.total - q.gave_up_waiting - q.waiting_at_end);
    expect(first.distance_m).toBeGreaterThan(100);
    expect(first.service.open_s).toBe(1200);
    expect(first.service.time_in_service_pct).toBeGreaterThanOrEqual(90);
    expect(first.battery!.min_charge).toBeGreaterThan(0.5);
    expect(first.battery!.equivalent_full_cycles).toBeGreaterThan(0);
    expect(first.day.from).toBe('09:35');
    expect(first.ok).toBe(true);
  }, 240_000);

  it('turns away whoever asks before the centre opens, and serves them once it is open', async () => {
    const early: DayOptions = {
      date: '2026-11-26',
      seed: 1,
      visits: 4500,
      pedestrians: 0,
      fromMin: 7 * 60 + 45,
      untilMin: 8 * 60 + 10,
      // Two early birds, and one just after opening.
      arrivalsMin: [7 * 60 + 50, 7 * 60 + 55, 8 * 60 + 2],
    };
    const r = await runDay(site, early, run);
    expect(r.requests.total).toBe(3);
    expect(r.requests.refused.by_reason).toEqual({ centre_closed: 2 });
    expect(accounted(r)).toBe(3);
    // Each asked at once: the early ones were answered, not kept waiting for the opening.
    expect(r.waiting_s.count).toBe(3);
    expect(r.waiting_s.max).toBeLessThan(10);
    // Closed before 08:00 does not count against its time in service: only the open hours do.
    expect(r.service.open_s).toBe(600);
    expect(r.service.time_in_service_pct).toBeGreaterThanOrEqual(90);
    expect(r.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
  }, 120_000);
});
