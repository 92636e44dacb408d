/**
 * A fuzzer of command lines (issue 10): every command and its flags, with the values a careless
 * or hostile person types (Infinity, 1e309, -0, NaN, huge strings, control characters, /dev/zero,
 * a FIFO, a folder, a missing file). Each command line runs as a real process under a time bound
 * and its peak memory is measured against the same kind of command line with valid values (the
 * main job with a camera needs more than `help`); each must succeed or exit non-zero with an
 * error line naming what it was given: never a stack trace, never `[object Object]`, never a hang.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showControls } from '../../src/input/index.js';
import { baselineRssMb, runCliBounded, type BoundedRun } from '../support/bounded-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-argv-'));
const FIFO = path.join(dir, 'fifo');
execFileSync('mkfifo', [FIFO]);
const TEXT = path.join(dir, 'notes.txt');
writeFileSync(TEXT, 'not a site, not an image, not a device\n');
/** A scenario that runs in a few seconds even in real time (one customer, a 5 s limit). */
const SCENARIO = path.join(dir, 'tiny.yaml');
writeFileSync(
  SCENARIO,
  `site: ${path.join(ROOT, 'maps', 'iso-omena')}\nseed: 1\ntime_limit: 5\ncustomers:\n  - ask: Kela\n`,
);
const BAD_SCENARIO = path.join(dir, 'bad.yaml');
writeFileSync(BAD_SCENARIO, 'site: .\nseed: .inf\n');

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const STACK_FRAME = /^\s+at .+[:(]\d+:\d+\)?$/m;
/** A valid camera for the main job (a 640 × 480 video with a face). */
const CAMERA_VIDEO = path.join(ROOT, 'test', 'fixtures', 'face-pan.mp4');
/** What a hostile value may add to the same command line's valid peak memory, MB. */
const GROWTH_MB = 200;
/** Each case ends within this, or it hung. */
const BOUND_MS = 45_000;
const CASES = 120;
const PARALLEL = 2;

/** What anyone may type anywhere. */
const HOSTILE = [
  'Infinity',
  '1e309',
  '-0',
  'NaN',
  '-1',
  '1e9',
  '',
  ' ',
  'x'.repeat(100_000),
  'Kela\u001b[2J\u0007\u001b]0;owned\u0007',
  '/dev/zero',
  FIFO,
  dir,
  path.join(dir, 'missing'),
  TEXT,
] as const;
/** Paths that are not what a command wants: a device, a FIFO, a folder, a missing or wrong file. */
const BAD_PATHS = [
  '/dev/zero',
  FIFO,
  dir,
  path.join(dir, 'missing'),
  TEXT,
  'x'.repeat(100_000),
  'a\u001b[31mb',
];

const hostile = fc.constantFrom(...HOSTILE);
const pathArg = (...extra: string[]) => fc.constantFrom(...BAD_PATHS, ...extra);

/** `--flag value` or `--flag=value` (a value starting with '-' needs the second to be a value at all). */
function flag(name: string, value: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc.tuple(value, fc.boolean()).map(([v, joined]) => (joined ? [`--${name}=${v}`] : [`--${name}`, v]));
}

/** Some of `flags`, in any order. */
function someOf(...flags: Array<fc.Arbitrary<string[]>>): fc.Arbitrary<string[]> {
  return fc
    .tuple(...flags.map((f) => fc.option(f, { freq: 2 })))
    .chain((present) => fc.shuffledSubarray(present.filter((p): p is string[] => p !== null)))
    .map((chosen) => chosen.flat());
}

