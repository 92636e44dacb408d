import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LaserScan } from '../src/ros/index.js';
import { parseFleetScenario } from './fleet-scenario.js';
import { simulateFleet, type FleetSimRobot } from './fleet-sim.js';

const FILE = path.resolve('sim/scenarios/fleet/lidar.yaml');

/** Robots standing on their docks in the entrance room; r2, when there, 4 m east of r1. */
function standing(withR2: boolean) {
  return parseFleetScenario(
    `
site: ../../../maps/iso-omena
seed: 9
time_limit: 3
robots:
  - id: r1
${withR2 ? '  - { id: r2, dock: { x: 58.8, y: 2.2, yaw: 1.570796 } }' : ''}
`,
    FILE,
  );
}

/** The last /scan r1's own graph received, and every robot's true pose at the end. */
async function scanOfR1(withR2: boolean): Promise<{ scan: LaserScan; robots: readonly FleetSimRobot[] }> {
  let scan: LaserScan | undefined;
  let robots: readonly FleetSimRobot[] = [];
  await simulateFleet(
    standing(withR2),
    {},
    {
      onStart: (rs) => {
        robots = rs;
        const node = rs[0]!.graph.createNode('scan_watch');
        node.createSubscription('sensor_msgs/msg/LaserScan', '/scan', (m) => (scan = m));
      },
    },
  );
  if (!scan) throw new Error('r1 published no scan');
  return { scan, robots };
}

/** The range of the beam nearest the bearing from `from` to `to`. */
function rangeTowards(scan: LaserScan, from: FleetSimRobot, to: { x: number; y: number }): number {
  const p = from.world.physics.robotPose();
  const bearing = Math.atan2(to.y - p.y, to.x - p.x) - p.yaw;
  const n = scan.ranges.length;
  const i = Math.round((bearing - scan.angle_min) / scan.angle_increment);
  return scan.ranges[((i % n) + n) % n]!;
}

describe('robots on one floor see each other', () => {
  it("r1's own /scan ends on r2's body: the distance between them less r2's radius, within a cell", async () => {
    const { scan, robots } = await scanOfR1(true);
    const [r1, r2] = robots as [FleetSimRobot, FleetSimRobot];
    const a = r1.world.physics.robotPose();
    const b = r2.world.physics.robotPose();
    const expected = Math.hypot(b.x - a.x, b.y - a.y) - r2.world.physics.robotRadius;
    const cell = r1.site.map.resolution;
    expect(expected).toBeGreaterThan(3);
    expect(Math.abs(rangeTowards(scan, r1, b) - expected)).toBeLessThan(cell);
    // And r2 sees r1 the same way (its world's scan, taken now from where it truly stands).
    const back = r2.world.physics.scan();
    const inc = (2 * Math.PI) / back.length;
    const bearing = Math.atan2(a.y - b.y, a.x - b.x) - b.yaw;
    const i = Math.round((bearing + Math.PI) / inc);
    expect(Math.abs(back[((i % back.length) + back.length) % back.length]! - expected)).toBeLessThan(cell);
  });

  it('alone, r1 sees past where r2 would stand (the hit was r2, not the room)', async () => {
    const { scan, robots } = await scanOfR1(false);
    expect(rangeTowards(scan, robots[0]!, { x: 58.8, y: 2.2 })).toBeGreaterThan(5);
  });
});
