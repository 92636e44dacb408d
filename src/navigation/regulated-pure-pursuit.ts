/**
 * The `regulated_pure_pursuit` path follower plugin (after Nav2's RPP controller): chase a
 * carrot a speed-scaled lookahead ahead on the path, at a speed that is the smallest of the
 * desired speed and every regulation (tight turns, nearby obstacles, people ahead,
 * /speed_limit, slow zones, braking distance to the goal); rotate in place when the path turns
 * away sharply and at the goal for the final heading; refuse to drive an arc that meets an
 * observed obstacle within the next second ('blocked'). The maths is in pure-pursuit.ts.
 */
import type { Path, Pose2D, RosNode } from '../ros/index.js';
import { declareParams, normalizeAngle, relativePose } from '../ros/index.js';
import { widthAcross } from './passage-align.js';
import { PathTracker } from './path-tracker.js';
import {
  approachSpeed,
  arcCollides,
  arcFreeLength,
  costRegulatedSpeed,
  curvatureRegulatedSpeed,
  curvatureTo,
  distanceFromCost,
  limitKeepingCurvature,
  lookaheadDistance,
  rateLimit,
  rotateInPlaceRate,
  stoppableSpeed,
} from './pure-pursuit.js';
import { peopleSpeedCap } from './speed-limits.js';
import type { FollowerEnv, FollowerInput, FollowerOutput, PathFollower, SpeedReason } from './types.js';

export const RPP_DEFAULTS = {
  /** Cruise speed, m/s (capped by the robot's maxLinear). */
  desired_linear_vel: 1.0,
  /** Lookahead = speed × lookahead_time, s, clamped to [min, max] m. */
  lookahead_time: 1.5,
  min_lookahead_dist: 0.3,
  max_lookahead_dist: 0.9,
  /** Turns tighter than this radius slow the robot proportionally, m. */
  regulated_linear_scaling_min_radius: 0.9,
  /** Curvature and obstacle regulation never slow the robot below this, m/s. */
  regulated_linear_scaling_min_speed: 0.25,
  /** Start slowing when an obstacle is closer than this, m. */
  cost_scaling_dist: 0.6,
  cost_scaling_gain: 1.0,
  /** The costmap inflation's decay (to turn a cost back into a distance), 1/m. */
  inflation_cost_scaling_factor: 3.0,
  /** People ahead closer than this slow the robot, m. */
  people_slow_radius: 1.5,
  /** Speed next to a person ahead, m/s. */
  people_min_speed: 0.2,
  /**
   * A walking person counts where they and the robot come closest within this time, s (from
   * their tracked velocity on /people; 0: where they stand now).
   */
  people_lookahead_time: 1.5,
  /**
   * A person's body around where /people puts them, m: the commanded arc may not bring the
   * footprint within `people_clearance` of it (moving away from someone already that close is
   * allowed). The costmap's rings keep the plan off people; this keeps the robot's own motion
   * off them when it follows a plan that passes close (inside the ring's inscribed zone every
   * cell costs the same, so the costmap cannot tell nearer from farther there).
   */
  people_body_radius: 0.25,
  people_clearance: 0.05,
  /**
   * Never faster than the robot can stop before what its arc runs into within
   * `obstacle_check_distance` (m): keeping `obstacle_stop_margin` (m), after
   * `obstacle_stop_time` (s) of reaction, braking at its acceleration limit. The safety gate
   * holds a command too fast for its stop zone at zero; the follower asks for one it accepts.
   */
  obstacle_check_distance: 2.5,
  obstacle_stop_margin: 0.25,
  obstacle_stop_time: 0.3,
  /**
   * Crawl through narrow passages: where the path within `narrow_passage_lookahead` (m) ahead
   * runs between walls less than the robot's width + 2 × `narrow_passage_clearance` (m) apart
   * (a passage under 1.1 m for the 0.6 m robot), go no faster than
   * `narrow_passage_speed` (m/s). Slow, the lookahead is short too, so the robot is on the
   * path's centre line before the passage rather than cutting the corner into its frame.
   */
  narrow_passage_clearance: 0.25,
  narrow_passage_lookahead: 1.5,
  narrow_passage_speed: 0.25,
  /** ... and turn in place to face the path when the carrot is more than this off the heading, rad. */
  narrow_passage_rotate_angle: 0.25,
  /**
   * ... and finish that turn within this of the carrot's bearing, rad (elsewhere: half the
   * start angle). A door with 0.10 m to spare each side leaves no room for steering on the
   * way through: the arc a leftover bearing asks for runs into the frame in the safety
   * gate's projection, and it slows the robot to a standstill.
   */
  narrow_passage_aligned_angle: 0.03,
  /**
   * ... and put the carrot this far ahead, m, but never past a turn of more than
   * `narrow_passage_rotate_angle` (the robot drives up to a corner and turns there). Far
   * ahead on a straight way through, a few centimetres beside it ask for a gentle arc, not
   * one the gate sees running into the frame.
   */
  narrow_passage_carrot_dist: 0.9,
  /** Rotate in place first when the carrot is more than this off the heading, rad. */
  rotate_to_heading_min_angle: 0.785,
  /**
   * With a wall or obstacle within this of the footprint (the safety gate's zone_side_margin),
   * the robot lines up on the spot (narrow_passage_rotate_angle) instead of arcing off it, m.
   */
  wall_hug_margin: 0.05,
  /** Turn rate when rotating in place, rad/s (capped by the robot's maxAngular). */
  rotate_to_heading_angular_vel: 1.0,
  /** Goal reached within this distance, m… */
  xy_goal_tolerance: 0.25,
  /** …and this heading error, rad. */
  yaw_goal_tolerance: 0.35,
  /** Plan braking to the goal at this deceleration, m/s². */
  approach_decel: 0.5,
  /** Never crawl slower than this towards the goal, m/s. */
  min_approach_linear_velocity: 0.05,
  /** Check the commanded arc this far ahead in time, s… */
  collision_check_time: 1.0,
  /** …and at least this far in distance, m. */
  collision_check_min_distance: 0.3,
  /** How far ahead along the path to look for the robot's place on it, m. */
  max_robot_pose_search_dist: 2.0,
};
export type RppParams = typeof RPP_DEFAULTS;

