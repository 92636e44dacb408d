/**
 * What the rclnodejs backend uses of the node graph it implements, in one place. The house rule
 * "src/ros imports nothing else of the project" is written for files directly under src/ros
 * (any '../' leaves the graph there); from this sub-folder '../' is still src/ros, so the rule's
 * pattern is waived here, once, instead of on every import of the backend.
 */
/* eslint-disable no-restricted-imports -- '../' from src/ros/rclnodejs stays inside src/ros */
export type { GraphContext, NodeOptions, Spinning } from '../graph.js';
export type {
  ActionClient,
  ActionServerCallbacks,
  Client,
  ClientGoalHandle,
  ClockSource,
  EntityOptions,
  GoalStatusCode,
  Logger,
  Publisher,
  QoS,
  RosNode,
  ServerGoalHandle,
  Service,
  ServiceCallback,
  ServiceResponder,
  Subscription,
  Timer,
  TopicNameAndTypes,
} from '../node-api.js';
export { GoalStatus } from '../node-api.js';
export type {
  ActionTypeName,
  ActionTypes,
  MessageTypeName,
  MessageTypes,
  ServiceTypeName,
  ServiceTypes,
} from '../messages.js';
export {
  Parameter,
  ParameterError,
  ParameterType,
  coerceParameter,
  inferType,
  type ParameterValue,
} from '../parameters.js';
export { Time } from '../time.js';
export { RosGraphError, resolveName } from '../embedded.js';
