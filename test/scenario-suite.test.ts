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
import type { LocalizationReport } from '../sim/localization-watch.js';
import { loadScenario } from '../sim/scenario.js';

const DIR = 'sim/scenarios';

/**
 * The robot's own localiser (AMCL) against the ground truth: within 0.10 m and 3° (p95) over a
 * run without faults; a kidnap found again or reported 'lost' within 10 s.
 */
function expectLocalisedWell(loc: LocalizationReport): void {
  expect(loc.samples).toBeGreaterThan(0);
  if (loc.faults.length === 0) {
    expect(loc.position_p95_m).toBeLessThanOrEqual(0.1);
    expect(loc.heading_p95_deg).toBeLessThanOrEqual(3);
  }
  for (const f of loc.faults.filter((x) => x.kind === 'kidnap')) {
    const noticed = Math.min(f.recovered_after_s ?? Infinity, f.lost_reported_after_s ?? Infinity);
    expect(noticed, `kidnap at ${f.at_s} s`).toBeLessThanOrEqual(10);
  }
}
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
      'localization-kidnap.yaml',
      'localization-odometry-slip.yaml',
      'localization-lidar-quiet.yaml',
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
      expectLocalisedWell(report.localization);
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
