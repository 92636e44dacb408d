import type { Outcome, Scenario } from './scenario.js';

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
  expectation_failures: string[];
}

export interface RunReport {
  scenario: string;
  file: string;
  site: string;
  seed: number;
  sim_time_s: number;
  collisions: { wall: number; obstacle: number; person: number };
  min_person_distance_m: number;
  requests: RequestReport[];
  expectation_failures: string[];
  ok: boolean;
}

/** Rounds for a stable, readable report: same seed → byte-identical JSON. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x > 0 ? 1e9 : -1e9;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function reportJson(reports: RunReport[]): string {
  return `${JSON.stringify({ runs: reports }, null, 2)}\n`;
}

/** Checks a request's result against the scenario's expectation for it. */
export function requestExpectationFailures(
  expect: Scenario['customers'][number]['expect'],
  r: Pick<RequestReport, 'outcome' | 'destination'> & { said?: readonly string[] },
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
  return out;
}

/** A fixed-width summary table for the terminal. */
export function summaryTable(reports: RunReport[], wallS: Map<string, number>): string {
  const rows: string[][] = [
    [
      'scenario',
      'requests',
      'ok',
      'failed',
      'collisions',
      'closest m',
      'sim s',
      'wall s',
      'x real time',
      'result',
    ],
  ];
  for (const r of reports) {
    const failed = r.requests.filter((q) => q.expectation_failures.length > 0).length;
    const collisions = r.collisions.wall + r.collisions.obstacle + r.collisions.person;
    const wall = wallS.get(r.file) ?? NaN;
    rows.push([
      r.scenario,
      String(r.requests.length),
      String(r.requests.filter((q) => q.success).length),
      String(failed),
      String(collisions),
      r.min_person_distance_m.toFixed(2),
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
      q.text.length > 34 ? `${q.text.slice(0, 33)}…` : q.text,
      q.language,
      q.destination || '-',
      q.outcome,
      q.duration_s.toFixed(1),
      q.path_length_m.toFixed(1),
      q.min_person_distance_m.toFixed(2),
      q.expectation_failures.join('; ') || q.reason,
    ]);
  }
  return formatTable(rows);
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
