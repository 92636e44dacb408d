/**
 * Benchmark helpers. Benchmarks measure wall time (that is their job), so they may read
 * performance.now(); nothing under src/ does.
 */
import { performance } from 'node:perf_hooks';

/** One line of the bench table. */
export interface BenchRow {
  /** Which benchmark, e.g. 'global planner'. */
  bench: string;
  /** What was measured, e.g. 'medhjalparen grid_astar p50'. */
  metric: string;
  value: number;
  unit: string;
  /** The target, e.g. '≤ 20 ms', and whether it was met. */
  target?: string;
  ok?: boolean;
  note?: string;
}

export interface Timing {
  samples: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Runs `fn` `warmup` times untimed, then `iterations` times timed; milliseconds. */
export function measure(fn: () => void, iterations: number, warmup = Math.min(5, iterations)): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return summarize(times);
}

export function summarize(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    samples: sorted.length,
    p50: pick(0.5),
    p99: pick(0.99),
    mean: sorted.reduce((s, t) => s + t, 0) / Math.max(1, sorted.length),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function wallMs(): number {
  return performance.now();
}
