/**
 * A node graph backend as the composition root and the world plug-ins see it: exactly the
 * rclnodejs-shaped surface they use (make nodes, read the time, spin, shut down). The embedded
 * in-process graph implements it; a ROS 2 graph through rclnodejs implements the same, so no node
 * and no starter of nodes knows which middleware it runs on.
 */
import type { RosNode } from './node-api.js';
import type { ParameterValue } from './parameters.js';
import type { Time } from './time.js';

/** rclnodejs's NodeOptions, the part the robot uses. */
export interface NodeOptions {
  /**
   * Parameter values by name, as a launch file gives them: a declared parameter starts with its
   * override instead of its default (and an override of the wrong type is refused at declaration).
   */
  parameterOverrides?: Record<string, ParameterValue>;
}

/** A running `spin()`. */
export interface Spinning {
  stop(): void;
}

export interface GraphContext {
  /** rclnodejs: `new rclnodejs.Node(name, namespace, context, options)`. */
  createNode(name: string, namespace?: string, options?: NodeOptions): RosNode;
  /** ROS time on this graph: simulated time under `use_sim_time`, otherwise the system clock. */
  now(): Time;
  /**
   * One pass of the executor: every message, service call and timer that is ready at the current
   * time is handled, then it returns (rclnodejs: `spinOnce` on each node). A simulator steps its
   * clock and then calls this, in lockstep.
   */
  spinSome(): void;
  /** Keeps handling work as it becomes ready, in real time, until stopped (rclnodejs: `spin`). */
  spin(): Spinning;
  /** Destroys every node; the graph is unusable afterwards (rclnodejs: `context.shutdown()`). */
  shutdown(): void;
}

/**
 * A graph that hands every call on to `inner`: the base of wrappers that only watch or adjust
 * the nodes a graph makes (a launch file's parameters, a list of what was declared) and leave
 * time, spinning and shutdown to the backend underneath.
 */
export class GraphDecorator implements GraphContext {
  constructor(protected readonly inner: GraphContext) {}

  createNode(name: string, namespace?: string, options?: NodeOptions): RosNode {
    return this.inner.createNode(name, namespace, options);
  }
  now(): Time {
    return this.inner.now();
  }
  spinSome(): void {
    this.inner.spinSome();
  }
  spin(): Spinning {
    return this.inner.spin();
  }
  shutdown(): void {
    this.inner.shutdown();
  }
}
