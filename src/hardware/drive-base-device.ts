/**
 * The drive base as a device a world starts: the board reached over a serial link (a USB cable,
 * a pty, or the emulator's in-process transport), johnny-five on that port, the DriveBase driver
 * and its node. The real robot and the simulator with the real firmware in the loop start it the
 * same way, so the firmware is always driven by the code that drives it on the floor.
 */
import { createRequire } from 'node:module';
import { describeThrown, excerpt } from '../input/index.js';
import type { RosNode } from '../ros/index.js';
import { createDriveBaseNode, type DriveBaseNode, type DriveBaseNodeOptions } from './base-node.js';
import { DriveBase } from './drive-base.js';
import { HardwareError } from './errors.js';
import type { FirmataIO } from './firmata-io.js';
import { closePort, type SerialLink, type SerialPortLike } from './serial-link.js';

/** The firmware the driver speaks to (its Firmata firmware name, PROTOCOL.md §2). */
export const DRIVE_FIRMWARE_NAME = 'medhjalparen-drive';

/** The part of johnny-five's Board used here (the package ships no types). */
export interface FiveBoard {
  io: FirmataIO & { firmware?: { name?: string; version?: { major: number; minor: number } } };
  on(event: 'ready', listener: () => void): void;
  on(event: 'error' | 'fail', listener: (error: unknown) => void): void;
}
const require = createRequire(import.meta.url);
type Five = { Board: new (options: Record<string, unknown>) => FiveBoard };
/** firmata.js's Board (johnny-five's own IO for Arduino-class boards). */
type FirmataBoard = new (
  port: unknown,
  options: Record<string, unknown>,
  ready: (error?: unknown) => void,
) => FirmataIO;
/**
 * Loaded on first use, not with this module: both load an old serialport addon that only one
 * thread of a process may load, and the simulator's worker threads (sim batch) never drive a board.
 */
let five: Five | undefined;
let Firmata: FirmataBoard | undefined;

/**
 * How long firmata.js waits for the board to announce itself before it asks. A board announces
 * itself when it boots, and opening a USB port reboots an Arduino; one behind a pty, or one whose
 * adapter does not reset it, is already running and must be asked. firmata.js's own default (5 s)
 * would lose the race with the driver's 5 s connect timeout on every attempt.
 */
const ASK_FOR_VERSION_AFTER_MS = 1000;

/**
 * johnny-five on an open port, resolved once Firmata is ready (the version, firmware, capability
 * and analog-mapping handshake done). Unmodified johnny-five: the board is only a port to it.
 */
export function connectJohnnyFive(port: unknown): Promise<FiveBoard> {
  const failed = (e: unknown) => (e instanceof Error ? e : new Error(describeThrown(e)));
  return new Promise((resolve, reject) => {
    // firmata.js first, with our version timeout; johnny-five takes it as its IO once it is ready
    // (an IO handed over before then would wait for an 'open' the already open port never sends).
    Firmata ??= require('firmata') as FirmataBoard;
    five ??= require('johnny-five') as Five;
    const Board = five.Board;
    const io = new Firmata(port, { reportVersionTimeout: ASK_FOR_VERSION_AFTER_MS }, (error?: unknown) => {
      if (error) return reject(failed(error));
      const board = new Board({ io, repl: false, debug: false, sigint: false, timeout: 30_000 });
      board.on('ready', () => resolve(board));
      board.on('error', (e) => reject(failed(e)));
      board.on('fail', (e) => reject(failed(e)));
    });
  });
}

/** "name major.minor" of the firmware johnny-five found, or 'unknown'. */
export function firmwareOf(board: FiveBoard): string {
  const fw = board.io.firmware;
  // The name is whatever the board sent: shown, not obeyed, and short.
  return fw?.name ? `${excerpt(fw.name)} ${fw.version?.major ?? '?'}.${fw.version?.minor ?? '?'}` : 'unknown';
}

