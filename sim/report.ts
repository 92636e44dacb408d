import { LIMITS, showControls } from '../src/input/index.js';
import type { Site } from '../src/map/index.js';
import { relativePose } from '../src/ros/index.js';
import type { CustomerRun } from './customer-play.js';
import type { LocalizationReport } from './localization-watch.js';
import { round } from './round.js';

export { round };
import type { CustomerSpec, Outcome, Scenario } from './scenario.js';
import { requestSocialFailures, runSocialFailures } from './social-expect.js';
import type { RequestSocial, RunSocial } from './social-metrics.js';
import type { SimWorld } from './world.js';

/** One customer's request as the run saw it. Only simulated customers' text is ever recorded. */
export interface RequestReport {
  index: number;
  text: string;
  language: string;
  /** Destination the robot chose ('' when none). */
  destination: string;
  outcome: Outcome | 'unfinished';
  success: boolean;
  /** Request to arrival (or to the end of the attempt), simulated seconds. */
  duration_s: number;
  /** Distance the robot drove while escorting, m. */
  path_length_m: number;
  /** Closest the robot's edge came to any person's edge during the request, m. */
  min_person_distance_m: number;
  /** Why it failed ('' on success): the mission's reason code. */
  reason: string;
  /** What the robot said, by phrase kind, in order. */
  said: string[];
  /** Destination ids the robot offered as choices (asked back, the way on), in the order first offered. */
  choices: string[];
  /** Social-navigation metrics of its escort (docs/social-metrics.md); null: never escorted. */
  social: RequestSocial | null;
  expectation_failures: string[];
}

export interface RunReport {
  scenario: string;
  file: string;
  site: string;
  seed: number;
  sim_time_s: number;
  /** `robot`: contacts with other robots, only in a fleet's run (fleet-report.ts). */
  collisions: { wall: number; obstacle: number; person: number; robot?: number };
  min_person_distance_m: number;
  /** The localiser's estimate against the ground truth over the run, and each injected fault. */
  localization: LocalizationReport;
  /** Social-navigation metrics over the run: whole-run intrusions, aggregates over its escorts. */
  social: RunSocial;
  requests: RequestReport[];
  expectation_failures: string[];
  ok: boolean;
}

/**
 * A scenario with no run to report: it could not run (its file or its site is wrong, or the run
 * itself failed) or it was not reached (the batch was interrupted).
 */
export interface FailedRun {
  scenario: string;
  file: string;
  result: 'error' | 'not_run';
  /** Why, one line each (a bad file: every problem, with file:line and field). */
  errors: string[];
  ok: false;
}

export type RunEntry = RunReport | FailedRun;

export function isFailedRun(r: RunEntry): r is FailedRun {
  return 'errors' in r;
}

/** The JSON report; one interrupted (Ctrl-C) says so. */
export function reportJson(reports: readonly RunEntry[], interrupted = false): string {
  return `${JSON.stringify(interrupted ? { runs: reports, interrupted: true } : { runs: reports }, null, 2)}\n`;
}

/** Checks a request's result against the scenario's expectation for it. */
export function requestExpectationFailures(
  expect: CustomerSpec['expect'],
  r: Pick<RequestReport, 'outcome' | 'destination'> & {
    said?: readonly string[];
    choices?: readonly string[];
  },
): string[] {
  const out: string[] = [];
  if (!expect) return out;
  if (expect.outcome && r.outcome !== expect.outcome)
    out.push(`outcome: expected ${expect.outcome}, got ${r.outcome}`);
  if (expect.destination !== undefined && r.destination !== expect.destination) {
    out.push(`destination: expected ${expect.destination || '(none)'}, got ${r.destination || '(none)'}`);
  }
  if (expect.says) {
    // In order, others may come between: the robot may repeat itself or say more.
    const said = r.said ?? [];
    let from = 0;
    for (const kind of expect.says) {
      const at = said.indexOf(kind, from);
      if (at < 0) {
        out.push(
          `says: expected '${kind}' after [${said.slice(0, from).join(', ')}], got [${said.join(', ')}]`,
        );
        break;
      }
      from = at + 1;
    }
  }
  if (expect.choices) {
    const offered = r.choices ?? [];
    const missing = expect.choices.filter((id) => !offered.includes(id));
    if (missing.length > 0)
      out.push(`choices: expected [${expect.choices.join(', ')}] offered, got [${offered.join(', ')}]`);
  }
  return out;
}

/** A fixed-width summary table for the terminal; text from files is shown with its control characters escaped. */
export function summaryTable(reports: readonly RunEntry[], wallS: Map<string, number>): string {
  const rows: string[][] = [
    [
      'scenario',
      'requests',
      'ok',
      'failed',
      'collisions',
      'closest m',
      'personal %',
      'path ratio',
      'sim s',
      'wall s',
      'x real time',
      'result',
    ],
  ];
  for (const r of reports) {
    if (isFailedRun(r)) {
      const result = r.result === 'error' ? 'ERROR' : 'NOT RUN';
      rows.push([cell(r.scenario), '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', result]);
      continue;
    }
    const failed = r.requests.filter((q) => q.expectation_failures.length > 0).length;
    const collisions =
      r.collisions.wall + r.collisions.obstacle + r.collisions.person + (r.collisions.robot ?? 0);
    const wall = wallS.get(r.file) ?? NaN;
    rows.push([
      cell(r.scenario),
      String(r.requests.length),
      String(r.requests.filter((q) => q.success).length),
      String(failed),
      String(collisions),
      r.min_person_distance_m.toFixed(2),
      r.social.personal_intrusion_pct.toFixed(1),
      r.social.path_length_ratio_max?.toFixed(2) ?? '-',
      r.sim_time_s.toFixed(0),
      wall.toFixed(1),
      (r.sim_time_s / wall).toFixed(0),
      r.ok ? 'PASS' : 'FAIL',
    ]);
  }
  return formatTable(rows);
}

