/** The operator console and the customer kiosk, served by the robot: the front door. */
export {
  startConsole,
  parseListen,
  ConsoleError,
  DEFAULT_LISTEN,
  type ConsoleOptions,
  type RunningConsole,
} from './start-console.js';
export { DEFAULT_LIMITS, type Limits, type SpeechService } from './server/deps.js';
export { HOW_TO_ADD_ADMIN } from './server/routes-account.js';
export type { ConsoleFoxglove } from './server/routes-foxglove.js';
export type { ConsoleStore } from './store.js';
export * as protocol from './protocol.js';
