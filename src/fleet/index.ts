export { joinFleet, type JoinFleetOptions } from './agent/join-fleet.js';
export { FleetAgent } from './agent/fleet-agent.js';
export { FleetLink, parseFleetUrl, type FleetLog, type LinkStatus } from './link.js';
export { FleetService, type FleetServiceOptions } from './service/fleet-service.js';
export type { FleetControl, FleetSnapshot, FleetChange, FleetAlert } from './fleet-control.js';
export * from './protocol.js';
export * from './subjects.js';
