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
export { renderDirections, type Directions, type DirectionStep } from './directions.js';
export {
  openingStatus,
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
