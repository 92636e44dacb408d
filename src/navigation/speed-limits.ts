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
  /**
   * How far ahead in time a walking person counts where they will be, s (0: where they are).
   * Someone walking towards the robot's way is slowed for before they reach it, not at it.
   */
  lookaheadS?: number;
}

/** A person as the cap sees them; a velocity (m/s, map frame) when the tracker gives one. */
export type WalkingPerson = { x: number; y: number; vx?: number; vy?: number };

/**
 * Cap for people ahead of the robot (in front of its axle in the direction it drives): it
 * falls linearly from `maxSpeed` at `slowRadius` to `minSpeed` at contact. People behind (the
 * escorted customer) do not slow it: they follow the robot, slowing for them would stall both.
 * With `lookaheadS`, the person also counts where they and the robot (driving on at `maxSpeed`)
 * come closest within that time: someone crossing towards the robot's way from the side slows it
 * before they reach it, not at it.
 */
export function peopleSpeedCap(
  pose: Pose2D,
  people: ReadonlyArray<WalkingPerson>,
  reversing: boolean,
  p: PeopleSlowParams,
): number {
  let cap = Infinity;
  const c = Math.cos(pose.yaw);
  const s = Math.sin(pose.yaw);
  const drive = (reversing ? -1 : 1) * p.maxSpeed;
  const isAhead = (dx: number, dy: number) => (reversing ? c * dx + s * dy < 0 : c * dx + s * dy > 0);
  for (const person of people) {
    const nowDx = person.x - pose.x;
    const nowDy = person.y - pose.y;
    const { dx, dy } = closestApproach(nowDx, nowDy, c * drive, s * drive, person, p.lookaheadS ?? 0);
    // Ahead now, or where the two would meet; as near as they are or as they would come.
    if (!isAhead(nowDx, nowDy) && !isAhead(dx, dy)) continue;
    const d = Math.min(Math.hypot(nowDx, nowDy), Math.hypot(dx, dy));
    if (d >= p.slowRadius) continue;
    const v = Math.max(p.minSpeed, (p.maxSpeed * d) / p.slowRadius);
    if (v < cap) cap = v;
  }
  return cap;
}

/** Person minus robot at the moment within [0, horizonS] they are closest, both moving on straight. */
export function closestApproach(
  dx: number,
  dy: number,
  robotVx: number,
  robotVy: number,
  person: WalkingPerson,
  horizonS: number,
): { dx: number; dy: number } {
  const rvx = (person.vx ?? 0) - robotVx;
  const rvy = (person.vy ?? 0) - robotVy;
  const rv2 = rvx * rvx + rvy * rvy;
  if (horizonS <= 0 || rv2 < 1e-9) return { dx, dy };
  const t = Math.min(horizonS, Math.max(0, -(dx * rvx + dy * rvy) / rv2));
  return { dx: dx + rvx * t, dy: dy + rvy * t };
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
