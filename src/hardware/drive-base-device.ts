/**
 * The drive base as a device a world starts: the board reached over a serial link (a USB cable,
 * a pty, or the emulator's in-process transport), johnny-five on that port, the DriveBase driver
 * and its node. The real robot and the simulator with the real firmware in the loop start it the
 * same way, so the firmware is always driven by the code that drives it on the floor.
 */
import { createRequire } from 'node:module';
import type { RosNode } from '../ros/index.js';
import { createDriveBaseNode, type DriveBaseNode, type DriveBaseNodeOptions } from './base-node.js';
import { DriveBase } from './drive-base.js';
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
const five = require('johnny-five') as { Board: new (options: Record<string, unknown>) => FiveBoard };
/** firmata.js's Board (johnny-five's own IO for Arduino-class boards). */
const Firmata = require('firmata') as new (
  port: unknown,
  options: Record<string, unknown>,
  ready: (error?: unknown) => void,
) => FirmataIO;

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
  const failed = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
  return new Promise((resolve, reject) => {
    // firmata.js first, with our version timeout; johnny-five takes it as its IO once it is ready
    // (an IO handed over before then would wait for an 'open' the already open port never sends).
    const io = new Firmata(port, { reportVersionTimeout: ASK_FOR_VERSION_AFTER_MS }, (error?: unknown) => {
      if (error) return reject(failed(error));
      const board = new five.Board({ io, repl: false, debug: false, sigint: false, timeout: 30_000 });
      board.on('ready', () => resolve(board));
      board.on('error', (e) => reject(failed(e)));
      board.on('fail', (e) => reject(failed(e)));
    });
  });
}

/** "name major.minor" of the firmware johnny-five found, or 'unknown'. */
export function firmwareOf(board: FiveBoard): string {
  const fw = board.io.firmware;
  return fw?.name ? `${fw.name} ${fw.version?.major ?? '?'}.${fw.version?.minor ?? '?'}` : 'unknown';
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

/**
 * Checks that `link` leads to a board running the drive-base firmware: opens it, waits for the
 * Firmata handshake, reads the firmware's name, and closes it again. Runs before the robot
 * starts, so it times out on the wall clock (an adapter's start-up check, not control code).
 */
export async function probeDriveBase(link: SerialLink, timeoutMs = 8000): Promise<ProbeResult> {
  let port: SerialPortLike;
  try {
    port = await link.open();
  } catch (e) {
    return {
      ok: false,
      problem: `cannot open the drive base's port: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    // eslint-disable-next-line no-restricted-syntax -- a start-up check, before any node clock runs
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([connectJohnnyFive(port), timeout]);
    if (answer === 'timeout') {
      return {
        ok: false,
        problem: `no Firmata handshake within ${timeoutMs} ms (expected the ${DRIVE_FIRMWARE_NAME} firmware; is the board flashed with firmware-bridge/build/drive.hex?)`,
      };
    }
    const firmware = firmwareOf(answer);
    if (!firmware.startsWith(`${DRIVE_FIRMWARE_NAME} `)) {
      return {
        ok: false,
        problem: `the board runs ${firmware}, expected the ${DRIVE_FIRMWARE_NAME} firmware`,
      };
    }
    return { ok: true, found: `firmware ${firmware}` };
  } catch (e) {
    return {
      ok: false,
      problem: `the drive base failed its handshake: ${e instanceof Error ? e.message : String(e)}`,
    };
  } finally {
    clearTimeout(timer);
    await closePort(port);
  }
}
