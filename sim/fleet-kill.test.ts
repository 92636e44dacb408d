import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pose2D } from '../src/ros/index.js';
import { parseFleetScenario } from './fleet-scenario.js';
import { simulateFleet, type FleetSimRobot } from './fleet-sim.js';

/**
 * r2 sets off east along the main corridor with a customer and its computer dies 14 s in, in
 * the corridor by the library; r1 then takes a customer west to the library, past r2's body.
 */
const SCENARIO = parseFleetScenario(
  `
name: a robot dies mid-escort
site: ../../../maps/iso-omena
seed: 3
time_limit: 400
robots:
  - id: r1
  - id: r2
    dock: { x: 34.0, y: 22.0, yaw: 0.0 }
customers:
  - { ask: 'Where is Kela?', robot: r2 }
  - { ask: 'Missä on kirjasto?', robot: r1, at: 10 }
events:
  - { at: 14, robot: r2, kill: true }
`,
  path.resolve('sim/scenarios/fleet/kill.yaml'),
);

describe('a robot whose computer dies mid-escort', () => {
  it('stands where it stopped, an obstacle the other robot drives round to arrive', async () => {
    let robots: readonly FleetSimRobot[] = [];
    let atKill: Pose2D | undefined;
    let closest = Infinity;
    const report = await simulateFleet(
      SCENARIO,
      {},
      {
        onStart: (rs) => {
          robots = rs;
        },
        onStep: (control) => {
          const [r1, r2] = robots.map((r) => r.world.physics.robotPose()) as [Pose2D, Pose2D];
          if (atKill === undefined && control.elapsedS >= 14) atKill = { ...r2 };
          if (atKill) closest = Math.min(closest, Math.hypot(r1.x - r2.x, r1.y - r2.y) - 0.6);
        },
      },
    );
    const [r1, r2] = report.robots as [(typeof report.robots)[0], (typeof report.robots)[0]];
    expect(r2.fleet.killed_at_s).toBe(14);
    expect(robots[1]!.world.physics.robotPose()).toEqual(atKill);
    // It died away from its dock, mid-escort: the report says so.
    expect(r2.requests[0]!.outcome).toBe('unfinished');
    expect(r2.expectation_failures).toContain('killed at 14 s: its computer died');
    // r1 passed it closely, touched nothing, and arrived.
    expect(r1.requests.map((q) => [q.destination, q.outcome])).toEqual([['library', 'arrived']]);
    expect(r1.collisions).toEqual({ wall: 0, obstacle: 0, person: 0, robot: 0 });
    expect(r1.ok).toBe(true);
    expect(closest).toBeGreaterThan(0);
    expect(closest).toBeLessThan(1.5);
    expect(report.floors[0]!.robot_collisions).toBe(0);
  });
});
