/**
 * The numeric metrics of a batch's requests, found by walking each request's report rather than
 * by a fixed list: what report.ts adds later (a `social` object of intrusion percentages, jerk,
 * time not moving, …) is summarised and drawn without a change here. Nested numbers are named by
 * their path (`social.path_length_ratio`).
 */
import { percentile } from '../localization-watch.js';
import { round } from '../round.js';
import type { BatchRunEntry } from './outcome.js';

/** Numbers in a request report that are not measurements of the run. */
const NOT_METRICS = new Set(['index']);
/** report.ts rounds "never measured" (no person ever near: an infinite distance) to ±1e9. */
const UNMEASURED = 1e9;
/** How deep nested objects are walked (a metric is a number a level or two down, never a list). */
const MAX_DEPTH = 3;

export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  max: number;
  mean: number;
}

/** Every finite number of every request of `runs`, by metric, metrics in the order first seen. */
export function requestMetrics(runs: readonly BatchRunEntry[]): Map<string, number[]> {
  const metrics = new Map<string, number[]>();
  for (const run of runs) {
    if (!('requests' in run)) continue;
    for (const request of run.requests) collect(request, '', 0, metrics);
  }
  return metrics;
}

function collect(value: unknown, name: string, depth: number, into: Map<string, number[]>): void {
  if (typeof value === 'number') {
    if (!(Math.abs(value) < UNMEASURED) || NOT_METRICS.has(name)) return;
    const values = into.get(name) ?? [];
    values.push(value);
    into.set(name, values);
  } else if (value && typeof value === 'object' && !Array.isArray(value) && depth < MAX_DEPTH) {
    for (const [key, inner] of Object.entries(value)) {
      collect(inner, name ? `${name}.${key}` : key, depth + 1, into);
    }
  }
}

/** Count, quantiles and mean of `values` (non-empty), rounded to a thousandth. */
export function distribution(values: readonly number[]): Distribution {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return {
    count: values.length,
    min: round(percentile(values, 0), 3),
    p50: round(percentile(values, 0.5), 3),
    p90: round(percentile(values, 0.9), 3),
    max: round(percentile(values, 1), 3),
    mean: round(mean, 3),
  };
}
