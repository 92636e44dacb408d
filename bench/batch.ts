/**
 * sim batch's scaling: the same jobs (two scenarios of the sample floor with pedestrians, six seeds
 * each, 3–6 s per run: enough that each worker's start-up and warm-up, 3–5 s, do not dominate) on one
 * worker thread and on two, wall time from the pool's start to its last result (worker start-up
 * and loading the TypeScript included, as a user waits for it), and the speedup against the
 * issue's goal (≥ 1.8× on two cores). The named peer is the sequential in-process runner (what
 * `sim run` does: one run after another in this process, modules already loaded). The merged
 * reports of the three must be the same bytes.
 */
import os from 'node:os';
import { runOnWorkers } from '../cli/batch-command.js';
import { runBatchJob } from '../cli/batch-job.js';
import type { Site } from '../src/map/index.js';
import { batchJobs, type BatchFile } from '../sim/batch/jobs.js';
import type { BatchOutcome } from '../sim/batch/outcome.js';
import { batchReportJson, mergeBatch } from '../sim/batch/report.js';
import { wallMs, type BenchRow } from './harness.js';

const FILES: BatchFile[] = [
  { file: 'sim/scenarios/customer-falls-behind.yaml', scenario: 'customer falls behind', seedBase: 1 },
  { file: 'sim/scenarios/blocked-corridor.yaml', scenario: 'blocked corridor', seedBase: 1 },
];
const SEEDS = 6;

async function timed(run: () => Promise<BatchOutcome[]>): Promise<{ s: number; json: string }> {
  const t0 = wallMs();
  const outcomes = await run();
  const s = (wallMs() - t0) / 1000;
  return { s, json: batchReportJson(mergeBatch(FILES, SEEDS, outcomes, false)) };
}

export async function run(): Promise<BenchRow[]> {
  const jobs = batchJobs(FILES, SEEDS);
  const sites = new Map<string, Promise<Site>>();
  const peer = await timed(async () => {
    const out: BatchOutcome[] = [];
    for (const job of jobs) out.push(await runBatchJob(job, sites));
    return out;
  });
  const one = await timed(() => runOnWorkers(jobs, 1));
  const two = await timed(() => runOnWorkers(jobs, 2));
  const speedup = one.s / two.s;
  const same = one.json === two.json && two.json === peer.json;
  const load = os.loadavg()[0]!.toFixed(1);
  return [
    {
      bench: 'batch',
      metric: `sequential in-process runner, ${jobs.length} runs (peer)`,
      value: peer.s,
      unit: 's',
      note: 'one run after another in this process, as sim run does; modules already loaded',
    },
    { bench: 'batch', metric: `sim batch on 1 worker thread, ${jobs.length} runs`, value: one.s, unit: 's' },
    { bench: 'batch', metric: `sim batch on 2 worker threads, ${jobs.length} runs`, value: two.s, unit: 's' },
    {
      bench: 'batch',
      metric: 'speedup of 2 workers over 1',
      value: speedup,
      unit: '×',
      target: '≥ 1.8×',
      ok: speedup >= 1.8,
      note: `${os.availableParallelism()} cores, load ${load} at the end; against the in-process peer ${(peer.s / two.s).toFixed(2)}×; merged reports ${same ? 'byte-identical' : 'DIFFER'} across the three`,
    },
  ];
}
