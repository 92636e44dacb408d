/**
 * The progress check (Nav2's SimpleProgressChecker): while driving along its path the robot must
 * move `progress_required_movement` within `progress_time_allowance` s of active time, or it
 * counts as blocked. Apart because it is a rule of its own with its own state per goal, and is
 * tested with numbers.
 */
import { distance } from '../ros/index.js';
import type { NavigatorParams } from './navigator-config.js';

export type ProgressParams = Pick<NavigatorParams, 'progress_required_movement' | 'progress_time_allowance'>;

export class ProgressChecker {
  #from = { x: 0, y: 0 };
  /** Active time the window started, s. */
  #since = 0;

  /** Starts a fresh window at `pose`, `active` s into the goal. */
  restart(pose: { x: number; y: number }, active: number): void {
    this.#from = { x: pose.x, y: pose.y };
    this.#since = active;
  }

  /**
   * After a control step: true when the robot, meant to drive along its path, has not moved far
   * enough for too long. A fresh window starts then, and whenever it moved far enough or was not
   * meant to drive along its path (turning on the spot, say).
   */
  stuck(pose: { x: number; y: number }, active: number, driving: boolean, p: ProgressParams): boolean {
    if (!driving || distance(this.#from, pose) >= p.progress_required_movement) {
      this.restart(pose, active);
      return false;
    }
    if (active - this.#since < p.progress_time_allowance) return false;
    this.restart(pose, active);
    return true;
  }
}
