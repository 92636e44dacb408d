/**
 * The floors the test suite and `npm run bench` sweep, defined once: maps/iso-omena with
 * pedestrians, and generated floors 0–19 of seed 1 (what `sim floors --seed 1 --count 20`
 * writes), each swept from the dock to every destination and one random pair, every other floor
 * with pedestrians. Generated at run time into a temporary folder: cheap (a second for all), the
 * same bytes every time, and no binary maps to keep in step with the generator.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFloors } from './floors/generate.js';
import type { SweepOptions } from './sweep.js';

export const SUITE_FLOORS_SEED = 1;
export const SUITE_FLOORS = 20;
export const SUITE_SAMPLE_SITE = 'maps/iso-omena';

/** The sample site: every destination with 4 pedestrians, and two pairs. */
export const SAMPLE_SITE_OPTIONS: SweepOptions = {
  seeds: 1,
  pedestrians: 4,
  pedestrianConditions: [4],
  pairsPerSeed: 2,
};

/** Generated floor `index`: every destination and one pair; odd floors with 3 pedestrians. */
export function suiteFloorOptions(index: number): SweepOptions {
  return { seeds: 1, pedestrians: 3, pedestrianConditions: [index % 2 ? 3 : 0], pairsPerSeed: 1 };
}

/** Generated floors `first`..`last` of the suite, written to a new temporary folder. */
export async function writeSuiteFloors(
  first = 0,
  last = SUITE_FLOORS - 1,
): Promise<Array<{ dir: string; options: SweepOptions }>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sweep-floors-'));
  const all = await writeFloors(dir, last + 1, SUITE_FLOORS_SEED);
  return all.slice(first).map((d, i) => ({ dir: d, options: suiteFloorOptions(first + i) }));
}
