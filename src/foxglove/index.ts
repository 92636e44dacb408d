/** The Foxglove live view: the robot's topics in the Foxglove app, and teleop from it for operators. */
export { DEFAULT_FOXGLOVE_HOST, isLoopback } from './address.js';
export {
  startFoxgloveBridge,
  DEFAULT_LIMITS,
  type BridgeLimits,
  type ClientStats,
  type FoxgloveBridgeOptions,
  type RunningFoxgloveBridge,
} from './bridge.js';
export type { ChannelInfo, HiddenTopic } from './channels.js';
export type { TeleopDriver } from './client-teleop.js';
export { FoxglovePasses, PASS_TTL_MS, type IssuedPass, type PassHolder, type PassRequest } from './passes.js';
export { FoxgloveError, type FoxgloveErrorCode } from './errors.js';
export { LATCHED_TOPICS, PRIVATE_TYPES, TELEOP_TOPICS, whyHidden } from './topics.js';
export {
  startVizPublisher,
  DEFAULT_VIZ_PARAMS,
  VIZ_NODE,
  type VizPublisherOptions,
} from './viz-publisher.js';
export { deskMarkers, desksOpen, OPEN_COLOUR, CLOSED_COLOUR } from './desk-markers.js';