export class RegulatedPurePursuit implements PathFollower {
  #params: RppParams = { ...RPP_DEFAULTS };
  #env: FollowerEnv | undefined;
  #tracker: PathTracker | undefined;
  #goalYaw = 0;
  #xyReached = false;
  #rotatingToPath = false;
  #lastLinear = 0;
  #active = false;

  configure(node: RosNode, name: string, env: FollowerEnv): void {
    this.#params = declareParams(node, name, RPP_DEFAULTS);
    this.#env = env;
    const p = this.#params;
    if (!(p.min_lookahead_dist > 0 && p.max_lookahead_dist >= p.min_lookahead_dist)) {
      throw new RangeError(
        `${name}: lookahead must satisfy 0 < min ≤ max, got ${p.min_lookahead_dist}, ${p.max_lookahead_dist}`,
      );
    }
  }
  activate(): void {
    this.#active = true;
  }
  deactivate(): void {
    this.#active = false;
    this.#lastLinear = 0;
  }
  cleanup(): void {
    this.#tracker = undefined;
    this.#env = undefined;
  }

  setPath(path: Path, sameGoal: boolean): void {
    if (path.poses.length === 0) throw new RangeError('cannot follow an empty path');
    this.#tracker = new PathTracker(path);
    this.#goalYaw = this.#tracker.yaws[this.#tracker.length - 1]!;
    if (!sameGoal) {
      this.#xyReached = false;
      this.#rotatingToPath = false;
      this.#lastLinear = 0;
    }
  }

