/**
 * The one failure vocabulary, read by every layer: a navigation server's result code (Nav2's
 * numbers, src/navigation/nav2-error-codes.ts, which the robot's own navigator uses too) is read
 * here into how the navigation ended (NavErrorCode), that maps to the mission's reason
 * (GuideStatus.reason), and each reason says which outcome it gives a customer's request (what
 * reports, logs and operators count). The tables are typed records, so a new Nav2 code, a new
 * ending or a new reason does not compile until it has its row; nothing downstream re-derives a
 * meaning from a reason's text.
 */
import { NAV2_NONE, nav2CodeName, type Nav2CodeName, type NavErrorCode } from '../src/navigation/index.js';

/** How a customer's request ended. */
export const OUTCOMES = [
  'arrived',
  'unknown',
  /** Several desks fit and the customer did not pick one (cancelled or walked away). */
  'ambiguous',
  /** The service is not on this floor: the customer was told where to go instead. */
  'elsewhere',
  /** The customer chose to walk alone and was told the way. */
  'directions',
  'closed',
  'lost',
  'nav_failed',
  'estopped',
  'cancelled',
  /**
   * Not taken: the robot could not guide then (battery low or unreadable, the centre closed); the
   * customer was told why and, for a desk, the way in words.
   */
  'refused',
  /** Taken, but the charge would not last: the customer was told the way from where the robot stopped. */
  'handed_over',
  /** The mission itself failed (a bug); the robot stood still. */
  'error',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

interface ReasonRow {
  /**
   * The outcome of the request this reason ends, or undefined for a reason that ends none (the
   * trip home failing after the customer was already served or turned away).
   */
  readonly outcome: Outcome | undefined;
  /** For operators and the docs: what happened. */
  readonly means: string;
}

/** Why the mission is where it is (GuideStatus.reason); '' while all goes to plan. */
export const MISSION_REASONS = {
  '': { outcome: undefined, means: 'all goes to plan' },
  unknown_destination: { outcome: 'unknown', means: 'no destination matches the request' },
  asking: {
    outcome: undefined,
    means: 'several destinations match; the customer was asked which and the robot waits for the pick',
  },
  ask_cancelled: { outcome: 'cancelled', means: 'asked which destination, the customer cancelled' },
  ask_timed_out: { outcome: 'ambiguous', means: 'asked which destination, nobody picked one in time' },
  elsewhere: {
    outcome: 'elsewhere',
    means: 'the service is not on this floor; the customer was told where to go instead',
  },
  directions_given: {
    outcome: 'directions',
    means: 'the customer chose to walk alone and was told the way in words',
  },
  desk_closed: { outcome: 'closed', means: 'the desk is closed now' },
  desk_closed_by_staff: {
    outcome: 'closed',
    means: 'staff have closed or paused the desk in the console; the customer was told when it opens',
  },
  desk_closed_on_arrival: {
    outcome: 'arrived',
    means: 'the customer was brought to the desk, but staff had closed it on the way',
  },
  customer_lost: { outcome: 'lost', means: 'the customer stopped following and did not come back' },
  nav_no_path: { outcome: 'nav_failed', means: 'the map has no route to the desk' },
  nav_blocked: { outcome: 'nav_failed', means: 'obstacles block every route; recoveries did not help' },
  nav_timed_out: {
    outcome: 'nav_failed',
    means: 'navigation ran out of time (the whole trip, or planning or turning within it)',
  },
  nav_unavailable: {
    outcome: 'nav_failed',
    means:
      'no navigation server answered (none came up within its wait, or it went away): staff, please check that navigation (Nav2) is running',
  },
  nav_failed: { outcome: 'nav_failed', means: 'navigation failed for another reason (see the log)' },
  return_blocked: {
    outcome: undefined,
    means:
      'the robot could not get back to its dock (blocked or no route); it serves customers from where it stands, asked bystanders to clear the way, and tries again after a pause that grows each time',
  },
  return_needs_help: {
    outcome: undefined,
    means:
      'the robot has failed to get back to its dock several times: staff, please clear the way or drive it home; meanwhile it serves customers from where it stands and keeps trying',
  },
  localizing: {
    outcome: undefined,
    means:
      'the robot is not sure where it is (localisation lost): it stands still and waits for its localisation to recover',
  },
  localization_lost: {
    outcome: 'nav_failed',
    means:
      'the robot stayed unsure where it is for too long: it stands still, asked for help and let the customer go; staff, please check the lidar or drive it home; it goes home by itself once its localisation recovers',
  },
  estop: { outcome: 'estopped', means: 'the e-stop is latched' },
  cancelled: { outcome: 'cancelled', means: 'an operator cancelled the guidance' },
  dispatched: { outcome: undefined, means: 'an operator sent the robot somewhere, with no customer' },
  dispatch_arrived: { outcome: 'arrived', means: 'the robot got where an operator sent it' },
  paused: {
    outcome: undefined,
    means: 'an operator paused the robot (to drive it by hand); it resumes where it was',
  },
  internal_error: { outcome: 'error', means: 'the mission failed itself; the robot stood still' },
  battery_low: {
    outcome: 'refused',
    means:
      'the charge is below guide.low_charge: the robot takes no escort (it tells the way in words), goes to its dock and charges until guide.resume_charge',
  },
  battery_unreliable: {
    outcome: 'refused',
    means:
      'the battery reading cannot be trusted (not a number, frozen or silent): the robot takes no escort and stays on its dock until the reading is good again; staff, please check the battery and its wiring',
  },
  battery_handover: {
    outcome: 'handed_over',
    means:
      'the charge would not last the escort and the way home: the robot told the customer the way from where it was and went to charge',
  },
  battery_critical: {
    outcome: 'handed_over',
    means:
      'the charge fell below guide.critical_charge away from the dock: the robot stopped where it is and waits; staff, please push it to its dock or plug it in',
  },
  charged: { outcome: undefined, means: 'charged enough again (guide.resume_charge): back in service' },
  dock_failed: {
    outcome: undefined,
    means:
      "the robot could not get onto its dock's charging contacts after several tries (blocked, or the dock moved): staff, please clear the dock; it keeps trying",
  },
  centre_closed: {
    outcome: 'refused',
    means: 'the centre is closed (site hours): the robot stays on its dock and says when the centre opens',
  },
} as const satisfies Record<string, ReasonRow>;
export type MissionReason = keyof typeof MISSION_REASONS;
export const MISSION_REASON_CODES = Object.keys(MISSION_REASONS) as readonly MissionReason[];

/**
 * The mission's reason for each way a navigation can end other than arriving. A navigation
 * cancelled by anyone but the mission (a newer goal, the navigator shutting down) is a failed
 * trip to the mission; its own cancels are never read (the state that asked has been left).
 */
export const NAV_FAILURE_REASONS: Readonly<Record<Exclude<NavErrorCode, 'NONE'>, MissionReason>> = {
  UNKNOWN: 'nav_failed',
  NO_PATH: 'nav_no_path',
  BLOCKED: 'nav_blocked',
  TIMED_OUT: 'nav_timed_out',
  CANCELLED: 'nav_failed',
  STOPPED: 'estop',
  GOAL_OCCUPIED: 'nav_failed',
  NO_POSE: 'nav_failed',
  INVALID_GOAL: 'nav_failed',
  START_OCCUPIED: 'nav_failed',
  SERVER_UNAVAILABLE: 'nav_unavailable',
};

/**
 * How each of Nav2's failure codes ended the navigation. No code means an e-stop: Nav2 does not
 * read the safety gate, so the mission tells one by the gate's state; nor a cancel, which is the
 * goal's status.
 */
export const NAV2_FAILURES: Readonly<
  Record<Nav2CodeName, Exclude<NavErrorCode, 'NONE' | 'CANCELLED' | 'STOPPED' | 'SERVER_UNAVAILABLE'>>
> = {
  'NavigateToPose.UNKNOWN': 'UNKNOWN',
  'NavigateToPose.FAILED_TO_LOAD_BEHAVIOR_TREE': 'UNKNOWN',
  'NavigateToPose.TF_ERROR': 'NO_POSE',
  'NavigateToPose.TIMEOUT': 'TIMED_OUT',
  'ComputePathToPose.UNKNOWN': 'UNKNOWN',
  'ComputePathToPose.INVALID_PLANNER': 'UNKNOWN',
  'ComputePathToPose.TF_ERROR': 'NO_POSE',
  // The robot is not where the planner can start from: as good as standing in a wall.
  'ComputePathToPose.START_OUTSIDE_MAP': 'START_OCCUPIED',
  // Not a place on this map: the goal itself is wrong.
  'ComputePathToPose.GOAL_OUTSIDE_MAP': 'INVALID_GOAL',
  'ComputePathToPose.START_OCCUPIED': 'START_OCCUPIED',
  'ComputePathToPose.GOAL_OCCUPIED': 'GOAL_OCCUPIED',
  // The planner's own time budget (max_planning_time) ran out.
  'ComputePathToPose.TIMEOUT': 'TIMED_OUT',
  'ComputePathToPose.NO_VALID_PATH': 'NO_PATH',
  'FollowPath.UNKNOWN': 'UNKNOWN',
  'FollowPath.INVALID_CONTROLLER': 'UNKNOWN',
  'FollowPath.TF_ERROR': 'NO_POSE',
  // An empty or malformed path from Nav2's own planner: Nav2's fault, not the floor's.
  'FollowPath.INVALID_PATH': 'UNKNOWN',
  // The controller, held up by what is around it, gave up waiting.
  'FollowPath.PATIENCE_EXCEEDED': 'BLOCKED',
  'FollowPath.FAILED_TO_MAKE_PROGRESS': 'BLOCKED',
  // No command that keeps clear of obstacles.
  'FollowPath.NO_VALID_CONTROL': 'BLOCKED',
  // No valid command for longer than the controller server's failure_tolerance.
  'FollowPath.CONTROLLER_TIMED_OUT': 'BLOCKED',
  'Spin.UNKNOWN': 'UNKNOWN',
  'Spin.TIMEOUT': 'TIMED_OUT',
  'Spin.TF_ERROR': 'NO_POSE',
  'Spin.COLLISION_AHEAD': 'BLOCKED',
  // A dock by id: the robot's docking behaviour has no dock database, only poses.
  'DockRobot.DOCK_NOT_IN_DB': 'INVALID_GOAL',
  // A dock pose that is malformed, not in map, or in a wall.
  'DockRobot.DOCK_NOT_VALID': 'INVALID_GOAL',
  // Could not get to the staging pose in front of the dock: something in the way.
  'DockRobot.FAILED_TO_STAGE': 'BLOCKED',
  // The dock was not seen where it should be (Nav2's dock perception; the robot's own never sends it).
  'DockRobot.FAILED_TO_DETECT_DOCK': 'UNKNOWN',
  // The approach onto the dock could not go on: blocked, or it never got within the tolerance.
  'DockRobot.FAILED_TO_CONTROL': 'BLOCKED',
  // Docked, but the contacts did not start charging (Nav2's; the robot's own never sends it).
  'DockRobot.FAILED_TO_CHARGE': 'UNKNOWN',
  'DockRobot.TIMEOUT': 'TIMED_OUT',
  'DockRobot.UNKNOWN': 'UNKNOWN',
};

/** How a failed goal's code reads: its ending, and its name for operators (with the number). */
export interface NavFailure {
  code: Exclude<NavErrorCode, 'NONE' | 'CANCELLED' | 'STOPPED' | 'SERVER_UNAVAILABLE'>;
  /** e.g. 'ComputePathToPose.NO_VALID_PATH (208)', or 'unknown error_code 4242'. */
  name: string;
}

/**
 * Reads the error_code of a goal that ended aborted. A number no Nav2 table defines is UNKNOWN
 * (the mission's generic reason) and keeps its number in the name, for the operator; so is 0,
 * which a Jazzy bt_navigator sends when its tree failed without a server's code.
 */
export function navFailureOf(errorCode: number): NavFailure {
  const name = nav2CodeName(errorCode);
  if (name) return { code: NAV2_FAILURES[name], name: `${name} (${errorCode})` };
  if (errorCode === NAV2_NONE) return { code: 'UNKNOWN', name: 'aborted without an error_code (0)' };
  return { code: 'UNKNOWN', name: `unknown error_code ${String(errorCode).slice(0, 24)}` };
}

/** The mission's reason for a goal that ended aborted with `errorCode`. */
export function navReasonOf(errorCode: number): MissionReason {
  return NAV_FAILURE_REASONS[navFailureOf(errorCode).code];
}

/**
 * The outcome a status decides for its request: arriving, or the first reason that ends
 * requests. Undefined while the request is still open (or for a reason this table does not know,
 * from a newer mission).
 */
export function outcomeOfStatus(state: string, reason: string): Outcome | undefined {
  if (state === 'arrived') return 'arrived';
  return Object.hasOwn(MISSION_REASONS, reason)
    ? MISSION_REASONS[reason as MissionReason].outcome
    : undefined;
}

/**
 * A reason code in plain words for operators (the console's mission log): '' for no reason, and
 * a code this table does not know (from a newer mission) said as such rather than dropped.
 */
export function reasonText(reason: string): string {
  if (reason === '') return '';
  return Object.hasOwn(MISSION_REASONS, reason)
    ? MISSION_REASONS[reason as MissionReason].means
    : `an unknown reason (${reason.slice(0, 64)})`;
}
