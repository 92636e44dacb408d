/**
 * The main job: the controller on the simulated Iso Omena floor in real time, with simulated
 * customers arriving and asking in Finnish, Swedish and English, printed live. With `--camera`, a
 * real rear camera's face detections stand in for the simulator's camera model.
 */
import path from 'node:path';
import { DEFAULT_ROBOT, type RunningRobot } from '../src/robot/index.js';
import { showControls } from '../src/input/index.js';
import { customerStream } from '../sim/customers.js';
import { checkScenarioSite } from '../sim/scenario-site.js';
import type { Scenario } from '../sim/scenario.js';
import { loadSite } from '../src/map/index.js';
import { formatLiveEvent } from './live.js';
import { consoleBanner, openConsoleStore, startCliConsole, type ConsoleArgs } from './console-option.js';
import type { RunningConsole } from '../src/console/index.js';
import { emulatedBoards, type BaseChoice } from './drive-base-option.js';
import { locateParameterError, perNodeParams, readParamsFiles } from './graph-option.js';
import type { ParamsFile } from '../src/ros/rclnodejs/index.js';
import { prepareFoxglove, startCliViz, type FoxgloveArgs } from './foxglove-option.js';
import { stderrLog } from './logging.js';
import {
  recordTargetProblem,
  recordingSummary,
  startCliRecording,
  type CliRecording,
  type RecordArgs,
} from './record-option.js';
import { realtimePacer } from './pace.js';
import { startCliFleet, terminalFleetLog, type CliFleet, type FleetArgs } from './fleet-option.js';
import { simulate } from './simulate.js';
import { formatTable } from '../sim/report.js';
import {
  openRearCamera,
  rearCameraSummary,
  type OpenRearCamera,
  type RearCameraArgs,
} from './rear-camera.js';

export interface MainJobOptions {
  site: string;
  seed: number;
  realtime: boolean;
  durationS?: number;
  logLevel: string;
  base: BaseChoice;
  /** A real rear camera in the loop (real time only). */
  camera?: RearCameraArgs;
  /** The operator console and kiosk (--listen, --data). */
  console: ConsoleArgs;
  /** ROS 2 parameter files for the robot's nodes (--params-file, later ones win). */
  paramsFiles: readonly string[];
  /** Every topic into an MCAP file (--record). */
  record?: RecordArgs;
  /** The Foxglove live view (--foxglove). */
  foxglove?: FoxgloveArgs;
  /** Join a fleet (--fleet, --robot-id, --fleet-key). */
  fleet?: FleetArgs;
}

export async function runMainJob(options: MainJobOptions): Promise<number> {
  if (options.camera && !options.realtime) {
    throw new Error('--camera: a real camera delivers frames on the wall clock; run in real time');
  }
  // The parameter files, the camera and the model first: a wrong argument is reported before anything starts.
  const params = await readParamsFiles(options.paramsFiles);
  perNodeParams(params); // refuses a '/**' parameter now; runOnFloor takes the per-node ones
  const camera = options.camera ? await openRearCamera(options.camera) : undefined;
  if (typeof camera === 'string') {
    process.stderr.write(`run: ${showControls(camera)}\n`);
    return 1;
  }
  try {
    return await runOnFloor(options, params, camera);
  } finally {
    await camera?.close();
  }
}