  computeVelocity(input: FollowerInput): FollowerOutput {
    const env = this.#env;
    const tracker = this.#tracker;
    if (!env || !tracker || !this.#active) return this.#stop('stopped', tracker);
    const p = this.#params;
    const robot = env.robot;
    const { pose } = input;
    tracker.update(pose.x, pose.y, p.max_robot_pose_search_dist);
    const last = tracker.length - 1;
    const goalX = tracker.xs[last]!;
    const goalY = tracker.ys[last]!;
    const maxRotate = Math.min(p.rotate_to_heading_angular_vel, robot.maxAngular);

    // At the goal: latch the position (as Nav2's stateful goal checker), then turn to the goal heading.
    if (this.#xyReached || Math.hypot(goalX - pose.x, goalY - pose.y) <= p.xy_goal_tolerance) {
      this.#xyReached = true;
      this.#lastLinear = 0;
      const err = normalizeAngle(this.#goalYaw - pose.yaw);
      if (Math.abs(err) <= p.yaw_goal_tolerance) return this.#stop('stopped', tracker, 'arrived');
      return this.#out(
        0,
        rotateInPlaceRate(err, maxRotate, robot.maxAngularAccel),
        'rotating_to_goal',
        'stopped',
        tracker,
      );
    }

    const lookahead = lookaheadDistance(input.speed, {
      lookaheadTime: p.lookahead_time,
      minLookahead: p.min_lookahead_dist,
      maxLookahead: p.max_lookahead_dist,
    });
    // Before a narrow passage, keep close to the path and line up with it first: an arc into
    // it sweeps the frame.
    const narrow = this.#narrowAhead(tracker, pose);
    const onPath = narrow
      ? tracker.carrotBeforeTurn(
          pose.x,
          pose.y,
          p.narrow_passage_carrot_dist,
          p.narrow_passage_rotate_angle,
          NARROW_TURN_REACHED_M,
        )
      : tracker.carrot(pose.x, pose.y, lookahead);
    // Come to rest against a wall (within the safety gate's side margin), an arc off it would
    // first sweep along the wall, and the gate stops it: head off the wall at an angle, turning
    // on the spot first as before a narrow passage, and drive straight off it.
    const away = narrow ? undefined : this.#awayFromWall(pose);
    const hugging = away !== undefined;
    const carrot = away === undefined ? onPath : offTheWall(pose, onPath, away, lookahead);
    const local = relativePose(pose, { x: carrot.x, y: carrot.y, yaw: 0 });
    const bearing = Math.atan2(local.y, local.x);
    // Hysteresis: once turning in place, finish the turn to half the threshold.
    const startTurn = narrow || hugging ? p.narrow_passage_rotate_angle : p.rotate_to_heading_min_angle;
    const endTurn = narrow ? p.narrow_passage_aligned_angle : startTurn / 2;
    const turnLimit = this.#rotatingToPath ? endTurn : startTurn;
    if (Math.abs(bearing) > turnLimit) {
      this.#rotatingToPath = true;
      this.#lastLinear = 0;
      // Lining up for a narrow passage, brake the turn gently so it ends on the bearing: a turn
      // still running when the follower drives off overshoots by what it takes to stop.
      const braking = narrow ? robot.maxAngularAccel / NARROW_TURN_BRAKING_DIVISOR : robot.maxAngularAccel;
      return this.#out(
        0,
        rotateInPlaceRate(bearing, maxRotate, braking),
        'rotating_to_path',
        'stopped',
        tracker,
      );
    }
    this.#rotatingToPath = false;

    const curvature = curvatureTo(local.x, local.y);
    let linear = Math.min(p.desired_linear_vel, robot.maxLinear);
    let reason: SpeedReason = 'desired';
    const cap = (v: number, why: SpeedReason) => {
      if (v < linear) {
        linear = v;
        reason = why;
      }
    };
    // Curvature and obstacle regulation, floored at the regulation minimum (as Nav2 does).
    const byCurvature = curvatureRegulatedSpeed(linear, curvature, p.regulated_linear_scaling_min_radius);
    const obstacleDistance = distanceFromCost(
      env.costmap.costAtWorld(pose.x, pose.y),
      robot.radius,
      p.inflation_cost_scaling_factor,
    );
    const byCost = costRegulatedSpeed(linear, obstacleDistance, {
      costScalingDist: p.cost_scaling_dist,
      costScalingGain: p.cost_scaling_gain,
    });
    const floor = Math.min(linear, p.regulated_linear_scaling_min_speed);
    if (byCurvature <= byCost) cap(Math.max(floor, byCurvature), 'curvature');
    else cap(Math.max(floor, byCost), 'obstacle_cost');
    cap(
      peopleSpeedCap(pose, input.people, false, {
        slowRadius: p.people_slow_radius,
        minSpeed: p.people_min_speed,
        maxSpeed: linear,
        lookaheadS: p.people_lookahead_time,
      }),
      'people',
    );
    const stoppable = stoppableSpeed(
      this.#freeAhead(pose, curvature),
      p.obstacle_stop_margin,
      p.obstacle_stop_time,
      robot.maxLinearAccel,
    );
    cap(stoppable, 'obstacle_cost');
    if (narrow) cap(p.narrow_passage_speed, 'obstacle_cost');
    cap(input.speedLimit, 'speed_limit');
    cap(env.zoneSpeedLimit(pose.x, pose.y), 'zone');
    cap(
      approachSpeed(tracker.distanceRemaining, p.approach_decel, p.min_approach_linear_velocity),
      'approach',
    );
    const accelerated = rateLimit(
      this.#lastLinear,
      linear,
      robot.maxLinearAccel * Math.max(0, input.dt),
      Infinity,
    );
    if (accelerated < linear) {
      linear = accelerated;
      reason = 'acceleration';
    }
    const cmd = limitKeepingCurvature(Math.max(0, linear), curvature, robot.maxAngular);

    // Blocked when the arc meets an obstacle. A robot already inside an obstacle's inscribed
    // zone (someone stepped up to it) may drive out of it, just not deeper in.
    const own = env.obstacleCost(pose.x, pose.y);
    const limit = own >= 253 ? own + 1 : 253;
    const nearing = nearsSomeone(
      pose,
      input.people,
      robot.radius + p.people_body_radius + p.people_clearance,
    );
    const collides = (x: number, y: number) => env.obstacleCost(x, y) >= limit || nearing(x, y);
    if (
      stoppable < MIN_APPROACH_MPS ||
      arcCollides(
        pose.x,
        pose.y,
        pose.yaw,
        cmd.linear,
        cmd.angular,
        p.collision_check_time,
        p.collision_check_min_distance,
        env.costmap.resolution,
        collides,
      )
    ) {
      this.#lastLinear = 0;
      return this.#out(0, 0, 'blocked', 'stopped', tracker);
    }
    this.#lastLinear = cmd.linear;
    return this.#out(cmd.linear, cmd.angular, 'following', reason, tracker);
  }