export interface RunningDriveBase {
  readonly base: DriveBase;
  readonly node: DriveBaseNode;
  /** One last stop, no more reconnecting, the port closed. */
  stop(): void;
}

/**
 * The driver and its node on `node` (named 'drive_base' by the world). The link is opened by the
 * node's reconnecting connection: the first time at once, and again whenever the board is lost.
 */
export function startDriveBase(
  node: RosNode,
  link: SerialLink,
  options: Omit<DriveBaseNodeOptions, 'connect'> = {},
): RunningDriveBase {
  const base = new DriveBase(undefined, { clock: { nowNs: () => node.now().nanoseconds } });
  const connect = async () => (await connectJohnnyFive(await link.open())).io;
  const baseNode = createDriveBaseNode(node, base, { ...options, connect });
  return {
    base,
    node: baseNode,
    stop() {
      baseNode.stop();
      base.detach('detached', { closePort: true });
    },
  };
}

/** A device's start-up check: what it is, or what is wrong with it (one line, naming the device). */
export type ProbeResult = { ok: true; found: string } | { ok: false; problem: string };

/** Bytes of an answer that is not the handshake, quoted in the problem. */
const SHOWN_BYTES = 8;

/**
 * Checks that `link` leads to a board running the drive-base firmware: opens it, waits for the
 * Firmata handshake, reads the firmware's name, and closes it again. Runs before the robot
 * starts, so it times out on the wall clock (an adapter's start-up check, not control code).
 * The problem says what was found: a path that is not a serial device, a device that stayed
 * silent, one that answered something that is not Firmata (its first bytes), another firmware.
 */
export async function probeDriveBase(link: SerialLink, timeoutMs = 8000): Promise<ProbeResult> {
  let port: SerialPortLike;
  try {
    port = await link.open();
  } catch (e) {
    return { ok: false, problem: e instanceof HardwareError ? e.what : `cannot open: ${describeThrown(e)}` };
  }
  const heard = { count: 0, first: [] as number[] };
  const listen = (data: Buffer) => {
    heard.count += data.length;
    if (heard.first.length < SHOWN_BYTES)
      heard.first.push(...data.subarray(0, SHOWN_BYTES - heard.first.length));
  };
  port.on('data', listen);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    // eslint-disable-next-line no-restricted-syntax -- a start-up check, before any node clock runs
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([connectJohnnyFive(port), timeout]);
    if (answer === 'timeout') return { ok: false, problem: noHandshake(heard, timeoutMs) };
    const firmware = firmwareOf(answer);
    if (!firmware.startsWith(`${DRIVE_FIRMWARE_NAME} `)) {
      return {
        ok: false,
        problem: `the board runs ${firmware}, expected the ${DRIVE_FIRMWARE_NAME} firmware (${FLASH_IT})`,
      };
    }
    return { ok: true, found: `firmware ${firmware}` };
  } catch (e) {
    return { ok: false, problem: `the drive base failed its handshake: ${describeThrown(e)}` };
  } finally {
    clearTimeout(timer);
    port.removeListener('data', listen);
    await closePort(port);
  }
}

const FLASH_IT = 'flash firmware-bridge/build/drive.hex onto it';

function noHandshake(heard: { count: number; first: number[] }, timeoutMs: number): string {
  const within = `within ${timeoutMs / 1000} s`;
  if (heard.count === 0) {
    return `the device did not answer: no Firmata handshake ${within} (expected the ${DRIVE_FIRMWARE_NAME} firmware; is this the drive base, powered, and flashed with firmware-bridge/build/drive.hex?)`;
  }
  const bytes = heard.first.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  const more = heard.count > heard.first.length ? ' …' : '';
  return `answered ${heard.count} bytes but no Firmata handshake ${within} (first bytes ${bytes}${more}); expected the ${DRIVE_FIRMWARE_NAME} firmware`;
}
