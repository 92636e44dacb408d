/**
 * The embedded node graph: every node of the robot in one process, with deterministic delivery.
 * Publishing queues a message; `spinSome()` delivers queued messages in publish order and fires
 * due timers in (due time, creation order), until nothing is left to do at the current time.
 * Time comes only from the context's clock, which the simulator advances (lockstep).
 */
import { SimClock, type Clock } from './clock.js';
import type { GraphContext, NodeOptions, Spinning } from './graph.js';
import type {
  ActionTypeName,
  ActionTypes,
  MessageTypeName,
  MessageTypes,
  ServiceTypeName,
  ServiceTypes,
} from './messages.js';
import type {
  ActionClient,
  ActionServerCallbacks,
  Client,
  ClientGoalHandle,
  ClockSource,
  EntityOptions,
  GoalStatusCode,
  Logger,
  Publisher,
  RosNode,
  ServerGoalHandle,
  Service,
  ServiceCallback,
  Subscription,
  Timer,
  TopicNameAndTypes,
} from './node-api.js';
import { GoalStatus } from './node-api.js';
import {
  Parameter,
  ParameterError,
  ParameterType,
  coerceParameter,
  type ParameterValue,
} from './parameters.js';
import { Time } from './time.js';
import { spinRealtime } from './wall-clock.js';

export class RosGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosGraphError';
  }
}

interface SubscriptionEntry {
  readonly id: number;
  readonly type: string;
  readonly callback: (msg: unknown) => void;
  alive: boolean;
}
interface TopicEntry {
  type: string;
  subscriptions: SubscriptionEntry[];
  /** Last message of a transient_local publisher, replayed to late subscribers. */
  latched?: unknown;
}
interface TimerEntry {
  readonly id: number;
  period: bigint;
  due: bigint;
  callback: () => void;
  canceled: boolean;
}

export interface EmbeddedContextOptions {
  clock: Clock;
  /** Where node loggers write; defaults to a silent logger. */
  logger?: (nodeName: string) => Logger;
  /** Parameter overrides by node name, as a launch file would give them. */
  parameterOverrides?: Record<string, Record<string, ParameterValue>>;
  /**
   * Benchmarks only: times every callback (timers, subscriptions, services) per node. The
   * time source is injected so that the graph itself never reads a wall clock.
   */
  profiler?: CallbackProfiler;
}

export interface CallbackProfiler {
  now(): number;
  /** `what` is the subscription's topic, or 'timer <callback name>'. */
  record(nodeName: string, elapsed: number, what: string): void;
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The in-process middleware: topics, services, actions, timers and the executor. */
export class EmbeddedContext implements GraphContext {
  readonly clock: Clock;
  readonly #topics = new Map<string, TopicEntry>();
  readonly #services = new Map<
    string,
    { type: string; handle: (req: unknown, reply: (res: unknown) => void) => void }
  >();
  readonly #actionServers = new Map<string, EmbeddedActionServer<ActionTypeName>>();
  readonly #queue: Array<() => void> = [];
  #queueHead = 0;
  readonly #timers: TimerEntry[] = [];
  readonly #nodes = new Set<EmbeddedNode>();
  #nextId = 1;
  readonly #logger: (nodeName: string) => Logger;
  readonly #overrides: Record<string, Record<string, ParameterValue>>;
  readonly profiler: CallbackProfiler | undefined;
  #shutDown = false;

  constructor(options: EmbeddedContextOptions) {
    this.clock = options.clock;
    this.profiler = options.profiler;
    this.#logger = options.logger ?? (() => SILENT);
    this.#overrides = options.parameterOverrides ?? {};
  }

