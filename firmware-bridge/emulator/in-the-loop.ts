/**
 * The real firmware in the loop: an emulated board whose serial link the robot's own drive-base
 * driver opens (src/hardware's startDriveBase, exactly as on a USB cable), stepped in lockstep
 * with the node clock. A simulator moves its robot by the board's wheel speeds; tests drive the
 * board directly. The glue only provides the board and its link; who starts the driver is the
 * world that has the board (the simulator world), or a test.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SerialLink, SerialPortLike } from '../../src/hardware/index.js';
import { EmulatedBoard, type EmulatedBoardOptions } from './board.js';
import type { EmulatedSerialPort } from './serial-port.js';

export const DEFAULT_HEX = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'build',
  'drive.hex',
);

export interface BoardInTheLoop {
  readonly board: EmulatedBoard;
  /** The board's USB cable as the driver opens it: reopening a closed port resets the board, as DTR does. */
  readonly link: SerialLink;
  /** Runs the board up to `clockNs` on the node clock (emulated time starts at `startNs`). */
  advanceTo(clockNs: bigint): void;
  /** Wheel ground speeds right now, m/s. */
  wheelSpeeds(): { left: number; right: number };
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
