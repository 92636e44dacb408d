/**
 * The ROS 2 graph through rclnodejs, as a GraphContext: every node a real rcl node in one rcl
 * context, so `ros2 topic`, `ros2 param`, rviz and Nav2 see the robot's nodes as their own.
 * Time is each node's ROS clock: the system clock, or /clock under `use_sim_time` (a node's
 * timers follow it). The context's own `now()` reads a hidden node's clock, so it follows the
 * same source.
 */
import type { RclContext, RclNode, Rclnodejs } from './api.js';
import { loadRclnodejs, type LoadOptions } from './load.js';
import { RclnodejsNode, rclLogger } from './node.js';
import {
  ParameterError,
  ParameterType,
  RosGraphError,
  Time,
  type GraphContext,
  type Logger,
  type NodeOptions,
  type ParameterValue,
  type Spinning,
} from './ros.js';

export interface RclnodejsGraphOptions {
  /** Where node loggers write; default rclnodejs's own (the console and /rosout). */
  logger?: (nodeName: string) => Logger;
  /** Every node's ROS time from /clock (a node's own use_sim_time override still wins). */
  useSimTime?: boolean;
  /** How rclnodejs is found and what is checked first (the robot: medhjalparen_msgs on AMENT_PREFIX_PATH). */
  load?: LoadOptions;
  /** rclnodejs already loaded; default: loadRclnodejs(options.load). */
  rclnodejs?: Rclnodejs;
}

/** rclnodejs's wait in each background spin, ms: how soon a stop or a new entity is noticed. */
const SPIN_TIMEOUT_MS = 10;
/** One spinSome: passes over every node until one runs none of the graph's callbacks. */
const MAX_PASSES = 64;
/** Hidden (a leading '_': `ros2 node list` leaves it out); it only reads the clock. */
const CLOCK_NODE = '_medhjalparen_graph_clock';

/** Loads rclnodejs (see loadRclnodejs for what it checks) and opens a graph in a new rcl context. */
export async function createRclnodejsGraph(options: RclnodejsGraphOptions = {}): Promise<RclnodejsContext> {
  const rcl = options.rclnodejs ?? (await loadRclnodejs(options.load));
  const context = new rcl.Context();
  // No argv: the process's arguments are the command line's, not rcl's.
  await rcl.init(context, []);
  return new RclnodejsContext(rcl, context, options);
}

export class RclnodejsContext implements GraphContext {
  readonly #rcl: Rclnodejs;
  readonly #context: RclContext;
  readonly #options: RclnodejsGraphOptions;
  readonly #nodes = new Set<RclnodejsNode>();
  readonly #clockNode: RclNode;
  #callbacksRun = 0;
  #spinning = false;
  #shutDown = false;

  constructor(rcl: Rclnodejs, context: RclContext, options: RclnodejsGraphOptions = {}) {
    this.#rcl = rcl;
    this.#context = context;
    this.#options = options;
    this.#clockNode = this.#rclNode(CLOCK_NODE, '/', {});
  }

  createNode(name: string, namespace = '/', options: NodeOptions = {}): RclnodejsNode {
    if (this.#shutDown) throw new RosGraphError(`cannot create node '${name}': the graph has shut down`);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new RosGraphError(`invalid node name '${name}'`);
    if (!namespace.startsWith('/')) namespace = `/${namespace}`;
    // ROS 2 lets two nodes share a name (and warns); in one process that is always a mistake.
    for (const n of this.#nodes) {
      if (n.name() === name && n.namespace() === namespace) {
        throw new RosGraphError(`a node named '${name}' already exists in '${namespace}'`);
      }
    }
    const overrides = { ...options.parameterOverrides };
    const raw = this.#rclNode(name, namespace, overrides);
    const node = new RclnodejsNode({
      rcl: this.#rcl,
      node: raw,
      logger: this.#options.logger?.(name) ?? rclLogger(raw.getLogger()),
      overrides,
      ran: () => this.#callbacksRun++,
      forget: () => this.#nodes.delete(node),
    });
    this.#nodes.add(node);
    if (this.#spinning) raw.spin(SPIN_TIMEOUT_MS);
    return node;
  }

  now(): Time {
    return new Time(this.#clockNode.now().nanoseconds);
  }

  /**
   * Handles what is ready now on every node (rclnodejs's spinOnce, not waiting), pass after
   * pass while the passes still run callbacks: a message published in one node's callback is
   * taken by another's in a later pass, if DDS has delivered it by then.
   */
  spinSome(): void {
    const nodes = () => [this.#clockNode, ...[...this.#nodes].map((n) => n.rclNode)];
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const before = this.#callbacksRun;
      for (const n of nodes()) if (!n.spinning) n.spinOnce(0);
      if (pass > 0 && this.#callbacksRun === before) break;
    }
  }

  /** Each node spins in rclnodejs's background executor, nodes created meanwhile too. */
  spin(): Spinning {
    if (this.#spinning) throw new RosGraphError('the graph is spinning already');
    this.#spinning = true;
    for (const n of [this.#clockNode, ...[...this.#nodes].map((x) => x.rclNode)]) n.spin(SPIN_TIMEOUT_MS);
    return {
      stop: () => {
        if (!this.#spinning) return;
        this.#spinning = false;
        for (const n of [this.#clockNode, ...[...this.#nodes].map((x) => x.rclNode)])
          if (n.spinning) n.stop();
      },
    };
  }

  /** Destroys every node and shuts the rcl context down; the graph is unusable afterwards. */
  shutdown(): void {
    if (this.#shutDown) return;
    for (const node of [...this.#nodes]) node.destroy();
    this.#clockNode.destroy();
    this.#shutDown = true;
    this.#spinning = false;
    if (!this.#context.isShutdown()) this.#context.shutdown();
  }

  /** An rcl node; its use_sim_time goes to rclnodejs at construction, where its time source reads it. */
  #rclNode(name: string, namespace: string, overrides: Record<string, ParameterValue>): RclNode {
    const useSimTime = overrides['use_sim_time'] ?? this.#options.useSimTime ?? false;
    if (typeof useSimTime !== 'boolean') {
      throw new ParameterError(
        'use_sim_time',
        `expected PARAMETER_BOOL for node '${name}', got ${String(useSimTime)}`,
      );
    }
    const options = new this.#rcl.NodeOptions();
    options.startParameterServices = true;
    options.parameterOverrides = [
      new this.#rcl.Parameter('use_sim_time', ParameterType.PARAMETER_BOOL, useSimTime),
    ];
    return new this.#rcl.Node(name, namespace, this.#context, options);
  }
}