  /**
   * With something on the costmap within `wall_hug_margin` of the footprint, the direction away
   * from it (rad, map frame: away from the mean of the ring's blocked points); else undefined.
   */
  #awayFromWall(pose: Pose2D): number | undefined {
    const env = this.#env!;
    const ring = env.robot.radius + this.#params.wall_hug_margin;
    let sx = 0;
    let sy = 0;
    for (let k = 0; k < HUG_RING_SAMPLES; k++) {
      const a = pose.yaw + (2 * Math.PI * k) / HUG_RING_SAMPLES;
      if (env.costmap.costAtWorld(pose.x + ring * Math.cos(a), pose.y + ring * Math.sin(a)) >= 254) {
        sx += Math.cos(a);
        sy += Math.sin(a);
      }
    }
    if (sx === 0 && sy === 0) return undefined;
    return Math.atan2(-sy, -sx);
  }

  /** True when the path ahead runs through a narrow passage (see narrow_passage_*). */
  #narrowAhead(tracker: PathTracker, pose: Pose2D): boolean {
    const env = this.#env!;
    const p = this.#params;
    const narrowerThan = 2 * (env.robot.radius + p.narrow_passage_clearance);
    // The floor's passages, not the people in them (someone beside the robot is no door).
    const floorCost = env.staticCost ?? ((x: number, y: number) => env.costmap.costAtWorld(x, y));
    const isWall = (x: number, y: number) => floorCost(x, y) >= 254;
    const res = env.costmap.resolution;
    const narrowAt = (x: number, y: number, yaw: number) => {
      const { plus, minus } = widthAcross(isWall, res, x, y, -Math.sin(yaw), Math.cos(yaw), narrowerThan);
      return plus + minus < narrowerThan;
    };
    // Until its back is out, the robot is still in the passage (a replanned path starts at its
    // centre, so its back is measured on its heading).
    const backX = pose.x - Math.cos(pose.yaw) * (env.robot.radius + p.narrow_passage_clearance);
    const backY = pose.y - Math.sin(pose.yaw) * (env.robot.radius + p.narrow_passage_clearance);
    if (narrowAt(backX, backY, pose.yaw)) return true;
    const from = tracker.progress;
    for (let i = tracker.nextIndex; i < tracker.length; i++) {
      if (tracker.s[i]! - from > p.narrow_passage_lookahead) break;
      if (narrowAt(tracker.xs[i]!, tracker.ys[i]!, tracker.yaws[i]!)) return true;
    }
    return false;
  }

  /** How far the robot can drive on its arc of `curvature` before something is in the way, m. */
  #freeAhead(pose: { x: number; y: number; yaw: number }, curvature: number): number {
    const env = this.#env!;
    const p = this.#params;
    const costAt = (x: number, y: number) => Math.max(env.costmap.costAtWorld(x, y), env.obstacleCost(x, y));
    // Already inside something's inscribed zone, only going deeper counts (as for 'blocked').
    const own = costAt(pose.x, pose.y);
    const limit = own >= 253 ? own + 1 : 253;
    return arcFreeLength(
      pose.x,
      pose.y,
      pose.yaw,
      curvature,
      p.obstacle_check_distance,
      env.costmap.resolution,
      (x, y) => costAt(x, y) >= limit,
    );
  }

  #stop(
    reason: SpeedReason,
    tracker: PathTracker | undefined,
    state: FollowerOutput['state'] = 'following',
  ): FollowerOutput {
    this.#lastLinear = 0;
    return this.#out(0, 0, state, reason, tracker);
  }

  #out(
    linear: number,
    angular: number,
    state: FollowerOutput['state'],
    limitedBy: SpeedReason,
    tracker: PathTracker | undefined,
  ): FollowerOutput {
    return {
      linear,
      angular,
      state,
      limitedBy,
      distanceRemaining: tracker ? tracker.distanceRemaining : 0,
      nextIndex: tracker ? tracker.nextIndex : 0,
      offPath: tracker ? tracker.offset : 0,
    };
  }
}

