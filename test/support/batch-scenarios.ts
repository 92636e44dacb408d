/**
 * Short scenarios for the sim batch tests, written into a temporary folder: on the small
 * tight-corridor floor, an escort of about 60 s of simulated time (about a second of wall time)
 * and a request the robot does not understand (a second), one of them with a wrong expectation
 * when asked, so a batch has a failure to show.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const TIGHT_CORRIDOR = path.resolve('sim/scenarios/sites/tight-corridor');

export interface BatchScenarios {
  dir: string;
  escort: string;
  unknown: string;
}

/** Writes the scenarios; `escortName` lets a test give the escort a hostile name. */
export async function writeBatchScenarios(
  options: { escortName?: string; failingUnknown?: boolean } = {},
): Promise<BatchScenarios> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'batch-'));
  const escort = path.join(dir, 'escort.yaml');
  const unknown = path.join(dir, 'unknown.yaml');
  const name = JSON.stringify(options.escortName ?? 'short escort');
  await writeFile(
    escort,
    `name: ${name}\nsite: ${TIGHT_CORRIDOR}\nseed: 5\ncustomers:\n  - { ask: 'library', expect: { outcome: arrived, destination: library } }\n`,
  );
  const expect = options.failingUnknown ? 'kela' : "''";
  await writeFile(
    unknown,
    `name: not understood\nsite: ${TIGHT_CORRIDOR}\nseed: 3\ncustomers:\n  - { ask: 'Missä on avaruusasema?', expect: { destination: ${expect} } }\n`,
  );
  return { dir, escort, unknown };
}