async function runOnFloor(
  options: MainJobOptions,
  params: ParamsFile,
  camera: OpenRearCamera | undefined,
): Promise<number> {
  const siteDir = path.resolve(options.site);
  const site = await loadSite(siteDir);
  const durationS = options.durationS ?? 24 * 3600;
  // Customers are made as the run reaches them: a run's length costs time, never memory.
  const scenario: Scenario = {
    file: '(live)',
    name: 'live',
    description: 'customers arriving at random',
    siteDir,
    seed: options.seed,
    // Opening hours are judged in simulated local time; start on a weekday morning.
    startEpochMs: Date.parse('2026-11-26T09:00:00+02:00'),
    robotStart: 'dock',
    pedestrians: 8,
    timeLimitS: durationS,
    customers: customerStream(site, options.seed),
    events: [],
    expect: {},
  };
  const wrong = checkScenarioSite(scenario, site);
  if (wrong.length > 0) {
    for (const p of wrong) process.stderr.write(`run: ${showControls(`${p.where}: ${p.what}`)}\n`);
    return 1;
  }
  const recordProblem = options.record && (await recordTargetProblem(options.record));
  if (recordProblem) {
    process.stderr.write(`run: ${showControls(recordProblem)}\n`);
    return 1;
  }
  let recording: CliRecording | undefined;
  const foxglove = options.foxglove ? prepareFoxglove(options.foxglove) : undefined;
  let viz: { stop(): void } | undefined;
  let fleet: CliFleet | undefined;
  const abort = new AbortController();
  const onSigint = () => {
    // npm passes Ctrl-C on as SIGTERM as well: say it once.
    if (abort.signal.aborted) return;
    process.stdout.write('\nstopping: the robot is stopped and the run summarised\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  process.stdout.write(
    `Medhjälparen on ${showControls(site.name)}: ${site.destinations.length} destinations, ${
      options.realtime ? 'real time' : 'as fast as possible'
    }, ${options.base === 'emulated' ? 'the emulated drive-base board in the loop' : 'the ideal simulated base'}. Ctrl-C stops.\n`,
  );
  if (camera) {
    process.stdout.write(
      `Rear camera: ${camera.describe}; its faces stand in for the simulated customers' (whoever is in front of it is the customer).\n`,
    );
  }
  let robot: RunningRobot | undefined;
  let web: RunningConsole | undefined;
  const opened = openConsoleStore(options.console);
  // Requests are counted the moment their outcome is decided, not when the robot is home again.
  const decided = new Map<string, number>();
  const board = await emulatedBoards(options.base);
  let report: Awaited<ReturnType<typeof simulate>>;
  try {
    report = await simulate(
      scenario,
      {
        site,
        params: perNodeParams(params),
        log: stderrLog(options.logLevel),
        ...(board ? { board } : {}),
        ...(camera ? { rearCamera: camera.rearCamera } : {}),
        onStart: async (sim) => {
          robot = sim.robot;
          // The footprint and desk markers, only for those who look at them: Foxglove, a recording.
          if (foxglove || options.record) viz = await startCliViz(sim.graph, { site, robot: DEFAULT_ROBOT });
          if (options.record) recording = await startCliRecording(sim.graph, site, options.record);
          web = await startCliConsole(
            sim.graph,
            site,
            opened,
            options.console,
            'simulated',
            foxglove?.console,
          );
          process.stdout.write(consoleBanner(web, opened.store));
          if (foxglove) {
            await foxglove.start(sim.graph, { teleop: web.bridge.teleop });
            process.stdout.write(foxglove.banner());
          }
          if (options.fleet) {
            const bridge = web.bridge;
            fleet = await startCliFleet(sim.graph, site, options.fleet, terminalFleetLog(), {
              store: opened.store,
              changed: () => bridge.desksChanged(),
            });
            process.stdout.write(fleet.banner);
          }
        },
      },
      {
        signal: abort.signal,
        onEvent: (e) => process.stdout.write(`${formatLiveEvent(e)}\n`),
        onDecided: (_, outcome) => decided.set(outcome, (decided.get(outcome) ?? 0) + 1),
        ...(options.realtime ? { pace: watchRearCamera(realtimePacer(), () => robot) } : {}),
      },
    );
  } catch (e) {
    // A node refusing a value of the parameter files (its type) says where in the files it is.
    throw locateParameterError(e, params);
  } finally {
    if (recording) process.stdout.write(`${recordingSummary(await recording.stop())}\n`);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await foxglove?.stop();
    viz?.stop();
    await fleet?.stop();
    await web?.stop();
    opened.close();
  }
  const served = [...decided.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(
    `\n${formatTable([
      ['simulated s', 'requests', ...decided.keys(), 'collisions'],
      [
        report.sim_time_s.toFixed(0),
        String(served),
        ...[...decided.values()].map(String),
        String(report.collisions.wall + report.collisions.obstacle + report.collisions.person),
      ],
    ])}\n`,
  );
  if (camera) process.stdout.write(`${rearCameraSummary(robot)}\n`);
  const floor = floorSummary(robot);
  if (floor) process.stdout.write(`${floor}\n`);
  return 0;
}

/** How busy the floor was, from the people count node's minute bins: counts only. */
export function floorSummary(robot: RunningRobot | undefined): string | undefined {
  const bins = robot?.peopleCount.history() ?? [];
  const watched = bins.filter((b) => b.frames > 0);
  if (watched.length === 0) return undefined;
  const passed = watched.reduce((n, b) => n + b.newPeople, 0);
  const busiest = watched.reduce((a, b) => (b.maxInView > a.maxInView ? b : a));
  const mean = watched.reduce((n, b) => n + b.meanInView, 0) / watched.length;
  return `floor (rear camera, last ${watched.length} min): about ${passed} people passed; ${mean.toFixed(1)} in view on average, at most ${busiest.maxInView} at once`;
}

/**
 * The pacer, also saying once when the rear camera's detector has ended while the run goes on (a
 * video file or a still image runs out long before the run does; a camera may be unplugged).
 */
function watchRearCamera(
  pace: (simElapsedS: number) => Promise<void>,
  robot: () => RunningRobot | undefined,
): (simElapsedS: number) => Promise<void> {
  let told = false;
  return (simElapsedS) => {
    const detector = robot()?.rearCamera;
    if (detector && !told && !detector.stats().running) {
      told = true;
      process.stdout.write(`${rearCameraSummary(robot())}; its source has ended\n`);
    }
    return pace(simElapsedS);
  };
}