function commandLines(): fc.Arbitrary<string[]> {
  // The main job on the simulator: its duration is always given (a valid one is short), so a
  // valid command line ends by itself.
  const run = fc
    .tuple(
      flag(
        'duration',
        fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 2, arbitrary: fc.constantFrom('2', '0.5') }),
      ),
      someOf(
        fc.constant(['--fast']),
        flag('seed', fc.constantFrom(...HOSTILE, '7', '4294967296')),
        flag('site', pathArg(path.join(ROOT, 'maps', 'iso-omena'))),
        flag('base', fc.constantFrom(...HOSTILE, 'ideal')),
        flag('log-level', fc.constantFrom(...HOSTILE, 'silent', 'info')),
        flag('world', fc.constantFrom(...HOSTILE, 'moon')),
        flag('lidar', hostile),
        flag(
          'camera',
          fc.constantFrom('/dev/zero', FIFO, dir, path.join(dir, 'missing'), TEXT, 'x'.repeat(100_000)),
        ),
        flag('model', fc.constantFrom(...HOSTILE, 'front')),
      ),
    )
    .map(([d, rest]) => ['run', ...d, ...rest]);
  const hardware = fc
    .tuple(
      flag('base', pathArg('/dev/null')),
      flag('lidar', pathArg('/dev/null')),
      someOf(flag('duration', hostile), flag('seed', hostile), flag('site', pathArg())),
    )
    .map(([b, l, rest]) => ['run', '--world', 'hardware', ...b, ...l, ...rest]);
  const simRun = fc
    .tuple(
      fc.array(pathArg(SCENARIO, BAD_SCENARIO), { minLength: 0, maxLength: 3 }),
      someOf(
        flag('report', pathArg(SCENARIO, '/dev/null', path.join(dir, 'report.json'))),
        flag('base', fc.constantFrom(...HOSTILE, 'ideal')),
        flag('log-level', fc.constantFrom(...HOSTILE, 'silent')),
        fc.constant(['--realtime']),
        fc.constant(['--verbose']),
        flag('unknown-flag', hostile),
      ),
    )
    .map(([files, rest]) => ['sim', 'run', ...files, ...rest]);
  // A valid twin serves until Ctrl-C: one of its values is always hostile.
  const twin = fc
    .oneof(
      fc.tuple(flag('seed', hostile), fc.option(flag('site', pathArg()))),
      fc.tuple(flag('site', pathArg()), fc.option(flag('seed', fc.constantFrom(...HOSTILE, '3')))),
    )
    .map(([a, b]) => ['sim', 'twin', ...a, ...(b ?? [])]);
  const mapCheck = fc
    .array(pathArg(path.join(ROOT, 'maps', 'iso-omena')), { minLength: 0, maxLength: 2 })
    .map((paths) => ['map', 'check', ...paths]);
  const base = fc
    .tuple(
      flag('port', fc.constantFrom(...BAD_PATHS, '/dev/null', '/nonexistent')),
      someOf(flag('script', hostile), flag('log-level', hostile)),
    )
    .map(([p, rest]) => ['base', ...p, ...rest]);
  // The emulated board serves until Ctrl-C: its --link is always hostile (a folder, a device, a
  // missing folder's child, a huge name, control characters), or --emulate is missing.
  const board = fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(['--emulate']) },
        { weight: 1, arbitrary: fc.constant([] as string[]) },
      ),
      flag(
        'link',
        fc.constantFrom(
          dir,
          '/dev/zero',
          path.join(dir, 'missing', 'board'),
          'x'.repeat(100_000),
          'a\u001b[31mb/c',
        ),
      ),
      someOf(flag('log-level', fc.constantFrom(...HOSTILE, 'silent'))),
    )
    .chain(([emulate, link, rest]) => fc.shuffledSubarray([emulate, link, rest], { minLength: 3 }))
    .map((parts) => ['board', ...parts.flat()]);
  const detect = fc
    .tuple(
      fc.constantFrom(
        '/dev/zero',
        FIFO,
        dir,
        path.join(dir, 'missing'),
        TEXT,
        'x'.repeat(100_000),
        'a\u001b[31mb.png',
      ),
      someOf(flag('max-frames', hostile), flag('score-threshold', hostile), flag('model', hostile)),
    )
    .map(([input, rest]) => ['detect', input, ...rest]);
  const unknown = fc
    .tuple(
      fc.oneof(hostile, fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })),
      fc.array(hostile, { maxLength: 2 }),
    )
    .filter(
      ([command]) =>
        !['run', 'sim', 'map', 'base', 'board', 'detect', 'help', '--help', '-h', ''].includes(command),
    )
    .map(([command, rest]) => [command, ...rest]);
  return fc.oneof(run, run, hardware, simRun, simRun, twin, mapCheck, base, board, detect, unknown);
}

