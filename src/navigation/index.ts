export type {
  GlobalPlanner,
  PathFollower,
  Recovery,
  RecoveryContext,
  RecoveryStep,
  FollowerEnv,
  FollowerInput,
  FollowerOutput,
  FollowerState,
  SpeedReason,
  CellBounds,
} from './types.js';
export { createNavigator, type Navigator, type NavigatorStatus, type NavigatorPhase } from './navigator.js';
export { checkGoal } from './goal-run.js';
export {
  NAVIGATOR_DEFAULTS,
  NAV_PARAM_PREFIXES,
  type NavigatorDeps,
  type NavigatorParams,
} from './navigator-config.js';
export {
  NavError,
  NAV_OUTCOMES,
  NAV_ERROR_CODES,
  SPIN_ERROR_CODES,
  type NavErrorCode,
  type ServerEnding,
  type SpinEnding,
} from './errors.js';
export {
  NAV2_ERROR_CODES,
  NAV2_NONE,
  NAV2_CODE_NAMES,
  nav2Code,
  nav2CodeName,
  type Nav2Action,
  type Nav2CodeName,
} from './nav2-error-codes.js';
export { PLANNERS, FOLLOWERS, RECOVERIES } from './plugins.js';
export {
  GridAStar,
  GRID_ASTAR_DEFAULTS,
  downsampleFactor,
  type GridAStarParams,
  type PlanStats,
} from './grid-astar.js';
export { MinHeap } from './min-heap.js';
export { GridSearch, padCostGrid, type GridSearchOptions } from './grid-search.js';
export { RegulatedPurePursuit, RPP_DEFAULTS, type RppParams } from './regulated-pure-pursuit.js';
export { ObstacleLayer, OBSTACLE_LAYER_DEFAULTS, type ObstacleLayerParams } from './obstacle-layer.js';
export {
  closestApproach,
  zoneSpeedLimits,
  speedCapFromMsg,
  NO_SPEED_LIMIT,
  type SpeedLimitAt,
} from './speed-limits.js';
export { createSpinServer, SPIN_DEFAULTS, type SpinServer } from './spin-behavior.js';
export { createDockServer, type DockServer, type DockServerDeps } from './dock-behavior.js';
export { DOCK_DEFAULTS, type DockParams } from './dock-params.js';
export { DOCK_ERROR_CODES, DOCK_STATES, type DockEnding } from './dock-errors.js';
