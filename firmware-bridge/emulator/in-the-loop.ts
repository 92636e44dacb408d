/**
 * The real firmware in the loop: an emulated board whose serial link the robot's own drive-base
 * driver opens (src/hardware's startDriveBase, exactly as on a USB cable), stepped in lockstep
 * with the node clock. A simulator moves its robot by the board's wheel speeds; tests drive the
 * board directly. The glue only provides the board and its link; who starts the driver is the
 * world that has the board (the simulator world), or a test.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SerialLink, SerialPortLike } from '../../src/hardware/index.js';
import { EmulatedBoard, type EmulatedBoardOptions } from './board.js';
import { EmulatorError } from './errors.js';
import type { EmulatedSerialPort } from './serial-port.js';

/** firmware-bridge/ of this package: the firmware's sources, build.sh, and build/ once built. */
const BRIDGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the test command (and `npm run build:firmware`) puts the built firmware. */
export const DEFAULT_HEX = path.join(BRIDGE_DIR, 'build', 'drive.hex');

export interface BoardInTheLoop {
  readonly board: EmulatedBoard;
  /** The board's USB cable as the driver opens it: reopening a closed port resets the board, as DTR does. */
  readonly link: SerialLink;
  /** Runs the board up to `clockNs` on the node clock (emulated time starts at `startNs`). */
  advanceTo(clockNs: bigint): void;
  /** Wheel ground speeds right now, m/s. */
  wheelSpeeds(): { left: number; right: number };
  /** The battery's voltage on the board (its motors' supply, and A0 through the 1:3 divider), V. */
  setBatteryVolts(volts: number): void;
}

export interface BoardInTheLoopOptions {
  hexPath?: string;
  board?: EmulatedBoardOptions;
}

/** The board with the built firmware, its emulated time starting at node time `startNs`. */
export async function boardInTheLoop(
  startNs: bigint,
  options: BoardInTheLoopOptions = {},
): Promise<BoardInTheLoop> {
  const board = await EmulatedBoard.fromHexFile(options.hexPath ?? DEFAULT_HEX, options.board ?? {});
  const link = transportLink(board.transport, 'the emulated drive-base board');
  return {
    board,
    link,
    advanceTo(clockNs) {
      const target = clockNs - startNs;
      if (target > board.nowNs()) board.advanceTo(target);
    },
    wheelSpeeds: () => board.wheelSpeeds(),
    setBatteryVolts: (volts) => board.setBatteryVolts(volts),
  };
}

/**
 * An emulated device's in-process cable as a serial link: opening a closed one plugs it back in
 * and resets the device, as DTR does on a USB adapter.
 */
export function transportLink(transport: EmulatedSerialPort, label: string): SerialLink {
  return {
    label,
    async open() {
      if (!transport.isOpen)
        await new Promise<void>((res, rej) => transport.open((e) => (e ? rej(e) : res())));
      return transport as unknown as SerialPortLike;
    },
  };
}

export interface FirmwareOptions {
  /** The firmware-bridge folder: sources, build.sh, build/. Default this package's. */
  bridgeDir?: string;
  /**
   * Where to build when bridgeDir/build has no current hex: a folder per version of the sources
   * under it. Default $XDG_CACHE_HOME/medhjalparen (~/.cache/medhjalparen).
   */
  cacheDir?: string;
  /** Environment build.sh runs in (its PATH finds the AVR toolchain). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Told, in one line, when the firmware is built now or a stale build is used. */
  note?: (line: string) => void;
}

/**
 * The built drive-base firmware (.hex) for the emulated board, never written into the package
 * at run time (it may be read-only): bridgeDir/build/drive.hex when it is at least as new as its
 * sources (built by `npm test` or `npm run build:firmware`); else one built now into a per-user
 * cache folder named by a hash of the sources; else, when that cannot be built, a stale
 * build/drive.hex with a note; else an EmulatorError (FIRMWARE_NOT_BUILT) saying how to build it.
 */
export async function builtFirmware(options: FirmwareOptions = {}): Promise<string> {
  const bridgeDir = options.bridgeDir ?? BRIDGE_DIR;
  const note = options.note ?? (() => {});
  const packaged = path.join(bridgeDir, 'build', 'drive.hex');
  const sources = await firmwareSources(bridgeDir);
  const packagedAt = await mtimeMs(packaged);
  if (packagedAt !== undefined && packagedAt >= (await newestMtimeMs(sources))) return packaged;

  const cacheRoot = options.cacheDir ?? defaultCacheDir(options.env ?? process.env);
  const out = path.join(cacheRoot, `drive-firmware-${await sourcesHash(bridgeDir, sources)}`);
  const cached = path.join(out, 'drive.hex');
  if ((await mtimeMs(cached)) !== undefined) return cached;
  const why = packagedAt === undefined ? 'is not built' : 'is older than its sources';
  try {
    note(`${packaged} ${why}: building the drive-base firmware into ${out}`);
    await promisify(execFile)('bash', [path.join(bridgeDir, 'build.sh'), '--out', out], {
      env: options.env ?? process.env,
    });
    return cached;
  } catch (e) {
    const reason = buildFailure(e);
    if (packagedAt !== undefined) {
      note(`cannot rebuild the drive-base firmware (${reason}): using ${packaged} as it is`);
      return packaged;
    }
    throw new EmulatorError(
      'FIRMWARE_NOT_BUILT',
      packaged,
      `the drive-base firmware ${why}, and building it into ${out} failed (${reason}); build it with: npm run build:firmware (in ${path.dirname(bridgeDir)})`,
    );
  }
}

function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  // XDG: a relative XDG_CACHE_HOME is invalid and is to be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME ?? os.homedir(), '.cache');
  return path.join(base, 'medhjalparen');
}

/** The files a build reads: every .c and .h under firmware/, and build.sh itself. */
async function firmwareSources(bridgeDir: string): Promise<string[]> {
  const entries = await readdir(path.join(bridgeDir, 'firmware'), { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && /\.[ch]$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
  return [...files.sort(), path.join(bridgeDir, 'build.sh')];
}

async function mtimeMs(file: string): Promise<number | undefined> {
  return stat(file).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

async function newestMtimeMs(files: readonly string[]): Promise<number> {
  const times = await Promise.all(files.map(async (f) => (await mtimeMs(f)) ?? Infinity));
  return Math.max(...times);
}

/** A short hash of the sources' names and contents: one cache folder per version of the firmware. */
async function sourcesHash(bridgeDir: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    hash
      .update(path.basename(file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** build.sh's own last line on stderr (it says what is missing), else how it failed. */
function buildFailure(e: unknown): string {
  const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
  const last = stderr.split('\n').at(-1);
  if (last) return last;
  return e instanceof Error ? e.message : String(e);
}
