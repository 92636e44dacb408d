/**
 * How a navigation ends, in the words the navigator's parts and the guide mission share
 * (NavErrorCode), and the number the robot's own servers put on the wire for each: Nav2's own
 * codes (nav2-error-codes.ts), so that a client cannot tell this navigator from Nav2's
 * bt_navigator and behavior_server. behaviors/mission-reasons.ts reads any Nav2 code back into
 * these words and gives each its meaning for the mission (it will not compile until it does).
 */
import { NAV2_ERROR_CODES, NAV2_NONE } from './nav2-error-codes.js';

/** How a navigation or a turn ended. */
export const NAV_OUTCOMES = [
  /** Success. */
  'NONE',
  /** Something unexpected (a bug): the robot stopped. */
  'UNKNOWN',
  /** The map has no traversable route from the robot to the goal. */
  'NO_PATH',
  /** Obstacles (from the scan) block every route and the recoveries did not clear them. */
  'BLOCKED',
  /** The goal's `timeout` ran out (time paused at a ~0 speed limit does not count). */
  'TIMED_OUT',
  /** Cancelled by the client, or preempted by a newer goal. */
  'CANCELLED',
  /** The safety gate's e-stop is latched. */
  'STOPPED',
  /** The goal pose lies in an obstacle or too close to one for the robot to stand there. */
  'GOAL_OCCUPIED',
  /** No localisation: TF map → base_link is missing or stale. */
  'NO_POSE',
  /** The goal itself is malformed: not finite, or in a frame other than `map`. */
  'INVALID_GOAL',
  /** The robot stands in an obstacle with no free cell within the escape radius. */
  'START_OCCUPIED',
  /** The client found no server to ask (none came up within its wait, or it went away). */
  'SERVER_UNAVAILABLE',
] as const;

export type NavErrorCode = (typeof NAV_OUTCOMES)[number];

/** The endings a navigation server itself decides (a missing server is the client's finding). */
export type ServerEnding = Exclude<NavErrorCode, 'SERVER_UNAVAILABLE'>;

const { NavigateToPose, ComputePathToPose, FollowPath, Spin } = NAV2_ERROR_CODES;

/**
 * The `error_code` the navigator's NavigateToPose result carries for each ending: the code Nav2
 * gives the same failure. A cancelled goal carries 0 with status CANCELED, as Nav2's does.
 */
export const NAV_ERROR_CODES: Readonly<Record<ServerEnding, number>> = {
  NONE: NAV2_NONE,
  // A bug in the navigator itself: no planner or controller failed.
  UNKNOWN: NavigateToPose.UNKNOWN,
  NO_PATH: ComputePathToPose.NO_VALID_PATH,
  // Recoveries exhausted without getting on: Nav2's progress checker fails FollowPath so.
  BLOCKED: FollowPath.FAILED_TO_MAKE_PROGRESS,
  // The whole trip's time ran out: Jazzy has no code for it, Kilted's NavigateToPose does.
  TIMED_OUT: NavigateToPose.TIMEOUT,
  CANCELLED: NAV2_NONE,
  // Nav2 does not read the gate: held still by it, Nav2 fails FollowPath for lack of progress.
  // The mission tells an e-stop by the gate's own state, never by this code.
  STOPPED: FollowPath.FAILED_TO_MAKE_PROGRESS,
  GOAL_OCCUPIED: ComputePathToPose.GOAL_OCCUPIED,
  // Nav2's planner cannot get the robot's pose to plan from: PlannerTFError.
  NO_POSE: ComputePathToPose.TF_ERROR,
  // Not finite, or not in `map`: not a place on the map the planner plans on.
  INVALID_GOAL: ComputePathToPose.GOAL_OUTSIDE_MAP,
  START_OCCUPIED: ComputePathToPose.START_OCCUPIED,
};

/** The endings the spin behaviour decides. */
export type SpinEnding = Extract<
  ServerEnding,
  'NONE' | 'UNKNOWN' | 'TIMED_OUT' | 'CANCELLED' | 'STOPPED' | 'NO_POSE' | 'INVALID_GOAL'
>;

/** The `error_code` the spin behaviour's Spin result carries: Nav2's behavior_server's codes. */
export const SPIN_ERROR_CODES: Readonly<Record<SpinEnding, number>> = {
  NONE: NAV2_NONE,
  UNKNOWN: Spin.UNKNOWN,
  TIMED_OUT: Spin.TIMEOUT,
  CANCELLED: NAV2_NONE,
  // Held still by the gate, Nav2's spin runs out of its time allowance.
  STOPPED: Spin.TIMEOUT,
  NO_POSE: Spin.TF_ERROR,
  // Jazzy's Spin has no code for a goal it cannot use.
  INVALID_GOAL: Spin.UNKNOWN,
};

/** Why navigation failed: an ending the navigator decides, where, and what was found. */
export class NavError extends Error {
  constructor(
    readonly code: Exclude<ServerEnding, 'NONE'>,
    /** file and stage or field path, e.g. 'grid-astar.ts:plan goal'. */
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'NavError';
  }

  /** The numeric code for a NavigateToPose result. */
  get errorCode(): number {
    return NAV_ERROR_CODES[this.code];
  }
}
