/**
 * Background pedestrians: people who walk from place to place on the floor (SimPerson's wander),
 * each set down on a random free spot with room around it, away from the robot and from the
 * places the robot must stop at, so nobody starts in the robot's way or in a doorway.
 */
import type { Pose2D } from '../src/ros/index.js';
import type { Rng } from './rng.js';
import type { SimWorld } from './world.js';

/** Room around a pedestrian's starting spot, m (clear of walls: not in a doorway or against a desk). */
const START_CLEARANCE_M = 0.6;
/** Nobody starts closer than this to the robot or to a place it stops at, m. */
const START_AWAY_M = 2.5;
const TRIES_PER_PERSON = 500;

/**
 * Adds `count` wandering pedestrians (ids `pedestrian-0`…); returns how many found a spot (a
 * floor too small for them gets fewer, never a person inside a wall).
 */
export function spawnPedestrians(
  world: SimWorld,
  count: number,
  rng: Rng,
  keepClear: readonly Pose2D[] = [],
): number {
  const map = world.site.map;
  const robot = world.robotPose();
  const away = [robot, ...keepClear];
  let added = 0;
  for (let i = 0; i < count; i++) {
    for (let t = 0; t < TRIES_PER_PERSON; t++) {
      const x = map.originX + rng.uniform(0, map.widthM);
      const y = map.originY + rng.uniform(0, map.heightM);
      if (world.caster.freeDistanceAt(x, y) < START_CLEARANCE_M) continue;
      if (away.some((p) => Math.hypot(p.x - x, p.y - y) < START_AWAY_M)) continue;
      world.addPerson({
        id: `pedestrian-${i}`,
        pose: { x, y, yaw: rng.uniform(-Math.PI, Math.PI) },
        role: 'pedestrian',
      });
      away.push({ x, y, yaw: 0 });
      added++;
      break;
    }
  }
  return added;
}
