export { guideMission, validateGuideParams, DEFAULT_GUIDE_PARAMS, MISSION_STATES } from './guide-mission.js';
export type {
  GuideEvent,
  GuideEventType,
  GuideInput,
  GuideParams,
  GuideContext,
  MissionState,
  NavGoal,
  NavResult,
  SayParams,
  StatusParams,
  SpeedLimitParams,
} from './guide-mission.js';
export {
  MISSION_REASONS,
  MISSION_REASON_CODES,
  NAV_FAILURE_REASONS,
  NAV2_FAILURES,
  navFailureOf,
  navReasonOf,
  OUTCOMES,
  outcomeOfStatus,
  reasonText,
  type MissionReason,
  type Outcome,
} from './mission-reasons.js';
export {
  DESK_STATES,
  NOTE_MAX_CHARS,
  deskNow,
  readDeskStatuses,
  staffStatusApplies,
  type DeskState,
  type DeskNowResult,
  type ReadDeskStatuses,
  type StaffDeskStatus,
} from './desk-status.js';
export { startGuideMission, type MissionDeps, type RunningMission } from './mission-node.js';
export { createGuideActionServer } from './guide-action.js';
export {
  internalNavigation,
  nav2Navigation,
  NAV2_PORT_DEFAULTS,
  NAVIGATION_STACKS,
  type NavigationPort,
  type NavigationStack,
} from './navigation-port.js';
export { MissionError, type MissionErrorCode } from './errors.js';
