/**
 * The day's report: every customer who came, by what became of them (escorted, refused and why,
 * handed over, told the way, gave up waiting, …), how long they waited for the robot, how far it
 * drove, its battery, the share of opening hours it was in service, and collisions; as JSON
 * (the same bytes for the same seed: simulated time only, the wall time apart in its own field)
 * and as a short table. Schema: docs/day.md.
 */
import type { LocalizationReport } from '../localization-watch.js';
import { percentile } from '../localization-watch.js';
import { formatTable, type RunReport } from '../report.js';
import { round } from '../round.js';
import type { DayArrival } from './day-customers.js';
import type { DayPlan } from './day-plan.js';
import type { DaySummary, WatchedRequest } from './day-watch.js';
import { formatClock, formatDate } from './local-time.js';

/** What the day is held to (the issue's goals). */
export const DAY_GOALS = {
  time_in_service_pct_min: 90,
  battery_refusals_max: 0,
  collisions_max: 0,
} as const;

/** Outcomes of a request the robot took up but did not escort to the end because of its battery. */
const REFUSED = 'refused';
const HANDED_OVER = 'handed_over';
const SERVED = 'arrived';

export interface CountByReason {
  total: number;
  by_reason: Record<string, number>;
}

export interface DayReport {
  day: {
    site: string;
    date: string;
    weekday: string;
    timezone: string;
    /** The centre's hours that day, 'HH:MM-HH:MM', and whether the site gave them. */
    opening: string[];
    hours_from: 'site' | 'default';
    /** The run's window, local 'HH:MM'. */
    from: string;
    until: string;
    seed: number;
    visits: number;
    expected_requests: number;
    pedestrians: number;
    sim_time_s: number;
  };
  requests: {
    /** Every customer who came to the robot within the window. */
    total: number;
    /** Escorted to the desk (outcome arrived). */
    served: number;
    refused: CountByReason;
    handed_over: CountByReason;
    /** Their patience ran out before the robot was free for them. */
    gave_up_waiting: number;
    /** Still waiting when the run ended (within their patience). */
    waiting_at_end: number;
    /** Asked, but not decided when the run ended. */
    unfinished: number;
    /** Every other outcome (directions, elsewhere, unknown, closed, lost, nav_failed, …). */
    other: Record<string, number>;
    /** Every decided request by its last reason ('' when all went to plan). */
    by_reason: Record<string, number>;
    by_language: Record<string, number>;
  };
  /** s each customer waited for the robot, over those who asked (those who gave up apart). */
  waiting_s: { count: number; p50: number; p95: number; max: number; mean: number };
  distance_m: number;
  battery: {
    start_charge: number;
    end_charge: number;
    min_charge: number;
    drawn_wh: number;
    charged_wh: number;
    capacity_wh: number;
    equivalent_full_cycles: number;
  } | null;
  service: {
    /** s the centre was open within the window. */
    open_s: number;
    in_service_s: number;
    time_in_service_pct: number;
    /** s in service serving someone (not idle), and its share of the open time. */
    busy_s: number;
    busy_pct: number;
    /** s out of service while open, by state (or state and reason). */
    out_of_service_s: Record<string, number>;
  };
  collisions: { wall: number; obstacle: number; person: number };
  localization: LocalizationReport;
  goals: {
    time_in_service_pct_min: number;
    battery_refusals_max: number;
    collisions_max: number;
    /** Goals not met, one line each. */
    failures: string[];
  };
  ok: boolean;
}

export interface DayReportInput {
  plan: DayPlan;
  siteId: string;
  run: RunReport;
  summary: DaySummary;
  requests: ReadonlyMap<number, WatchedRequest>;
  issued: readonly DayArrival[];
  gaveUp: readonly DayArrival[];
  /** Customers the stream had not handed out when the run ended. */
  notIssued: readonly DayArrival[];
}

