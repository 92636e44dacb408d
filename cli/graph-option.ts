/**
 * `--graph embedded|ros2` and `--params-file FILE`: which node graph the robot runs on, and the
 * launch-style parameters its nodes start with. The embedded graph (the default) runs every node
 * in this process; `ros2` puts each node on the ROS 2 graph through rclnodejs (loaded only then),
 * where `ros2 topic`, `ros2 param` and rviz see them. The parameter files are ROS 2's own format,
 * so one file serves `ros2 launch` and both graphs.
 */
import { excerpt } from '../src/input/index.js';
import {
  EmbeddedContext,
  GraphDecorator,
  ParameterError,
  SystemClock,
  type GraphContext,
  type Logger,
  type NodeOptions,
  type RosNode,
} from '../src/ros/index.js';
import {
  ParamsFileError,
  WILDCARD,
  createRclnodejsGraph,
  loadRclnodejs,
  mergeParamsFiles,
  readParamsFile,
  type Overrides,
  type ParamsFile,
} from '../src/ros/rclnodejs/index.js';

export const GRAPHS = ['embedded', 'ros2'] as const;
export type GraphChoice = (typeof GRAPHS)[number];

/** The interface package every robot node's graph needs on ROS 2 (checked before anything starts). */
const ROBOT_INTERFACES = ['medhjalparen_msgs'] as const;

export function parseGraph(value: string): GraphChoice {
  if (!(GRAPHS as readonly string[]).includes(value)) {
    throw new Error(`--graph: expected one of ${GRAPHS.join(', ')}, got '${excerpt(value)}'`);
  }
  return value as GraphChoice;
}

/** The --params-file files as one (later files win, as with repeated --params-file in ROS 2). */
export async function readParamsFiles(files: readonly string[]): Promise<ParamsFile> {
  return mergeParamsFiles(await Promise.all(files.map((f) => readParamsFile(f))));
}

export interface OpenGraphOptions {
  logger: (nodeName: string) => Logger;
  params: ParamsFile;
  /** Default process.env: where --graph ros2 looks for a sourced ROS 2. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Fails now, before any device is touched, when `choice` cannot open here (ros2: no sourced
 * ROS 2, no rclnodejs, no medhjalparen_msgs), saying what to do.
 */
export async function checkGraph(
  choice: GraphChoice,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  if (choice === 'embedded') return;
  await loadRclnodejs({ requirePackages: ROBOT_INTERFACES, ...(env ? { env } : {}) });
}

/**
 * The robot's graph on the system clock (ROS 2: each node's ROS clock, /clock under a
 * `use_sim_time: true` in the files' `/**`), giving every node its parameters from the files.
 */
export async function openGraph(choice: GraphChoice, options: OpenGraphOptions): Promise<LaunchGraph> {
  if (choice === 'embedded') {
    return new LaunchGraph(
      new EmbeddedContext({ clock: new SystemClock(), logger: options.logger }),
      options.params,
    );
  }
  // rclnodejs itself is imported only here, when a ROS 2 graph is asked for (see load.ts).
  const graph = await createRclnodejsGraph({
    logger: options.logger,
    useSimTime: options.params.wildcard['use_sim_time'] === true,
    load: { requirePackages: ROBOT_INTERFACES, ...(options.env ? { env: options.env } : {}) },
  });
  return new LaunchGraph(graph, options.params);
}

/**
 * A graph whose nodes start with the parameter files' values: `/**` for every node, then the
 * node's own entry, then what the node's creator gives (the more specific wins), as a launch
 * file's parameters reach ROS 2 nodes. It keeps the nodes, to tell afterwards what the files set
 * that no node declared.
 */
export class LaunchGraph extends GraphDecorator {
  readonly #params: ParamsFile;
  readonly #nodes = new Map<string, RosNode>();

  constructor(inner: GraphContext, params: ParamsFile) {
    super(inner);
    this.#params = params;
  }

  override createNode(name: string, namespace?: string, options: NodeOptions = {}): RosNode {
    const parameterOverrides: Overrides = {
      ...this.#params.wildcard,
      ...this.#params.nodes[name],
      ...options.parameterOverrides,
    };
    const node = super.createNode(name, namespace, { ...options, parameterOverrides });
    this.#nodes.set(name, node);
    // A declaration refusing a file's value (the wrong type) says where in which file it is.
    const declare = node.declareParameter.bind(node);
    node.declareParameter = (parameter) => {
      try {
        return declare(parameter);
      } catch (e) {
        throw locateParameterError(e, this.#params, name);
      }
    };
    return node;
  }

  /**
   * Each parameter the files set that no started node declares (a misspelt name does nothing
   * in ROS 2, silently; here it is said), as 'file:line: node.ros__parameters.name: why'.
   */
  unused(): string[] {
    const lines: string[] = [];
    for (const [nodeKey, places] of Object.entries(this.#params.where)) {
      for (const [param, where] of Object.entries(places)) {
        const why = this.#whyUnused(nodeKey, param);
        if (why) lines.push(`${where}: ${nodeKey}.ros__parameters.${param}: ${why}`);
      }
    }
    return lines;
  }

  #whyUnused(nodeKey: string, param: string): string | undefined {
    if (nodeKey === WILDCARD) {
      const any = [...this.#nodes.values()].some((n) => n.hasParameter(param));
      return any ? undefined : 'no node declares this parameter';
    }
    const node = this.#nodes.get(nodeKey);
    if (!node)
      return `no node '${nodeKey}' was started (started: ${[...this.#nodes.keys()].sort().join(', ')})`;
    return node.hasParameter(param) ? undefined : `node '${nodeKey}' declares no such parameter`;
  }
}

/**
 * `error` as thrown declaring a parameter, placed in the files when one of them gave the value
 * (of `node`, or, not knowing the node, of whichever nodes they give it for); otherwise as it was.
 */
export function locateParameterError(error: unknown, params: ParamsFile, node?: string): unknown {
  if (!(error instanceof ParameterError)) return error;
  const name = error.parameterName;
  const keys = node === undefined ? Object.keys(params.where) : [node, WILDCARD];
  const places = keys.filter((k) => params.where[k]?.[name] !== undefined);
  if (places.length === 0) return error;
  const why = error.message.replace(`parameter '${name}': `, '');
  const lines = places.map((k) => `${params.where[k]![name]}: ${k}.ros__parameters.${name}: ${why}`);
  return new ParamsFileError(lines.join('\n'));
}

/**
 * The files' per-node parameters for a run whose graph this module does not build (the simulated
 * floor: cli/simulate.ts makes its embedded graph), where `/**` cannot reach every node. Its
 * `use_sim_time: true` holds there anyway; anything else under `/**` is refused, saying where.
 */
export function perNodeParams(params: ParamsFile): Record<string, Overrides> {
  for (const [name, value] of Object.entries(params.wildcard)) {
    if (name === 'use_sim_time' && value === true) continue;
    const where = params.where[WILDCARD]?.[name] ?? '--params-file';
    throw new ParamsFileError(
      `${where}: /**.ros__parameters.${name}: '/**' parameters reach every node with --world hardware only; on the simulated floor (always on simulated time) name the node instead`,
    );
  }
  return params.nodes;
}
