/**
 * The command line under a bound: a real process, killed if it outlives `timeoutMs`, with its
 * peak resident memory measured (the kernel's count, reported by the process as it exits). For
 * hostile-input tests: each case must end in time, within memory, with success or a clear error.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'medhjalparen.js');
const RSS_HOOK = path.join(ROOT, 'test', 'support', 'report-peak-rss.mjs');

export interface BoundedRun {
  /** Exit status; null when it was killed (it outlived its bound or died on a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time, ms (for reporting the worst case; tests bound it, never expect it small). */
  wallMs: number;
  /** Peak resident memory, MB; NaN when the process never reached its exit handler. */
  peakRssMb: number;
  /** JavaScript heap still live after a full collection at exit, MB; NaN as for peakRssMb. */
  liveHeapMb: number;
  timedOut: boolean;
}

export interface BoundedOptions {
  cwd?: string;
  /** Kill after this long, ms. Default 60 s. */
  timeoutMs?: number;
  /** Written to stdin, which is then closed (default: closed at once). */
  input?: string;
  env?: Record<string, string>;
  /** Sends SIGINT (Ctrl-C) once stdout matches this, e.g. a progress line. */
  interruptWhen?: RegExp;
  /** Sends SIGINT (Ctrl-C) after this long, ms (a long run, stopped as a person would). */
  interruptAfterMs?: number;
}

export function runCliBounded(args: readonly string[], options: BoundedOptions = {}): Promise<BoundedRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bounded-'));
  const rssFile = path.join(dir, 'rss');
  const started = performance.now();
  const child = spawn(process.execPath, ['--expose-gc', '--import', RSS_HOOK, BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env, REPORT_PEAK_RSS: rssFile },
  });
  let stdout = '';
  let stderr = '';
  // Keep what a runaway command prints bounded too: the first megabyte is plenty to judge it.
  const keep = (s: string, b: Buffer) => (s.length < 1_048_576 ? s + b.toString() : s);
  let interrupted = false;
  const interrupt = () => {
    if (!interrupted) child.kill('SIGINT');
    interrupted = true;
  };
  child.stdout.on('data', (b: Buffer) => {
    stdout = keep(stdout, b);
    if (options.interruptWhen?.test(stdout)) interrupt();
  });
  child.stderr.on('data', (b: Buffer) => (stderr = keep(stderr, b)));
  child.stdin.end(options.input ?? '');
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  const ctrlC =
    options.interruptAfterMs === undefined ? undefined : setTimeout(interrupt, options.interruptAfterMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(ctrlC);
      let [peakRssMb, liveHeapMb] = [NaN, NaN];
      try {
        const bytes = JSON.parse(readFileSync(rssFile, 'utf8')) as { peak: number; live: number | null };
        peakRssMb = bytes.peak / 1_048_576;
        liveHeapMb = (bytes.live ?? NaN) / 1_048_576;
      } catch {
        // killed before its exit handler ran
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({
        code,
        signal,
        stdout,
        stderr,
        wallMs: performance.now() - started,
        peakRssMb,
        liveHeapMb,
        timedOut,
      });
    });
  });
}

/** The peak memory of the command line doing nothing much (`help`), MB: what growth is measured from. */
export async function baselineRssMb(): Promise<number> {
  return (await runCliBounded(['help'])).peakRssMb;
}
