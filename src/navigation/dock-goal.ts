/**
 * Which DockRobot goals the docking behaviour takes, and what it makes of one: the dock pose and
 * the staging pose on its axis, the time allowed to stage, whether to stage at all. A goal it
 * cannot use ends at once with the ending and the field that is wrong.
 */
import type { Costmap } from '../map/index.js';
import type { DockRobotGoal, Pose2D } from '../ros/index.js';
import type { DockEnding } from './dock-errors.js';
import { approachDirection, dockLaneProblem, dockPoseOf, stagingPose } from './dock-geometry.js';
import type { DockParams } from './dock-params.js';

export interface DockPlan {
  dock: Pose2D;
  staging: Pose2D;
  /** Most time to get to the staging pose and line up, per attempt, s. */
  stagingTimeS: number;
  /** False: the first attempt starts lined up at the staging pose (the goal says it is there). */
  stageFirst: boolean;
}

export type DockAdmission = { plan: DockPlan } | { ending: DockEnding; why: string };

export function admitDockGoal(
  goal: DockRobotGoal | undefined,
  costmap: Costmap,
  p: DockParams,
): DockAdmission {
  if (!goal) return { ending: 'INVALID_DOCK', why: 'goal: missing' };
  if (goal.use_dock_id !== false) {
    return {
      ending: 'NOT_IN_DB',
      why: `goal.use_dock_id: this server has no dock database (dock_id '${String(goal.dock_id).slice(0, 40)}'): send use_dock_id false and the dock's pose in goal.dock_pose`,
    };
  }
  const dock = dockPoseOf(goal.dock_pose);
  if (typeof dock === 'string') return { ending: 'INVALID_DOCK', why: dock };
  const staging = stagingPose(dock, p.staging_offset, approachDirection(p.dock_backwards));
  const problem = dockLaneProblem(costmap, dock, staging);
  if (problem) return { ending: 'INVALID_DOCK', why: problem };
  const t = goal.max_staging_time;
  const stagingTimeS = typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : p.staging_timeout;
  return { plan: { dock, staging, stagingTimeS, stageFirst: goal.navigate_to_staging_pose !== false } };
}
