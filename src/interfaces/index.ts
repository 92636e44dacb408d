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
} from './medhjalparen-msgs.js';
export { GUIDE_STATES } from './medhjalparen-msgs.js';

/** Localisation states on /localization/status, strongest doubt last. */
export const LOCALIZATION_STATES = ['initializing', 'ok', 'uncertain', 'lost'] as const;
export type LocalizationState = (typeof LOCALIZATION_STATES)[number];
