export {
  guideMission,
  validateGuideParams,
  DEFAULT_GUIDE_PARAMS,
  MISSION_STATES,
  MISSION_REASONS,
  NAV_RESULT_CODES,
} from './guide-mission.js';
export type {
  GuideEvent,
  GuideEventType,
  GuideInput,
  GuideParams,
  GuideContext,
  MissionState,
  MissionReason,
  NavGoal,
  NavResult,
  NavResultCode,
  SayParams,
  StatusParams,
  SpeedLimitParams,
} from './guide-mission.js';
export { startGuideMission, type MissionDeps, type RunningMission } from './mission-node.js';
export { MissionError, type MissionErrorCode } from './errors.js';
