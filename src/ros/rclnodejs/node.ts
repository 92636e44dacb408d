/**
 * A node of the node API on an rclnodejs node. Messages are handed over as rclnodejs gives them
 * (plain objects, numeric arrays as typed arrays: `enableTypedArray`), names are resolved by rcl
 * itself (namespaces, '~', remapping), and parameters keep the node API's rules (an override is
 * checked against the declared type, an integer may stand for a double) before rclnodejs
 * declares them with their descriptors.
 */
import type { RclEntityOptions, RclLogger, RclNode, Rclnodejs } from './api.js';
import { createRclActionClient, createRclActionServer } from './actions.js';
import { explainInterfaceError } from './interfaces.js';
import {
  descriptorFields,
  fromRclParameter,
  toRclDescriptor,
  toRclParameter,
  type ParameterDescription,
} from './parameters.js';
import { qosPolicies, toRclQoS } from './qos.js';
import {
  ParameterError,
  RosGraphError,
  Time,
  coerceParameter,
  type ActionClient,
  type ActionServerCallbacks,
  type ActionTypeName,
  type Client,
  type ClockSource,
  type EntityOptions,
  type Logger,
  type MessageTypeName,
  type MessageTypes,
  type Parameter,
  type ParameterValue,
  type Publisher,
  type QoS,
  type RosNode,
  type Service,
  type ServiceCallback,
  type ServiceTypeName,
  type ServiceTypes,
  type Subscription,
  type Timer,
  type TopicNameAndTypes,
} from './ros.js';

export interface RclnodejsNodeParts {
  rcl: Rclnodejs;
  node: RclNode;
  logger: Logger;
  /** Launch-style overrides for this node (use_sim_time has gone to rclnodejs already). */
  overrides: Readonly<Record<string, ParameterValue>>;
  /** Called as each of this node's callbacks runs: the executor's way to know a pass did work. */
  ran: () => void;
  /** Called once, when the node is destroyed. */
  forget: () => void;
}

export class RclnodejsNode implements RosNode {
  readonly #p: RclnodejsNodeParts;
  readonly #clock: ClockSource = { now: () => this.now() };
  #destroyed = false;

  constructor(parts: RclnodejsNodeParts) {
    this.#p = parts;
  }

  /** The rclnodejs node underneath, for the context's executor. */
  get rclNode(): RclNode {
    return this.#p.node;
  }
  get destroyed(): boolean {
    return this.#destroyed;
  }

  name(): string {
    return this.#p.node.name();
  }
  namespace(): string {
    return this.#p.node.namespace();
  }
  getLogger(): Logger {
    return this.#p.logger;
  }
  getClock(): ClockSource {
    return this.#clock;
  }
  now(): Time {
    return new Time(this.#alive().now().nanoseconds);
  }

  createPublisher<T extends MessageTypeName>(type: T, topic: string, options?: EntityOptions): Publisher<T> {
    const node = this.#alive();
    const name = node.resolveTopicName(topic);
    const opts = this.#options(options?.qos, `publisher on '${name}'`);
    const pub = this.#withInterface(type, () => node.createPublisher(type, topic, opts));
    return {
      topic: name,
      publish: (msg) => pub.publish(msg),
      subscriptionCount: () => node.countSubscribers(name),
    };
  }

  createSubscription<T extends MessageTypeName>(
    type: T,
    topic: string,
    options: EntityOptions | ((msg: MessageTypes[T]) => void),
    callback?: (msg: MessageTypes[T]) => void,
  ): Subscription {
    const node = this.#alive();
    const cb = typeof options === 'function' ? options : callback;
    if (!cb) throw new RosGraphError(`subscription to '${topic}' needs a callback`);
    const name = node.resolveTopicName(topic);
    const qos = typeof options === 'function' ? undefined : options.qos;
    const opts = this.#options(qos, `subscription to '${name}'`);
    this.#withInterface(type, () =>
      node.createSubscription(type, topic, opts, (msg) => {
        this.#p.ran();
        cb(msg as MessageTypes[T]);
      }),
    );
    return { topic: name };
  }

