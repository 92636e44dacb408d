/**
 * Where a background pedestrian starts (crowd-spawn.ts sets the crowd down): a random free spot
 * with room around it, away from the robot and from the places the robot must stop at, so
 * nobody starts in the robot's way or in a doorway.
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
