/**
 * Speed caps from outside the follower, as pure functions: the /speed_limit message, site slow
 * zones, and people nearby. Each gives a cap in m/s (Infinity when it does not apply); the
 * follower takes the smallest.
 */
import type { Zone } from '../map/index.js';
import type { Pose2D, SpeedLimit } from '../ros/index.js';

/** Zone speed limit at a map point, m/s; Infinity where no zone limits speed. */
export type SpeedLimitAt = (x: number, y: number) => number;

export const NO_SPEED_LIMIT: SpeedLimitAt = () => Infinity;

/**
 * The cap a nav2_msgs/msg/SpeedLimit asks for, m/s: a percentage of `maxSpeed` or an absolute
 * speed; 0 means "no limit" (as in Nav2). Returns undefined for a malformed message (negative,
 * not finite, percentage over 100), which the caller ignores and says so.
 */
export function speedCapFromMsg(msg: SpeedLimit, maxSpeed: number): number | undefined {
  const v = msg.speed_limit;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
  if (v === 0) return Infinity;
  if (msg.percentage) return v > 100 ? undefined : (maxSpeed * v) / 100;
  return v;
}

/** True when a cap is so low the robot is meant to stand still (e.g. waiting for its customer). */
export function isPausedBy(cap: number, pausedBelow: number): boolean {
  return cap < pausedBelow;
}

export interface PeopleSlowParams {
  /** People ahead closer than this slow the robot, m (centre to centre). */
  slowRadius: number;
  /** The slowest it goes for a person right in front, m/s. */
  minSpeed: number;
  /** The speed the cap scales down from, m/s. */
  maxSpeed: number;
}

/**
 * Cap for people ahead of the robot (in front of its axle in the direction it drives): it
 * falls linearly from `maxSpeed` at `slowRadius` to `minSpeed` at contact. People behind (the
 * escorted customer) do not slow it: they follow the robot, slowing for them would stall both.
 */
export function peopleSpeedCap(
  pose: Pose2D,
  people: ReadonlyArray<{ x: number; y: number }>,
  reversing: boolean,
  p: PeopleSlowParams,
): number {
  let cap = Infinity;
  const c = Math.cos(pose.yaw);
  const s = Math.sin(pose.yaw);
  for (const person of people) {
    const dx = person.x - pose.x;
    const dy = person.y - pose.y;
    const ahead = c * dx + s * dy;
    if (reversing ? ahead >= 0 : ahead <= 0) continue;
    const d = Math.hypot(dx, dy);
    if (d >= p.slowRadius) continue;
    const v = Math.max(p.minSpeed, (p.maxSpeed * d) / p.slowRadius);
    if (v < cap) cap = v;
  }
  return cap;
}

/**
 * A SpeedLimitAt for a site's 'slow' zones (polygons with maxSpeed); where zones overlap the
 * slowest wins. 'no_go' zones are the costmap's business, not a speed.
 */
export function zoneSpeedLimits(zones: readonly Zone[]): SpeedLimitAt {
  const slow = zones
    .filter((z) => z.kind === 'slow' && typeof z.maxSpeed === 'number' && z.polygon.length >= 3)
    .map((z) => {
      const xs = Float64Array.from(z.polygon, (p) => p.x);
      const ys = Float64Array.from(z.polygon, (p) => p.y);
      return {
        xs,
        ys,
        speed: z.maxSpeed!,
        minX: Math.min(...xs),
        maxX: Math.max(...xs),
        minY: Math.min(...ys),
        maxY: Math.max(...ys),
      };
    });
  if (slow.length === 0) return NO_SPEED_LIMIT;
  return (x, y) => {
    let cap = Infinity;
    for (const z of slow) {
      if (x < z.minX || x > z.maxX || y < z.minY || y > z.maxY) continue;
      if (z.speed < cap && pointInPolygon(x, y, z.xs, z.ys)) cap = z.speed;
    }
    return cap;
  };
}

/** Even-odd rule; points exactly on an edge may go either way. */
export function pointInPolygon(x: number, y: number, xs: Float64Array, ys: Float64Array): boolean {
  let inside = false;
  const n = xs.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = ys[i]!;
    const yj = ys[j]!;
    if (yi > y !== yj > y && x < ((xs[j]! - xs[i]!) * (y - yi)) / (yj - yi) + xs[i]!) inside = !inside;
  }
  return inside;
}