/** Something of the command line the output names: a flag, a value (as printed), the command. */
function namesItsInput(args: string[], r: BoundedRun): boolean {
  const said = r.stdout + r.stderr;
  return args.some((a) => {
    const [name, value] = a.startsWith('--') ? a.split('=', 2) : [a, undefined];
    const shown = (s: string) => showControls(s).slice(0, 30);
    return (
      (name !== '' && said.includes(shown(name!))) ||
      (value !== undefined && value !== '' && said.includes(shown(value)))
    );
  });
}

async function pool<T, R>(items: T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}

// The scratch folder (its FIFO, files and reports) goes with the run.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a fuzzer of command lines', () => {
  // What each kind of command line costs when every value is valid. A hostile value may add at
  // most GROWTH_MB to it: memory the input itself made the program take.
  let baseline = NaN;
  let runBaseline = NaN;
  let cameraRunBaseline = NaN;
  beforeAll(async () => {
    baseline = await baselineRssMb();
    const valid = (extra: string[]) =>
      runCliBounded(['run', '--duration', '0.5', '--listen', '127.0.0.1:0', ...extra], {
        timeoutMs: BOUND_MS,
        cwd: dir,
      });
    const [run, cameraRun] = [await valid([]), await valid(['--camera', CAMERA_VIDEO])];
    for (const r of [run, cameraRun]) expect(r.code, r.stderr).toBe(0);
    [runBaseline, cameraRunBaseline] = [run.peakRssMb, cameraRun.peakRssMb];
  }, 2 * BOUND_MS);

  /** The valid run `args` is measured against: `help`, the main job, or the main job with a camera. */
  const baselineOf = (args: string[]): number =>
    args[0] !== 'run'
      ? baseline
      : args.some((a) => a.startsWith('--camera'))
        ? cameraRunBaseline
        : runBaseline;

  it('ends every generated command line in time and memory, with success or an error naming its input', async () => {
    const lines = fc.sample(commandLines(), { numRuns: CASES });
    const runs = await pool(lines, PARALLEL, async (args) => ({
      args,
      r: await runCliBounded(args, { timeoutMs: BOUND_MS, cwd: dir }),
    }));
    const problems: string[] = [];
    for (const { args, r } of runs) {
      const shown = args.map((a) => JSON.stringify(showControls(a).slice(0, 40))).join(' ');
      const say = (what: string) =>
        problems.push(`${shown}: ${what}\n  ${(r.stderr || r.stdout).slice(0, 300)}`);
      if (r.timedOut) say(`no end within ${BOUND_MS} ms`);
      else if (!(r.peakRssMb - baselineOf(args) < GROWTH_MB))
        say(`peak memory ${r.peakRssMb.toFixed(0)} MB, valid baseline ${baselineOf(args).toFixed(0)} MB`);
      else if (r.code !== 0 && !namesItsInput(args, r)) say(`exit ${r.code} without naming its input`);
      if (STACK_FRAME.test(r.stderr)) say('a stack trace');
      if ((r.stdout + r.stderr).includes('[object Object]')) say('[object Object]');
      if (RAW_CONTROL.test(r.stdout + r.stderr)) say('raw control characters on the terminal');
    }
    const worstMs = Math.max(...runs.map(({ r }) => r.wallMs));
    const worstMb = Math.max(...runs.map(({ args, r }) => r.peakRssMb - baselineOf(args)));
    const succeeded = runs.filter(({ r }) => r.code === 0).length;
    console.log(
      `argv fuzzer: ${runs.length} command lines (${succeeded} succeeded, ${runs.length - succeeded} refused), worst ${(worstMs / 1000).toFixed(1)} s, worst memory growth ${worstMb.toFixed(0)} MB over its valid baseline (help ${baseline.toFixed(0)} MB, run ${runBaseline.toFixed(0)} MB, run with a camera ${cameraRunBaseline.toFixed(0)} MB)`,
    );
    expect(problems).toEqual([]);
  }, 600_000);
});
