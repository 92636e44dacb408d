/**
 * The node API the controller is written against: a subset of rclnodejs's own, so that the same
 * code runs on the embedded in-process graph (default, deterministic, simulator-stepped) or on a
 * real ROS 2 graph through the rclnodejs adapter, with only the composition root changed.
 */
import type {
  ActionTypeName,
  ActionTypes,
  MessageTypeName,
  MessageTypes,
  ServiceTypeName,
  ServiceTypes,
} from './messages.js';
import type { Parameter, ParameterValue } from './parameters.js';
import type { Time } from './time.js';

export interface QoS {
  /** History depth; the embedded graph keeps all (it drains every step). */
  depth?: number;
  /** 'transient_local' replays the last message to late subscribers (like a latched /map). */
  durability?: 'volatile' | 'transient_local';
  reliability?: 'reliable' | 'best_effort';
}
export interface EntityOptions {
  qos?: QoS;
}

/** A topic and its type names (one, unless publishers disagree, which a ROS graph allows). */
export interface TopicNameAndTypes {
  name: string;
  types: string[];
}

export interface Publisher<T extends MessageTypeName> {
  readonly topic: string;
  publish(msg: MessageTypes[T]): void;
  subscriptionCount(): number;
}
export interface Subscription {
  readonly topic: string;
}
export type ServiceCallback<S extends ServiceTypeName> = (
  request: ServiceTypes[S]['request'],
  response: ServiceResponder<S>,
) => ServiceTypes[S]['response'] | void;
export interface ServiceResponder<S extends ServiceTypeName> {
  send(response: ServiceTypes[S]['response']): void;
}
export interface Service {
  readonly serviceName: string;
}
export interface Client<S extends ServiceTypeName> {
  readonly serviceName: string;
  isServiceServerAvailable(): boolean;
  /** The callback runs from the executor, never synchronously inside sendRequest. */
  sendRequest(
    request: ServiceTypes[S]['request'],
    callback: (response: ServiceTypes[S]['response']) => void,
  ): void;
}
export interface Timer {
  readonly period: bigint;
  cancel(): void;
  isCanceled(): boolean;
  reset(): void;
}
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
export interface ClockSource {
  /** rclnodejs: node.getClock().now() */
  now(): Time;
}

export interface RosNode {
  name(): string;
  namespace(): string;
  getLogger(): Logger;
  getClock(): ClockSource;
  now(): Time;

  createPublisher<T extends MessageTypeName>(type: T, topic: string, options?: EntityOptions): Publisher<T>;
  createSubscription<T extends MessageTypeName>(
    type: T,
    topic: string,
    options: EntityOptions | ((msg: MessageTypes[T]) => void),
    callback?: (msg: MessageTypes[T]) => void,
  ): Subscription;
  createService<S extends ServiceTypeName>(
    type: S,
    serviceName: string,
    options: EntityOptions | ServiceCallback<S>,
    callback?: ServiceCallback<S>,
  ): Service;
  createClient<S extends ServiceTypeName>(type: S, serviceName: string, options?: EntityOptions): Client<S>;
  /** Period in nanoseconds, as rclnodejs takes it. First call one period after creation. */
  createTimer(period: bigint, callback: () => void): Timer;

  /**
   * Actions. rclnodejs spells these `new ActionServer(node, type, name, ...)` and
   * `new ActionClient(node, type, name)`; the adapter maps them.
   */
  createActionServer<A extends ActionTypeName>(
    type: A,
    actionName: string,
    callbacks: ActionServerCallbacks<A>,
  ): { destroy(): void };
  createActionClient<A extends ActionTypeName>(type: A, actionName: string): ActionClient<A>;

  /**
   * Every topic on the graph with its type, as rclnodejs's `getTopicNamesAndTypes()` gives them
   * (a topic with only subscribers counts): what a recorder or a live view discovers and follows.
   */
  getTopicNamesAndTypes(): TopicNameAndTypes[];

  declareParameter(parameter: Parameter): Parameter;
  hasParameter(name: string): boolean;
  getParameter(name: string): Parameter;
  setParameter(parameter: Parameter): void;

  destroy(): void;
}

/** Action server, shaped like rclnodejs's ActionServer; the goal handle is per goal. */
export interface ServerGoalHandle<A extends ActionTypeName> {
  readonly goalId: string;
  readonly request: ActionTypes[A]['goal'];
  readonly isCancelRequested: boolean;
  readonly isActive: boolean;
  publishFeedback(feedback: ActionTypes[A]['feedback']): void;
  succeed(): void;
  abort(): void;
  canceled(): void;
}
export interface ActionServerCallbacks<A extends ActionTypeName> {
  /** Resolves with the result once the handle has succeeded, aborted or been cancelled. */
  execute(goalHandle: ServerGoalHandle<A>): Promise<ActionTypes[A]['result']>;
  /** Accept or reject a new goal (default: accept). */
  goal?(goal: ActionTypes[A]['goal']): 'accept' | 'reject';
  /** Accept or reject a cancel request (default: accept). */
  cancel?(goalHandle: ServerGoalHandle<A>): 'accept' | 'reject';
}
/** action_msgs/msg/GoalStatus codes. */
export const GoalStatus = {
  STATUS_UNKNOWN: 0,
  STATUS_ACCEPTED: 1,
  STATUS_EXECUTING: 2,
  STATUS_CANCELING: 3,
  STATUS_SUCCEEDED: 4,
  STATUS_CANCELED: 5,
  STATUS_ABORTED: 6,
} as const;
export type GoalStatusCode = (typeof GoalStatus)[keyof typeof GoalStatus];

export interface ClientGoalHandle<A extends ActionTypeName> {
  readonly goalId: string;
  readonly accepted: boolean;
  readonly status: GoalStatusCode;
  getResult(): Promise<{ status: GoalStatusCode; result: ActionTypes[A]['result'] }>;
  cancelGoal(): Promise<void>;
}
export interface ActionClient<A extends ActionTypeName> {
  isActionServerAvailable(): boolean;
  sendGoal(
    goal: ActionTypes[A]['goal'],
    feedbackCallback?: (feedback: ActionTypes[A]['feedback']) => void,
  ): Promise<ClientGoalHandle<A>>;
}

export type { ParameterValue };
