export { startDeadReckoning, DEAD_RECKONING_DEFAULTS, type DeadReckoning } from './dead-reckoning.js';
export { LocalizationError, type LocalizationErrorCode } from './errors.js';
export * from './amcl/index.js';
