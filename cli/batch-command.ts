/**
 * `sim batch <scenario.yaml>… --seeds N [--seed-base S] [--workers K] [--report out.json]
 * [--html out.html]`: every scenario file with N seeds, the runs spread over K worker threads,
 * merged into one report in a fixed order (the same bytes for any K) and drawn as one HTML page.
 * Every file and site is read and checked here first, and the output paths too: a typo costs
 * seconds and nothing runs (exit 2). Ctrl-C stops the workers and still writes what finished.
 * Exit status 0 when every run passed, 1 when any failed, 2 for bad input, 130 when interrupted.
 */
import os from 'node:os';
import { excerpt, showControls } from '../src/input/index.js';
import type { Site } from '../src/map/index.js';
import { batchHtml, type PlannedSite } from '../sim/batch/html.js';
import { batchJobs, batchSizeProblem, type BatchFile, type BatchJob } from '../sim/batch/jobs.js';
import { failedOutcome, type BatchOutcome } from '../sim/batch/outcome.js';
import { runPool } from '../sim/batch/pool.js';
import { batchReportJson, mergeBatch, type BatchReport } from '../sim/batch/report.js';
import { sitePlan } from '../sim/batch/site-plan.js';
import { SimError } from '../sim/errors.js';
import { loadScenarioOnSite } from '../sim/scenario-site.js';
import { htmlPathProblem } from './batch-output.js';
import { writeWhole } from './write-whole.js';
import { wallClockMs } from './pace.js';
import { reportPathProblem } from './sim-command.js';

export interface BatchOptions {
  seeds: number;
  /** The first seed of every file; default each file's own `seed`. */
  seedBase?: number;
  /** Worker threads; default the machine's available parallelism (never more than runs). */
  workers?: number;
  report?: string;
  html?: string;
}

/** The worker threads' entry: it sets up the TypeScript loader, then runs cli/batch-worker.ts. */
export const BATCH_WORKER = new URL('./batch-worker-entry.mjs', import.meta.url);

/** A scenario's seed is a 32-bit unsigned number. */
const MAX_SEED = 2 ** 32 - 1;

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

export async function runBatchCommand(files: string[], options: BatchOptions): Promise<number> {
  const tooBig = batchSizeProblem(files.length, options.seeds);
  if (tooBig) return refuse(tooBig);
  if (options.report !== undefined) {
    const wrong = await reportPathProblem(options.report, files);
    if (wrong) return refuse(`--report ${excerpt(options.report)}: ${wrong}`);
  }
  if (options.html !== undefined) {
    const wrong = await htmlPathProblem(options.html, [
      ...files,
      ...(options.report ? [options.report] : []),
    ]);
    if (wrong) return refuse(`--html ${excerpt(options.html)}: ${wrong}`);
  }
  const checked = await checkFiles(files, options.seedBase);
  if (!checked) return 2;
  const overflow = checked.files.find((f) => f.seedBase + options.seeds - 1 > MAX_SEED);
  if (overflow)
    return refuse(
      `${showControls(overflow.file)}: seeds ${overflow.seedBase}..${overflow.seedBase + options.seeds - 1} go past ${MAX_SEED}, the largest seed`,
    );
  const jobs = batchJobs(checked.files, options.seeds);
  const workers = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), jobs.length));
  out(
    `sim batch: ${jobs.length} runs (${files.length} files × ${options.seeds} seeds) on ${workers} worker thread${workers === 1 ? '' : 's'}\n`,
  );
  const t0 = wallClockMs();
  const { outcomes, interrupted } = await untilInterrupted((signal) =>
    runOnWorkers(jobs, workers, signal, progressLine(jobs.length)),
  );
  const report = mergeBatch(checked.files, options.seeds, outcomes, interrupted);
  out(summaryLines(report, (wallClockMs() - t0) / 1000));
  const written = await writeOutputs(report, checked.sites, options);
  if (interrupted) return 130;
  return written && report.runs.every((r) => r.ok) ? 0 : 1;
}

