import { beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../src/map/index.js';
import { loadSite, type Site } from '../../src/map/index.js';
import type { RunReport } from '../report.js';
import type { DayArrival } from './day-customers.js';
import { planDay } from './day-plan.js';
import { buildDayReport, dayReportJson, dayTable, type DayReportInput } from './day-report.js';
import type { DaySummary, WatchedRequest } from './day-watch.js';
import { inService } from './day-watch.js';

let site: Site;
beforeAll(async () => {
  site = await loadSite('maps/iso-omena');
});

const arrival = (atS: number, language: Language = 'fi', patienceS = 300): DayArrival => ({
  atS,
  language,
  patienceS,
});

function input(over: Partial<DayReportInput> = {}): DayReportInput {
  const plan = planDay(site, {
    date: '2026-11-26',
    seed: 1,
    visits: 4500,
    pedestrians: 0,
    fromMin: 9 * 60,
    untilMin: 10 * 60,
    arrivalsMin: [],
  });
  const run = {
    sim_time_s: 3700,
    collisions: { wall: 0, obstacle: 0, person: 0 },
    localization: {
      samples: 0,
      position_p95_m: 0,
      heading_p95_deg: 0,
      position_max_m: 0,
      lost_s: 0,
      faults: [],
    },
  } as unknown as RunReport;
  const summary: DaySummary = {
    openS: 3600,
    inServiceS: 3420,
    busyS: 900,
    outOfServiceS: new Map([['charging', 180]]),
    distanceM: 1234.5,
    battery: {
      startCharge: 0.9,
      endCharge: 0.8,
      minCharge: 0.75,
      drawnWh: 50,
      chargedWh: 30,
      capacityWh: 200,
    },
  };
  const requests = new Map<number, WatchedRequest>([
    [0, { askedS: 10, outcome: 'arrived', reason: '' }],
    [1, { askedS: 200, outcome: 'refused', reason: 'battery_low' }],
    [2, { askedS: 400, outcome: 'directions', reason: 'directions_given' }],
    [3, { askedS: 900, outcome: 'handed_over', reason: 'battery_handover' }],
    [4, { askedS: 3650 }],
  ]);
  return {
    plan,
    siteId: site.id,
    run,
    summary,
    requests,
    // Asked at 10, 200, 400, 900, 3650 s; the sixth was held for the robot when the run ended.
    issued: [arrival(0), arrival(100, 'sv'), arrival(400, 'en'), arrival(600), arrival(3500), arrival(3600)],
    gaveUp: [arrival(700, 'en', 150)],
    notIssued: [arrival(3000, 'fi', 200), arrival(3690, 'fi', 400)],
    ...over,
  };
}

describe('the day report', () => {
  it('accounts for every customer exactly once', () => {
    const r = buildDayReport(input());
    const q = r.requests;
    expect(q.total).toBe(9);
    expect(q.served).toBe(1);
    expect(q.refused).toEqual({ total: 1, by_reason: { battery_low: 1 } });
    expect(q.handed_over).toEqual({ total: 1, by_reason: { battery_handover: 1 } });
    expect(q.other).toEqual({ directions: 1 });
    expect(q.unfinished).toBe(1);
    // The one who gave up, and the one of 3000 s whose 200 s of patience ran out before the end.
    expect(q.gave_up_waiting).toBe(2);
    // The held one of 3600 s and the one of 3690 s are still within their patience at 3700 s.
    expect(q.waiting_at_end).toBe(2);
    const others = Object.values(q.other).reduce((a, b) => a + b, 0);
    expect(
      q.served +
        q.refused.total +
        q.handed_over.total +
        others +
        q.unfinished +
        q.gave_up_waiting +
        q.waiting_at_end,
    ).toBe(q.total);
    expect(q.by_language).toEqual({ en: 2, fi: 6, sv: 1 });
  });

  it('measures waiting from arrival to asking, and the day against its goals', () => {
    const r = buildDayReport(input());
    // Waits 10, 100, 0, 300, 150 s.
    expect(r.waiting_s).toEqual({ count: 5, p50: 100, p95: 300, max: 300, mean: 112 });
    expect(r.service.time_in_service_pct).toBe(95);
    expect(r.service.busy_pct).toBe(25);
    expect(r.service.out_of_service_s).toEqual({ charging: 180 });
    expect(r.battery?.equivalent_full_cycles).toBe(0.25);
    // A refusal for the battery misses its goal of none.
    expect(r.ok).toBe(false);
    expect(r.goals.failures).toEqual(['refused for the battery: expected ≤ 0, got 1']);
    const json = JSON.parse(dayReportJson(r, 12.3)) as { wall_time_s: number; day: { from: string } };
    expect(json.wall_time_s).toBe(12.3);
    expect(json.day.from).toBe('09:00');
    expect(dayTable(r, 12.3)).toContain('✗ refused for the battery');
  });

  it('misses its goals for a collision or too little time in service', () => {
    const base = input();
    const r = buildDayReport({
      ...base,
      run: { ...base.run, collisions: { wall: 0, obstacle: 0, person: 1 } },
      summary: { ...base.summary, inServiceS: 3000 },
      requests: new Map([[0, { askedS: 10, outcome: 'arrived', reason: '' }]]),
    });
    expect(r.goals.failures).toEqual([
      'time in service: expected ≥ 90 %, got 83.33 %',
      'collisions: expected ≤ 0, got 1',
    ]);
  });
});

describe('in service', () => {
  it('is every state but charging, closed, stranded, stopped, lost or paused, and no refusing reason', () => {
    expect(inService('idle', '')).toBe(true);
    expect(inService('escorting', '')).toBe(true);
    expect(inService('returning', 'return_blocked')).toBe(true);
    for (const s of ['charging', 'closed', 'battery_critical', 'estopped', 'stopped_safe', 'localizing'])
      expect(inService(s, ''), s).toBe(false);
    expect(inService('docking', 'battery_low')).toBe(false);
    expect(inService('idle', 'centre_closed')).toBe(false);
  });
});
