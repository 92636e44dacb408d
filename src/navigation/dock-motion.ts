/**
 * The docking behaviour's three moves as control laws, each a pure function of where the robot
 * is (by its own localisation) to a command and whether the move is done:
 *
 * - driveTo: to the staging pose, turning on the spot to face it (or to put its back to it, when
 *   that is the smaller turn) and driving straight, steering only while still far enough for the
 *   bearing to mean something;
 * - turnTo: on the spot, onto the dock's axis;
 * - approach: slowly along the axis onto the dock pose, steering the lateral error out as it goes
 *   (a unicycle reversing onto a line: aim the heading at asin(k·y) of the axis).
 *
 * The safety gate still limits and ramps whatever these ask for.
 */
import type { Pose2D } from '../ros/index.js';
import { normalizeAngle } from '../ros/index.js';
import type { ApproachDirection } from './dock-geometry.js';
import { remainingOnAxis } from './dock-geometry.js';

export interface DockCommand {
  /** m/s; negative is reversing. */
  linear: number;
  /** rad/s, counter-clockwise. */
  angular: number;
  done: boolean;
}

const STOP: DockCommand = { linear: 0, angular: 0, done: true };

/** Braking the final approach and the drive to staging onto their point, m/s². */
const BRAKE_DECEL = 0.3;
/** Angular braking when turning on the spot, rad/s² (well under the robot's, to stop on the heading). */
const TURN_DECEL = 0.8;
/** Turn on the spot first when the way is more than this off the heading, rad. */
const TURN_FIRST_RAD = 0.25;
/** Near the point, turn first only when it is this far off the heading: mostly beside the robot, rad. */
const NEAR_TURN_FIRST_RAD = 0.6;
/** Within this of the staging point the bearing is noise: drive straight, do not steer, m. */
const STEER_MIN_DISTANCE = 0.1;
/** Heading gain while driving to staging and on the approach, 1/s. */
const HEADING_GAIN = 1.5;
/** Lateral gain of the approach: the heading aimed for per metre off the axis, rad/m. */
const LATERAL_GAIN = 3;
/** The approach never aims more than this off the axis, rad (a gentle correction, not a swerve). */
const MAX_APPROACH_AIM = 0.15;
/** Steering on the approach never turns faster than this, rad/s. */
const MAX_APPROACH_TURN = 0.2;
/** On the dock pose once this little is left to drive along the axis, m. */
const ON_POSE_M = 0.002;

export interface TurnLimits {
  maxRate: number;
  minRate: number;
  tolerance: number;
}

/** Turn on the spot onto `targetYaw`: as fast as braking in time allows, never below minRate. */
export function turnTo(yaw: number, targetYaw: number, limits: TurnLimits): DockCommand {
  const error = normalizeAngle(targetYaw - yaw);
  if (Math.abs(error) <= limits.tolerance) return STOP;
  const rate = Math.max(
    limits.minRate,
    Math.min(limits.maxRate, Math.sqrt(2 * TURN_DECEL * Math.abs(error))),
  );
  return { linear: 0, angular: Math.sign(error) * rate, done: false };
}

export interface DriveLimits {
  speed: number;
  minSpeed: number;
  /** Done within this of the point, m. */
  tolerance: number;
  turn: Omit<TurnLimits, 'tolerance'>;
}

/**
 * Drive to the point of `target` (its yaw is not turned to), forwards or backwards, whichever
 * faces it after the smaller turn.
 */
export function driveTo(robot: Pose2D, target: { x: number; y: number }, limits: DriveLimits): DockCommand {
  const dx = target.x - robot.x;
  const dy = target.y - robot.y;
  const distance = Math.hypot(dx, dy);
  if (distance <= limits.tolerance) return STOP;
  const bearing = Math.atan2(dy, dx);
  const forwardError = normalizeAngle(bearing - robot.yaw);
  const sign = Math.abs(forwardError) <= Math.PI / 2 ? 1 : -1;
  const error = sign > 0 ? forwardError : normalizeAngle(forwardError + Math.PI);
  const near = distance < STEER_MIN_DISTANCE;
  if (Math.abs(error) > (near ? NEAR_TURN_FIRST_RAD : TURN_FIRST_RAD)) {
    return { ...turnTo(robot.yaw, robot.yaw + error, { ...limits.turn, tolerance: 0 }), done: false };
  }
  // Along the way the robot drives (the point's distance ahead or behind, never negative here).
  const along = distance * Math.cos(error);
  const speed = Math.max(limits.minSpeed, Math.min(limits.speed, Math.sqrt(2 * BRAKE_DECEL * along)));
  const angular = near ? 0 : clamp(HEADING_GAIN * error, limits.turn.maxRate);
  return { linear: sign * speed, angular, done: false };
}

export interface ApproachLimits {
  speed: number;
  minSpeed: number;
}

/**
 * Along the dock's axis onto the dock pose, from the robot's pose in the dock frame. Done once
 * the dock pose is reached along the axis; what is left across it is the tolerance check's.
 */
export function approach(inDock: Pose2D, dir: ApproachDirection, limits: ApproachLimits): DockCommand {
  const remaining = remainingOnAxis(inDock, dir);
  if (remaining <= ON_POSE_M) return STOP;
  const speed = Math.max(limits.minSpeed, Math.min(limits.speed, Math.sqrt(2 * BRAKE_DECEL * remaining)));
  // ẏ = v·sin(θ) with v = dir·speed: aiming at sin(θ) = −dir·k·y brings y down as e^(−k·s).
  const aim = Math.asin(clamp(-dir * LATERAL_GAIN * inDock.y, Math.sin(MAX_APPROACH_AIM)));
  const angular = clamp(HEADING_GAIN * normalizeAngle(aim - inDock.yaw), MAX_APPROACH_TURN);
  return { linear: dir * speed, angular, done: false };
}

function clamp(v: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, v));
}