export function requestTable(r: RunReport): string {
  const rows: string[][] = [['#', 'asked', 'lang', 'destination', 'outcome', 's', 'm', 'closest m', 'note']];
  for (const q of r.requests) {
    rows.push([
      String(q.index),
      cell(q.text, 34),
      q.language,
      cell(q.destination) || '-',
      q.outcome,
      q.duration_s.toFixed(1),
      q.path_length_m.toFixed(1),
      q.min_person_distance_m.toFixed(2),
      showControls(q.expectation_failures.join('; ') || q.reason),
    ]);
  }
  return formatTable(rows);
}

/** Text from a file for a table cell: control characters shown, cut to `max` characters. */
function cell(text: string, max: number = LIMITS.nameChars.value): string {
  const shown = showControls(text);
  return [...shown].length > max ? `${[...shown].slice(0, max - 1).join('')}…` : shown;
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export interface ReportInput {
  scenario: Scenario;
  site: Site;
  runs: readonly CustomerRun[];
  world: SimWorld;
  simTimeS: number;
  overallMinPersonM: number;
  /** Where each event that never happened stands in the scenario file. */
  neverFired: readonly string[];
  /** Stopped early (Ctrl-C): the run fails, saying so. */
  interrupted?: boolean;
  localization: LocalizationReport;
  /** Each request's social metrics and the run's summary (social-watch.ts). */
  social: SocialSource;
}

export interface SocialSource {
  request(c: CustomerRun, arrived: boolean): RequestSocial | null;
  run(requests: readonly (RequestSocial | null)[]): RunSocial;
}

/** The run's report: each request as the customers saw it, and the run's own expectations. */
export function buildReport(input: ReportInput): RunReport {
  const { scenario, site, world } = input;
  const requests = input.runs.map((c) =>
    requestReport(c, scenario, input.simTimeS, input.interrupted ?? false, input.social),
  );
  const social = input.social.run(requests.map((r) => r.social));
  const m = world.metrics();
  const failures: string[] = [];
  const collisions = m.collisions.wall + m.collisions.obstacle + m.collisions.person;
  const maxCollisions = scenario.expect.collisions ?? 0;
  if (collisions > maxCollisions) failures.push(`collisions: expected ≤ ${maxCollisions}, got ${collisions}`);
  const minPersonM = scenario.expect.minPersonDistanceM;
  if (minPersonM !== undefined && input.overallMinPersonM < minPersonM) {
    failures.push(`min person distance: expected ≥ ${minPersonM} m, got ${round(input.overallMinPersonM)}`);
  }
  if (input.interrupted)
    failures.push(`interrupted (Ctrl-C) after ${round(input.simTimeS, 1)} s of simulated time`);
  for (const where of input.neverFired) failures.push(`${where}: event never happened`);
  failures.push(...runSocialFailures(scenario.expect.social, social));
  const home = relativePose(site.dock, world.robotPose());
  if (Math.hypot(home.x, home.y) > 0.5)
    failures.push(`robot ended ${round(Math.hypot(home.x, home.y), 2)} m from its dock`);
  return {
    scenario: scenario.name,
    file: scenario.file,
    site: site.id,
    seed: scenario.seed,
    sim_time_s: round(input.simTimeS, 2),
    collisions: m.collisions,
    min_person_distance_m: round(input.overallMinPersonM, 3),
    localization: input.localization,
    social,
    requests,
    expectation_failures: failures,
    ok: failures.length === 0 && requests.every((r) => r.expectation_failures.length === 0),
  };
}

function requestReport(
  c: CustomerRun,
  scenario: Scenario,
  simTimeS: number,
  interrupted: boolean,
  socialSource: SocialSource,
): RequestReport {
  const outcome = c.phase === 'done' ? (c.outcome ?? 'error') : 'unfinished';
  const failures = requestExpectationFailures(c.spec.expect, {
    outcome,
    destination: c.destination,
    said: c.said,
    choices: c.offered,
  });
  const social = socialSource.request(c, outcome === 'arrived');
  failures.push(...requestSocialFailures(c.spec.expect?.social, social));
  if (outcome === 'unfinished') {
    failures.push(
      interrupted
        ? 'unfinished: the run was interrupted'
        : `unfinished at the time limit (${scenario.timeLimitS} s)`,
    );
  }
  return {
    index: c.index,
    text: c.spec.ask,
    language: c.spec.language,
    destination: c.destination,
    outcome,
    success: outcome === 'arrived',
    duration_s: round(((c.endS ?? simTimeS) - c.askedAtS) * (c.phase === 'waiting' ? 0 : 1), 2),
    path_length_m: round(c.pathLengthM, 2),
    min_person_distance_m: round(c.minPersonDistanceM, 3),
    reason: outcome === 'arrived' ? '' : (c.reasons.at(-1) ?? ''),
    said: c.said,
    choices: c.offered,
    social,
    expectation_failures: failures,
  };
}