  /**
   * A new node. Parameter overrides come from the context's launch-style table for this node
   * name, then from `options` (the more specific one wins).
   */
  createNode(name: string, namespace = '/', options: NodeOptions = {}): EmbeddedNode {
    if (this.#shutDown) throw new RosGraphError(`cannot create node '${name}': the graph has shut down`);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new RosGraphError(`invalid node name '${name}'`);
    // rcl makes a relative namespace absolute ('robot1' → '/robot1'); so must we, or names leak out relative.
    if (!namespace.startsWith('/')) namespace = `/${namespace}`;
    for (const n of this.#nodes) {
      if (n.name() === name && n.namespace() === namespace) {
        throw new RosGraphError(`a node named '${name}' already exists in '${namespace}'`);
      }
    }
    const overrides = { ...this.#overrides[name], ...options.parameterOverrides };
    const node = new EmbeddedNode(this, name, namespace, this.#logger(name), overrides);
    this.#nodes.add(node);
    return node;
  }

  /** Delivers queued messages and fires due timers until idle at the current time. */
  spinSome(): void {
    const now = this.clock.nowNs();
    for (;;) {
      this.#drainQueue();
      const timer = this.#nextDueTimer(now);
      if (!timer) break;
      // Fixed-rate timers keep their phase; a timer that fell behind fires once and skips the
      // periods it missed (as rcl does), so its next call stays on its original grid.
      timer.due += timer.period;
      // As rcl_timer_call: a call due exactly now is not missed, it runs next (same instant).
      if (timer.due < now) timer.due += (1n + (now - timer.due - 1n) / timer.period) * timer.period;
      timer.callback();
    }
  }

  now(): Time {
    return new Time(this.clock.nowNs());
  }

  /** Spins in real time until stopped; only a graph on the system clock moves on its own. */
  spin(): Spinning {
    if (this.clock instanceof SimClock) {
      throw new RosGraphError(
        'spin() needs a graph on the system clock; a simulated one is stepped with spinSome()',
      );
    }
    return spinRealtime(this);
  }

  /** Destroys every node (timers, subscriptions, services and action servers go with them). */
  shutdown(): void {
    for (const node of [...this.#nodes]) node.destroy();
    this.#shutDown = true;
  }

  /** Time of the next timer, so a driver can jump straight to it (or undefined when none). */
  nextTimerDue(): bigint | undefined {
    let best: bigint | undefined;
    for (const t of this.#timers) if (!t.canceled && (best === undefined || t.due < best)) best = t.due;
    return best;
  }

  nodeCount(): number {
    return this.#nodes.size;
  }

  topicNames(): Array<{ name: string; type: string }> {
    return [...this.#topics]
      .map(([name, t]) => ({ name, type: t.type }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  // ---- internals used by EmbeddedNode --------------------------------------------------------

  enqueue(task: () => void): void {
    this.#queue.push(task);
  }

  topic(name: string, type: string): TopicEntry {
    let t = this.#topics.get(name);
    if (!t) {
      t = { type, subscriptions: [] };
      this.#topics.set(name, t);
    } else if (t.type !== type) {
      throw new RosGraphError(`topic '${name}' has type ${t.type}; cannot use it as ${type}`);
    }
    return t;
  }

  addTimer(period: bigint, callback: () => void): TimerEntry {
    if (period <= 0n) throw new RosGraphError(`timer period must be positive, got ${period} ns`);
    const entry: TimerEntry = {
      id: this.#nextId++,
      period,
      due: this.clock.nowNs() + period,
      callback,
      canceled: false,
    };
    this.#timers.push(entry);
    return entry;
  }

  /** Puts a cancelled (hence removed) timer back on the schedule. */
  rearmTimer(entry: TimerEntry): void {
    if (!this.#timers.includes(entry)) this.#timers.push(entry);
  }

  removeCanceledTimers(): void {
    for (let i = this.#timers.length - 1; i >= 0; i--)
      if (this.#timers[i]!.canceled) this.#timers.splice(i, 1);
  }

  nextId(): number {
    return this.#nextId++;
  }

  registerService(
    name: string,
    type: string,
    handle: (req: unknown, reply: (res: unknown) => void) => void,
  ): void {
    if (this.#services.has(name)) throw new RosGraphError(`service '${name}' is already provided`);
    this.#services.set(name, { type, handle });
  }

  unregisterService(name: string): void {
    this.#services.delete(name);
  }

  service(
    name: string,
  ): { type: string; handle: (req: unknown, reply: (res: unknown) => void) => void } | undefined {
    return this.#services.get(name);
  }

  registerActionServer(name: string, server: EmbeddedActionServer<ActionTypeName>): void {
    if (this.#actionServers.has(name)) throw new RosGraphError(`action '${name}' is already provided`);
    this.#actionServers.set(name, server);
  }

  unregisterActionServer(name: string): void {
    this.#actionServers.delete(name);
  }

  actionServer(name: string): EmbeddedActionServer<ActionTypeName> | undefined {
    return this.#actionServers.get(name);
  }

  forgetNode(node: EmbeddedNode): void {
    this.#nodes.delete(node);
  }

  #drainQueue(): void {
    while (this.#queueHead < this.#queue.length) {
      const task = this.#queue[this.#queueHead++]!;
      task();
    }
    this.#queue.length = 0;
    this.#queueHead = 0;
  }

  #nextDueTimer(now: bigint): TimerEntry | undefined {
    let best: TimerEntry | undefined;
    for (const t of this.#timers) {
      if (t.canceled || t.due > now) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    return best;
  }
}

/** Resolves a ROS name against a node: absolute stays, '~/x' is private, the rest is namespaced. */
export function resolveName(name: string, nodeName: string, namespace: string): string {
  if (name.length === 0) throw new RosGraphError('empty topic or service name');
  const ns = namespace.endsWith('/') ? namespace : `${namespace}/`;
  if (name.startsWith('/')) return name;
  if (name === '~') return `${ns}${nodeName}`;
  if (name.startsWith('~/')) return `${ns}${nodeName}/${name.slice(2)}`;
  return `${ns}${name}`;
}

export class EmbeddedNode implements RosNode {
  readonly #ctx: EmbeddedContext;
  readonly #name: string;
  readonly #namespace: string;
  readonly #logger: Logger;
  readonly #overrides: Record<string, ParameterValue>;
  readonly #parameters = new Map<string, Parameter>();
  readonly #timers = new Set<TimerEntry>();
  readonly #subscriptions: Array<{ sub: SubscriptionEntry; topic: TopicEntry }> = [];
  readonly #services: string[] = [];
  readonly #actionServers: string[] = [];
  readonly #clock: ClockSource;
  #destroyed = false;

  constructor(
    ctx: EmbeddedContext,
    name: string,
    namespace: string,
    logger: Logger,
    overrides: Record<string, ParameterValue>,
  ) {
    this.#ctx = ctx;
    this.#name = name;
    this.#namespace = namespace;
    this.#logger = logger;
    this.#overrides = overrides;
    this.#clock = { now: () => new Time(ctx.clock.nowNs()) };
    // Every node has use_sim_time, as in ROS 2; the embedded graph always runs on the context clock.
    this.declareParameter(new Parameter('use_sim_time', ParameterType.PARAMETER_BOOL, true));
  }

  name(): string {
    return this.#name;
  }
  namespace(): string {
    return this.#namespace;
  }
  getLogger(): Logger {
    return this.#logger;
  }
  getClock(): ClockSource {
    return this.#clock;
  }
  now(): Time {
    return this.#clock.now();
  }

  createPublisher<T extends MessageTypeName>(type: T, topic: string, options?: EntityOptions): Publisher<T> {
    this.#assertAlive();
    const name = resolveName(topic, this.#name, this.#namespace);
    const entry = this.#ctx.topic(name, type);
    const latched = options?.qos?.durability === 'transient_local';
    const ctx = this.#ctx;
    return {
      topic: name,
      publish(msg: MessageTypes[T]): void {
        if (latched) entry.latched = msg;
        // Snapshot the subscriber list: one published after a subscription was made reaches it.
        for (const sub of entry.subscriptions) ctx.enqueue(() => sub.alive && sub.callback(msg));
      },
      subscriptionCount: () => entry.subscriptions.length,
    };
  }

  createSubscription<T extends MessageTypeName>(
    type: T,
    topic: string,
    options: EntityOptions | ((msg: MessageTypes[T]) => void),
    callback?: (msg: MessageTypes[T]) => void,
  ): Subscription {
    this.#assertAlive();
    const cb = typeof options === 'function' ? options : callback;
    if (!cb) throw new RosGraphError(`subscription to '${topic}' needs a callback`);
    const name = resolveName(topic, this.#name, this.#namespace);
    const entry = this.#ctx.topic(name, type);
    const sub: SubscriptionEntry = {
      id: this.#ctx.nextId(),
      type,
      callback: this.#profiled(name, cb as (msg: unknown) => void),
      alive: true,
    };
    entry.subscriptions.push(sub);
    this.#subscriptions.push({ sub, topic: entry });
    // As in DDS, only a transient_local subscriber receives what was published before it joined.
    const wantsHistory = typeof options !== 'function' && options.qos?.durability === 'transient_local';
    if (wantsHistory && entry.latched !== undefined) {
      const last = entry.latched;
      this.#ctx.enqueue(() => sub.alive && sub.callback(last));
    }
    return { topic: name };
  }

  createService<S extends ServiceTypeName>(
    type: S,
    serviceName: string,
    options: EntityOptions | ServiceCallback<S>,
    callback?: ServiceCallback<S>,
  ): Service {
    this.#assertAlive();
    const cb = typeof options === 'function' ? options : callback;
    if (!cb) throw new RosGraphError(`service '${serviceName}' needs a callback`);
    const name = resolveName(serviceName, this.#name, this.#namespace);
    this.#ctx.registerService(name, type, (req, reply) => {
      let sent = false;
      const responder = {
        send: (res: ServiceTypes[S]['response']) => {
          if (!sent) reply(res);
          sent = true;
        },
      };
      const returned = cb(req as ServiceTypes[S]['request'], responder);
      if (returned !== undefined) responder.send(returned);
    });
    this.#services.push(name);
    return { serviceName: name };
  }

  createClient<S extends ServiceTypeName>(type: S, serviceName: string): Client<S> {
    this.#assertAlive();
    const name = resolveName(serviceName, this.#name, this.#namespace);
    const ctx = this.#ctx;
    return {
      serviceName: name,
      isServiceServerAvailable: () => ctx.service(name) !== undefined,
      sendRequest(request, cb) {
        const server = ctx.service(name);
        if (!server) throw new RosGraphError(`service '${name}' is not available`);
        if (server.type !== type)
          throw new RosGraphError(`service '${name}' has type ${server.type}, not ${type}`);
        ctx.enqueue(() =>
          server.handle(request, (res) => ctx.enqueue(() => cb(res as ServiceTypes[S]['response']))),
        );
      },
    };
  }

  createTimer(period: bigint, callback: () => void): Timer {
    this.#assertAlive();
    const entry = this.#ctx.addTimer(
      period,
      this.#profiled(`timer ${callback.name || '(anonymous)'}`, callback),
    );
    // The node keeps only live timers (for destroy): one-shots such as XState delays come and go.
    const nodeTimers = this.#timers;
    nodeTimers.add(entry);
    const ctx = this.#ctx;
    const isNodeDestroyed = () => this.#destroyed;
    return {
      period,
      cancel() {
        entry.canceled = true;
        nodeTimers.delete(entry);
        ctx.removeCanceledTimers();
      },
      isCanceled: () => entry.canceled,
      reset() {
        if (isNodeDestroyed()) return;
        entry.due = ctx.clock.nowNs() + entry.period;
        // rcl_timer_reset re-enables a cancelled timer; a cancelled one was taken off the schedule.
        if (entry.canceled) {
          entry.canceled = false;
          nodeTimers.add(entry);
          ctx.rearmTimer(entry);
        }
      },
    };
  }

  createActionServer<A extends ActionTypeName>(
    type: A,
    actionName: string,
    callbacks: ActionServerCallbacks<A>,
  ): { destroy(): void } {
    this.#assertAlive();
    const name = resolveName(actionName, this.#name, this.#namespace);
    const server = new EmbeddedActionServer<A>(this.#ctx, type, callbacks, name);
    this.#ctx.registerActionServer(name, server as unknown as EmbeddedActionServer<ActionTypeName>);
    this.#actionServers.push(name);
    return { destroy: () => this.#ctx.unregisterActionServer(name) };
  }

  createActionClient<A extends ActionTypeName>(type: A, actionName: string): ActionClient<A> {
    this.#assertAlive();
    const name = resolveName(actionName, this.#name, this.#namespace);
    const ctx = this.#ctx;
    return {
      isActionServerAvailable: () => ctx.actionServer(name) !== undefined,
      sendGoal(goal, feedbackCallback) {
        const server = ctx.actionServer(name) as EmbeddedActionServer<A> | undefined;
        if (!server) return Promise.reject(new RosGraphError(`action '${name}' is not available`));
        if (server.type !== type) {
          return Promise.reject(new RosGraphError(`action '${name}' has type ${server.type}, not ${type}`));
        }
        return server.submit(goal, feedbackCallback);
      },
    };
  }

  getTopicNamesAndTypes(): TopicNameAndTypes[] {
    this.#assertAlive();
    return this.#ctx.topicNames().map(({ name, type }) => ({ name, types: [type] }));
  }

  declareParameter(parameter: Parameter): Parameter {
    if (this.#parameters.has(parameter.name)) {
      throw new ParameterError(parameter.name, `already declared on node '${this.#name}'`);
    }
    const override = this.#overrides[parameter.name];
    const p = override === undefined ? parameter : coerceParameter(parameter, override);
    this.#parameters.set(p.name, p);
    return p;
  }
  hasParameter(name: string): boolean {
    return this.#parameters.has(name);
  }
  getParameter(name: string): Parameter {
    const p = this.#parameters.get(name);
    if (!p) throw new ParameterError(name, `not declared on node '${this.#name}'`);
    return p;
  }
  setParameter(parameter: Parameter): void {
    const declared = this.getParameter(parameter.name);
    this.#parameters.set(parameter.name, coerceParameter(declared, parameter.value));
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const t of this.#timers) t.canceled = true;
    this.#ctx.removeCanceledTimers();
    for (const { sub, topic } of this.#subscriptions) {
      sub.alive = false;
      // Off the topic too, so publishers stop queueing for it and subscriptionCount() is right.
      const i = topic.subscriptions.indexOf(sub);
      if (i >= 0) topic.subscriptions.splice(i, 1);
    }
    for (const s of this.#services) this.#ctx.unregisterService(s);
    for (const a of this.#actionServers) this.#ctx.unregisterActionServer(a);
    this.#ctx.forgetNode(this);
  }

  /** Wraps a callback so the context's profiler (if any) sees its run time. */
  #profiled<A extends unknown[]>(what: string, fn: (...args: A) => void): (...args: A) => void {
    const profiler = this.#ctx.profiler;
    if (!profiler) return fn;
    const name = this.#name;
    return (...args: A) => {
      const t0 = profiler.now();
      try {
        fn(...args);
      } finally {
        profiler.record(name, profiler.now() - t0, what);
      }
    };
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new RosGraphError(`node '${this.#name}' has been destroyed`);
  }
}

/**
 * One goal at a time per server is all the robot needs, but the server keeps several goals
 * apart by id, as ROS does. Feedback and results reach the client through the executor queue.
 */
class EmbeddedActionServer<A extends ActionTypeName> {
  constructor(
    readonly ctx: EmbeddedContext,
    readonly type: A,
    readonly callbacks: ActionServerCallbacks<A>,
    /** The action's resolved name, for messages. */
    readonly name: string,
  ) {}

  submit(
    goal: ActionTypes[A]['goal'],
    feedbackCallback?: (feedback: ActionTypes[A]['feedback']) => void,
  ): Promise<ClientGoalHandle<A>> {
    const { ctx, name } = this;
    const goalId = `goal-${ctx.nextId()}`;
    const decision = this.callbacks.goal?.(goal) ?? 'accept';
    type Outcome = { status: GoalStatusCode; result: ActionTypes[A]['result'] };
    let resolveResult!: (r: Outcome) => void;
    let rejectResult!: (e: RosGraphError) => void;
    const resultPromise = new Promise<Outcome>((res, rej) => {
      resolveResult = res;
      rejectResult = rej;
    });
    // Nobody may ever ask for the result: a failure must not surface as an unhandled rejection.
    resultPromise.catch(() => {});
    let status: GoalStatusCode =
      decision === 'accept' ? GoalStatus.STATUS_ACCEPTED : GoalStatus.STATUS_UNKNOWN;
    let cancelRequested = false;
    let terminal: GoalStatusCode | undefined;
    const callbacks = this.callbacks;

    const serverHandle: ServerGoalHandle<A> = {
      goalId,
      request: goal,
      get isCancelRequested() {
        return cancelRequested;
      },
      get isActive() {
        return terminal === undefined;
      },
      publishFeedback(feedback) {
        if (terminal === undefined && feedbackCallback) ctx.enqueue(() => feedbackCallback(feedback));
      },
      succeed() {
        terminal ??= GoalStatus.STATUS_SUCCEEDED;
      },
      abort() {
        terminal ??= GoalStatus.STATUS_ABORTED;
      },
      canceled() {
        terminal ??= GoalStatus.STATUS_CANCELED;
      },
    };

    const clientHandle: ClientGoalHandle<A> = {
      goalId,
      accepted: decision === 'accept',
      get status() {
        return status;
      },
      // A rejected goal has no result; asking for one is the caller's bug, said at once.
      getResult: () =>
        decision === 'accept'
          ? resultPromise
          : Promise.reject(new RosGraphError(`goal ${goalId} was rejected; it has no result`)),
      cancelGoal() {
        if (terminal !== undefined || cancelRequested) return Promise.resolve();
        if ((callbacks.cancel?.(serverHandle) ?? 'accept') === 'accept') {
          cancelRequested = true;
          status = GoalStatus.STATUS_CANCELING;
        }
        return Promise.resolve();
      },
    };

    if (decision === 'accept') {
      ctx.enqueue(() => {
        status = GoalStatus.STATUS_EXECUTING;
        callbacks.execute(serverHandle).then(
          (result) => {
            status = terminal ?? GoalStatus.STATUS_SUCCEEDED;
            terminal = status;
            ctx.enqueue(() => resolveResult({ status, result }));
          },
          (error: unknown) => {
            // The goal is aborted, but a result belongs to the action's type, which the graph
            // does not construct: the client learns the server failed, and why, as an error.
            status = GoalStatus.STATUS_ABORTED;
            terminal = status;
            const message = error instanceof Error ? error.message : String(error);
            const failure = new RosGraphError(
              `action '${name}' aborted goal ${goalId}: its execute callback failed (${message}); there is no result`,
            );
            ctx.enqueue(() => rejectResult(failure));
          },
        );
      });
    }
    return Promise.resolve(clientHandle);
  }
}
