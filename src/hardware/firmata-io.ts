/**
 * The slice of firmata.js's Board (johnny-five's `board.io`) the drive-base driver uses, and the
 * routing of drive-base Sysex replies to the right driver.
 *
 * How firmata.js (firmata-io 2.3) behaves, which this file is designed around:
 * - `io.sysexCommand(bytes)` writes `F0, ...bytes, F7` to the transport as given: no 7-bit
 *   encoding, no checks. So the caller passes the command byte and the already-packed data bytes.
 * - `io.sysexResponse(cmd, handler)` stores the handler in `Firmata.SYSEX_RESPONSE`, a table
 *   SHARED BY EVERY Board instance, and throws if `cmd` already has a handler (so a second board,
 *   or the same robot reconnecting with a fresh Board, must `clearSysexResponse(cmd)` first).
 * - The parser calls the handler as `handler.call(board, board.buffer.slice(2, -1))`: `this` is
 *   the Board that received it, the argument the Sysex data bytes as a plain number[] (each below
 *   0x80), without F0, the command byte or F7. Only complete Sysex messages arrive (a status byte
 *   inside one silently discards it), and only after the board's REPORT_VERSION was seen.
 * - The transport's 'close' becomes the Board's 'close' (or 'disconnect' for a serialport 5 style
 *   disconnect event); transport errors after the handshake become 'error'.
 */
import { HardwareError } from './errors.js';

export type SysexHandler = (this: unknown, data: number[]) => void;

export interface FirmataIO {
  sysexCommand(message: number[]): unknown;
  sysexResponse(commandByte: number, handler: SysexHandler): unknown;
  clearSysexResponse?(commandByte: number): unknown;
  on(event: 'close' | 'disconnect' | 'error', listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: 'close' | 'disconnect' | 'error', listener: (...args: unknown[]) => void): unknown;
  /** firmata.js keeps its serial port here; closing it is how a silent link is recycled. */
  transport?: { close?(callback?: (error?: Error | null) => void): unknown } | undefined;
}

/** Receives the data bytes of one drive-base Sysex addressed to a board. */
export type SysexSink = (command: number, data: number[]) => void;

/** Firmata's user-defined Sysex range: the drive base's ids live here (PROTOCOL.md §3). */
const USER_COMMANDS = Array.from({ length: 15 }, (_, i) => i + 1);

const routes = new WeakMap<object, SysexSink>();
const live = new Set<SysexSink>();

function deliver(board: unknown, command: number, data: number[]): void {
  const sink = typeof board === 'object' && board !== null ? routes.get(board) : undefined;
  if (sink) return sink(command, data);
  // An IO that calls handlers without binding `this`: unambiguous only with one board attached.
  if (live.size === 1 && (board === undefined || board === null))
    for (const only of live) only(command, data);
}

/** One handler per command id for the whole process, as firmata.js's table is process-wide. */
const HANDLERS: ReadonlyMap<number, SysexHandler> = new Map(
  USER_COMMANDS.map((command) => [
    command,
    function (this: unknown, data: number[]) {
      deliver(this, command, data);
    },
  ]),
);

/** A johnny-five Board: it passes Sysex through to `io` but hides clearSysexResponse and the port's events. */
export interface BoardWithIO {
  io: FirmataIO;
}

/** The Firmata IO itself, given it or a johnny-five Board. Throws IO_INVALID for anything else. */
export function firmataIOOf(x: FirmataIO | BoardWithIO): FirmataIO {
  const inner = (x as Partial<BoardWithIO> | null | undefined)?.io;
  const io: unknown = typeof inner?.sysexCommand === 'function' ? inner : x;
  assertFirmataIO(io);
  return io;
}

export function assertFirmataIO(io: unknown): asserts io is FirmataIO {
  const o = io as Partial<FirmataIO> | null | undefined;
  for (const m of ['sysexCommand', 'sysexResponse', 'on'] as const) {
    if (typeof o?.[m] !== 'function') {
      throw new HardwareError(
        'IO_INVALID',
        `io.${m}`,
        `expected a Firmata board's ${m}(), found ${typeof o?.[m]}`,
      );
    }
  }
}

/**
 * Routes the drive base's Sysex replies from `io` to `sink` until the returned function is
 * called. Re-registers the shared handlers (clearing first, as firmata.js refuses to overwrite),
 * which is harmless to other boards: the handlers are the same functions and route by board.
 */
export function routeSysex(io: FirmataIO, sink: SysexSink): () => void {
  routes.set(io, sink);
  live.add(sink);
  for (const [command, handler] of HANDLERS) {
    if (io.clearSysexResponse) {
      io.clearSysexResponse(command);
      io.sysexResponse(command, handler);
      continue;
    }
    try {
      io.sysexResponse(command, handler);
    } catch {
      // Taken already: without clearSysexResponse it can only be this same shared handler.
    }
  }
  return () => {
    if (routes.get(io) === sink) routes.delete(io);
    live.delete(sink);
  };
}