/** m: a turn of the path this close to the robot in a narrow passage is reached (see carrotBeforeTurn). */
const NARROW_TURN_REACHED_M = 0.05;
/** Points on the ring round the footprint the wall-hugging check looks at (one every 22.5°). */
const HUG_RING_SAMPLES = 16;
/** rad: leaving a wall the robot rests against, it heads at least this far off along the wall. */
const OFF_THE_WALL_ANGLE = 0.5;

/**
 * The carrot for a robot resting against a wall: towards `onPath`, but heading at least
 * OFF_THE_WALL_ANGLE away from the wall (whose away direction is `away`), `dist` m on.
 */
function offTheWall(pose: Pose2D, onPath: { x: number; y: number }, away: number, dist: number) {
  const toPath = Math.atan2(onPath.y - pose.y, onPath.x - pose.x);
  const off = normalizeAngle(toPath - away);
  // Within 90° − the angle of the away direction, the way to the path leaves the wall already.
  const widest = Math.PI / 2 - OFF_THE_WALL_ANGLE;
  if (Math.abs(off) <= widest) return onPath;
  const heading = away + Math.sign(off || 1) * widest;
  return { x: pose.x + dist * Math.cos(heading), y: pose.y + dist * Math.sin(heading) };
}

/** Lining up for a narrow passage, turns in place brake at this fraction of the robot's angular acceleration. */
const NARROW_TURN_BRAKING_DIVISOR = 4;

/** m/s: something so close ahead that the robot may go no faster than this blocks it. */
const MIN_APPROACH_MPS = 0.05;

/** Longer than any arc the follower checks (its top speed × collision_check_time), m. */
const MAX_CHECKED_ARC_M = 3;

/**
 * A test for points the robot's centre may not move to: closer than `keepM` to one of `people`
 * and closer than it is now (so a robot someone stepped up to may still back off or turn away).
 */
function nearsSomeone(
  pose: { x: number; y: number },
  people: ReadonlyArray<{ x: number; y: number }>,
  keepM: number,
): (x: number, y: number) => boolean {
  const near = people
    .map((q) => ({ x: q.x, y: q.y, now: Math.hypot(q.x - pose.x, q.y - pose.y) }))
    .filter((q) => q.now < keepM + MAX_CHECKED_ARC_M);
  if (near.length === 0) return () => false;
  return (x, y) =>
    near.some((q) => {
      const d = Math.hypot(q.x - x, q.y - y);
      return d < keepM && d < q.now - 1e-3;
    });
}
