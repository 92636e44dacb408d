/**
 * The navigator's planning (Nav2's planner server, in-process): plans on the costmap the obstacle
 * layer keeps, decides when a replan is worth asking for, checks the path ahead for newly seen
 * obstacles, and tells which planning failures end a goal. Apart from the control tick because
 * planning runs in its own timer callback so that a replan never lengthens a control cycle: the
 * tick only asks, through the goal's GoalPlan, and the planning timer answers.
 */
import type { Costmap } from '../map/index.js';
import type { LaserScan, Path, Pose2D, Publisher, RosNode } from '../ros/index.js';
import { poseStamped } from '../ros/index.js';
import { NavError, type ServerEnding } from './errors.js';
import type { GoalRun } from './goal-run.js';
import type { NavigatorParams } from './navigator-config.js';
import type { ObstacleLayer } from './obstacle-layer.js';
import type { CellBounds, GlobalPlanner, PathFollower } from './types.js';
import type { WarnOnce } from './warn-once.js';

/**
 * Why the control tick wants a plan while following: a periodic refresh, an obstacle on the path
 * ahead, or the way blocked right in front (the robot holds still for the answer).
 */
export type FollowingPlanRequest = 'periodic' | 'ahead' | 'blocked';
/**
 * …and while recovering: a look for a way out, or the end of a recovery (the robot holds still;
 * it recovers again if still blocked).
 */
export type RecoveringPlanRequest = 'resume' | 'resume_end';
export type PlanRequest = FollowingPlanRequest | RecoveringPlanRequest;

/** One goal's path and the planning asked for it: the control tick asks, the planning timer answers. */
export class GoalPlan {
  /** The path being followed; undefined until the first plan. */
  path: Path | undefined;
  /** Active time of the last plan, or of the last failed periodic replan, s. */
  lastPlanAt = 0;
  /** Planning's obstacle version the path was planned on. */
  version = -1;
  /**
   * A detour was planned since the follower reported the way blocked: blocked again, the tick
   * recovers instead of asking again. Planning sets it, the tick clears it.
   */
  detourTried = false;
  #request: PlanRequest | undefined;
  #holdForPlan = false;
  #lastBlockedReplanAt = -Infinity;

  /** The control tick holds the robot still until the planner has answered. */
  get holdForPlan(): boolean {
    return this.#holdForPlan;
  }

  /** The request for the planning timer to answer now, if any; it also releases the hold. */
  take(): PlanRequest | undefined {
    const why = this.#request;
    if (why) {
      this.#request = undefined;
      this.#holdForPlan = false;
    }
    return why;
  }

  /** A periodic refresh, unless something else is asked for already. */
  askPeriodic(): void {
    this.#request ??= 'periodic';
  }

  /** Replans for a blocked way (detours, looks for a way out) come at most every `interval` s. */
  blockedReplanDue(active: number, interval: number): boolean {
    return active - this.#lastBlockedReplanAt >= interval;
  }

  /** A detour round an obstacle seen ahead; the robot drives on meanwhile. */
  askDetour(active: number): void {
    this.#lastBlockedReplanAt = active;
    if (this.#request !== 'blocked') this.#request = 'ahead';
  }

  /** A detour at once: the way right in front is blocked, so the robot holds still. */
  askBlocked(active: number): void {
    this.#lastBlockedReplanAt = active;
    this.#request = 'blocked';
    this.#holdForPlan = true;
  }

  /** While a recovery stands still: has the way cleared? */
  askWayOut(active: number): void {
    this.#lastBlockedReplanAt = active;
    this.#request = 'resume';
  }

  /** A recovery ended: resume if the way is clear, else recover again; the robot holds still. */
  askAfterRecovery(): void {
    this.#request = 'resume_end';
    this.#holdForPlan = true;
  }
}

export interface PlanningDeps {
  node: RosNode;
  planner: GlobalPlanner;
  follower: PathFollower;
  layer: ObstacleLayer;
  /** The static costmap: what the map itself occupies. */
  staticMap: Costmap;
  robotRadius: number;
  planPub: Publisher<'nav_msgs/msg/Path'>;
  params: Pick<
    NavigatorParams,
    'replan_period' | 'max_path_deviation' | 'blocked_replan_interval' | 'path_check_distance'
  >;
  warnOnce: WarnOnce;
}

export class Planning {
  /** Bumped whenever observed obstacles change the costmap (a replan could find something new). */
  #obstacleVersion = 0;

  constructor(private readonly d: PlanningDeps) {}

  /** Marks what a scan taken from `sensorPose` (in `map`) shows. */
  observe(scan: LaserScan, sensorPose: Pose2D, nowS: number): void {
    this.#obstaclesChanged(this.d.layer.update(scan, sensorPose, nowS));
  }

  /** Marks the people on /people (map frame) as bodies, not only legs. */
  observePeople(people: ReadonlyArray<{ x: number; y: number }>, nowS: number): void {
    this.#obstaclesChanged(this.d.layer.markPeople(people, nowS));
  }

