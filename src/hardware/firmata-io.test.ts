/**
 * The driver on the real firmata.js (firmata-io 2.3, what johnny-five 2.1 uses) over an
 * in-memory serial port test double: pins down how sysexCommand / sysexResponse behave, since
 * the driver is designed around it (see firmata-io.ts).
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../ros/index.js';
import { DriveBase, encodeFrame, type FirmataIO, type Frame, type TelemetryFrame } from './index.js';

const { Firmata } = createRequire(import.meta.url)('firmata-io') as {
  Firmata: new (
    port: unknown,
    options: Record<string, unknown>,
  ) => FirmataIO & EventEmitter & { isReady: boolean };
};

/** TEST DOUBLE of a serial port: records what the host writes, plays what the board says. */
class FakeSerialPort extends EventEmitter {
  isOpen = true;
  readonly writes: number[][] = [];
  write(data: Buffer, callback?: () => void): void {
    this.writes.push([...data]);
    callback?.();
  }
  close(callback?: () => void): void {
    this.isOpen = false;
    this.emit('close', null);
    callback?.();
  }
  board(bytes: ArrayLike<number>): void {
    this.emit('data', Buffer.from(Uint8Array.from(bytes)));
  }
}

const NAME = [...'drive'].flatMap((c) => [c.charCodeAt(0), 0]);

/** A firmata.js Board on a fake port, through the start-up a board does on reset: version, then firmware. */
function readyBoard() {
  const port = new FakeSerialPort();
  const io = new Firmata(port, { skipCapabilities: true, reportVersionTimeout: 60_000 });
  port.board([0xf9, 0x02, 0x05]);
  port.board([0xf0, 0x79, 0x02, 0x05, ...NAME, 0xf7]);
  expect(io.isReady).toBe(true);
  return { port, io };
}

const telemetry = (uptimeMs: number): TelemetryFrame => ({
  kind: 'telemetry',
  lastSeq: 0,
  leftTicks: 10,
  rightTicks: -10,
  leftSpeedMmS: 0,
  rightSpeedMmS: 0,
  batteryMv: 12000,
  inputs: 0,
  state: 0,
  fault: 0,
  rejectedFrames: 0,
  uptimeMs,
});

describe('DriveBase on the real firmata.js', () => {
  it('writes each frame exactly as encoded, F0 … F7, through sysexCommand', () => {
    const { port, io } = readyBoard();
    const base = new DriveBase(io, { clock: new SimClock(0n) });
    port.board(encodeFrame(telemetry(1)));
    base.drive(0.5, 0);
    const expected: Frame = { kind: 'set_velocity', seq: 1, linearMmS: 500, angularMradS: 0 };
    expect(port.writes.at(-1)).toEqual([...encodeFrame(expected)]);
    expect(port.writes[0]).toEqual([...encodeFrame({ kind: 'query_config' })]);
  });

  it('hands the handler `this` = the board and the Sysex data bytes without F0, command and F7', () => {
    const { port, io } = readyBoard();
    const seen: Array<{ self: unknown; data: number[] }> = [];
    io.clearSysexResponse?.(0x0e);
    io.sysexResponse(0x0e, function (this: unknown, data: number[]) {
      seen.push({ self: this, data });
    });
    port.board([0xf0, 0x0e, 0x01, 0x7f, 0x00, 0xf7]);
    expect(seen).toEqual([{ self: io, data: [0x01, 0x7f, 0x00] }]);
    expect(() => io.sysexResponse(0x0e, () => {})).toThrow(/not an available SYSEX_RESPONSE byte/);
    io.clearSysexResponse?.(0x0e);
  });

  it('decodes telemetry split across reads and mixed with analog reports', () => {
    const { port, io } = readyBoard();
    const base = new DriveBase(io, { clock: new SimClock(0n) });
    const got: number[] = [];
    base.on('telemetry', (t) => got.push(t.frame.uptimeMs));
    const wire = encodeFrame(telemetry(1234));
    port.board(wire.subarray(0, 5));
    port.board(wire.subarray(5, 20));
    port.board(wire.subarray(20));
    port.board([0xe0, 0x22, 0x01]); // analog A0
    port.board(encodeFrame(telemetry(1254)));
    expect(got).toEqual([1234, 1254]);
    expect(base.connected).toBe(true);
  });

  it('never sees a frame cut by a status byte: firmata.js drops it, and the next frame decodes', () => {
    const { port, io } = readyBoard();
    const base = new DriveBase(io, { clock: new SimClock(0n) });
    const wire = encodeFrame(telemetry(1));
    port.board([...wire.subarray(0, 12), 0x90, 0x01, 0x00, ...encodeFrame(telemetry(2))]);
    expect(base.status().telemetry?.uptimeMs).toBe(2);
  });

  it('reconnects on a fresh Board (whose handler table is shared) and keeps two boards apart', () => {
    const clock = new SimClock(0n);
    const first = readyBoard();
    const base = new DriveBase(first.io, { clock });
    const other = readyBoard();
    const otherBase = new DriveBase(other.io, { clock });
    first.port.close();
    expect(base.status()).toMatchObject({ attached: false, reason: 'port_closed' });

    const second = readyBoard();
    expect(() => base.attach(second.io)).not.toThrow();
    second.port.board(encodeFrame(telemetry(20)));
    other.port.board(encodeFrame(telemetry(99)));
    first.port.board(encodeFrame(telemetry(1))); // the old Board: no longer routed anywhere
    expect(base.status().telemetry?.uptimeMs).toBe(20);
    expect(otherBase.status().telemetry?.uptimeMs).toBe(99);
  });

  it('takes a johnny-five Board too, using its io (the Board hides clearSysexResponse)', () => {
    const { port, io } = readyBoard();
    const j5Like = { io, sysexCommand: io.sysexCommand.bind(io), sysexResponse: io.sysexResponse.bind(io) };
    const base = new DriveBase(j5Like, { clock: new SimClock(0n) });
    port.board(encodeFrame(telemetry(7)));
    expect(base.status().telemetry?.uptimeMs).toBe(7);
  });

  it('detaches on a serialport disconnect (close with a DisconnectedError)', () => {
    const { port, io } = readyBoard();
    const base = new DriveBase(io, { clock: new SimClock(0n) });
    port.emit('close', Object.assign(new Error('disconnected'), { disconnected: true }));
    expect(base.status().reason).toBe('port_closed');
  });

  it('drops drive-base Sysex that arrives before REPORT_VERSION (firmata.js waits for the handshake)', () => {
    const port = new FakeSerialPort();
    const io = new Firmata(port, { skipCapabilities: true, reportVersionTimeout: 60_000 });
    const base = new DriveBase(io, { clock: new SimClock(0n) });
    port.board(encodeFrame(telemetry(5)));
    expect(base.status().telemetry).toBeUndefined();
    port.board([0xf9, 0x02, 0x05]);
    port.board(encodeFrame(telemetry(6)));
    expect(base.status().telemetry?.uptimeMs).toBe(6);
    // Without REPORT_FIRMWARE after the version firmata.js never becomes ready (see the report).
    expect(io.isReady).toBe(false);
    port.board([0xf0, 0x79, 0x02, 0x05, ...NAME, 0xf7]);
    expect(io.isReady).toBe(true);
  });
});
