/**
 * A backend as the contract suite drives it. Each backend moves time and waits for work its own
 * way: the embedded graph steps a simulated clock and spins in lockstep, so "nothing more is
 * coming" is a fact after a few passes; a ROS 2 graph publishes /clock under use_sim_time and
 * waits in real time for DDS to deliver, so the same test holds on both without either
 * pretending to be the other.
 */
import { GraphDecorator, type GraphContext, type NodeOptions, type RosNode } from './ros.js';

export interface ContractBackend {
  readonly graph: GraphContext;
  /** The time every node's clock has been moved to, ns. */
  time(): bigint;
  /**
   * Moves every node's clock `ns` forward (0: brings nodes made since the last move up to the
   * backend's time) and handles what falls due.
   */
  advance(ns: bigint): Promise<void>;
  /** Handles work until `done()` holds; fails naming `what` when it never does. */
  until(done: () => boolean, what: string): Promise<void>;
  /** Handles work for as long as the backend needs to be sure nothing more is on its way. */
  settle(): Promise<void>;
  /** Shuts the graph down (also after a test has done so itself). */
  close(): Promise<void>;
}

export type BackendFactory = () => Promise<ContractBackend>;

/** Handles work on `backend` until `promise` settles, then gives its value (or its rejection). */
export async function resolveOn<T>(backend: ContractBackend, promise: Promise<T>, what: string): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  // The rejection is the caller's to see, through the await below, not an unhandled one meanwhile.
  watched.catch(() => {});
  await backend.until(() => settled, what);
  return watched;
}

/**
 * A graph that keeps the nodes made on it, and whether it has shut down: a backend that moves
 * time by publishing /clock waits until each of them has seen it.
 */
export class TrackedGraph extends GraphDecorator {
  readonly #nodes: RosNode[] = [];
  #shutDown = false;

  get isShutDown(): boolean {
    return this.#shutDown;
  }
  /** The nodes made so far (destroyed ones too: their clocks throw). */
  get nodes(): readonly RosNode[] {
    return this.#nodes;
  }

  override createNode(name: string, namespace?: string, options?: NodeOptions): RosNode {
    const node = super.createNode(name, namespace, options);
    this.#nodes.push(node);
    return node;
  }
  override shutdown(): void {
    this.#shutDown = true;
    super.shutdown();
  }
}
