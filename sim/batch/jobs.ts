/**
 * The jobs of a batch: every scenario file with each of N seeds, in a fixed order (the files as
 * given, then the seeds rising), which is also the order of the merged report whatever order the
 * workers finish in. Bounded by the limits table before anything is started.
 */
import { LIMITS } from '../../src/input/index.js';

/** One run of a batch: a scenario file with one seed. `index` is its place in the report. */
export interface BatchJob {
  index: number;
  file: string;
  /** The scenario's name (what a run that never reported is listed as). */
  scenario: string;
  seed: number;
  /** Robot pose samples per second of simulated time (the HTML report draws them). */
  sampleHz: number;
}

/** A scenario file of the batch, checked, and the first of its seeds. */
export interface BatchFile {
  file: string;
  scenario: string;
  seedBase: number;
}

/** Samples of the robot's pose per simulated second: enough for a map drawn metres wide. */
export const TRAJECTORY_HZ = 2;

/** Seeds base..base+count-1 of every file, file-major. */
export function batchJobs(files: readonly BatchFile[], seeds: number): BatchJob[] {
  const jobs: BatchJob[] = [];
  for (const { file, scenario, seedBase } of files) {
    for (let k = 0; k < seeds; k++) {
      jobs.push({ index: jobs.length, file, scenario, seed: seedBase + k, sampleHz: TRAJECTORY_HZ });
    }
  }
  return jobs;
}

/** Why a batch of `files` × `seeds` is too big (naming the limit), or undefined when it is not. */
export function batchSizeProblem(files: number, seeds: number): string | undefined {
  const { batchSeeds, batchJobs: maxJobs } = LIMITS;
  if (seeds > batchSeeds.value)
    return `--seeds ${seeds}: the limit for ${batchSeeds.what} is ${batchSeeds.value} (batchSeeds, docs/limits.md)`;
  if (files * seeds > maxJobs.value)
    return `${files} files × ${seeds} seeds = ${files * seeds} runs; the limit for ${maxJobs.what} is ${maxJobs.value} (batchJobs, docs/limits.md)`;
  return undefined;
}
