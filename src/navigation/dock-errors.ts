/**
 * How a docking ends, in the docking behaviour's own words, and the number its DockRobot result
 * carries for each: opennav_docking's codes (nav2-error-codes.ts), so that a client cannot tell
 * the robot's behaviour server from Nav2's docking_server. behaviors/mission-reasons.ts reads the
 * numbers back into the mission's vocabulary.
 */
import { NAV2_ERROR_CODES, NAV2_NONE } from './nav2-error-codes.js';

export const DOCK_ENDINGS = [
  /** Docked: within the final tolerance by the robot's own localisation. */
  'NONE',
  /** Cancelled by the client, or preempted by a newer goal. */
  'CANCELLED',
  /** The goal names a dock by id: this server has no dock database, only poses. */
  'NOT_IN_DB',
  /** The dock pose is malformed, not in `map`, or it or its staging pose is in a wall. */
  'INVALID_DOCK',
  /** The robot could not get to the staging pose (its way blocked, or out of time). */
  'FAILED_TO_STAGE',
  /** The way onto the dock stayed blocked through every retry. */
  'BLOCKED',
  /** Every attempt ended outside the final tolerance. */
  'OFF_TOLERANCE',
  /** The final approach took longer than `docking.approach_timeout` in every attempt. */
  'TIMED_OUT',
  /** The safety gate's e-stop is latched. */
  'STOPPED',
  /** No localisation: TF map → base_link missing, stale or not finite. */
  'NO_POSE',
  /** Something unexpected (a bug): the robot stopped. */
  'UNKNOWN',
] as const;
export type DockEnding = (typeof DOCK_ENDINGS)[number];

const { DockRobot } = NAV2_ERROR_CODES;

/** The `error_code` of the DockRobot result for each ending (a cancel carries 0 with status CANCELED). */
export const DOCK_ERROR_CODES: Readonly<Record<DockEnding, number>> = {
  NONE: NAV2_NONE,
  CANCELLED: NAV2_NONE,
  NOT_IN_DB: DockRobot.DOCK_NOT_IN_DB,
  INVALID_DOCK: DockRobot.DOCK_NOT_VALID,
  FAILED_TO_STAGE: DockRobot.FAILED_TO_STAGE,
  // opennav_docking fails an approach it cannot drive (its collision check, its controller) so.
  BLOCKED: DockRobot.FAILED_TO_CONTROL,
  OFF_TOLERANCE: DockRobot.FAILED_TO_CONTROL,
  // Kilted's code; a Jazzy docking server says FAILED_TO_CONTROL for its approach timeout.
  TIMED_OUT: DockRobot.TIMEOUT,
  // Nav2 does not read the gate: held still by it, its approach fails to control the robot.
  // The mission tells an e-stop by the gate's own state, never by this code.
  STOPPED: DockRobot.FAILED_TO_CONTROL,
  // opennav_docking answers a TF failure UNKNOWN.
  NO_POSE: DockRobot.UNKNOWN,
  UNKNOWN: DockRobot.UNKNOWN,
};

/** DockRobot feedback `state` values (the action's constants). */
export const DOCK_STATES = {
  NONE: 0,
  NAV_TO_STAGING_POSE: 1,
  INITIAL_PERCEPTION: 2,
  CONTROLLING: 3,
  WAIT_FOR_CHARGE: 4,
  RETRY: 5,
} as const;
