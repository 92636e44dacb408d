/**
 * The whole scenario suite on the sample floor: every expectation in every file in
 * sim/scenarios/ must hold (every escort to every destination succeeds, no collisions), and a
 * run is deterministic: the same seed gives a byte-identical report.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportJson } from '../sim/report.js';
import { simulate } from '../cli/simulate.js';
import { loadScenario } from '../sim/scenario.js';

const DIR = 'sim/scenarios';
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('scenario suite', () => {
  it('has the scenarios the guide mission must pass', () => {
    for (const name of [
      'escort-every-destination.yaml',
      'unknown-destination.yaml',
      'closed-desk.yaml',
      'blocked-corridor.yaml',
      'customer-falls-behind.yaml',
      'customer-lost.yaml',
      'estop-during-escort.yaml',
      'desk-closed-by-staff.yaml',
      'operator-dispatch-and-pause.yaml',
      'customer-asks-by-need.yaml',
      'passport-elsewhere.yaml',
      'customer-picks-when-asked-back.yaml',
    ]) {
      expect(FILES).toContain(name);
    }
  });

  for (const file of FILES) {
    it(`${file}: every expectation holds`, async () => {
      const report = await simulate(await loadScenario(path.join(DIR, file)));
      const failures = [
        ...report.expectation_failures,
        ...report.requests.flatMap((r) =>
          r.expectation_failures.map((f) => `request ${r.index} "${r.text}": ${f}`),
        ),
      ];
      expect(failures).toEqual([]);
      expect(report.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
      expect(report.ok).toBe(true);
    });
  }

  it('gives a byte-identical report for the same seed', async () => {
    const scenario = await loadScenario(path.join(DIR, 'customer-falls-behind.yaml'));
    const a = reportJson([await simulate(scenario)]);
    const b = reportJson([await simulate(scenario)]);
    expect(a).toBe(b);
    const other = reportJson([await simulate({ ...scenario, seed: scenario.seed + 1 })]);
    expect(other).not.toBe(a);
  });
});
