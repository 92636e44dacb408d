/**
 * The command line. This is an adapter: it may read the wall clock (to pace --realtime runs and
 * to time them), which control code never does.
 */
import { parseArgs } from 'node:util';
import { runBaseCommand } from './cli/base-command.js';
import { DETECT_USAGE, parseDetectArgs, runDetectCommand } from './cli/detect-command.js';
import { DETECTOR_FLAGS, detectorChoiceError, detectorChoiceFromFlags } from './cli/detector-option.js';
import { parseBase } from './cli/drive-base-option.js';
import { runMainJob } from './cli/main-job.js';
import { runMapCheckCommand } from './cli/map-command.js';
import { runSimCommand } from './cli/sim-command.js';

const USAGE = `medhjalparen — the guide robot's controller

usage:
  medhjalparen run [--site DIR] [--seed N] [--fast] [--duration S] [--base ideal|emulated] [--log-level L]
      [--camera <image|video|/dev/videoN> [--model front|back|path.onnx [--yolo-layout v5|v8 …]]]
      the controller on the simulated floor, in real time, with customers arriving (Ctrl-C stops);
      --camera: a real rear camera in the loop: its face detections (BlazeFace front by default)
      replace the simulator's camera model, in real time (not with --fast); the summary gives
      the detector's counts
  medhjalparen sim run <scenario.yaml>... [--report out.json] [--realtime] [--verbose] [--base B] [--log-level L]
      run scenarios; prints a summary, writes a JSON report, exits 1 when an expectation fails

  --base emulated: the real drive-base firmware on an emulated ATmega328P drives the wheels
  (through johnny-five and the drive-base driver) instead of the ideal simulated base.

  --log-level: the nodes' structured logs (JSON lines on stderr): fatal, error, warn (default),
  info, debug, trace or silent. Logs never hold what customers say.
  medhjalparen map check <site-dir>
      validate a site: files, map image, poses, reachability, names in fi/sv/en
  medhjalparen base (--port /dev/ttyUSB0 | --emulate [--pty]) [--script "v,w,s;…"]
      the drive base alone: connect, live telemetry, keyboard driving with a deadman, LEDs;
      --emulate runs the real firmware on an emulated ATmega328P (--pty: behind a real pty)
${DETECT_USAGE.replace(/^usage: /, '  ')}
`;

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'run')
    return runMainJob(parseRunArgs([sub, ...rest].filter((a): a is string => a !== undefined)));
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
      },
    });
    if (positionals.length === 0) return usageError('sim run needs at least one scenario file');
    return runSimCommand(positionals, {
      realtime: values.realtime,
      verbose: values.verbose,
      logLevel: values['log-level'],
      base: parseBase(values.base),
      ...(values.report ? { report: values.report } : {}),
    });
  }
  if (command === 'base') {
    const { values } = parseArgs({
      args: [sub, ...rest].filter((a): a is string => a !== undefined),
      options: {
        port: { type: 'string' },
        emulate: { type: 'boolean', default: false },
        pty: { type: 'boolean', default: false },
        script: { type: 'string' },
        'log-level': { type: 'string', default: 'warn' },
      },
    });
    return runBaseCommand({
      emulate: values.emulate,
      pty: values.pty,
      logLevel: values['log-level'],
      ...(values.port ? { port: values.port } : {}),
      ...(values.script ? { script: values.script } : {}),
    });
  }
  if (command === 'detect') {
    const args = parseDetectArgs([sub, ...rest].filter((a): a is string => a !== undefined));
    return typeof args === 'string' ? usageError(args) : runDetectCommand(args);
  }
  if (command === 'map' && sub === 'check') {
    if (rest.length !== 1) return usageError('map check needs exactly one site folder');
    return runMapCheckCommand(rest[0]!);
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  return usageError(`unknown command '${[command, sub].filter(Boolean).join(' ')}'`);
}

function parseRunArgs(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      site: { type: 'string', default: 'maps/iso-omena' },
      seed: { type: 'string', default: '1' },
      fast: { type: 'boolean', default: false },
      duration: { type: 'string' },
      'log-level': { type: 'string', default: 'warn' },
      base: { type: 'string', default: 'ideal' },
      camera: { type: 'string' },
      ...DETECTOR_FLAGS,
    },
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new CliError(`--seed: expected a whole number, got '${values.seed}'`);
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) {
    throw new CliError(`--duration: expected seconds > 0, got '${values.duration}'`);
  }
  return {
    site: values.site,
    seed,
    realtime: !values.fast,
    logLevel: values['log-level'],
    base: parseBase(values.base),
    ...(duration ? { durationS: duration } : {}),
    ...parseCameraArgs(values),
  };
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`medhjalparen: ${message}\n`);
    process.exitCode = error instanceof CliError ? 2 : 1;
  },
);
