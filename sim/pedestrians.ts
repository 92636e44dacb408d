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
  const away = [world.robotPose(), ...keepClear];
  let added = 0;
  for (let i = 0; i < count; i++) {
    const spot = findStartSpot(world, rng, away);
    if (!spot) continue;
    world.addPerson({ id: `pedestrian-${i}`, pose: spot, role: 'pedestrian' });
    away.push(spot);
    added++;
  }
  return added;
}

/**
 * A random free spot with room around it, START_AWAY_M from everything in `away` (the robot,
 * the places it stops at, people already set down), facing a random way; undefined when
 * TRIES_PER_PERSON draws find none.
 */
export function findStartSpot(world: SimWorld, rng: Rng, away: readonly Pose2D[]): Pose2D | undefined {
  const map = world.site.map;
  for (let t = 0; t < TRIES_PER_PERSON; t++) {
    const x = map.originX + rng.uniform(0, map.widthM);
    const y = map.originY + rng.uniform(0, map.heightM);
    if (world.caster.freeDistanceAt(x, y) < START_CLEARANCE_M) continue;
    if (away.some((p) => Math.hypot(p.x - x, p.y - y) < START_AWAY_M)) continue;
    return { x, y, yaw: rng.uniform(-Math.PI, Math.PI) };
  }
  return undefined;
}
