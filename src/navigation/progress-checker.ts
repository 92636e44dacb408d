/**
 * The progress check (Nav2's PoseProgressChecker): while it is meant to move (driving along its
 * path or turning on the spot to face it), the robot must move `progress_required_movement` or
 * turn `progress_required_rotation` within `progress_time_allowance` s of active time, or it counts
 * as blocked. Turning counts both ways: a turn the safety gate holds still (a wall within its
 * margin) is as stuck as a drive it holds still, and must lead to the recoveries, not to standing
 * there for good. Apart because it is a rule of its own with its own state per goal, and is tested
 * with numbers.
 */
import { distance, normalizeAngle } from '../ros/index.js';
import type { NavigatorParams } from './navigator-config.js';

export type ProgressParams = Pick<
  NavigatorParams,
  'progress_required_movement' | 'progress_required_rotation' | 'progress_time_allowance'
>;

/** A pose the check reads: place and, when known, heading (rad). */
export interface ProgressPose {
  x: number;
  y: number;
  yaw?: number;
}

export class ProgressChecker {
  #from: Required<ProgressPose> = { x: 0, y: 0, yaw: 0 };
  /** Active time the window started, s. */
  #since = 0;

  /** Starts a fresh window at `pose`, `active` s into the goal. */
  restart(pose: ProgressPose, active: number): void {
    this.#from = { x: pose.x, y: pose.y, yaw: pose.yaw ?? 0 };
    this.#since = active;
  }

  /**
   * After a control step in which the robot was meant to move: true when it has neither moved nor
   * turned far enough for too long. A fresh window starts then, and whenever it moved or turned
   * far enough. Holding still on purpose (waiting for the customer, a recovery) restarts the
   * window instead of asking.
   */
  stuck(pose: ProgressPose, active: number, p: ProgressParams): boolean {
    if (this.#progressed(pose, p)) {
      this.restart(pose, active);
      return false;
    }
    if (active - this.#since < p.progress_time_allowance) return false;
    this.restart(pose, active);
    return true;
  }

  #progressed(pose: ProgressPose, p: ProgressParams): boolean {
    if (distance(this.#from, pose) >= p.progress_required_movement) return true;
    if (pose.yaw === undefined) return false;
    return Math.abs(normalizeAngle(pose.yaw - this.#from.yaw)) >= p.progress_required_rotation;
  }
}
