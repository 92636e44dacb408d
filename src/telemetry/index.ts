export {
  createLogger,
  nodeLogger,
  REDACTED_FIELDS,
  type LoggerOptions,
  type LogLevel,
  type RootLogger,
} from './logger.js';
export { watchRobot, type LiveEvent, type LiveViewOptions } from './live-view.js';
