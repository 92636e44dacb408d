import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../src/map/index.js';
import { SimError } from './errors.js';
import { isFleetText, parseFleetScenario, robotScenario } from './fleet-scenario.js';
import { checkFleetSites } from './fleet-site.js';
import type { CustomerSpec } from './scenario.js';

const FILE = path.resolve('sim/scenarios/fleet/test.yaml');

function problemsOf(text: string): string[] {
  try {
    parseFleetScenario(text, FILE);
  } catch (e) {
    if (e instanceof SimError) return e.problems.map((p) => `${p.where}: ${p.what}`);
    throw e;
  }
  throw new Error('expected a SimError');
}

const TWO_ROBOTS = `
name: two
site: ../../../maps/iso-omena
seed: 4
robots:
  - id: r1
  - id: r2
    start: { x: 40, y: 22 }
    dock: { x: 34.0, y: 22.0, yaw: 0.0 }
customers:
  - ask: kela
  - ask: library
    robot: r2
events:
  - { request: 0, after: 5, robot: r2, estop: press }
  - { at: 30, robot: r2, kill: true }
`;

describe('fleet scenario files', () => {
  it('tells a fleet scenario from an ordinary one by its top level', () => {
    expect(isFleetText(TWO_ROBOTS, FILE)).toBe(true);
    expect(isFleetText('site: x\nseed: 1\n', FILE)).toBe(false);
  });

  it('reads robots, their docks and starts, whom each customer asks, events and kills', () => {
    const fleet = parseFleetScenario(TWO_ROBOTS, FILE);
    expect(fleet.floors).toHaveLength(1);
    const floor = fleet.floors[0]!;
    expect(floor.robots.map((r) => [r.id, r.start, r.siteDock])).toEqual([
      ['r1', 'dock', true],
      ['r2', { x: 40, y: 22, yaw: 0 }, false],
    ]);
    expect(floor.customers.map((c) => [c.robot, c.spec.ask])).toEqual([
      ['r1', 'kela'],
      ['r2', 'library'],
    ]);
    expect(fleet.kills).toEqual([{ atS: 30, robot: 'r2', where: `${FILE}:16` }]);
    const r2 = robotScenario(fleet, floor, floor.robots[1]!);
    expect((r2.customers as CustomerSpec[]).map((c) => c.ask)).toEqual(['library']);
    expect(r2.events.map((e) => e.kind)).toEqual(['estop']);
    // The first robot runs on the scenario's own seed, so a fleet of one is the scenario it was.
    expect(robotScenario(fleet, floor, floor.robots[0]!).seed).toBe(4);
    expect(r2.seed).not.toBe(4);
  });

  it('reads several floors', () => {
    const fleet = parseFleetScenario(
      `
seed: 1
floors:
  - site: ../../../maps/iso-omena
    robots: [{ id: a }]
  - site: ../sites/tight-corridor
    customers: [{ ask: kela }]
`,
      FILE,
    );
    expect(fleet.floors.map((f) => [path.basename(f.siteDir), f.robots.map((r) => r.id)])).toEqual([
      ['iso-omena', ['a']],
      ['tight-corridor', ['r1']],
    ]);
  });

  it('refuses duplicate robot ids, bad ids, a missing dock and an unknown robot, each with file:line', () => {
    const problems = problemsOf(`
site: ../../../maps/iso-omena
seed: 1
robots:
  - id: r1
  - id: r1
    dock: { x: 34, y: 22 }
  - id: R3
    dock: { x: 30, y: 22 }
  - id: r4
customers:
  - ask: kela
    robot: r9
`);
    expect(problems).toEqual([
      expect.stringMatching(
        /test\.yaml:6: robots\[1\]\.id: 'r1' is already the id of the robot at .*test\.yaml:5/,
      ),
      expect.stringMatching(/test\.yaml:8: robots\[2\]\.id: expected an id of lower-case letters/),
      expect.stringMatching(/test\.yaml:10: robots\[3\]\.dock: required field missing/),
      expect.stringMatching(
        /test\.yaml:13: customers\[0\]\.robot: names no robot of this floor; expected one of r1, r4, found "r9"/,
      ),
    ]);
  });

  it('refuses ids repeated across floors, docks on top of each other, and an obstacle on a shared floor', () => {
    const problems = problemsOf(`
seed: 1
floors:
  - site: ../../../maps/iso-omena
    robots:
      - id: a
        dock: { x: 34, y: 22 }
      - id: b
        dock: { x: 34.5, y: 22 }
    events:
      - { at: 3, obstacle: { kind: disc, x: 40, y: 22, radius: 0.3 } }
  - site: ../sites/tight-corridor
    robots: [{ id: a }]
`);
    expect(problems).toEqual([
      expect.stringMatching(
        /test\.yaml:9: floors\[0\]\.robots\[1\]\.dock: within 1 m of a's dock \(.*test\.yaml:7\)/,
      ),
      expect.stringMatching(
        /test\.yaml:11: floors\[0\]\.events\[0\]: an obstacle on a floor of several robots is not supported yet/,
      ),
      expect.stringMatching(
        /test\.yaml:13: floors\[1\]\.robots\[0\]\.id: 'a' is already the id of the robot at .*test\.yaml:6/,
      ),
    ]);
  });

  it('checks every robot’s dock against its site: a dock in a wall names its line', async () => {
    const fleet = parseFleetScenario(
      `
site: ../../../maps/iso-omena
seed: 1
robots:
  - id: r1
  - id: r2
    dock: { x: 44.0, y: 10.0, yaw: 0 }
`,
      FILE,
    );
    const site = await loadSite(fleet.floors[0]!.siteDir);
    expect(checkFleetSites(fleet, [site]).map((p) => `${p.where}: ${p.what}`)).toEqual([
      expect.stringMatching(/test\.yaml:7: robots\[1\]\.dock: \(44, 10\) m is not a free cell of the map/),
    ]);
    // The first robot took the site's dock.
    expect(fleet.floors[0]!.robots[0]!.dock).toEqual(site.dock);
  });
});
