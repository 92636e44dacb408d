export type {
  GuideRequest,
  Utterance,
  GuideStatus,
  GuideState,
  CustomerFollow,
  SafetyState,
  BaseState,
  PeopleCount,
  DeskStatus,
  DeskStatusArray,
  DispatchRequest,
  DispatchResponse,
} from './medhjalparen-msgs.js';
export { GUIDE_STATES } from './medhjalparen-msgs.js';
