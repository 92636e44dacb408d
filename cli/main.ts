/**
 * The command line. This is an adapter: it may read the wall clock (to pace --realtime runs and
 * to time them), which control code never does.
 */
import { parseArgs } from 'node:util';
import { LIMITS, describeThrown, excerpt, showControls } from '../src/input/index.js';
import { DETECT_USAGE, parseDetectArgs, runDetectCommand } from './detect-command.js';
import { DETECTOR_FLAGS, detectorChoiceError, detectorChoiceFromFlags } from './detector-option.js';
import { BASES, parseBase } from './drive-base-option.js';
import { GRAPHS, parseGraph } from './graph-option.js';
import { FOXGLOVE_FLAGS, FOXGLOVE_USAGE, parseFoxgloveArgs } from './foxglove-option.js';
import { FLEET_FLAGS, FLEET_USAGE, parseFleetArgs } from './fleet-option.js';
import { RECORD_FLAGS, RECORD_HELP, RECORD_USAGE, recordArgsFromFlags } from './record-option.js';
import { REPLAY_USAGE } from './replay-usage.js';
import { DEFAULT_SITE } from './package-files.js';
import { USERS_USAGE } from './users-usage.js';
import { FLEET_COMMAND_USAGE } from './fleet-usage.js';

const USAGE = `medhjalparen — the guide robot's controller

usage:
  medhjalparen run [--world sim] [--site DIR] [--seed N] [--fast] [--duration S] [--base ideal|emulated] [--log-level L]
      [--camera <image|video|/dev/videoN> [--model front|back|path.onnx [--yolo-layout v5|v8 …]]]
      [--listen HOST:PORT] [--data DIR] [--params-file FILE]... [--foxglove PORT [--foxglove-listen HOST]]
      [--fleet nats://HOST:PORT --robot-id ID [--fleet-key FILE]] ${RECORD_USAGE}
      the controller on the simulated floor, in real time, with customers arriving (Ctrl-C stops);
      --camera: a real rear camera in the loop: its face detections (BlazeFace front by default)
      replace the simulator's camera model, in real time (not with --fast); the summary gives
      the detector's counts
  medhjalparen run --world hardware --base /dev/ttyUSB0 --lidar /dev/ttyUSB1 [--camera /dev/video0 …]
      [--site DIR] [--duration S] [--log-level L] [--listen HOST:PORT] [--data DIR]
      [--graph embedded|ros2 [--navigation internal|nav2]] [--params-file FILE]...
      [--foxglove PORT [--foxglove-listen HOST]] ${RECORD_USAGE}
      the controller on a real robot: every device is checked before anything moves; each line
      typed is a customer's request; localises with AMCL on the site's map from the dock
  medhjalparen sim run <scenario.yaml>... [--report out.json] [--realtime] [--verbose] [--base B] [--log-level L]
      ${RECORD_USAGE}
      run scenarios; prints a summary, writes a JSON report, exits 1 when an expectation fails;
      a fleet scenario (robots: or floors:, docs/fleet-sim.md) runs every robot on one clock

  --listen: where the operator console (/) and the customer kiosk (/kiosk) are served, default
  127.0.0.1:8080 (this machine only; port 0 picks a free one); --data: their database folder,
  default ./data. The environment variables MEDHJALPAREN_LISTEN and MEDHJALPAREN_DATA change
  these defaults.

  --graph: the node graph: embedded (default; every node in this process) or ros2 (every node
  on the ROS 2 graph through rclnodejs, with --world hardware: needs a sourced ROS 2, npm install
  rclnodejs, and interfaces/medhjalparen_msgs built with colcon; launch/medhjalparen.launch.py
  starts it so). --params-file FILE: a ROS 2 parameters YAML (node: {ros__parameters: …}, '/**'
  for every node; launch/params.yaml lists them all); repeatable, a later file wins.

  --navigation nav2: the guide mission sends its goals to a running Nav2 (bt_navigator's
  navigate_to_pose, behavior_server's spin) instead of starting the robot's own navigator; Nav2's
  velocity output must be remapped to /cmd_vel_nav, the safety gate's input (docs/navigation.md).

${RECORD_HELP}

${FOXGLOVE_USAGE}

${FLEET_USAGE}

  --base emulated: the real drive-base firmware on an emulated ATmega328P drives the wheels
  (through johnny-five and the drive-base driver) instead of the ideal simulated base.

  --log-level: the nodes' structured logs (JSON lines on stderr): fatal, error, warn (default),
  info, debug, trace or silent. Logs never hold what customers say.
  medhjalparen sim sweep <site-dir>... [--seeds N] [--pedestrians K] [--pairs P] [--escort-limit S] [--report out.json]
      escort from the dock to every destination and between P random pairs per seed (default: as
      many as destinations), without and with K pedestrians; prints success per destination with
      the failures' reasons and places, writes a JSON report; every escort has S simulated seconds
      (default 360); exits 1 when an escort failed or collided
  medhjalparen sim batch <scenario.yaml>... [--seeds N] [--seed-base S] [--workers K] [--report out.json] [--html out.html]
      each scenario with seeds S..S+N-1 (default N 1, S the file's own seed) on K worker threads
      (default: the cores); one merged JSON report (the same bytes for any K) and one HTML page
      (no network: failures first, trajectories on the map, metric histograms); exits 1 when a
      run failed (docs/batch.md)
  medhjalparen sim day <site-dir> [--date YYYY-MM-DD] [--visits N] [--seed S] [--pedestrians N]
      [--from HH:MM] [--until HH:MM] [-o report.json]
      a whole opening day in one run: customers come as to a service centre (a morning peak, a
      lunch dip; --visits visitors, default 4500, of whom a share ask the robot) in fi/sv/en; the
      centre and its desks open and close by their hours; prints escorts served and refused, the
      wait for the robot, distance, battery, time in service and collisions, writes a JSON
      report; --date default 2026-11-26; --pedestrians default 4; --from/--until: a shortened
      day, local times; exits 1 when a goal is missed (docs/day.md)
  medhjalparen sim floors --out DIR [--count N] [--seed S]
      write N generated service-centre floors (site folders: corridors, rooms, halls, pillars,
      counters; any resolution, rotation and origin) under DIR, each checked as map check does
  medhjalparen sim export-sdf <site-dir> -o world.sdf [--bridge bridge.yaml] [--pedestrians N] [--seed S]
      the site as a Gazebo (gz-sim) world in SDFormat 1.9: walls extruded from the map, a marker
      per desk, the robot with its lidar and rear camera; --bridge writes the ros_gz_bridge YAML;
      --pedestrians adds N scripted walkers (gz <actor>s) on seeded loops clear of the walls
  medhjalparen sim import-sdf <world.sdf> -o maps/<site>/ [--resolution 0.05] [--name ID] [--force]
      a Gazebo world's static collisions (box, cylinder, sphere, STL/OBJ mesh bounds) cut at the
      lidar's height into a site folder: map image, map YAML, site.yaml with the dock and no
      destinations yet (add them, then map check); exit 2 on bad input, nothing written half-way;
      --force replaces a folder that has files (docs/gazebo.md)
  medhjalparen sim twin [--site DIR] [--seed N]
      the simulated floor behind two real serial devices (the drive-base firmware on an emulated
      board, an emulated RPLIDAR): run --world hardware on it without a robot (Ctrl-C stops)
  medhjalparen map check <site-dir>
      validate a site: files, map image, poses, reachability, names in fi/sv/en
  medhjalparen base (--port /dev/ttyUSB0 | --emulate [--pty]) [--script "v,w,s;…" [--realtime]]
      the drive base alone: connect, live telemetry, keyboard driving with a deadman, LEDs;
      --emulate runs the real firmware on an emulated ATmega328P (--pty: behind a real pty);
      --script drives the segments, then waits (at most 5 s) for the wheels to report stopped
      and prints a summary (time, each wheel's travel, stop time; exit 1 if they never stop);
      with --emulate alone it runs on the emulated clock, repeatable line for line and faster
      than real time (--realtime: at real speed)
  medhjalparen board --emulate [--link PATH] [--log-level L]
      the emulated drive-base board alone (the real firmware on an emulated ATmega328P, in real
      time) behind a pty at PATH (default: medhjalparen-board in the temporary folder), for
      programs outside this one (a Firmata client, a ROS 2 serial driver, run --world hardware
      --base PATH): open it at 115200 baud as an Arduino Uno; it resets on open (Ctrl-C stops)
${REPLAY_USAGE.replace(/^usage: /, '  ')}
${DETECT_USAGE.replace(/^usage: /, '  ')}
${USERS_USAGE}${FLEET_COMMAND_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (asksForHelp(argv)) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === 'run') {
    const run = parseRunArgs([sub, ...rest].filter((a): a is string => a !== undefined));
    // Each command loads only what it runs: a real robot's process never loads the simulator.
    if (run.world === 'hardware') return (await import('./robot-job.js')).runRobotJob(run.options);
    return (await import('./main-job.js')).runMainJob(run.options);
  }
  if (command === 'sim' && sub === 'run') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        report: { type: 'string' },
        realtime: { type: 'boolean', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
        'log-level': { type: 'string', default: 'warn' },
        base: { type: 'string', default: 'ideal' },
        ...RECORD_FLAGS,
      },
    });
    if (positionals.length === 0) return usageError('sim run needs at least one scenario file');
    const record = recordArgsFromFlags(values);
    if (typeof record === 'string') return usageError(record);
    const { runSimCommand } = await import('./sim-command.js');
    return runSimCommand(positionals, {
      ...(record ? { record } : {}),
      realtime: values.realtime,
      verbose: values.verbose,
      logLevel: values['log-level'],
      base: baseFlag(values.base),
      ...(values.report !== undefined ? { report: values.report } : {}),
    });
  }
  if (command === 'replay') {
    const { parseReplayArgs, runReplayCommand } = await import('./replay-command.js');
    const args = parseReplayArgs([sub, ...rest].filter((a): a is string => a !== undefined));
    return typeof args === 'string' ? usageError(args) : runReplayCommand(args);
  }
  if (command === 'sim' && sub === 'sweep') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        seeds: { type: 'string', default: '1' },
        pedestrians: { type: 'string', default: '0' },
        pairs: { type: 'string' },
        'escort-limit': { type: 'string', default: '360' },
        report: { type: 'string' },
      },
    });
    if (positionals.length === 0) return usageError('sim sweep needs at least one site folder');
    return (await import('./sweep-command.js')).runSweepCommand(positionals, {
      seeds: wholeNumber('--seeds', values.seeds, 1, 1000),
      pedestrians: wholeNumber('--pedestrians', values.pedestrians, 0, 200),
      escortLimitS: wholeNumber('--escort-limit', values['escort-limit'], 10, 86_400),
      ...(values.pairs !== undefined
        ? { pairsPerSeed: wholeNumber('--pairs', values.pairs, 0, 10_000) }
        : {}),
      ...(values.report !== undefined ? { report: values.report } : {}),
    });
  }
  if (command === 'sim' && sub === 'batch') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        seeds: { type: 'string', default: '1' },
        'seed-base': { type: 'string' },
        workers: { type: 'string' },
        report: { type: 'string' },
        html: { type: 'string' },
      },
    });
    if (positionals.length === 0) return usageError('sim batch needs at least one scenario file');
    const seedBase = values['seed-base'];
    const workers = values.workers;
    return (await import('./batch-command.js')).runBatchCommand(positionals, {
      // The batch names the limit (batchSeeds) when N is too many.
      seeds: wholeNumber('--seeds', values.seeds, 1, Number.MAX_SAFE_INTEGER),
      ...(seedBase !== undefined ? { seedBase: wholeNumber('--seed-base', seedBase, 0, 2 ** 32 - 1) } : {}),
      ...(workers !== undefined ? { workers: wholeNumber('--workers', workers, 1, 256) } : {}),
      ...(values.report !== undefined ? { report: values.report } : {}),
      ...(values.html !== undefined ? { html: values.html } : {}),
    });
  }
  if (command === 'sim' && sub === 'day') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        date: { type: 'string' },
        visits: { type: 'string' },
        seed: { type: 'string' },
        pedestrians: { type: 'string' },
        from: { type: 'string' },
        until: { type: 'string' },
        out: { type: 'string', short: 'o' },
      },
    });
    if (positionals.length !== 1) return usageError('sim day needs one site folder');
    const { parseDayFlags, runDayCommand } = await import('./day-command.js');
    const options = parseDayFlags(positionals[0]!, values);
    if (typeof options === 'string') throw new CliError(options);
    return runDayCommand(options);
  }
  if (command === 'sim' && sub === 'export-sdf') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        bridge: { type: 'string' },
        pedestrians: { type: 'string', default: '0' },
        seed: { type: 'string', default: '1' },
      },
    });
    if (positionals.length !== 1) return usageError('sim export-sdf needs one site folder');
    if (values.out === undefined || values.out === '') return usageError('sim export-sdf needs -o world.sdf');
    return (await import('./export-sdf-command.js')).runExportSdfCommand({
      siteDir: positionals[0]!,
      out: values.out,
      ...(values.bridge !== undefined ? { bridge: values.bridge } : {}),
      pedestrians: wholeNumber('--pedestrians', values.pedestrians, 0, 200),
      seed: wholeNumber('--seed', values.seed, 0, 2 ** 32 - 1),
    });
  }
  if (command === 'sim' && sub === 'import-sdf') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        resolution: { type: 'string', default: '0.05' },
        name: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) return usageError('sim import-sdf needs one SDF world file');
    if (values.out === undefined || values.out === '')
      return usageError('sim import-sdf needs -o maps/<site>/');
    return (await import('./import-sdf-command.js')).runImportSdfCommand({
      sdf: positionals[0]!,
      out: values.out,
      resolution: Number(values.resolution),
      force: values.force,
      ...(values.name !== undefined ? { name: values.name } : {}),
    });
  }
  if (command === 'sim' && sub === 'floors') {
    const { values } = parseArgs({
      args: rest,
      options: {
        out: { type: 'string' },
        count: { type: 'string', default: '20' },
        seed: { type: 'string', default: '1' },
      },
    });
    if (values.out === undefined || values.out === '') return usageError('sim floors needs --out DIR');
    return (await import('./floors-command.js')).runFloorsCommand({
      out: values.out,
      count: wholeNumber('--count', values.count, 1, 1000),
      seed: wholeNumber('--seed', values.seed, 0, 2 ** 32 - 1),
    });
  }
  if (command === 'sim' && sub === 'twin') {
    const { values } = parseArgs({
      args: rest,
      options: {
        site: { type: 'string', default: DEFAULT_SITE },
        seed: { type: 'string', default: '1' },
      },
    });
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0)
      throw new CliError(`--seed: expected a whole number, got '${values.seed}'`);
    return (await import('./twin-command.js')).runTwinCommand({ site: values.site, seed });
  }
  if (command === 'base') {
    const { values } = parseArgs({
      args: [sub, ...rest].filter((a): a is string => a !== undefined),
      options: {
        port: { type: 'string' },
        emulate: { type: 'boolean', default: false },
        pty: { type: 'boolean', default: false },
        script: { type: 'string' },
        realtime: { type: 'boolean', default: false },
        'log-level': { type: 'string', default: 'warn' },
      },
    });
    if (values.emulate === (values.port !== undefined))
      throw new CliError('base needs exactly one of --port PATH or --emulate');
    if (values.realtime && (!values.emulate || values.pty || values.script === undefined))
      throw new CliError(
        '--realtime: only for --emulate --script (a real board or a pty runs in real time anyway)',
      );
    if (values.port === '') throw new CliError("--port: expected the path of a serial device, got ''");
    const { runBaseCommand } = await import('./base-command.js');
    return runBaseCommand({
      emulate: values.emulate,
      pty: values.pty,
      realtime: values.realtime,
      logLevel: values['log-level'],
      ...(values.port !== undefined ? { port: values.port } : {}),
      ...(values.script !== undefined ? { script: values.script } : {}),
    });
  }
  if (command === 'board') {
    const { values } = parseArgs({
      args: [sub, ...rest].filter((a): a is string => a !== undefined),
      options: {
        emulate: { type: 'boolean', default: false },
        link: { type: 'string' },
        'log-level': { type: 'string', default: 'warn' },
      },
    });
    if (!values.emulate) {
      throw new CliError(
        'board needs --emulate: it runs the emulated drive-base board behind a pty (a real board needs no emulator: open its serial device, e.g. /dev/ttyACM0, directly)',
      );
    }
    if (values.link === '') throw new CliError("--link: expected a path for the board's device, got ''");
    return (await import('./board-command.js')).runBoardCommand({
      emulate: values.emulate,
      logLevel: values['log-level'],
      ...(values.link !== undefined ? { link: values.link } : {}),
    });
  }
  if (command === 'detect') {
    const args = parseDetectArgs([sub, ...rest].filter((a): a is string => a !== undefined));
    return typeof args === 'string' ? usageError(args) : runDetectCommand(args);
  }
  if (command === 'users') {
    const args = [sub, ...rest].filter((a): a is string => a !== undefined);
    return (await import('./users-command.js')).runUsersCommand(args);
  }
  if (command === 'fleet') {
    const args = [sub, ...rest].filter((a): a is string => a !== undefined);
    return (await import('./fleet-command.js')).runFleetCommand(args);
  }
  if (command === 'map' && sub === 'check') {
    if (rest.length !== 1) return usageError('map check needs exactly one site folder');
    return (await import('./map-command.js')).runMapCheckCommand(rest[0]!);
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  return usageError(`unknown command '${excerpt([command, sub].filter(Boolean).join(' '))}'`);
}

/** `--help` or `-h` anywhere before a `--` (after it, it is a value: a file may be called that). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  return options.includes('--help') || options.includes('-h');
}

const WORLDS = ['sim', 'hardware'] as const;

/** The sample site, found from the package (not the working directory): `run` works from anywhere. */

function parseRunArgs(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      world: { type: 'string', default: 'sim' },
      site: { type: 'string', default: DEFAULT_SITE },
      seed: { type: 'string' },
      fast: { type: 'boolean', default: false },
      duration: { type: 'string' },
      'log-level': { type: 'string', default: 'warn' },
      base: { type: 'string' },
      lidar: { type: 'string' },
      camera: { type: 'string' },
      listen: { type: 'string', default: process.env['MEDHJALPAREN_LISTEN'] || '127.0.0.1:8080' },
      graph: { type: 'string', default: 'embedded' },
      navigation: { type: 'string', default: 'internal' },
      ...RECORD_FLAGS,
      'params-file': { type: 'string', multiple: true },
      data: { type: 'string', default: process.env['MEDHJALPAREN_DATA'] || './data' },
      ...DETECTOR_FLAGS,
      ...FOXGLOVE_FLAGS,
      ...FLEET_FLAGS,
    },
  });
  if (values.data === '') throw new CliError("--data: expected a folder, got ''");
  const duration = values.duration === undefined ? undefined : parseDuration(values.duration);
  const graph = graphFlag(values.graph);
  const navigation = navigationFlag(values.navigation, graph);
  const record = recordArgsFromFlags(values);
  if (typeof record === 'string') throw new CliError(record);
  const foxglove = parseFoxgloveArgs(values);
  const fleet = fleetFlags(values);
  const common = {
    ...(record ? { record } : {}),
    ...(fleet ? { fleet } : {}),
    ...(foxglove ? { foxglove } : {}),
    site: values.site,
    console: { listen: values.listen, data: values.data },
    logLevel: values['log-level'],
    ...(duration ? { durationS: duration } : {}),
    ...parseCameraArgs(values),
    paramsFiles: paramsFiles(values['params-file']),
  };
  if (values.world === 'hardware')
    return { world: 'hardware' as const, options: { ...common, graph, navigation, ...hardwareArgs(values) } };
  if (values.world !== 'sim')
    throw new CliError(`--world: expected one of ${WORLDS.join(', ')}, got '${excerpt(values.world)}'`);
  if (values.lidar !== undefined)
    throw new CliError('--lidar needs --world hardware (the simulator has its own lidar)');
  if (graph !== 'embedded')
    throw new CliError(
      '--graph ros2 needs --world hardware for now: the simulated floor steps its own embedded graph in lockstep (cli/simulate.ts builds it)',
    );
  const seed = values.seed === undefined ? 1 : parseSeed(values.seed);
  return {
    world: 'sim' as const,
    options: { ...common, seed, realtime: !values.fast, base: baseFlag(values.base ?? 'ideal') },
  };
}

function fleetFlags(values: Parameters<typeof parseFleetArgs>[0]) {
  try {
    return parseFleetArgs(values);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/**
 * `--duration S`: seconds, finite and within the limit for a run (`Infinity`, `1e309`, `NaN`
 * and a month and more are refused here, before anything is started or allocated).
 */
function parseDuration(text: string): number {
  const s = Number(text);
  const max = LIMITS.durationS.value;
  if (text.trim() === '' || !Number.isFinite(s) || s <= 0 || s > max) {
    throw new CliError(
      `--duration: expected seconds, more than 0 and at most ${max} (durationS, docs/limits.md), got '${excerpt(text)}'`,
    );
  }
  return s;
}

/** `--seed N`: a whole number 0…2³²−1, as in a scenario file. */
function parseSeed(text: string): number {
  const seed = Number(text);
  if (text.trim() === '' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw new CliError(`--seed: expected a whole number 0…${2 ** 32 - 1}, got '${excerpt(text)}'`);
  }
  return seed;
}

/** A real robot: its two serial devices; it runs in real time with its own customers. */
function hardwareArgs(values: { base?: string; lidar?: string; seed?: string; fast?: boolean }) {
  if (values.base === undefined || values.lidar === undefined) {
    throw new CliError(
      '--world hardware needs --base <serial device of the drive base> and --lidar <serial device of the RPLIDAR>',
    );
  }
  if (values.seed !== undefined)
    throw new CliError('--seed applies to --world sim only (a real floor has no seed)');
  if (values.fast) throw new CliError('--fast applies to --world sim only (a real robot runs in real time)');
  return { base: values.base, lidar: values.lidar };
}

/** `--camera` and its detector flags; a real camera's frames come on the wall clock: no --fast. */
function parseCameraArgs(
  values: Parameters<typeof detectorChoiceFromFlags>[0] & { camera?: string; fast?: boolean },
) {
  const choice = detectorChoiceFromFlags(values);
  if (typeof choice === 'string') throw new CliError(choice);
  if (values.camera === undefined) {
    if (Object.keys(choice).length > 0)
      throw new CliError('--model and the other detector flags need --camera <image|video|/dev/videoN>');
    return {};
  }
  if (values.fast) {
    throw new CliError(
      '--fast cannot be used with --camera: a real camera delivers frames on the wall clock, so the simulation must run in real time',
    );
  }
  const usage = detectorChoiceError(choice);
  if (usage !== undefined) throw new CliError(usage);
  return { camera: { input: values.camera, detector: choice } };
}

class CliError extends Error {}

function usageError(message: string): number {
  process.stderr.write(`medhjalparen: ${message}\n\n${USAGE}`);
  return 2;
}

/** `--graph`, its value quoted as an excerpt. */
const NAVIGATIONS = ['internal', 'nav2'] as const;

/** --navigation: the robot's own navigator, or Nav2's, which exists only on a ROS 2 graph. */
function navigationFlag(value: string, graph: string): (typeof NAVIGATIONS)[number] {
  if (value !== 'internal' && value !== 'nav2')
    throw new CliError(`--navigation: expected one of ${NAVIGATIONS.join(', ')}, got '${excerpt(value)}'`);
  if (value === 'nav2' && graph !== 'ros2')
    throw new CliError('--navigation nav2 needs --graph ros2 (Nav2 runs on the ROS 2 graph)');
  return value;
}

function graphFlag(value: string) {
  if (!(GRAPHS as readonly string[]).includes(value))
    throw new CliError(`--graph: expected one of ${GRAPHS.join(', ')}, got '${excerpt(value)}'`);
  return parseGraph(value);
}

/** `--params-file FILE`, each time it is given (in order: a later file wins). */
function paramsFiles(files: string[] | undefined): string[] {
  if (files?.includes('')) throw new CliError("--params-file: expected a ROS 2 parameters YAML file, got ''");
  return files ?? [];
}

/** `--base` of run and sim run, its value quoted as an excerpt. */
function baseFlag(value: string) {
  if (!(BASES as readonly string[]).includes(value))
    throw new CliError(`--base: expected one of ${BASES.join(', ')}, got '${excerpt(value)}'`);
  return parseBase(value);
}

/** A message line as long as a person reads; the input it quotes is already an excerpt. */
const MAX_ERROR_LINE = 400;

main(process.argv.slice(2)).then(finish, (error: unknown) => {
  reportThrown(error);
  finish(exitCodeOf(error));
});
// A failure an event emitter or a timer throws outside any command's await (a driver's bug, a
// library's unhandled 'error'): one line as above, and the process ends instead of lingering.
process.on('uncaughtException', (error) => {
  reportThrown(error);
  process.exit(1);
});

/**
 * One line on stderr: what went wrong, as the error says it (control characters shown). An
 * expected error (bad input, a device that is not there) is its message alone; a bug in the
 * program (a TypeError and its kin) adds the stack, so it can be reported.
 */
function reportThrown(error: unknown): void {
  // A message of several lines (every problem of a site file) keeps its lines, each cut to a length a person reads.
  const message = error instanceof Error ? error.message : undefined;
  const lines = message?.includes('\n')
    ? message.split('\n').map((line) => excerpt(line, MAX_ERROR_LINE))
    : [describeThrown(error)];
  for (const line of lines) process.stderr.write(`medhjalparen: ${line}\n`);
  if (isInternal(error) && error.stack) process.stderr.write(`${showControls(error.stack)}\n`);
}

const INTERNAL = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError];

function isInternal(error: unknown): error is Error {
  return INTERNAL.some((kind) => error instanceof kind) && !isUsage(error);
}

/** Options the command does not know, or without their value (node:util parseArgs). */
function isUsage(error: unknown): boolean {
  if (error instanceof CliError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function exitCodeOf(error: unknown): number {
  return isUsage(error) ? 2 : 1;
}

/**
 * Ends with `code` once nothing is left to do. A command closes what it opened, so the process
 * ends by itself; should a port or a timer still hold it (a bug), it ends anyway after a grace
 * period, saying so, rather than hanging an operator's terminal until a signal.
 */
function finish(code: number): void {
  process.exitCode = code;
  const linger = setTimeout(() => {
    process.stderr.write(
      `medhjalparen: still busy ${LINGER_MS / 1000} s after finishing (a port or timer left open); exiting\n`,
    );
    process.exit(code);
  }, LINGER_MS);
  linger.unref();
}

const LINGER_MS = 3000;

/** A whole-number flag within [min, max], or a CliError naming the flag and what was given. */
function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new CliError(`${flag}: expected a whole number ${min}..${max}, got '${excerpt(text)}'`);
  return n;
}
