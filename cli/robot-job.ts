/**
 * `run --world hardware`: the controller on a real robot. Every device is checked before anything
 * moves; then the robot's nodes run on the system clock and a person at the terminal plays the
 * kiosk: each line typed is a customer's request (in any of the three languages). What the robot
 * does and says is printed live; Ctrl-C (or --duration) stops it with its motors stopped.
 *
 * An adapter: it reads the wall clock (the graph runs on the system clock) and the terminal.
 */
import path from 'node:path';
import readline from 'node:readline';
import { serialLink } from '../src/hardware/index.js';
import { excerpt, showControls } from '../src/input/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import {
  DEFAULT_ROBOT,
  HardwareWorld,
  outcomeOfStatus,
  startRobot,
  type RunningRobot,
} from '../src/robot/index.js';
import type { GraphContext, RosNode } from '../src/ros/index.js';
import type { ParamsFile } from '../src/ros/rclnodejs/index.js';
import { STOP_REASONS } from '../src/safety/index.js';
import { createLogger, nodeLogger, watchRobot, type LiveEvent } from '../src/telemetry/index.js';
import { checkGraph, openGraph, readParamsFiles, type GraphChoice } from './graph-option.js';
import { prepareFoxglove, startCliViz, type FoxgloveArgs } from './foxglove-option.js';
import { formatLiveEvent } from './live.js';
import {
  recordTargetProblem,
  recordingSummary,
  startCliRecording,
  type RecordArgs,
} from './record-option.js';
import { consoleBanner, openConsoleStore, startCliConsole, type ConsoleArgs } from './console-option.js';
import { stderrLog } from './logging.js';
import { formatDeviceChecks } from './preflight.js';
import { openRearCamera, rearCameraSummary, type RearCameraArgs } from './rear-camera.js';
import { untilStopped } from './until-stopped.js';
import { startCliFleet, terminalFleetLog, type FleetArgs } from './fleet-option.js';

export interface RobotJobOptions {
  site: string;
  /** The drive base's serial device (--base). */
  base: string;
  /** The lidar's serial device (--lidar). */
  lidar: string;
  durationS?: number;
  logLevel: string;
  camera?: RearCameraArgs;
  /** The operator console and kiosk (--listen, --data). */
  console: ConsoleArgs;
  /** The node graph (--graph): the embedded one, or ROS 2 through rclnodejs. */
  graph: GraphChoice;
  /** ROS 2 parameter files for the nodes (--params-file, later ones win). */
  paramsFiles: readonly string[];
  /** The robot's own navigator, or a running Nav2's (--navigation; nav2 needs --graph ros2). */
  navigation: 'internal' | 'nav2';
  /** Every topic into an MCAP file (--record). */
  record?: RecordArgs;
  /** The Foxglove live view (--foxglove). */
  foxglove?: FoxgloveArgs;
  /** Join a fleet (--fleet, --robot-id, --fleet-key). */
  fleet?: FleetArgs;
}

export async function runRobotJob(options: RobotJobOptions): Promise<number> {
  const site = await loadSite(path.resolve(options.site));
  // A wrong parameter file, or a graph that cannot open here, stops the run before any device is touched.
  const params = await readParamsFiles(options.paramsFiles);
  await checkGraph(options.graph);
  const recordProblem = options.record && (await recordTargetProblem(options.record));
  if (recordProblem) {
    process.stderr.write(`run: ${showControls(recordProblem)}\n`);
    return 1;
  }
  const world = new HardwareWorld({
    base: serialLink(options.base, `--base ${options.base}`),
    lidar: serialLink(options.lidar, `--lidar ${options.lidar}`),
  });
  const camera = options.camera ? await openRearCamera(options.camera) : undefined;
  if (typeof camera === 'string') {
    process.stderr.write(`run: ${showControls(camera)}\n`);
    return 1;
  }
  try {
    const checks = await world.preflight();
    process.stdout.write(terminalText(formatDeviceChecks(checks)));
    if (checks.some((c) => !c.ok)) {
      process.stderr.write('run: a device failed its check; nothing was started\n');
      return 1;
    }
    return await runOnRobot(site, world, options, params, camera?.rearCamera);
  } finally {
    await camera?.close();
  }
}

