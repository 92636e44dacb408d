/**
 * The real firmware in the loop: an emulated board, johnny-five on its serial transport, and
 * the project's drive-base driver and node on top, exactly as with a USB board. The simulator
 * then moves the robot by the emulated wheels (the plant's wheel speeds) and localises against
 * the driver's encoder odometry. The caller steps `advanceTo` in lockstep with the node clock.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DriveBase,
  createDriveBaseNode,
  type DriveBaseNode,
  type FirmataIO,
} from '../../src/hardware/index.js';
import type { RosNode } from '../../src/ros/index.js';
import { EmulatedBoard, type EmulatedBoardOptions } from './board.js';

/** The part of johnny-five's Board this glue uses (the package ships no types). */
interface FiveBoard {
  io: FirmataIO;
  on(event: 'ready', listener: () => void): void;
  on(event: 'error' | 'fail', listener: (error: unknown) => void): void;
}
const five = createRequire(import.meta.url)('johnny-five') as {
  Board: new (options: Record<string, unknown>) => FiveBoard;
};

export const DEFAULT_HEX = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'build',
  'drive.hex',
);

/**
 * Opens johnny-five on a port and resolves with its Board once Firmata is ready (the version,
 * firmware, capability and analog-mapping handshake done). Unmodified johnny-five: the board is
 * only a port to it.
 */
export function connectJohnnyFive(port: unknown): Promise<FiveBoard> {
  return new Promise((resolve, reject) => {
    const board = new five.Board({ port, repl: false, debug: false, sigint: false, timeout: 30_000 });
    board.on('ready', () => resolve(board));
    board.on('error', (e) => reject(e instanceof Error ? e : new Error(String(e))));
    board.on('fail', (e) => reject(e instanceof Error ? e : new Error(String(e))));
  });
}

export interface BoardInTheLoop {
  readonly board: EmulatedBoard;
  readonly base: DriveBase;
  readonly baseNode: DriveBaseNode;
  /** Runs the board up to `clockNs` on the node clock (emulated time starts with the node's). */
  advanceTo(clockNs: bigint): void;
  stop(): void;
}

export interface BoardInTheLoopOptions {
  hexPath?: string;
  board?: EmulatedBoardOptions;
}

/**
 * Creates the board and the driver on `node` (the drive_base node). The driver connects through
 * its reconnecting connection: the first link comes up once the caller has stepped the board
 * for a few tens of milliseconds, and again after every unplug/replug.
 */
export async function startBoardInTheLoop(
  node: RosNode,
  options: BoardInTheLoopOptions = {},
): Promise<BoardInTheLoop> {
  const board = await EmulatedBoard.fromHexFile(options.hexPath ?? DEFAULT_HEX, options.board ?? {});
  const startNs = node.now().nanoseconds;
  const base = new DriveBase(undefined, { clock: { nowNs: () => node.now().nanoseconds } });
  const transport = board.transport;
  const connect = async () => {
    // A fresh link: reopen the cable's port if it was closed (that resets the board, as DTR does).
    if (!transport.isOpen) await new Promise<void>((res, rej) => transport.open((e) => (e ? rej(e) : res())));
    return (await connectJohnnyFive(transport)).io;
  };
  const baseNode = createDriveBaseNode(node, base, { connect });
  return {
    board,
    base,
    baseNode,
    advanceTo(clockNs) {
      const target = clockNs - startNs;
      if (target > board.nowNs()) board.advanceTo(target);
    },
    stop() {
      baseNode.stop();
      base.detach('detached', { closePort: true });
    },
  };
}

/**
 * The simulator runner's drive-base hook (`RunHooks.driveBase`): the emulated board with the
 * real firmware, its driver on the given node, its wheel speeds for the simulated robot.
 */
export function emulatedDriveBase(options: BoardInTheLoopOptions = {}) {
  return async (node: RosNode) => {
    const hil = await startBoardInTheLoop(node, options);
    return {
      advanceTo: (clockNs: bigint) => hil.advanceTo(clockNs),
      wheelSpeeds: () => hil.board.wheelSpeeds(),
      stop: () => hil.stop(),
    };
  };
}
