/**
 * Issue 10, devices: what an operator gives the command line instead of a serial device — nothing
 * there, an ordinary file, a directory, a FIFO, /dev/null, a device that stays silent, one that
 * answers noise, a board whose firmware name carries terminal escapes — through the real CLI in
 * its own process (runCliBounded: a time bound, peak memory measured). Each ends promptly with
 * non-zero status and one line per device naming the flag and path, what was expected and what
 * was found. Every command runs from a working directory outside the repository: files of the
 * package are found from the package, paths typed resolve from the working directory.
 *
 * Needs socat (scripts/ensure-system-deps.sh) for the pty cases, and the AVR toolchain to build
 * the firmware (built here, at test time, as npm test does).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineRssMb, runCliBounded, type BoundedRun } from '../support/bounded-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Temporary folders made here, removed at the end. */
const temporary: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** A working directory outside the repository, holding the wrong things to give as devices. */
const CWD = tempDir('medhjalparen-cwd-');
const EXPECTED = 'expected a serial device such as /dev/ttyUSB0 or /dev/ttyACM0';
const NO_SUCH = `no such device; ${EXPECTED} (ls /dev/serial/by-id lists the USB serial devices plugged in)`;
const NOT_SERIAL = (found: string) => `not a serial device: found ${found}; ${EXPECTED}`;
const SILENT_BASE =
  'the device did not answer: no Firmata handshake within 8 s (expected the medhjalparen-drive firmware; is this the drive base, powered, and flashed with firmware-bridge/build/drive.hex?)';
const SILENT_LIDAR =
  'no answer to GET_INFO within 1000 ms (expected an RPLIDAR response descriptor A5 5A 14 00 00 00 04)';
/** Drive this if it were the base (the tests have no terminal to drive from). */
const SCRIPT = ['--script', '0.1,0,0.5'];
const NOTHING_STARTED = 'run: a device failed its check; nothing was started\n';
/** Every case ends well within this (the slowest waits 8 s for a silent board); a bound, not a claim. */
const BOUND_MS = 60_000;
/**
 * A whole robot's run counts too: AMCL's likelihood field and the people detector's map mask add
 * about 45 MB on the 2-million-cell sample map (259 → 302 MB peak, `run --fast --duration 120`).
 */
const RSS_GROWTH_MB = 250;

let baselineMb: number;
const worst = { wallMs: 0, wallCase: '', rssGrowthMb: 0, rssCase: '', cases: 0 };

beforeAll(async () => {
  writeFileSync(path.join(CWD, 'notes.txt'), 'not a device\n');
  mkdirSync(path.join(CWD, 'folder'));
  await promisify(execFile)('mkfifo', [path.join(CWD, 'fifo')]);
  await promisify(execFile)('bash', [path.join(ROOT, 'firmware-bridge', 'build.sh')]);
  baselineMb = await baselineRssMb();
}, 120_000);

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  console.info(
    `hostile devices: ${worst.cases} CLI runs; worst wall time ${(worst.wallMs / 1000).toFixed(1)} s (${worst.wallCase}); ` +
      `worst peak RSS growth ${worst.rssGrowthMb.toFixed(1)} MB over ${baselineMb.toFixed(1)} MB (${worst.rssCase})`,
  );
});

/** The CLI from the outside working directory, bounded; checks it ended by itself within memory. */
async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<BoundedRun> {
  const r = await runCliBounded(args, { cwd: CWD, timeoutMs: BOUND_MS, env });
  expect(r.timedOut, `still running after ${BOUND_MS / 1000} s: ${args.join(' ')}\n${r.stderr}`).toBe(false);
  const growth = r.peakRssMb - baselineMb;
  expect(growth).toBeLessThan(RSS_GROWTH_MB);
  worst.cases++;
  const name = args.join(' ');
  if (r.wallMs > worst.wallMs) Object.assign(worst, { wallMs: r.wallMs, wallCase: name });
  if (growth > worst.rssGrowthMb) Object.assign(worst, { rssGrowthMb: growth, rssCase: name });
  return r;
}

