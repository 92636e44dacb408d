/**
 * What one job of a batch gives back: its run's entry for the report (a RunReport, or a failed
 * entry that names its seed) and the robot's trajectory when it ran.
 */
import type { FailedRun, RunReport } from '../report.js';
import type { BatchJob } from './jobs.js';
import type { Trajectory } from './trajectory.js';

/** A run of the batch that has no report: it could not run, its worker died, or it was not reached. */
export type BatchFailedRun = FailedRun & { seed: number };

export type BatchRunEntry = RunReport | BatchFailedRun;

export interface BatchOutcome {
  run: BatchRunEntry;
  trajectory: Trajectory | null;
  /** Wall time of the run, s: for the terminal only, never in the report (it differs every time). */
  wallS: number;
}

/** The outcome of a job that has no run. */
export function failedOutcome(
  job: Pick<BatchJob, 'file' | 'seed'>,
  scenario: string,
  result: FailedRun['result'],
  errors: string[],
): BatchOutcome {
  return {
    run: { scenario, file: job.file, seed: job.seed, result, errors, ok: false },
    trajectory: null,
    wallS: 0,
  };
}
