/**
 * TEST DOUBLES for the drive-base driver's unit tests; not used by the robot. The real firmware
 * in the emulated board (firmware-bridge/) is what the firmware-in-the-loop tests run; these
 * stand in for it where a test only needs a port that plays back frames.
 *
 * FakeFirmataIO mimics firmata.js's Board as far as the driver uses it (firmata-io.ts says
 * exactly how): one Sysex handler table shared by every instance, which refuses to overwrite;
 * handlers called with `this` = the board and the Sysex data bytes; complete Sysex only.
 */
import { EventEmitter } from 'node:events';
import type { SysexHandler } from './firmata-io.js';
import {
  DEFAULT_DRIVE_CONFIG,
  FrameDecoder,
  encodeFrame,
  type AckStatus,
  type DriveConfig,
  type Frame,
  type TelemetryFrame,
} from './protocol.js';

export class FakeFirmataIO extends EventEmitter {
  /** Like firmata.js's Firmata.SYSEX_RESPONSE: one table for the whole process. */
  static readonly table = new Map<number, (board: FakeFirmataIO, data: number[]) => void>();

  /** Every Sysex the host wrote, as bytes without F0/F7 (what sysexCommand was given). */
  readonly written: number[][] = [];
  readonly transport = {
    closed: false,
    close: (callback?: (error?: Error | null) => void) => {
      this.transport.closed = true;
      this.emit('close');
      callback?.(null);
    },
  };
  #incoming: number[] = [];

  sysexCommand(message: number[]): this {
    if (!message.length) throw new Error('Sysex Command cannot be empty');
    this.written.push([...message]);
    return this;
  }

  sysexResponse(commandByte: number, handler: SysexHandler): this {
    if (FakeFirmataIO.table.has(commandByte)) {
      throw new Error(`${commandByte} is not an available SYSEX_RESPONSE byte`);
    }
    FakeFirmataIO.table.set(commandByte, (board, data) => handler.call(board, data));
    return this;
  }

  clearSysexResponse(commandByte: number): void {
    FakeFirmataIO.table.delete(commandByte);
  }

  /** The frames the host sent, decoded. */
  sentFrames(): Frame[] {
    const d = new FrameDecoder({ passFirmata: false });
    for (const m of this.written) d.push([0xf0, ...m, 0xf7]);
    const out: Frame[] = [];
    for (let item = d.next(); item; item = d.next()) if (item.kind === 'frame') out.push(item.frame);
    return out;
  }

  /** Bytes from the board, split into Sysex messages the way firmata.js's parser splits them. */
  receive(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0xf0) this.#incoming = [b];
      else if (this.#incoming.length === 0) continue;
      else if (b === 0xf7) {
        const [, command, ...data] = this.#incoming;
        this.#incoming = [];
        if (command !== undefined) FakeFirmataIO.table.get(command)?.(this, data);
      } else if (b >= 0x80) this.#incoming = [];
      else this.#incoming.push(b);
    }
  }

  /** The USB cable is pulled: serialport closes the port with a disconnect error. */
  unplug(): void {
    this.emit('close', Object.assign(new Error('device disconnected'), { disconnected: true }));
  }
}

/**
 * A scripted board behind a FakeFirmataIO: it keeps wheel counters and an uptime, answers
 * commands when told to (reply()), and sends telemetry when told to (telemetry()). No physics.
 */
export class ScriptedBoard {
  leftTicks = 0;
  rightTicks = 0;
  uptimeMs = 0;
  inputs = 0;
  state = 0x08;
  fault = 0;
  batteryMv = 12600;
  rejectedFrames = 0;
  lastSeq = 0;
  config: DriveConfig = { ...DEFAULT_DRIVE_CONFIG };
  ackStatus: AckStatus = 'accepted';
  #seen = 0;

  constructor(public io: FakeFirmataIO) {}

  /** Answers every frame the host sent since the last call, as the firmware would. */
  reply(): void {
    const frames = this.io.sentFrames();
    for (const f of frames.slice(this.#seen)) {
      if (f.kind === 'set_velocity') {
        // As the firmware: only an accepted command becomes the last accepted seq.
        if (this.ackStatus === 'accepted' || this.ackStatus === 'clamped') this.lastSeq = f.seq;
        this.send({ kind: 'velocity_ack', seq: f.seq, status: this.ackStatus });
      } else if (f.kind === 'set_leds' || f.kind === 'clear_stop') {
        this.send({ kind: 'command_ack', command: f.kind, status: 'done' });
      } else if (f.kind === 'set_config') {
        this.config = { ...f.config };
        this.state &= ~0x08;
        this.send({ kind: 'config_report', config: this.config });
      } else if (f.kind === 'query_config') {
        this.send({ kind: 'config_report', config: this.config });
      }
    }
    this.#seen = frames.length;
  }

  telemetry(overrides: Partial<TelemetryFrame> = {}): TelemetryFrame {
    const frame: TelemetryFrame = {
      kind: 'telemetry',
      lastSeq: this.lastSeq,
      leftTicks: this.leftTicks | 0,
      rightTicks: this.rightTicks | 0,
      leftSpeedMmS: 0,
      rightSpeedMmS: 0,
      batteryMv: this.batteryMv,
      inputs: this.inputs,
      state: this.state,
      fault: this.fault,
      rejectedFrames: this.rejectedFrames,
      uptimeMs: this.uptimeMs >>> 0,
      ...overrides,
    };
    this.send(frame);
    return frame;
  }

  send(frame: Frame): void {
    this.io.receive(encodeFrame(frame));
  }
}