/** Runs the pool with Ctrl-C (SIGINT, SIGTERM) stopping it, and says whether it was stopped. */
async function untilInterrupted(
  run: (signal: AbortSignal) => Promise<BatchOutcome[]>,
): Promise<{ outcomes: BatchOutcome[]; interrupted: boolean }> {
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) return;
    out('\nstopping: the workers are stopped; the report covers the runs that finished\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const outcomes = await run(abort.signal);
    return { outcomes, interrupted: abort.signal.aborted };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Runs `jobs` on a pool of `workers` threads; the outcomes come back in job order. */
export function runOnWorkers(
  jobs: readonly BatchJob[],
  workers: number,
  signal?: AbortSignal,
  onResult?: (job: BatchJob, outcome: BatchOutcome) => void,
  workerUrl: URL = BATCH_WORKER,
): Promise<BatchOutcome[]> {
  return runPool<BatchJob, BatchOutcome>(jobs, {
    workerUrl,
    workers,
    failed: (job, kind, reason) => failedOutcome(job, job.scenario, kind, [reason]),
    ...(signal ? { signal } : {}),
    ...(onResult ? { onResult } : {}),
  });
}

/**
 * Every file read and checked against its site, or undefined after saying what is wrong with
 * each that is not (file:line and field, as `sim run` says it).
 */
async function checkFiles(
  files: readonly string[],
  seedBase: number | undefined,
): Promise<{ files: BatchFile[]; sites: PlannedSite[] } | undefined> {
  const loading = new Map<string, Promise<Site>>();
  const checked: BatchFile[] = [];
  const bySite = new Map<string, { site: Site; files: string[] }>();
  let bad = false;
  for (const file of files) {
    try {
      const { scenario, site } = await loadScenarioOnSite(file, loading);
      checked.push({ file, scenario: scenario.name, seedBase: seedBase ?? scenario.seed });
      const entry = bySite.get(site.dir) ?? { site, files: [] };
      entry.files.push(file);
      bySite.set(site.dir, entry);
    } catch (e) {
      bad = true;
      const lines = e instanceof SimError ? e.problems.map((p) => `${p.where}: ${p.what}`) : [String(e)];
      err(
        `medhjalparen: ${showControls(file)} cannot run:\n${lines.map((l) => `  ${excerpt(l, 1000)}\n`).join('')}`,
      );
    }
  }
  if (bad) {
    err('medhjalparen: sim batch: nothing was run\n');
    return undefined;
  }
  const sites = [...bySite.values()].map(({ site, files }) => ({ plan: sitePlan(site), files }));
  return { files: checked, sites };
}

async function writeOutputs(
  report: BatchReport,
  sites: PlannedSite[],
  options: BatchOptions,
): Promise<boolean> {
  let ok = true;
  if (options.report !== undefined)
    ok = (await writeWhole('--report', options.report, batchReportJson(report))) && ok;
  if (options.html !== undefined)
    ok = (await writeWhole('--html', options.html, batchHtml(report, sites))) && ok;
  return ok;
}

function progressLine(total: number): (job: BatchJob, outcome: BatchOutcome) => void {
  let done = 0;
  return (job, { run, wallS }) => {
    done++;
    const result = run.ok ? 'PASS' : 'result' in run ? run.result.toUpperCase() : 'FAIL';
    const time =
      'sim_time_s' in run ? ` (${run.sim_time_s.toFixed(0)} s simulated in ${wallS.toFixed(1)} s)` : '';
    const why = 'errors' in run ? `: ${showControls(run.errors[0] ?? '')}` : '';
    out(`  [${done}/${total}] ${showControls(run.scenario)}, seed ${job.seed}: ${result}${time}${why}\n`);
  };
}

function summaryLines(report: BatchReport, wallS: number): string {
  const s = report.batch.summary;
  return (
    `\n${s.ok} of ${s.runs} runs passed (${s.errors} could not run, ${s.not_run} not reached); ` +
    `${s.requests_succeeded} of ${s.requests} requests succeeded; ${wallS.toFixed(1)} s wall\n`
  );
}

function refuse(why: string): number {
  err(`medhjalparen: sim batch: ${why}; nothing was run\n`);
  return 2;
}