  createService<S extends ServiceTypeName>(
    type: S,
    serviceName: string,
    options: EntityOptions | ServiceCallback<S>,
    callback?: ServiceCallback<S>,
  ): Service {
    const node = this.#alive();
    const cb = typeof options === 'function' ? options : callback;
    if (!cb) throw new RosGraphError(`service '${serviceName}' needs a callback`);
    const name = node.resolveServiceName(serviceName);
    const qos = typeof options === 'function' ? undefined : options.qos;
    const opts = this.#options(qos, `service '${name}'`);
    this.#withInterface(type, () =>
      node.createService(type, serviceName, opts, (request, response) => {
        this.#p.ran();
        let sent = false;
        const responder = {
          send(res: ServiceTypes[S]['response']) {
            if (!sent) response.send(res);
            sent = true;
          },
        };
        const returned = cb(request as ServiceTypes[S]['request'], responder);
        if (returned !== undefined) responder.send(returned);
      }),
    );
    return { serviceName: name };
  }

  createClient<S extends ServiceTypeName>(type: S, serviceName: string, options?: EntityOptions): Client<S> {
    const node = this.#alive();
    const name = node.resolveServiceName(serviceName);
    const opts = this.#options(options?.qos, `client of '${name}'`);
    const client = this.#withInterface(type, () => node.createClient(type, serviceName, opts));
    return {
      serviceName: name,
      isServiceServerAvailable: () => client.isServiceServerAvailable(),
      sendRequest: (request, cb) => {
        // rclnodejs would wait for a server for ever; the node API says at once that there is none.
        if (!client.isServiceServerAvailable()) throw new RosGraphError(`service '${name}' is not available`);
        client.sendRequest(request, (response) => {
          this.#p.ran();
          cb(response as ServiceTypes[S]['response']);
        });
      },
    };
  }

  createTimer(period: bigint, callback: () => void): Timer {
    const node = this.#alive();
    if (period <= 0n) throw new RosGraphError(`timer period must be positive, got ${period} ns`);
    // On the node's clock: ROS time, which follows /clock under use_sim_time.
    const timer = node.createTimer(period, () => {
      this.#p.ran();
      callback();
    });
    const alive = () => !this.#destroyed;
    return {
      period,
      cancel: () => alive() && timer.cancel(),
      isCanceled: () => !alive() || timer.isCanceled(),
      reset: () => alive() && timer.reset(),
    };
  }

  createActionServer<A extends ActionTypeName>(
    type: A,
    actionName: string,
    callbacks: ActionServerCallbacks<A>,
  ): { destroy(): void } {
    const node = this.#alive();
    return this.#withInterface(type, () =>
      createRclActionServer(this.#p.rcl, node, type, actionName, callbacks, this.#p.logger),
    );
  }

  createActionClient<A extends ActionTypeName>(type: A, actionName: string): ActionClient<A> {
    const node = this.#alive();
    return this.#withInterface(type, () => createRclActionClient(this.#p.rcl, node, type, actionName));
  }

  /** The graph as this node has discovered it so far (discovery takes a moment on a real network). */
  getTopicNamesAndTypes(): TopicNameAndTypes[] {
    return this.#alive()
      .getTopicNamesAndTypes()
      .map(({ name, types }) => ({ name, types: [...types] }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Declares `parameter` (its override applied, by the node API's rules) with a descriptor:
   * its type always, and the description, read_only and range `description` gives.
   */
  declareParameter(parameter: Parameter, description?: ParameterDescription): Parameter {
    const node = this.#alive();
    if (node.hasParameter(parameter.name)) {
      throw new ParameterError(parameter.name, `already declared on node '${this.name()}'`);
    }
    const override = this.#p.overrides[parameter.name];
    const p = override === undefined ? parameter : coerceParameter(parameter, override);
    const descriptor = toRclDescriptor(descriptorFields(p, description), this.#p.rcl);
    try {
      // ignoreOverride: the override is applied above, with the node API's type rules.
      node.declareParameter(toRclParameter(p, this.#p.rcl), descriptor, true);
    } catch (e) {
      throw new ParameterError(p.name, `rclnodejs refused it: ${e instanceof Error ? e.message : String(e)}`);
    }
    return p;
  }
  hasParameter(name: string): boolean {
    return this.#alive().hasParameter(name);
  }
  getParameter(name: string): Parameter {
    const node = this.#alive();
    if (!node.hasParameter(name)) throw new ParameterError(name, `not declared on node '${this.name()}'`);
    return fromRclParameter(node.getParameter(name));
  }
  setParameter(parameter: Parameter): void {
    const p = coerceParameter(this.getParameter(parameter.name), parameter.value);
    const result = this.#alive().setParameter(toRclParameter(p, this.#p.rcl));
    if (!result.successful) throw new ParameterError(p.name, result.reason || 'refused by its descriptor');
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#p.node.destroy();
    this.#p.forget();
  }

  #alive(): RclNode {
    if (this.#destroyed) throw new RosGraphError(`node '${this.#p.node.name()}' has been destroyed`);
    return this.#p.node;
  }

  #options(qos: QoS | undefined, where: string): RclEntityOptions {
    return { enableTypedArray: true, qos: toRclQoS(qosPolicies(qos, where), this.#p.rcl.QoS) };
  }

  /** Runs `make`, saying what to do when rclnodejs has no generated code for `type`. */
  #withInterface<R>(type: string, make: () => R): R {
    try {
      return make();
    } catch (e) {
      throw explainInterfaceError(type, e);
    }
  }
}

/** rclnodejs's own logger (rcutils: the console and /rosout) behind the node API's Logger. */
export function rclLogger(logger: RclLogger): Logger {
  const line = (msg: string, fields?: Record<string, unknown>) =>
    fields
      ? `${msg} ${JSON.stringify(fields, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`
      : msg;
  return {
    debug: (msg, fields) => void logger.debug(line(msg, fields)),
    info: (msg, fields) => void logger.info(line(msg, fields)),
    warn: (msg, fields) => void logger.warn(line(msg, fields)),
    error: (msg, fields) => void logger.error(line(msg, fields)),
  };
}
