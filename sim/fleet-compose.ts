/**
 * One robot of a fleet, composed as `simulate()` (cli/simulate.ts) composes the one robot of a
 * scenario: a simulator world with the ideal base, an embedded graph on that world's clock, and
 * the robot from the composition root, its localiser told where it starts and seeded from its
 * scenario. Each robot has its own site object whose dock is its own: the mission, the
 * localiser's first guess, the docking behaviour and the charging contacts all read `site.dock`.
 */
import type { Site } from '../src/map/index.js';
import { DEFAULT_ROBOT, startRobot, type NodeParams, type RobotDescription } from '../src/robot/index.js';
import { EmbeddedContext, type CallbackProfiler, type Pose2D } from '../src/ros/index.js';
import { createLogger, nodeLogger, type LogLevel } from '../src/telemetry/index.js';
import type { DestinationStream } from 'pino';
import type { SimulatedRobot } from './runner.js';
import type { Scenario } from './scenario.js';
import { SimulatorWorld } from './simulator-world.js';

export interface ComposeOptions {
  robot?: RobotDescription;
  params?: NodeParams;
  /** Who localises each robot: its own AMCL (default) or the simulator's perfect stand-in. */
  localization?: 'perfect' | 'amcl';
  /** Structured logs of every node, each robot's under its id. */
  log?: { level: LogLevel; destination?: DestinationStream };
}

/** Starts one robot of the fleet in a world of its own on `site` (whose dock is this robot's). */
export async function composeRobot(
  scenario: Scenario,
  site: Site,
  robotId: string,
  options: ComposeOptions,
): Promise<SimulatedRobot> {
  const robot = options.robot ?? DEFAULT_ROBOT;
  const robotStart = scenario.robotStart === 'dock' ? site.dock : scenario.robotStart;
  const world = new SimulatorWorld({
    site,
    robot,
    seed: scenario.seed,
    robotStart,
    startNs: BigInt(scenario.startEpochMs) * 1_000_000n,
    ...(options.localization ? { simulator: { localization: options.localization } } : {}),
  });
  const graph = embeddedGraph(world, { ...(options.log ? { log: options.log } : {}), prefix: `${robotId}/` });
  const running = await startRobot({
    graph,
    world,
    site,
    robot,
    params: withStartPose(options.params ?? {}, robotStart, scenario.seed),
  });
  return { site, world, graph, robot: running };
}

export interface GraphOptions {
  log?: { level: LogLevel; destination?: DestinationStream };
  profiler?: CallbackProfiler;
  /** Before each node's name in the logs (a fleet's robot id). */
  prefix?: string;
}

/** The embedded graph on the simulator's clock, with node logs and a profiler when asked. */
export function embeddedGraph(world: SimulatorWorld, options: GraphOptions): EmbeddedContext {
  const log = options.log;
  const root = log
    ? createLogger({
        level: log.level,
        clock: world.clock,
        ...(log.destination ? { destination: log.destination } : {}),
      })
    : undefined;
  return new EmbeddedContext({
    clock: world.clock,
    ...(root ? { logger: (name: string) => nodeLogger(root, `${options.prefix ?? ''}${name}`) } : {}),
    ...(options.profiler ? { profiler: options.profiler } : {}),
  });
}

/**
 * The localiser is told where the robot starts (the scenario's start, which may not be the dock)
 * and is seeded from the scenario, unless the caller's parameters say otherwise.
 */
export function withStartPose(params: NodeParams, start: Pose2D, seed: number): NodeParams {
  return {
    ...params,
    amcl: {
      'initial_pose.x': start.x,
      'initial_pose.y': start.y,
      'initial_pose.yaw': start.yaw,
      seed,
      ...params['amcl'],
    },
  };
}
