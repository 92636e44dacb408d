/**
 * What a sweep found, summed: escort success overall and with and without pedestrians, failures
 * by the mission's reason codes, collisions, per destination, and every failure with where the
 * robot stood. The JSON report holds the summary and every run; the tables are for a terminal.
 */
import { showControls } from '../src/input/index.js';
import { formatTable } from './report.js';
import { round } from './round.js';
import { SWEEP_START_TIME, type EscortResult, type SweepOptions, type SweepRun } from './sweep.js';

export interface SiteSweep {
  site: string;
  dir: string;
  destinations: string[];
  runs: SweepRun[];
}

export interface Tally {
  escorts: number;
  arrived: number;
  /** arrived / escorts, %, 2 decimals (100 when there were none). */
  success_pct: number;
  /** Escorts during which the robot touched anything. */
  escorts_with_collision: number;
  collisions: number;
  /** Failures by reason code. */
  reasons: Record<string, number>;
}

export interface SweepFailure {
  site: string;
  seed: number;
  pedestrians: number;
  from: string;
  to: string;
  reason: string;
  collisions: number;
  failed_at?: { x: number; y: number };
}

export interface SweepSummary {
  totals: Tally;
  without_pedestrians: Tally;
  with_pedestrians: Tally;
  from_dock: Tally;
  pairs: Tally;
  per_site: Record<string, Tally>;
  /** `site/destination` → its escorts (from the dock and as a pair's target). */
  per_destination: Record<string, Tally>;
  failures: SweepFailure[];
  sim_time_s: number;
  wall_s: number;
  /** Simulated seconds per wall second over the whole sweep. */
  real_time_factor: number;
}

type Flat = EscortResult & { site: string; seed: number; pedestrians: number; kind: SweepRun['kind'] };

export function summarize(sites: readonly SiteSweep[]): SweepSummary {
  const runs = sites.flatMap((s) => s.runs);
  const all: Flat[] = runs.flatMap((r) =>
    r.escorts.map((e) => ({ ...e, site: r.site, seed: r.seed, pedestrians: r.pedestrians, kind: r.kind })),
  );
  const per = (key: (e: Flat) => string) => {
    const groups = new Map<string, Flat[]>();
    for (const e of all) groups.set(key(e), [...(groups.get(key(e)) ?? []), e]);
    return Object.fromEntries([...groups].map(([k, es]) => [k, tally(es)]));
  };
  const simS = runs.reduce((s, r) => s + r.sim_time_s, 0);
  const wallS = runs.reduce((s, r) => s + r.wall_s, 0);
  return {
    totals: tally(all),
    without_pedestrians: tally(all.filter((e) => e.pedestrians === 0)),
    with_pedestrians: tally(all.filter((e) => e.pedestrians > 0)),
    from_dock: tally(all.filter((e) => e.kind === 'from-dock')),
    pairs: tally(all.filter((e) => e.kind === 'pair')),
    per_site: per((e) => e.site),
    per_destination: per((e) => `${e.site}/${e.to}`),
    failures: all
      .filter((e) => !e.arrived || collisionsOf(e) > 0)
      .map((e) => ({
        site: e.site,
        seed: e.seed,
        pedestrians: e.pedestrians,
        from: e.from,
        to: e.to,
        reason: e.arrived ? 'collision' : e.reason,
        collisions: collisionsOf(e),
        ...(e.failed_at ? { failed_at: e.failed_at } : {}),
      })),
    sim_time_s: round(simS, 1),
    wall_s: round(wallS, 2),
    real_time_factor: wallS > 0 ? round(simS / wallS, 1) : 0,
  };
}

export function tally(escorts: readonly EscortResult[]): Tally {
  const reasons: Record<string, number> = {};
  for (const e of escorts) if (!e.arrived) reasons[e.reason] = (reasons[e.reason] ?? 0) + 1;
  const arrived = escorts.filter((e) => e.arrived).length;
  return {
    escorts: escorts.length,
    arrived,
    success_pct: escorts.length === 0 ? 100 : round((100 * arrived) / escorts.length, 2),
    escorts_with_collision: escorts.filter((e) => collisionsOf(e) > 0).length,
    collisions: escorts.reduce((n, e) => n + collisionsOf(e), 0),
    reasons,
  };
}

function collisionsOf(e: EscortResult): number {
  return e.collisions.wall + e.collisions.obstacle + e.collisions.person;
}

/** The JSON report: how the sweep was run, its summary, and every run of every site. */
export function sweepReportJson(options: SweepOptions, sites: readonly SiteSweep[]): string {
  const summary = summarize(sites);
  return `${JSON.stringify({ sweep: { ...options, start_time: SWEEP_START_TIME }, summary, sites }, null, 2)}\n`;
}

/** Per destination: escorts, arrived, success, the failures' reasons, collisions. */
export function destinationTable(summary: SweepSummary): string {
  const rows = [['site/destination', 'escorts', 'arrived', 'success %', 'collisions', 'failures by reason']];
  for (const [key, t] of Object.entries(summary.per_destination)) {
    rows.push([
      showControls(key),
      String(t.escorts),
      String(t.arrived),
      t.success_pct.toFixed(1),
      String(t.collisions),
      reasonText(t.reasons),
    ]);
  }
  return formatTable(rows);
}

/** The sweep's headline: overall, without and with pedestrians, from the dock and in pairs. */
export function totalsTable(summary: SweepSummary): string {
  const rows = [['escorts', 'count', 'arrived', 'success %', 'with collision', 'failures by reason']];
  const line = (name: string, t: Tally) =>
    rows.push([
      name,
      String(t.escorts),
      String(t.arrived),
      t.success_pct.toFixed(2),
      String(t.escorts_with_collision),
      reasonText(t.reasons),
    ]);
  line('all', summary.totals);
  line('without pedestrians', summary.without_pedestrians);
  line('with pedestrians', summary.with_pedestrians);
  line('from the dock', summary.from_dock);
  line('between pairs', summary.pairs);
  return formatTable(rows);
}

export function failureLines(summary: SweepSummary, max = 50): string[] {
  const lines = summary.failures.slice(0, max).map((f) => {
    const at = f.failed_at ? ` at (${f.failed_at.x}, ${f.failed_at.y})` : '';
    const hit = f.collisions > 0 ? `, ${f.collisions} collision${f.collisions === 1 ? '' : 's'}` : '';
    return showControls(
      `${f.site} seed ${f.seed}${f.pedestrians ? ` +${f.pedestrians} ped` : ''}: ${f.from} → ${f.to}: ${f.reason}${at}${hit}`,
    );
  });
  if (summary.failures.length > max) lines.push(`… ${summary.failures.length - max} more in the report`);
  return lines;
}

function reasonText(reasons: Record<string, number>): string {
  return (
    Object.entries(reasons)
      .sort((a, b) => b[1] - a[1])
      .map(([r, n]) => `${r} ×${n}`)
      .join(', ') || '-'
  );
}
