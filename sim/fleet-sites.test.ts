import { describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import { loadSite } from '../src/map/index.js';
import { parseFleetScenario } from './fleet-scenario.js';
import { loadFleetOnSites } from './fleet-site.js';
import { simulateFleet } from './fleet-sim.js';
import { parseScenario } from './scenario.js';

describe('several floors at once (sim/scenarios/fleet/two-sites.yaml)', () => {
  it('serves every floor on one clock: every customer arrives, nobody is touched', async () => {
    const { fleet, sites } = await loadFleetOnSites('sim/scenarios/fleet/two-sites.yaml');
    const report = await simulateFleet(fleet, { sites });
    expect(report.floors.map((f) => [f.site, f.robots, f.robot_collisions])).toEqual([
      ['iso-omena', ['r1', 'r2'], 0],
      ['tight-corridor', ['t1'], 0],
    ]);
    for (const r of report.robots) {
      expect(
        r.requests.map((q) => q.outcome),
        r.fleet.robot,
      ).toEqual(['arrived']);
      expect(r.collisions).toEqual({ wall: 0, obstacle: 0, person: 0, robot: 0 });
    }
    expect(report.ok).toBe(true);
  });
});

describe('a fleet of one', () => {
  it('runs exactly as the same scenario written the ordinary way', async () => {
    const body = `
seed: 17
customers:
  - { ask: 'Where is Kela?', expect: { outcome: arrived } }
`;
    const file = 'sim/scenarios/sites/tight-corridor/one.yaml';
    const site = await loadSite('sim/scenarios/sites/tight-corridor');
    const alone = await simulate(parseScenario(`site: .\nname: one\n${body}`, file), { site });
    const fleet = await simulateFleet(
      parseFleetScenario(`site: .\nname: one\nrobots: [{ id: r1 }]\n${body}`, file),
      {
        sites: [site],
      },
    );
    const { fleet: section, collisions, ...robot } = fleet.robots[0]!;
    expect(section.robot_collisions).toBe(0);
    expect({ ...robot, collisions: { ...collisions, robot: undefined }, scenario: 'one' }).toEqual({
      ...alone,
      collisions: { ...alone.collisions, robot: undefined },
    });
    expect(alone.requests[0]!.outcome).toBe('arrived');
  });
});
