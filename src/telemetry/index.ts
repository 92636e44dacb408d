export {
  createLogger,
  nodeLogger,
  REDACTED_FIELDS,
  type LoggerOptions,
  type LogLevel,
  type RootLogger,
} from './logger.js';