  /** Forgets observed obstacles (a recovery starting from a fresh scan). */
  clearObstacles(): void {
    this.#obstaclesChanged(this.d.layer.clear());
  }

  #obstaclesChanged(bounds: CellBounds | undefined): void {
    if (!bounds) return;
    this.d.planner.costmapChanged(bounds);
    this.#obstacleVersion++;
  }

  /** Plans from `pose`; on success the follower follows the new path. Returns the failure, if any. */
  replan(r: GoalRun, pose: Pose2D): NavError | undefined {
    const { node, planner, follower, planPub } = this.d;
    try {
      const path = planner.plan(
        poseStamped('map', node.now(), pose),
        r.goal,
        () => r.gh.isCancelRequested || r.ended,
      );
      follower.setPath(path, r.plan.path !== undefined);
      r.plan.path = path;
      r.plan.lastPlanAt = r.active;
      r.plan.version = this.#obstacleVersion;
      planPub.publish(path);
      return undefined;
    } catch (e) {
      if (e instanceof NavError) return e;
      throw e;
    }
  }

  /** The control tick's ask while following: a refresh when it could find something new, a detour round what appears ahead. */
  askWhileFollowing(r: GoalRun, pose: Pose2D): void {
    const p = this.d.params;
    const plan = r.plan;
    // An unchanged costmap gives the same path again, unless the robot strayed from it.
    const stale = plan.version !== this.#obstacleVersion || (r.last?.offPath ?? 0) > p.max_path_deviation;
    if (stale && r.active - plan.lastPlanAt >= p.replan_period) plan.askPeriodic();
    const ahead = r.last?.nextIndex ?? 0;
    if (
      this.blockedAhead(r, pose, ahead, p.path_check_distance) &&
      plan.blockedReplanDue(r.active, p.blocked_replan_interval)
    ) {
      // A detour if there is one; meanwhile drive on until the arc check stops us.
      plan.askDetour(r.active);
    }
  }

  /** The planning timer's answer to a request made while following. */
  answer(r: GoalRun, pose: Pose2D, why: FollowingPlanRequest): void {
    const err = this.replan(r, pose);
    if (why === 'blocked') r.plan.detourTried = true;
    if (why === 'periodic' && err) {
      r.plan.lastPlanAt = r.active; // keep the old path; try again next period
      this.d.warnOnce(`replan:${err.code}`, 'periodic replan failed; keeping the current path', {
        code: err.code,
      });
    }
  }

  /** Does an observed obstacle lie on the goal's path within `length` m from pose index `from`? */
  blockedAhead(r: GoalRun, pose: Pose2D, from: number, length: number): boolean {
    return pathAheadBlocked(r.plan.path, pose, from, length, this.d.robotRadius, this.d.layer);
  }

  /** The code a planning failure ends the goal with, or undefined when recoveries may help. */
  finalFailure(e: NavError, pose: Pose2D, goalPose: Pose2D): ServerEnding | undefined {
    return finalPlanFailure(e, pose, goalPose, this.d.staticMap);
  }
}

/**
 * Is there an observed obstacle on the first `length` m of `path` from pose index `from`? Poses
 * under the robot's own footprint do not count; no path counts as blocked.
 */
export function pathAheadBlocked(
  path: Path | undefined,
  pose: Pose2D,
  from: number,
  length: number,
  robotRadius: number,
  obstacles: Pick<ObstacleLayer, 'obstacleCostAt'>,
): boolean {
  if (!path) return true;
  let travelled = 0;
  let prev = path.poses[from]?.pose.position;
  for (let i = from; i < path.poses.length && travelled <= length; i++) {
    const q = path.poses[i]!.pose.position;
    if (prev) travelled += Math.hypot(q.x - prev.x, q.y - prev.y);
    prev = q;
    if (Math.hypot(q.x - pose.x, q.y - pose.y) <= robotRadius) continue;
    if (obstacles.obstacleCostAt(q.x, q.y) >= 253) return true;
  }
  return false;
}

/**
 * The code a planning failure ends the goal with, or undefined when recoveries may help: the map
 * itself does not change, observed obstacles may move away.
 */
export function finalPlanFailure(
  e: NavError,
  pose: Pose2D,
  goalPose: Pose2D,
  staticMap: Pick<Costmap, 'costAtWorld'>,
): ServerEnding | undefined {
  switch (e.code) {
    case 'NO_PATH':
    case 'INVALID_GOAL':
    case 'CANCELLED':
    case 'UNKNOWN':
      return e.code;
    case 'GOAL_OCCUPIED':
      return staticMap.costAtWorld(goalPose.x, goalPose.y) >= 253 ? 'GOAL_OCCUPIED' : undefined;
    case 'START_OCCUPIED':
      return staticMap.costAtWorld(pose.x, pose.y) >= 254 ? 'START_OCCUPIED' : undefined;
    default:
      return undefined; // BLOCKED and the rest: recoveries may help
  }
}
