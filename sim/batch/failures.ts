/**
 * What failed in a batch, one row per thing to look at: a run that could not run (its errors), a
 * request that did not go as expected (its reason and expectation failures), and a run's own
 * expectations (collisions, the dock, events that never happened). In report order.
 */
import type { BatchRunEntry } from './outcome.js';

export interface FailureRow {
  scenario: string;
  file: string;
  seed: number;
  /** Which request ('' for the run as a whole). */
  request: string;
  reason: string;
  failures: string[];
}

export function failureRows(runs: readonly BatchRunEntry[]): FailureRow[] {
  const rows: FailureRow[] = [];
  for (const run of runs) {
    if (run.ok) continue;
    const at = { scenario: run.scenario, file: run.file, seed: run.seed };
    if (!('requests' in run)) {
      rows.push({ ...at, request: '', reason: run.result, failures: run.errors });
      continue;
    }
    for (const q of run.requests) {
      if (q.expectation_failures.length === 0) continue;
      rows.push({
        ...at,
        request: `#${q.index} ${q.text}`,
        reason: q.reason || q.outcome,
        failures: q.expectation_failures,
      });
    }
    if (run.expectation_failures.length > 0)
      rows.push({ ...at, request: '', reason: 'run', failures: run.expectation_failures });
  }
  return rows;
}
