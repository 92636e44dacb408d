export type {
  GuideRequest,
  Utterance,
  GuideStatus,
  GuideState,
  CustomerFollow,
  SafetyState,
  BaseState,
  PeopleCount,
  LocalizationStatus,
  DeskStatus,
  DeskStatusArray,
  DispatchRequest,
  DispatchResponse,
  GuideGoal,
  GuideResult,
  GuideFeedback,
} from './medhjalparen-msgs.js';
export { GUIDE_STATES } from './medhjalparen-msgs.js';

/** Localisation states on /localization/status, strongest doubt last. */
export const LOCALIZATION_STATES = ['initializing', 'ok', 'uncertain', 'lost'] as const;
export type LocalizationState = (typeof LOCALIZATION_STATES)[number];

/**
 * Topics the robot's nodes publish transient_local (latched): a recorder or a live view
 * subscribes to them the same way, so it gets the last message even when it joined later. A
 * transient_local subscription to a volatile publisher does not match in DDS, which is why this
 * is a list kept with the interfaces rather than a default for every topic.
 */
export const LATCHED_TOPICS: readonly string[] = [
  '/map',
  '/tf_static',
  '/safety/state',
  '/guide/desk_status',
  '/base/state',
  '/base/bumper',
  '/base/estop',
  '/footprint',
  '/desks/markers',
];
