// sim batch on real worker threads: jobs spread over a pool and merged in job order (the same
// bytes for one worker, two, and the in-process runner), workers that die or throw, Ctrl-C, and
// the command as a user runs it (bad input refused before anything runs, exit status, outputs).
import { execFile, spawn } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runOnWorkers } from '../cli/batch-command.js';
import { runBatchJob } from '../cli/batch-job.js';
import type { Site } from '../src/map/index.js';
import { batchJobs, type BatchJob } from '../sim/batch/jobs.js';
import type { BatchOutcome } from '../sim/batch/outcome.js';
import { batchReportJson, mergeBatch } from '../sim/batch/report.js';
import { writeBatchScenarios, type BatchScenarios } from './support/batch-scenarios.js';

const DYING_WORKER = new URL('./support/batch-dying-worker.mjs', import.meta.url);
const BIN = path.resolve('bin/medhjalparen.js');
let s: BatchScenarios;

beforeAll(async () => {
  s = await writeBatchScenarios();
});

function files() {
  return [
    { file: s.escort, scenario: 'short escort', seedBase: 5 },
    { file: s.unknown, scenario: 'not understood', seedBase: 3 },
  ];
}

function json(outcomes: BatchOutcome[]): string {
  return batchReportJson(mergeBatch(files(), 2, outcomes, false));
}

describe('the batch pool', () => {
  it('runs every job and merges in job order; 1 worker, 2 workers and in process give the same bytes', async () => {
    const jobs = batchJobs(files(), 2);
    const finished: number[] = [];
    const two = await runOnWorkers(jobs, 2, undefined, (job) => finished.push(job.index));
    expect(finished.sort()).toEqual([0, 1, 2, 3]);
    expect(two.map((o) => [o.run.file, o.run.seed])).toEqual([
      [s.escort, 5],
      [s.escort, 6],
      [s.unknown, 3],
      [s.unknown, 4],
    ]);
    expect(two.map((o) => o.run.ok)).toEqual([true, true, true, true]);
    // The escort drove from the dock (x 1.2) towards the library (x 14): its samples show it.
    const escort = two[0]!.trajectory!;
    expect(escort.robot.length).toBeGreaterThan(40);
    expect(Math.max(...escort.robot.map((p) => p[0]))).toBeGreaterThan(12);
    const one = await runOnWorkers(jobs, 1);
    expect(json(one)).toBe(json(two));
    const sites = new Map<string, Promise<Site>>();
    const inProcess: BatchOutcome[] = [];
    for (const job of jobs) inProcess.push(await runBatchJob(job, sites));
    expect(json(inProcess)).toBe(json(two));
  });

  it('reports a job whose worker exits or throws, or whose file is gone, as failed with why; the rest run', async () => {
    const jobs: BatchJob[] = [
      ...batchJobs([{ file: s.escort, scenario: 'short escort', seedBase: 12 }], 4),
      { index: 4, file: path.join(s.dir, 'gone.yaml'), scenario: 'gone', seed: 1, sampleHz: 2 },
    ];
    const outcomes = await runOnWorkers(jobs, 2, undefined, undefined, DYING_WORKER);
    const bySeed = outcomes.map((o) => o.run);
    expect(bySeed.map((r) => r.seed)).toEqual([12, 13, 14, 15, 1]);
    expect('requests' in bySeed[0]!).toBe(true);
    expect(bySeed[1]).toMatchObject({
      scenario: 'short escort',
      result: 'error',
      errors: ['the run failed: its worker exited with code 7'],
      ok: false,
    });
    expect(bySeed[2]).toMatchObject({
      result: 'error',
      errors: ['the run failed: its worker failed: injected failure in the worker'],
    });
    expect('requests' in bySeed[3]!).toBe(true);
    expect(bySeed[4]).toMatchObject({ scenario: 'gone', result: 'error', ok: false });
    expect((bySeed[4] as { errors: string[] }).errors.join()).toMatch(/gone\.yaml/);
  });

  it('stops on abort: finished runs kept, the others not run, and the pool ends', async () => {
    const jobs = batchJobs([{ file: s.unknown, scenario: 'not understood', seedBase: 1 }], 4);
    const abort = new AbortController();
    const outcomes = await runOnWorkers(jobs, 1, abort.signal, () => abort.abort());
    expect('requests' in outcomes[0]!.run).toBe(true);
    for (const o of outcomes.slice(1)) {
      expect(o.run).toMatchObject({
        result: 'not_run',
        errors: ['not run: the batch was interrupted (Ctrl-C)'],
      });
    }
    const report = JSON.parse(batchReportJson(mergeBatch(files().slice(1), 4, outcomes, true)));
    expect(report.interrupted).toBe(true);
    expect(report.batch.summary).toMatchObject({ runs: 4, ok: 1, not_run: 3 });
  });
});

