/**
 * The merged report of a batch: `sim run`'s shape (`{ "runs": [...] }`, so whatever reads a
 * run's report reads these, and `--report` may overwrite either) with a `batch` object beside
 * it: the files and seeds, a summary, and each run's trajectory. Runs are in job order (files as
 * given, seeds rising) and nothing in it depends on the machine, the wall clock or the number of
 * workers: the same batch gives the same bytes.
 */
import type { Trajectory } from './trajectory.js';
import type { BatchFile } from './jobs.js';
import { distribution, requestMetrics, type Distribution } from './metrics.js';
import type { BatchOutcome, BatchRunEntry } from './outcome.js';

export interface BatchSummary {
  runs: number;
  ok: number;
  failed: number;
  /** Runs with no report: they could not run or their worker died. */
  errors: number;
  not_run: number;
  requests: number;
  requests_succeeded: number;
  collisions: { wall: number; obstacle: number; person: number };
  /** Every numeric per-request metric's distribution over the batch. */
  metrics: Record<string, Distribution>;
}

export interface BatchReport {
  runs: BatchRunEntry[];
  interrupted?: true;
  batch: {
    files: Array<{ file: string; seed_base: number }>;
    seeds: number;
    summary: BatchSummary;
    /** Each run's trajectory, in the order of `runs` (null: it did not run). */
    trajectories: Array<Trajectory | null>;
  };
}

/** The outcomes (in job order, as the pool gives them) as one report. */
export function mergeBatch(
  files: readonly BatchFile[],
  seeds: number,
  outcomes: readonly BatchOutcome[],
  interrupted: boolean,
): BatchReport {
  const runs = outcomes.map((o) => o.run);
  return {
    runs,
    ...(interrupted ? { interrupted: true as const } : {}),
    batch: {
      files: files.map((f) => ({ file: f.file, seed_base: f.seedBase })),
      seeds,
      summary: summarizeBatch(runs),
      trajectories: outcomes.map((o) => o.trajectory),
    },
  };
}

export function summarizeBatch(runs: readonly BatchRunEntry[]): BatchSummary {
  const collisions = { wall: 0, obstacle: 0, person: 0 };
  let requests = 0;
  let succeeded = 0;
  for (const run of runs) {
    if (!('requests' in run)) continue;
    requests += run.requests.length;
    succeeded += run.requests.filter((r) => r.success).length;
    collisions.wall += run.collisions.wall;
    collisions.obstacle += run.collisions.obstacle;
    collisions.person += run.collisions.person;
  }
  const metrics: Record<string, Distribution> = {};
  for (const [name, values] of requestMetrics(runs)) metrics[name] = distribution(values);
  return {
    runs: runs.length,
    ok: runs.filter((r) => r.ok).length,
    failed: runs.filter((r) => !r.ok).length,
    errors: runs.filter((r) => 'result' in r && r.result === 'error').length,
    not_run: runs.filter((r) => 'result' in r && r.result === 'not_run').length,
    requests,
    requests_succeeded: succeeded,
    collisions,
    metrics,
  };
}

/**
 * The report as written: two-space JSON like `sim run`'s, except that each trajectory is one line
 * (a point a line would make an hour's run 30,000 lines).
 */
export function batchReportJson(report: BatchReport): string {
  const { trajectories, ...rest } = report.batch;
  // `batch` is the last key, so the text ends with its closing brace and the report's.
  const body = JSON.stringify({ ...report, batch: rest }, null, 2);
  const closing = '\n  }\n}';
  const lines = trajectories.map((t) => `      ${JSON.stringify(t)}`).join(',\n');
  const list = trajectories.length > 0 ? `[\n${lines}\n    ]` : '[]';
  return `${body.slice(0, -closing.length)},\n    "trajectories": ${list}${closing}\n`;
}