/** A linked pty pair (socat): the CLI opens `host`; the test plays the device on `device`. */
async function ptyPair(): Promise<{ host: string; device: SerialPort; close(): Promise<void> }> {
  const dir = tempDir('hostile-pty-');
  const host = path.join(dir, 'host');
  const end = path.join(dir, 'device');
  const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${end}`]);
  const failed = new Promise<never>((_, reject) =>
    socat.on('error', (e) => reject(new Error(`socat: ${e.message} (install it: apt-get install socat)`))),
  );
  const linked = (async () => {
    for (let waited = 0; !(existsSync(host) && existsSync(end)); waited += 20) {
      if (waited > 10_000) throw new Error('socat made no ptys within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.race([linked, failed]);
  const device = new SerialPort({ path: end, baudRate: 115200 });
  await new Promise<void>((resolve, reject) => device.on('open', resolve).on('error', reject));
  return {
    host,
    device,
    async close() {
      if (device.isOpen) await new Promise((r) => device.close(r));
      socat.kill();
    },
  };
}

/**
 * A Firmata board that completes the handshake under `name`: answers the version, firmware,
 * capability and analog-mapping queries (one pin, no modes), as firmata.js asks them.
 */
function playFirmataBoard(device: SerialPort, name: string): void {
  const firmware = [
    0xf0,
    0x79,
    2,
    5,
    ...[...name].flatMap((c) => [c.charCodeAt(0) & 0x7f, c.charCodeAt(0) >> 7]),
    0xf7,
  ];
  const answers: Array<[number[], number[]]> = [
    [[0xf0, 0x79, 0xf7], firmware],
    [
      [0xf0, 0x6b, 0xf7],
      [0xf0, 0x6c, 0x7f, 0xf7],
    ],
    [
      [0xf0, 0x69, 0xf7],
      [0xf0, 0x6a, 0x7f, 0xf7],
    ],
  ];
  let heard: number[] = [];
  device.on('data', (data: Buffer) => {
    for (const b of data) {
      if (b === 0xf9 && heard.length === 0) {
        device.write([0xf9, 2, 5]); // REPORT_VERSION asked: 2.5
        continue;
      }
      heard.push(b);
      for (const [query, answer] of answers) {
        if (heard.length === query.length && heard.every((x, i) => x === query[i])) {
          device.write(answer);
          heard = [];
        }
      }
      if (b === 0xf7 || heard.length > 8) heard = [];
    }
  });
}

/** Device paths from the outside working directory: typed relative, they resolve from it. */
const WRONG_THINGS: ReadonlyArray<{ what: string; path: string; base: string; lidar: string }> = [
  { what: 'a path with nothing there', path: '/dev/medhjalparen-absent', base: NO_SUCH, lidar: NO_SUCH },
  {
    what: 'an ordinary file',
    path: 'notes.txt',
    base: NOT_SERIAL('an ordinary file'),
    lidar: NOT_SERIAL('an ordinary file'),
  },
  { what: 'a directory', path: 'folder', base: NOT_SERIAL('a directory'), lidar: NOT_SERIAL('a directory') },
  {
    what: 'a FIFO',
    path: 'fifo',
    base: NOT_SERIAL('a FIFO (named pipe)'),
    lidar: NOT_SERIAL('a FIFO (named pipe)'),
  },
  {
    what: '/dev/null',
    path: '/dev/null',
    base: NOT_SERIAL('a character device that takes no serial settings (ENOTTY)'),
    lidar: NOT_SERIAL('a character device that takes no serial settings (ENOTTY)'),
  },
];

describe.concurrent('base --port given something that is not the drive base', () => {
  for (const wrong of WRONG_THINGS) {
    it(`names ${wrong.what}, exits 1, and leaves nothing running`, async ({ expect }) => {
      const r = await cli(['base', '--port', wrong.path, ...SCRIPT]);
      expect(r.stdout).toBe(
        `connecting to --port ${wrong.path} …\nerror: --port ${wrong.path}: ${wrong.base}\n`,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    });
  }

  it('shows control characters in the path it names instead of sending them to the terminal', async ({
    expect,
  }) => {
    const r = await cli(['base', '--port', 'ttyUSB\u001b[2J\u0007', ...SCRIPT]);
    expect(r.stdout).toBe(
      `connecting to --port ttyUSB\\x1b[2J\\x07 …\nerror: --port ttyUSB\\x1b[2J\\x07: ${NO_SUCH}\n`,
    );
    expect(r.code).toBe(1);
  });

  it('names a device that stays silent, after waiting for it a bounded time', async ({ expect }) => {
    const pty = await ptyPair();
    try {
      const r = await cli(['base', '--port', pty.host, ...SCRIPT]);
      expect(r.stdout).toBe(
        `connecting to --port ${pty.host} …\nerror: --port ${pty.host}: ${SILENT_BASE}\n`,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    } finally {
      await pty.close();
    }
  });

  it('names a device another program holds open', async ({ expect }) => {
    const pty = await ptyPair();
    const holder = new SerialPort({ path: pty.host, baudRate: 115200 });
    await new Promise<void>((resolve, reject) => holder.on('open', resolve).on('error', reject));
    try {
      const r = await cli(['base', '--port', pty.host, ...SCRIPT]);
      expect(r.stdout).toBe(
        `connecting to --port ${pty.host} …\nerror: --port ${pty.host}: busy (EAGAIN): another program has it open\n`,
      );
      expect(r.code).toBe(1);
    } finally {
      await new Promise((r) => holder.close(r));
      await pty.close();
    }
  });

  it('names a device that answers noise, with the bytes it sent shown safely', async ({ expect }) => {
    const pty = await ptyPair();
    const noise = setInterval(() => pty.device.write(Buffer.from('hello\u001b[2Jworld')), 100);
    try {
      const r = await cli(['base', '--port', pty.host, ...SCRIPT]);
      expect(r.stdout).toMatch(
        new RegExp(
          `^connecting to --port ${pty.host} …\nerror: --port ${pty.host}: answered \\d+ bytes but no Firmata handshake within 8 s \\(first bytes 68 65 6C 6C 6F 1B 5B 32 …\\); expected the medhjalparen-drive firmware\n$`,
        ),
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    } finally {
      clearInterval(noise);
      await pty.close();
    }
  });

  it('names a board running other firmware, its name shown with control characters escaped', async ({
    expect,
  }) => {
    const pty = await ptyPair();
    playFirmataBoard(pty.device, 'Evil\u001b[2J\u001b]0;pwned\u0007Firmata');
    try {
      const r = await cli(['base', '--port', pty.host, ...SCRIPT]);
      expect(r.stdout).toBe(
        `connecting to --port ${pty.host} …\n` +
          `error: --port ${pty.host}: the board runs Evil\\x1b[2J\\x1b]0;pwned\\x07Firmata 2.5, expected the medhjalparen-drive firmware (flash firmware-bridge/build/drive.hex onto it)\n`,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    } finally {
      await pty.close();
    }
  });
});

describe.concurrent('run --world hardware given something that is not the robot', () => {
  for (const wrong of WRONG_THINGS) {
    it(`names ${wrong.what} for each device, starts nothing and exits 1`, async ({ expect }) => {
      const r = await cli(['run', '--world', 'hardware', '--base', wrong.path, '--lidar', wrong.path]);
      expect(r.stdout).toBe(
        `error: --base ${wrong.path}: ${wrong.base}\nerror: --lidar ${wrong.path}: ${wrong.lidar}\n`,
      );
      expect(r.stderr).toBe(NOTHING_STARTED);
      expect(r.code).toBe(1);
    });
  }

  it('names devices that stay silent, each as what it was asked to be', async ({ expect }) => {
    const [base, lidar] = [await ptyPair(), await ptyPair()];
    try {
      const r = await cli(['run', '--world', 'hardware', '--base', base.host, '--lidar', lidar.host]);
      expect(r.stdout).toBe(
        `error: --base ${base.host}: ${SILENT_BASE}\nerror: --lidar ${lidar.host}: ${SILENT_LIDAR}\n`,
      );
      expect(r.stderr).toBe(NOTHING_STARTED);
      expect(r.code).toBe(1);
    } finally {
      await Promise.all([base.close(), lidar.close()]);
    }
  });
});

describe.concurrent('the command line reports any failure in one line', () => {
  it('refuses an unknown option as a usage error (exit 2), without a stack trace', async ({ expect }) => {
    const r = await cli(['base', '--prot', '/dev/ttyUSB0']);
    expect(r.stderr).toBe("medhjalparen: Unknown option '--prot'\n");
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('refuses base without a device, or with two, as usage errors', async ({ expect }) => {
    for (const args of [['base'], ['base', '--emulate', '--port', '/dev/null']]) {
      const r = await cli(args);
      expect(r.stderr).toBe('medhjalparen: base needs exactly one of --port PATH or --emulate\n');
      expect(r.code).toBe(2);
    }
    const empty = await cli(['base', '--port=']);
    expect(empty.stderr).toBe("medhjalparen: --port: expected the path of a serial device, got ''\n");
    expect(empty.code).toBe(2);
  });

  it('refuses a bad flag of the emulated base before the emulator starts, so the process ends at once', async ({
    expect,
  }) => {
    const r = await cli(['base', '--emulate', '--script', '0,0,1', '--log-level', 'loud']);
    expect(r.stderr).toBe(
      "medhjalparen: --log-level: expected one of fatal, error, warn, info, debug, trace, silent, got 'loud'\n",
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
  });
});

describe('commands work from a working directory outside the repository', () => {
  it('base --emulate drives the real firmware, taking the built firmware and writing nothing', async () => {
    const cache = tempDir('medhjalparen-cache-');
    const hex = path.join(ROOT, 'firmware-bridge', 'build', 'drive.hex');
    const builtAt = statSync(hex).mtimeMs;
    const r = await cli(['base', '--emulate', '--script', '0.2,0,1'], { XDG_CACHE_HOME: cache });
    expect(r.stdout).toMatch(
      /^connecting to the emulated board \(in-process\) …\nfound: the emulated board \(in-process\): firmware medhjalparen-drive 2\.5\nconnected: the emulated board \(in-process\)\nwheels L 0\.\d\d R 0\.\d\d m\/s/,
    );
    expect(r.code).toBe(0);
    expect(readdirSync(cache)).toEqual([]);
    expect(statSync(hex).mtimeMs).toBe(builtAt);
    expect(readdirSync(CWD).sort()).toEqual(['fifo', 'folder', 'notes.txt']);
  });

  it('run --fast finds the default site, with the ideal base and with the emulated firmware', async () => {
    const cache = tempDir('medhjalparen-cache-');
    for (const base of ['ideal', 'emulated']) {
      const r = await cli(['run', '--fast', '--duration', '5', '--base', base, '--log-level', 'error'], {
        XDG_CACHE_HOME: cache,
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(readdirSync(cache)).toEqual([]);
  });

  it('map check resolves the folder typed from the working directory', async () => {
    symlinkSync(path.join(ROOT, 'maps', 'iso-omena'), path.join(CWD, 'my-site'));
    try {
      const r = await cli(['map', 'check', 'my-site']);
      expect(r.stdout).toMatch(/^my-site: OK, site "iso-omena"/);
      expect(r.code).toBe(0);
      const missing = await cli(['map', 'check', 'maps/iso-omena']);
      expect(missing.stdout + missing.stderr).toContain(path.join('maps', 'iso-omena', 'site.yaml'));
      expect(missing.code).toBe(1);
    } finally {
      await promisify(execFile)('rm', [path.join(CWD, 'my-site')]);
    }
  });

  it('sim twin starts on the default site with the built firmware, and Ctrl-C stops it', async () => {
    const cache = tempDir('medhjalparen-cache-');
    const twin = spawn(process.execPath, [path.join(ROOT, 'bin', 'medhjalparen.js'), 'sim', 'twin'], {
      cwd: CWD,
      env: { ...process.env, XDG_CACHE_HOME: cache },
    });
    let out = '';
    twin.stdout.on('data', (b: Buffer) => (out += b.toString()));
    twin.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => twin.on('exit', (code) => resolve(code)));
    try {
      for (let waited = 0; !out.includes('Ctrl-C stops the twin.'); waited += 100) {
        if (waited > BOUND_MS) throw new Error(`sim twin did not start within ${BOUND_MS / 1000} s:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // The command it suggests names the site by its absolute path: it works from any directory.
      expect(out).toContain(`--site ${path.join(ROOT, 'maps', 'iso-omena')} --base `);
      expect(out).toMatch(/drive base \(the real firmware on an emulated ATmega328P\): \S+\n/);
      twin.kill('SIGINT');
      const bound = new Promise<'still running'>((r) => setTimeout(() => r('still running'), BOUND_MS));
      expect(await Promise.race([exited, bound])).toBe(0);
      expect(out).toMatch(/twin stopped\n$/);
      expect(readdirSync(cache)).toEqual([]);
    } finally {
      // On a failure above, still stop it by Ctrl-C first: SIGKILL would leave its socat behind.
      if (twin.exitCode === null) {
        twin.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        twin.kill('SIGKILL');
      }
    }
  });
});