const run = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      maxBuffer: 32 * 1024 * 1024,
      timeout: 120_000,
      killSignal: 'SIGKILL',
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('medhjalparen sim batch', () => {
  it('refuses a bad scenario with its file and line, too many seeds, and outputs over other files; nothing runs', async () => {
    const bad = path.join(s.dir, 'bad.yaml');
    await writeFile(bad, `site: x\nseed: lots\n`);
    const report = path.join(s.dir, 'never.json');
    const r = await cli(['sim', 'batch', s.escort, bad, '--report', report]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: seed: expected a whole number, found "lots"`);
    expect(r.stderr).toMatch(/nothing was run/);
    expect(r.stdout).not.toMatch(/PASS/);
    await expect(access(report)).rejects.toThrow();
    const seeds = await cli(['sim', 'batch', s.escort, '--seeds', '1001']);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr).toMatch(/--seeds 1001: the limit .* is 1000 \(batchSeeds, docs\/limits\.md\)/);
    const overScenario = await cli(['sim', 'batch', s.escort, '--report', s.escort]);
    expect(overScenario.code).toBe(2);
    expect(overScenario.stderr).toMatch(/one of the scenarios to run/);
    const overHtml = await cli(['sim', 'batch', s.escort, '--html', s.escort]);
    expect(overHtml.code).toBe(2);
    expect(overHtml.stderr).toMatch(/--html .*which this batch reads or writes/);
    const overOther = await cli(['sim', 'batch', s.escort, '--html', s.unknown]);
    expect(overOther.code).toBe(2);
    expect(overOther.stderr).toMatch(/--html .*exists and is not an earlier page of sim batch/);
  });

  it('runs the seeds on workers, writes the merged report and the page, and exits 1 when a run failed', async () => {
    const failing = await writeBatchScenarios({ failingUnknown: true });
    const report = path.join(failing.dir, 'out.json');
    const html = path.join(failing.dir, 'out.html');
    const r = await cli([
      'sim',
      'batch',
      failing.unknown,
      '--seeds',
      '2',
      '--workers',
      '2',
      '--report',
      report,
      '--html',
      html,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/2 runs \(1 files × 2 seeds\) on 2 worker threads/);
    const json = JSON.parse(await readFile(report, 'utf8'));
    expect(json.runs.map((x: { seed: number; ok: boolean }) => [x.seed, x.ok])).toEqual([
      [3, false],
      [4, false],
    ]);
    expect(json.batch.files).toEqual([{ file: failing.unknown, seed_base: 3 }]);
    const page = await readFile(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('destination: expected kela, got (none)');
    // An earlier report and page may be overwritten by the next batch (with another seed base).
    const again = await cli([
      'sim',
      'batch',
      failing.unknown,
      '--seed-base',
      '9',
      '--report',
      report,
      '--html',
      html,
    ]);
    expect(again.code).toBe(1);
    expect(JSON.parse(await readFile(report, 'utf8')).runs[0].seed).toBe(9);
  });

  it('stops on Ctrl-C after the first run and still writes the report, saying it was interrupted', async () => {
    const report = path.join(s.dir, 'interrupted.json');
    const child = spawn(process.execPath, [
      BIN,
      'sim',
      'batch',
      s.unknown,
      '--seeds',
      '6',
      '--workers',
      '1',
      '--report',
      report,
    ]);
    let stdout = '';
    let stopped = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stopped && stdout.includes('[1/6]')) stopped = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stdout).toMatch(/stopping: the workers are stopped/);
    expect(code).toBe(130);
    const json = JSON.parse(await readFile(report, 'utf8'));
    expect(json.interrupted).toBe(true);
    expect(json.runs).toHaveLength(6);
    expect(json.runs[0].ok).toBe(true);
    expect(json.runs.at(-1)).toMatchObject({ seed: 8, result: 'not_run', ok: false });
  });
});