async function runOnRobot(
  site: Site,
  world: HardwareWorld,
  options: RobotJobOptions,
  params: ParamsFile,
  rearCamera: Parameters<typeof startRobot>[0]['rearCamera'],
): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const { x, y, yaw } = site.dock;
  out(`Medhjälparen on ${showControls(site.name)}, on ${showControls(world.describe)}.`);
  out(
    `It localises with AMCL on the site's map, starting from the dock (${x.toFixed(2)}, ${y.toFixed(2)}, ${yaw.toFixed(2)} rad): start it on its dock.`,
  );
  const log = stderrLog(options.logLevel);
  const root = createLogger({ level: log.level, destination: log.destination });
  const opened = openConsoleStore(options.console);
  const graph = await openGraph(options.graph, { logger: (name) => nodeLogger(root, name), params });
  const robot = await startRobot({
    graph,
    world,
    site,
    params: params.nodes,
    navigation: options.navigation,
    ...(rearCamera ? { rearCamera } : {}),
  });
  // Started with the robot, before the first spin: a replay can re-run the recording.
  const recording = options.record ? await startCliRecording(graph, site, options.record) : undefined;
  const stopRecording = async () => {
    if (recording) out(recordingSummary(await recording.stop()));
  };
  const foxglove = options.foxglove ? prepareFoxglove(options.foxglove) : undefined;
  // The footprint and desk markers, only for those who look at them: Foxglove, a recording.
  const viz =
    foxglove || options.record ? await startCliViz(graph, { site, robot: DEFAULT_ROBOT }) : undefined;
  const stopViews = async () => {
    await foxglove?.stop();
    viz?.stop();
  };
  try {
    const web = await startCliConsole(graph, site, opened, options.console, 'terminal', foxglove?.console);
    await foxglove?.start(graph, { teleop: web.bridge.teleop });
    const kiosk = startTerminalKiosk(graph, (e) => out(formatLiveEvent(e)));
    // Every node is up and nothing spins yet: a parameter no node takes (a misspelt name, which
    // ROS 2 would ignore) stops the run before the robot moves.
    const unused = graph.unused();
    if (unused.length > 0) {
      kiosk.close();
      await stopViews();
      await web.stop();
      throw new Error(`--params-file: no node takes these:\n${unused.join('\n')}`);
    }
    process.stdout.write(consoleBanner(web, opened.store));
    if (foxglove) process.stdout.write(foxglove.banner());
    const fleet = options.fleet
      ? await startCliFleet(graph, site, options.fleet, terminalFleetLog())
      : undefined;
    if (fleet) process.stdout.write(fleet.banner);
    const spinning = graph.spin();
    out('Type what a customer asks and press Enter (fi/sv/en). Ctrl-C stops.');
    await untilStopped(options.durationS);
    out('stopping: the robot is stopped');
    kiosk.close();
    await fleet?.stop();
    await stopViews();
    await web.stop();
    await robot.stop();
    await stopRecording();
    spinning.stop();
    out(summary(kiosk.outcomes(), robot));
    return 0;
  } catch (e) {
    await stopViews();
    await robot.stop();
    await stopRecording();
    throw e;
  } finally {
    graph.shutdown();
    opened.close();
  }
}

/**
 * The terminal as the robot's kiosk: each line on stdin is a request on /guide/request, and the
 * live view prints what follows. Requests are counted by outcome; their text is not kept.
 */
function startTerminalKiosk(graph: GraphContext, print: (e: LiveEvent) => void) {
  const view = graph.createNode('live_view');
  const { seconds } = watchRobot(view, { emit: print, stopReasons: STOP_REASONS });
  const node = graph.createNode('terminal_kiosk');
  const requests = node.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
  const indexOf = new Map<string, number>();
  const outcomes = countOutcomes(node, (requestId, outcome, destination, reason) =>
    print({ t: seconds(), kind: 'done', index: indexOf.get(requestId) ?? -1, outcome, destination, reason }),
  );
  let asked = 0;
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => {
    const text = line.trim();
    if (text.length === 0) return;
    const index = asked++;
    const requestId = `req-${index}`;
    indexOf.set(requestId, index);
    print({ t: seconds(), kind: 'request', index, text });
    requests.publish({ request_id: requestId, text, language: '', plain: false, mode: '' });
  });
  return { close: () => lines.close(), outcomes: () => outcomes };
}

/** Follows /guide/status and says once how each request ended (the first status that decides it). */
function countOutcomes(
  node: RosNode,
  done: (requestId: string, outcome: string, destination: string, reason: string) => void,
): Map<string, number> {
  const counts = new Map<string, number>();
  const decided = new Set<string>();
  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s) => {
    if (!s.request_id || decided.has(s.request_id)) return;
    const outcome = outcomeOfStatus(s.state, s.reason);
    if (!outcome) return;
    decided.add(s.request_id);
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    done(s.request_id, outcome, s.destination_id, s.reason);
  });
  return counts;
}

/**
 * Text that may quote what the operator typed (a device path) for the terminal: control
 * characters shown, each line cut to a readable length.
 */
function terminalText(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : excerpt(line, 400)))
    .join('\n');
}

function summary(outcomes: Map<string, number>, robot: RunningRobot): string {
  const served = [...outcomes].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
  const camera = robot.rearCamera ? `\n${rearCameraSummary(robot)}` : '';
  return `requests: ${served}${camera}`;
}
