export {
  startRobot,
  startBaseBringUp,
  type RobotSetup,
  type BaseSetup,
  type NodeParams,
  type RunningRobot,
  type RunningBase,
  type RearCameraOptions,
} from './start-robot.js';
export type { World, WorldCapabilities, WorldStart, StartedWorld, DeviceCheck } from './world.js';
export { HardwareWorld, type HardwareWorldOptions } from './hardware-world.js';
export { DEFAULT_ROBOT, type RobotDescription } from '../robot-description.js';
export {
  DEFAULT_GUIDE_PARAMS,
  MISSION_REASONS,
  OUTCOMES,
  outcomeOfStatus,
  reasonText,
  deskNow,
  readDeskStatuses,
  staffStatusApplies,
  DESK_STATES,
  type DeskState,
  type DeskNowResult,
  type StaffDeskStatus,
  type MissionReason,
  type Outcome,
} from '../../behaviors/index.js';
export {
  buildDirectionsBook,
  lazyDirectionsBook,
  wayFromAnywhere,
  siteCostmap,
  inSight,
  type DirectionsBookOptions,
  type UnreachableDestination,
} from './directions-book.js';
