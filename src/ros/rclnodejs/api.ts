/**
 * The part of rclnodejs 2.x this backend calls, typed structurally. rclnodejs is an optional
 * dependency (it builds against a sourced ROS 2), so its own declarations are often not there to
 * compile against; these are written from its documented API and checked at run time only by
 * using it (the rclnodejs contract suite, run wherever ROS_DISTRO is set).
 */

/** rcl's environment: `new Context()`, then `init(context)`; `shutdown()` destroys its nodes. */
export interface RclContext {
  shutdown(): void;
  isShutdown(): boolean;
}

export interface RclTime {
  readonly nanoseconds: bigint;
}

export interface RclLogger {
  debug(message: string): unknown;
  info(message: string): unknown;
  warn(message: string): unknown;
  error(message: string): unknown;
}

/** A QoS profile object, or the name of one of rcl's profiles ('qos_profile_default'). */
export type RclQoSLike = object | string;

export interface RclEntityOptions {
  enableTypedArray?: boolean;
  qos?: RclQoSLike;
}

export interface RclPublisher {
  publish(message: unknown): void;
}
export type RclSubscription = object;
export interface RclServiceResponse {
  send(response: unknown): void;
}
export type RclService = object;
export interface RclClient {
  isServiceServerAvailable(): boolean;
  sendRequest(request: unknown, callback: (response: unknown) => void): void;
}
export interface RclTimer {
  cancel(): void;
  isCanceled(): boolean;
  reset(): void;
}

export interface RclParameter {
  readonly name: string;
  readonly type: number;
  readonly value: unknown;
}
export type RclParameterDescriptor = object;
export type RclRange = object;
export interface RclSetParameterResult {
  successful: boolean;
  reason: string | null;
}

export interface RclNode {
  name(): string;
  namespace(): string;
  getLogger(): RclLogger;
  now(): RclTime;
  createPublisher(type: string, topic: string, options?: RclEntityOptions): RclPublisher;
  createSubscription(
    type: string,
    topic: string,
    options: RclEntityOptions,
    callback: (message: unknown) => void,
  ): RclSubscription;
  createService(
    type: string,
    name: string,
    options: RclEntityOptions,
    callback: (request: unknown, response: RclServiceResponse) => void,
  ): RclService;
  createClient(type: string, name: string, options?: RclEntityOptions): RclClient;
  createTimer(periodNs: bigint, callback: () => void): RclTimer;
  resolveTopicName(name: string): string;
  resolveServiceName(name: string): string;
  countSubscribers(topic: string): number;
  getTopicNamesAndTypes(): Array<{ name: string; types: string[] }>;
  declareParameter(
    parameter: RclParameter,
    descriptor?: RclParameterDescriptor,
    ignoreOverride?: boolean,
  ): RclParameter;
  hasParameter(name: string): boolean;
  getParameter(name: string): RclParameter;
  setParameter(parameter: RclParameter): RclSetParameterResult;
  spinOnce(timeoutMs: number): void;
  spin(timeoutMs: number): void;
  stop(): void;
  readonly spinning: boolean;
  destroy(): void;
}

export interface RclNodeOptions {
  startParameterServices: boolean;
  parameterOverrides: RclParameter[];
}

/** rmw's QoS policies, by the names rclnodejs's `QoS.*Policy` enums give them. */
export interface RclQoSClass {
  new (history: number, depth: number, reliability: number, durability: number): object;
  HistoryPolicy: Record<string, number>;
  ReliabilityPolicy: Record<string, number>;
  DurabilityPolicy: Record<string, number>;
}

/** action_msgs/msg/GoalStatus as rclnodejs's client goal handle keeps it. */
export interface RclClientGoalHandle {
  readonly goalId: { uuid: ArrayLike<number> };
  readonly accepted: boolean;
  status: number;
  getResult(): Promise<unknown>;
  cancelGoal(): Promise<{ goals_canceling?: unknown[] } | undefined>;
}
export interface RclServerGoalHandle {
  readonly goalId: { uuid: ArrayLike<number> };
  readonly request: unknown;
  readonly isActive: boolean;
  readonly isCancelRequested: boolean;
  publishFeedback(feedback: unknown): void;
  succeed(): void;
  abort(): void;
  canceled(): void;
}
export interface RclActionServer {
  destroy(): void;
}
export interface RclActionClient {
  isActionServerAvailable(): boolean;
  sendGoal(goal: unknown, feedback?: (feedback: unknown) => void): Promise<RclClientGoalHandle>;
  destroy(): void;
}

/** The module itself (`import('rclnodejs')`, its CommonJS export). */
export interface Rclnodejs {
  init(context: RclContext, argv: string[]): Promise<void>;
  Context: new () => RclContext;
  Node: new (name: string, namespace: string, context: RclContext, options: RclNodeOptions) => RclNode;
  NodeOptions: new () => RclNodeOptions;
  QoS: RclQoSClass;
  Parameter: new (name: string, type: number, value?: unknown) => RclParameter;
  ParameterDescriptor: new (
    name: string,
    type: number,
    description?: string,
    readOnly?: boolean,
    range?: RclRange,
  ) => RclParameterDescriptor;
  FloatingPointRange: new (from: number, to: number, step?: number) => RclRange;
  IntegerRange: new (from: number, to: number, step?: number) => RclRange;
  ActionServer: new (
    node: RclNode,
    type: string,
    name: string,
    execute: (handle: RclServerGoalHandle) => Promise<unknown>,
    goal?: (goal: unknown) => number,
    handleAccepted?: undefined,
    cancel?: (handle: RclServerGoalHandle) => number,
  ) => RclActionServer;
  ActionClient: new (node: RclNode, type: string, name: string) => RclActionClient;
  GoalResponse: { readonly ACCEPT: number; readonly REJECT: number };
  CancelResponse: { readonly ACCEPT: number; readonly REJECT: number };
}
