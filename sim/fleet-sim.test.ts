import { describe, expect, it } from 'vitest';
import { loadFleetOnSites } from './fleet-site.js';
import { simulateFleet, type FleetRunReport } from './fleet-sim.js';

const SCENARIO = 'sim/scenarios/fleet/two-robots-one-floor.yaml';

async function run(): Promise<FleetRunReport> {
  const { fleet, sites } = await loadFleetOnSites(SCENARIO);
  return simulateFleet(fleet, { sites });
}

describe('two robots on one floor (sim/scenarios/fleet/two-robots-one-floor.yaml)', () => {
  // Two runs of the same file: the second is only compared with the first.
  const runs = Promise.all([run(), run()]);

  it('brings every customer to their desk, head on along one corridor, without touching anyone', async () => {
    const [report] = await runs;
    expect(report.expectation_failures).toEqual([]);
    for (const r of report.robots) {
      expect(
        r.requests.map((q) => q.outcome),
        r.fleet.robot,
      ).toEqual(r.requests.map(() => 'arrived'));
      expect(r.collisions).toEqual({ wall: 0, obstacle: 0, person: 0, robot: 0 });
      expect(r.expectation_failures).toEqual([]);
    }
    expect(report.robots.map((r) => r.fleet.robot)).toEqual(['r1', 'r2']);
    const floor = report.floors[0]!;
    expect(floor.robot_collisions).toBe(0);
    // They met: the closest they came is within a couple of metres, and never touching.
    expect(floor.min_robot_gap_m).toBeGreaterThan(0);
    expect(floor.min_robot_gap_m).toBeLessThan(2);
    expect(report.ok).toBe(true);
  });

  it('gives the same report, byte for byte, when run again with the same seed', async () => {
    const [first, second] = await runs;
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
