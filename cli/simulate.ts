/**
 * A scenario on the simulated floor, composed here where the command line picks things: the
 * simulator world (with the ideal base, or the real firmware on an emulated board), the embedded
 * graph on the simulator's clock, and the robot from the composition root; then the runner plays
 * the scenario on it. The main job, `sim run`, the tests and the benchmarks all come through here.
 */
import type { DestinationStream } from 'pino';
import type { BoardInTheLoop } from '../firmware-bridge/emulator/in-the-loop.js';
import { loadSite, type Site } from '../src/map/index.js';
import {
  DEFAULT_ROBOT,
  startRobot,
  type NodeParams,
  type RearCameraOptions,
  type RobotDescription,
} from '../src/robot/index.js';
import type { CallbackProfiler } from '../src/ros/index.js';
import type { LogLevel } from '../src/telemetry/index.js';
import type { RunReport } from '../sim/report.js';
import { runScenario, type RunHooks, type SimulatedRobot } from '../sim/runner.js';
import type { Scenario } from '../sim/scenario.js';
import { SimulatorWorld } from '../sim/simulator-world.js';
import { embeddedGraph, withStartPose } from '../sim/fleet-compose.js';

export interface SimulateOptions {
  /** A site already loaded (the benchmark and the main job reuse one). */
  site?: Site;
  robot?: RobotDescription;
  params?: NodeParams;
  /** The real firmware on an emulated board drives the wheels (see emulatedBoards). */
  board?: (startNs: bigint) => Promise<BoardInTheLoop>;
  /**
   * A real rear camera in the loop: the robot's detector node publishes the face detections from
   * its frames, and the simulator's camera model publishes none. Frames arrive on the wall clock,
   * so a run with one is paced in real time; whoever stands in front of the camera is the customer.
   */
  rearCamera?: RearCameraOptions;
  /** Structured logs of every node (pino JSON lines stamped with simulated time). */
  log?: { level: LogLevel; destination?: DestinationStream };
  /** Benchmarks: times every node callback. */
  profiler?: CallbackProfiler;
  /** Who localises the robot: its own AMCL (default) or the simulator's perfect stand-in. */
  localization?: 'perfect' | 'amcl';
  /** Called once the robot is up, before the first step (the CLI keeps the robot; tests watch the graph). */
  onStart?: (sim: SimulatedRobot) => void | Promise<void>;
}

export async function simulate(
  scenario: Scenario,
  options: SimulateOptions = {},
  hooks: RunHooks = {},
): Promise<RunReport> {
  const site = options.site ?? (await loadSite(scenario.siteDir));
  const robot = options.robot ?? DEFAULT_ROBOT;
  const startNs = BigInt(scenario.startEpochMs) * 1_000_000n;
  const board = await options.board?.(startNs);
  const robotStart = scenario.robotStart === 'dock' ? site.dock : scenario.robotStart;
  const world = new SimulatorWorld({
    site,
    robot,
    seed: scenario.seed,
    robotStart,
    startNs,
    ...(board ? { driveBase: board } : {}),
    simulator: {
      ...(options.rearCamera ? { customerSignal: 'external' } : {}),
      ...(options.localization ? { localization: options.localization } : {}),
    },
  });
  const graph = embeddedGraph(world, {
    ...(options.log ? { log: options.log } : {}),
    ...(options.profiler ? { profiler: options.profiler } : {}),
  });
  const running = await startRobot({
    graph,
    world,
    site,
    robot,
    params: withStartPose(options.params ?? {}, robotStart, scenario.seed),
    ...(options.rearCamera ? { rearCamera: options.rearCamera } : {}),
  });
  const sim: SimulatedRobot = { site, world, graph, robot: running };
  try {
    await options.onStart?.(sim);
  } catch (e) {
    await running.stop();
    throw e;
  }
  return runScenario(scenario, sim, { ...hooks, ...(board ? { yieldEveryStep: true } : {}) });
}
