/** The fleet console: the operator's view of every site and robot, served by the fleet service. */
export {
  startFleetConsole,
  DEFAULT_FLEET_LISTEN,
  DEFAULT_FLEET_LIMITS,
  type FleetConsoleLimits,
  type FleetConsoleOptions,
  type RunningFleetConsole,
} from './start-fleet-console.js';
export { FLEET_ROUTES } from './routes-fleet.js';
export { FLEET_LIVE_PATH } from './fleet-live.js';
export type { FleetLiveMessage } from './schemas.js';
