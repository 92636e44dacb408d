/**
 * One NavigateToPose goal from acceptance to its ending: the request, the time that counts
 * towards its timeout, and the record each part of the navigator keeps for it (the plan, the
 * recovery sequence, the progress check), each written only by the part that owns it. Apart so
 * the parts share one small record with named owners instead of a closure's variables.
 * checkGoal, the rule for which goals are accepted, sits here with it.
 */
import type { NavigateToPoseResult, Pose2D, PoseStamped, ServerGoalHandle } from '../ros/index.js';
import { quaternionToYaw } from '../ros/index.js';
import type { ServerEnding } from './errors.js';
import { GoalPlan } from './planning.js';
import { ProgressChecker } from './progress-checker.js';
import { GoalRecoveries } from './recovery-sequence.js';
import type { FollowerOutput } from './types.js';

export type GoalHandle = ServerGoalHandle<'nav2_msgs/action/NavigateToPose'>;

/** Ends a goal (zero command, result, log); only the navigator does it, parts ask through this. */
export type EndGoal = (r: GoalRun, code: ServerEnding, message: string) => void;

/** The result when the safety gate's e-stop ends or refuses a goal. */
export const ESTOP_LATCHED = 'stopped: the safety gate reports the e-stop latched';

export class GoalRun {
  readonly goal: PoseStamped;
  /** The goal in `map`; NaN until checkGoal has passed it. */
  goalPose: Pose2D = { x: NaN, y: NaN, yaw: NaN };
  /** Node clock when the goal arrived, ns. */
  readonly startNs: bigint;
  #lastTickNs: bigint;
  /** Seconds of time that count (not paused at a ~0 speed limit). */
  active = 0;
  /** Set by the navigator when it ends the goal: every part stops working on it. */
  ended = false;
  /** False until the first robot pose is known (a goal may come before localisation). */
  started = false;
  /** Node clock since when the robot pose is missing mid-goal, ns; undefined while it is known. */
  poseMissingSinceNs: bigint | undefined;
  /** The follower's latest answer. */
  last: FollowerOutput | undefined;
  /** The path and the planning asked for (planning.ts). */
  readonly plan = new GoalPlan();
  /** Where the goal is in the recovery sequence (recovery-sequence.ts). */
  readonly recoveries = new GoalRecoveries();
  /** Whether the robot makes progress (the control tick checks, starting and resuming restart it). */
  readonly progress = new ProgressChecker();

  constructor(
    readonly gh: GoalHandle,
    readonly resolve: (r: NavigateToPoseResult) => void,
    nowNs: bigint,
  ) {
    this.goal = gh.request.pose;
    this.startNs = nowNs;
    this.#lastTickNs = nowNs;
  }

  get phase(): 'starting' | 'following' | 'recovering' {
    if (!this.started) return 'starting';
    return this.recoveries.current ? 'recovering' : 'following';
  }

  /** Why the goal cannot be navigated to (undefined when it can); remembers its pose if it can. */
  admit(): string | undefined {
    const bad = checkGoal(this.goal);
    if (bad) return bad;
    const { position, orientation } = this.goal.pose;
    this.goalPose = { x: position.x, y: position.y, yaw: quaternionToYaw(orientation) };
    return undefined;
  }

  /** Seconds since the previous control tick (or since the goal arrived). */
  tickDt(nowNs: bigint): number {
    const dt = Number(nowNs - this.#lastTickNs) / 1e9;
    this.#lastTickNs = nowNs;
    return dt;
  }
}

/** Why a goal cannot be navigated to, or undefined when it is well-formed. */
export function checkGoal(goal: PoseStamped | undefined): string | undefined {
  if (!goal || !goal.pose || !goal.header) return 'goal.pose: missing';
  if (goal.header.frame_id !== 'map') {
    return `goal.pose.header.frame_id: expected 'map', found '${String(goal.header.frame_id)}'`;
  }
  const { position: q, orientation: o } = goal.pose;
  if (!q || !o) return 'goal.pose.pose: missing position or orientation';
  for (const [k, v] of Object.entries({ x: q.x, y: q.y, z: q.z })) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      return `goal.pose.pose.position.${k}: expected a finite number, found ${String(v)}`;
  }
  for (const [k, v] of Object.entries({ x: o.x, y: o.y, z: o.z, w: o.w })) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return `goal.pose.pose.orientation.${k}: expected a finite number, found ${String(v)}`;
    }
  }
  if (Math.hypot(o.x, o.y, o.z, o.w) < 1e-6)
    return 'goal.pose.pose.orientation: expected a quaternion, found all zeros';
  return undefined;
}
