/** Plugin tables: configuration picks implementations by these names (as Nav2's plugin params). */
import { GridAStar } from './grid-astar.js';
import { BackUpRecovery, ClearAndReplanRecovery, TurnToPathRecovery, WaitRecovery } from './recoveries.js';
import { RegulatedPurePursuit } from './regulated-pure-pursuit.js';
import type { GlobalPlanner, PathFollower, Recovery } from './types.js';

export const PLANNERS: Record<string, () => GlobalPlanner> = { grid_astar: () => new GridAStar() };
export const FOLLOWERS: Record<string, () => PathFollower> = {
  regulated_pure_pursuit: () => new RegulatedPurePursuit(),
};
export const RECOVERIES: Record<string, () => Recovery> = {
  wait: () => new WaitRecovery(),
  turn_to_path: () => new TurnToPathRecovery(),
  back_up: () => new BackUpRecovery(),
  clear_and_replan: () => new ClearAndReplanRecovery(),
};