export function buildDayReport(input: DayReportInput): DayReport {
  const { plan, run, summary } = input;
  const endS = run.sim_time_s;
  const requests = countRequests(input, endS);
  const waits = waitingTimes(input);
  const battery = summary.battery;
  const service = {
    open_s: round(summary.openS, 1),
    in_service_s: round(summary.inServiceS, 1),
    time_in_service_pct: summary.openS > 0 ? round((100 * summary.inServiceS) / summary.openS, 2) : 0,
    busy_s: round(summary.busyS, 1),
    busy_pct: summary.openS > 0 ? round((100 * summary.busyS) / summary.openS, 2) : 0,
    out_of_service_s: sortedRecord(summary.outOfServiceS, (s) => round(s, 1)),
  };
  const report: Omit<DayReport, 'goals' | 'ok'> = {
    day: {
      site: input.siteId,
      date: formatDate(plan.date),
      weekday: plan.weekday,
      timezone: plan.timezone,
      opening: plan.open.map((i) => `${formatClock(i.open)}-${formatClock(i.close)}`),
      hours_from: plan.hoursFrom,
      from: formatClock(plan.startMin),
      until: formatClock(plan.endMin),
      seed: plan.options.seed,
      visits: plan.options.visits,
      expected_requests: round(plan.expectedRequests, 1),
      pedestrians: plan.options.pedestrians,
      sim_time_s: round(endS, 2),
    },
    requests,
    waiting_s: {
      count: waits.length,
      p50: round(percentile(waits, 0.5), 1),
      p95: round(percentile(waits, 0.95), 1),
      max: round(percentile(waits, 1), 1),
      mean: round(waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0, 1),
    },
    distance_m: round(summary.distanceM, 1),
    battery: battery
      ? {
          start_charge: round(battery.startCharge, 4),
          end_charge: round(battery.endCharge, 4),
          min_charge: round(battery.minCharge, 4),
          drawn_wh: round(battery.drawnWh, 2),
          charged_wh: round(battery.chargedWh, 2),
          capacity_wh: battery.capacityWh,
          equivalent_full_cycles: round(battery.drawnWh / battery.capacityWh, 4),
        }
      : null,
    service,
    collisions: run.collisions,
    localization: run.localization,
  };
  const failures = goalFailures(report);
  return {
    ...report,
    goals: { ...DAY_GOALS, failures },
    ok: failures.length === 0,
  };
}

function countRequests(input: DayReportInput, endS: number): DayReport['requests'] {
  const refused: CountByReason = { total: 0, by_reason: {} };
  const handedOver: CountByReason = { total: 0, by_reason: {} };
  const other = new Map<string, number>();
  const byReason = new Map<string, number>();
  const byLanguage = new Map<string, number>();
  let served = 0;
  let unfinished = 0;
  let gaveUp = input.gaveUp.length;
  let waitingAtEnd = 0;
  const came = [...input.issued, ...input.gaveUp, ...input.notIssued].filter((a) => a.atS <= endS);
  for (const a of came) bump(byLanguage, a.language);
  // Customers never asked: the one the runner held for the robot to be free, and those after.
  const stillThere = (a: DayArrival) => a.atS + a.patienceS >= endS;
  const unasked = [
    ...input.issued.filter((a, i) => !input.requests.has(i) && a.atS <= endS),
    ...input.notIssued.filter((a) => a.atS <= endS),
  ];
  for (const a of unasked) {
    if (stillThere(a)) waitingAtEnd++;
    else gaveUp++;
  }
  for (const r of input.requests.values()) {
    if (r.outcome === undefined) {
      unfinished++;
      continue;
    }
    bump(byReason, r.reason ?? '');
    if (r.outcome === SERVED) served++;
    else if (r.outcome === REFUSED) addReason(refused, r.reason ?? '');
    else if (r.outcome === HANDED_OVER) addReason(handedOver, r.reason ?? '');
    else bump(other, r.outcome);
  }
  return {
    total: came.length,
    served,
    refused: { total: refused.total, by_reason: sortedRecord(new Map(Object.entries(refused.by_reason))) },
    handed_over: {
      total: handedOver.total,
      by_reason: sortedRecord(new Map(Object.entries(handedOver.by_reason))),
    },
    gave_up_waiting: gaveUp,
    waiting_at_end: waitingAtEnd,
    unfinished,
    other: sortedRecord(other),
    by_reason: sortedRecord(byReason),
    by_language: sortedRecord(byLanguage),
  };
}

/** Seconds each customer who asked waited from arriving until the robot was free for them. */
function waitingTimes(input: DayReportInput): number[] {
  const out: number[] = [];
  for (const [i, r] of input.requests) {
    const a = input.issued[i];
    if (a) out.push(Math.max(0, r.askedS - a.atS));
  }
  return out;
}

