/**
 * Navigation error codes: the `error_code` of a nav2_msgs/action/NavigateToPose result, and the
 * `code` of a NavError thrown by a planner. Codes are never reused; a new failure gets a new one,
 * and behaviors/mission-reasons.ts gives it its meaning for the guide mission (it will not compile
 * until it does).
 */
export const NAV_ERROR_CODES = {
  /** Success. */
  NONE: 0,
  /** Something unexpected (a bug): the robot stopped. */
  UNKNOWN: 1,
  /** The map has no traversable route from the robot to the goal. */
  NO_PATH: 2,
  /** Obstacles (from the scan) block every route and the recoveries did not clear them. */
  BLOCKED: 3,
  /** The goal's `timeout` ran out (time paused at a ~0 speed limit does not count). */
  TIMED_OUT: 4,
  /** Cancelled by the client, or preempted by a newer goal. */
  CANCELLED: 5,
  /** The safety gate's e-stop is latched. */
  STOPPED: 6,
  /** The goal pose lies in an obstacle or too close to one for the robot to stand there. */
  GOAL_OCCUPIED: 7,
  /** No localisation: TF map → base_link is missing or stale. */
  NO_POSE: 8,
  /** The goal itself is malformed: not finite, or in a frame other than `map`. */
  INVALID_GOAL: 9,
  /** The robot stands in an obstacle with no free cell within the escape radius. */
  START_OCCUPIED: 10,
} as const;

export type NavErrorCode = keyof typeof NAV_ERROR_CODES;

/** Why navigation failed: a code from NAV_ERROR_CODES, where it was decided, and what was found. */
export class NavError extends Error {
  constructor(
    readonly code: Exclude<NavErrorCode, 'NONE'>,
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

/** The name of a numeric result code (for logs and tests), or undefined if it is not ours. */
export function navErrorName(errorCode: number): NavErrorCode | undefined {
  for (const [name, value] of Object.entries(NAV_ERROR_CODES)) {
    if (value === errorCode) return name as NavErrorCode;
  }
  return undefined;
}
