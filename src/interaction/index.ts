export { createMatcher, matchDestination, detectLanguage } from './matcher.js';
export type { MatchResult, MatchWhy, Matcher, MatcherOptions } from './matcher.js';
export {
  say,
  placeholders,
  joinAlternatives,
  numberedChoices,
  phraseTable,
  PHRASES,
  PLAIN_PHRASES,
  PHRASE_KINDS,
  PHRASE_VARS,
} from './phrases.js';
export type { PhraseKind, PhraseVars, AnyPhraseVars, PhraseStyle } from './phrases.js';
export {
  renderDirections,
  type DirectionsFrom,
  directionSentences,
  directionsIntro,
  describeRoute,
  sitePlaces,
  destinationPlace,
  saidMetres,
  DIRECTIONS_DEFAULTS,
  DESK_AHEAD_METRES,
  type Directions,
  type DirectionStep,
  type DescribeOptions,
  type RoutePlace,
  type RouteTarget,
  type PassedPlace,
  type Side,
  type TurnKind,
  type ArrivalSide,
  type XY,
} from './directions.js';
export {
  DIRECTION_PHRASES,
  DIRECTION_PHRASES_PLAIN,
  DIRECTION_PHRASE_VARS,
  DIRECTION_PHRASE_KINDS,
  sayDirection,
  type DirectionPhraseKind,
} from './direction-phrases.js';
export {
  openingStatus,
  localToEpochMs,
  assertTimezone,
  formatMoment,
  formatOpensAt,
  formatClock,
  formatUntil,
  weekdayName,
  localWeekday,
} from './hours.js';
export type { OpeningStatus, OpeningMoment } from './hours.js';
export { foldText } from './text.js';
export { STOP_WORDS, DEFAULT_PLACE_WORDS } from './stop-words.js';
export { InteractionError, type InteractionErrorCode } from './errors.js';