function goalFailures(r: Omit<DayReport, 'goals' | 'ok'>): string[] {
  const out: string[] = [];
  const pct = r.service.time_in_service_pct;
  if (r.service.open_s > 0 && pct < DAY_GOALS.time_in_service_pct_min)
    out.push(`time in service: expected ≥ ${DAY_GOALS.time_in_service_pct_min} %, got ${pct} %`);
  const battery = ['battery_low', 'battery_unreliable', 'battery_critical'];
  const refusedForBattery = battery.reduce((s, k) => s + (r.requests.refused.by_reason[k] ?? 0), 0);
  if (refusedForBattery > DAY_GOALS.battery_refusals_max)
    out.push(
      `refused for the battery: expected ≤ ${DAY_GOALS.battery_refusals_max}, got ${refusedForBattery}`,
    );
  const c = r.collisions;
  const collisions = c.wall + c.obstacle + c.person;
  if (collisions > DAY_GOALS.collisions_max)
    out.push(`collisions: expected ≤ ${DAY_GOALS.collisions_max}, got ${collisions}`);
  return out;
}

/** The report as JSON, with the run's wall time apart (the one field that differs run to run). */
export function dayReportJson(report: DayReport, wallTimeS: number): string {
  return `${JSON.stringify({ ...report, wall_time_s: round(wallTimeS, 1) }, null, 2)}\n`;
}

/** A short table for the terminal. */
export function dayTable(r: DayReport, wallTimeS: number): string {
  const q = r.requests;
  const reasons = (c: CountByReason) =>
    Object.entries(c.by_reason)
      .map(([k, n]) => `${k || '-'} ${n}`)
      .join(', ');
  const others = Object.entries(q.other)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const b = r.battery;
  const c = r.collisions;
  const rows: string[][] = [
    ['', 'value', 'goal'],
    ['customers', String(q.total), ''],
    ['escorted (arrived)', String(q.served), ''],
    ['refused', `${q.refused.total}${q.refused.total ? ` (${reasons(q.refused)})` : ''}`, 'battery: 0'],
    ['handed over', `${q.handed_over.total}${q.handed_over.total ? ` (${reasons(q.handed_over)})` : ''}`, ''],
    ['other outcomes', others || '-', ''],
    ['gave up waiting', String(q.gave_up_waiting), ''],
    ['waiting at end / unfinished', `${q.waiting_at_end} / ${q.unfinished}`, ''],
    [
      'wait for the robot p50 / p95 / max',
      `${fmtS(r.waiting_s.p50)} / ${fmtS(r.waiting_s.p95)} / ${fmtS(r.waiting_s.max)}`,
      '',
    ],
    [
      'time in service',
      `${r.service.time_in_service_pct.toFixed(1)} %`,
      `≥ ${DAY_GOALS.time_in_service_pct_min} %`,
    ],
    ['busy serving', `${r.service.busy_pct.toFixed(1)} % of the open hours`, ''],
    ['distance driven', `${(r.distance_m / 1000).toFixed(2)} km`, ''],
    ['battery min charge', b ? `${(100 * b.min_charge).toFixed(1)} %` : '-', ''],
    ['battery cycles (Wh drawn / capacity)', b ? b.equivalent_full_cycles.toFixed(2) : '-', ''],
    ['collisions', String(c.wall + c.obstacle + c.person), '0'],
    [
      'simulated / wall',
      `${fmtS(r.day.sim_time_s)} / ${wallTimeS.toFixed(1)} s (${(r.day.sim_time_s / Math.max(wallTimeS, 1e-9)).toFixed(0)}×)`,
      '',
    ],
  ];
  const head = `${r.day.site}, ${r.day.weekday} ${r.day.date}, open ${r.day.opening.join(', ')}, run ${r.day.from}–${r.day.until}, seed ${r.day.seed}`;
  return `${head}\n${formatTable(rows)}\n${r.ok ? 'all goals met' : r.goals.failures.map((f) => `✗ ${f}`).join('\n')}`;
}

function fmtS(s: number): string {
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function addReason(c: CountByReason, reason: string): void {
  c.total++;
  c.by_reason[reason] = (c.by_reason[reason] ?? 0) + 1;
}

/** A map as a plain object with its keys in order (the same bytes whatever order they came in). */
function sortedRecord(
  m: ReadonlyMap<string, number>,
  f: (v: number) => number = (v) => v,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = f(m.get(k)!);
  return out;
}
