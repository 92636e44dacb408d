export type * from './messages.js';
export type {
  RosNode,
  Publisher,
  Subscription,
  Service,
  Client,
  Timer,
  Logger,
  QoS,
  EntityOptions,
  ServiceCallback,
  ActionClient,
  ActionServerCallbacks,
  ServerGoalHandle,
  ClientGoalHandle,
  GoalStatusCode,
  TopicNameAndTypes,
} from './node-api.js';
export { GoalStatus } from './node-api.js';
export {
  EmbeddedContext,
  EmbeddedNode,
  RosGraphError,
  resolveName,
  type CallbackProfiler,
  type EmbeddedContextOptions,
} from './embedded.js';
export { SimClock, type Clock } from './clock.js';
export type { GraphContext, NodeOptions, Spinning } from './graph.js';
export { GraphDecorator } from './graph.js';
export {
  Time,
  NS_PER_S,
  secondsToNs,
  nsToSeconds,
  nsToTimeMsg,
  timeMsgToNs,
  durationMsg,
  durationMsgToSeconds,
} from './time.js';
export { Parameter, ParameterType, ParameterError, type ParameterValue } from './parameters.js';
export { declareParams, type ParamSpec } from './params.js';
export * from './geometry.js';
export { nodeActorClock, type ActorClock } from './xstate-clock.js';
export { TransformBuffer } from './tf.js';
export { SystemClock, spinRealtime } from './wall-clock.js';
