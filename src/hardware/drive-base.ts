/**
 * The drive-base driver: a few verbs an operator would say (drive, stop, set the LEDs,
 * configure, clear a latched stop) over the board's Firmata IO, and what the board says back
 * (telemetry, acks with their round-trip time, the configuration in force) as events. It clamps
 * at the edge, keeps its state private, never throws on bytes from the board (it counts and
 * reports them), and knows when the link is gone: the port closed or errored, or no telemetry
 * for 100 ms while the board sends it at 50 Hz.
 */
import type { Clock } from '../ros/index.js';
import { HardwareError, PROTOCOL_ERROR_CODES, ProtocolError, type ProtocolErrorCode } from './errors.js';
import { firmataIOOf, routeSysex, type BoardWithIO, type FirmataIO } from './firmata-io.js';
import { closePort, type SerialPortLike } from './serial-link.js';
import {
  ACK_STATUSES,
  DEFAULT_DRIVE_CONFIG,
  FrameDecoder,
  SYSEX_END,
  SYSEX_START,
  checkConfig,
  encodeFrame,
  senderOf,
  seqNewer,
  telemetryFlags,
  type AcknowledgedCommand,
  type AckStatus,
  type CommandAckStatus,
  type DriveConfig,
  type Frame,
  type LedPattern,
  type TelemetryFlags,
  type TelemetryFrame,
} from './protocol.js';

export interface Rgb {
  red: number;
  green: number;
  blue: number;
}

export interface DriveBaseOptions {
  clock: Clock;
  /** ns without telemetry after which the link counts as lost. Default 100 ms (5 frames at 50 Hz). */
  telemetryTimeoutNs?: bigint;
  /** ns allowed for the first telemetry on a freshly attached link. Default 500 ms. */
  firstTelemetryTimeoutNs?: bigint;
}

/** Why the base is not connected. */
export type DisconnectReason =
  /** No port yet (a BaseConnection is looking for one). */
  | 'not_attached'
  /** A port is attached; its first telemetry has not arrived yet. */
  | 'connecting'
  | 'port_closed'
  | 'port_error'
  /** The port is open but the board went quiet. */
  | 'telemetry_timeout'
  /** Let go on purpose (shutdown, or replaced by another port). */
  | 'detached';

export interface ConnectionChange {
  connected: boolean;
  /** Set while disconnected. */
  reason: DisconnectReason | undefined;
  /** Connected by the first telemetry on a freshly attached link (the board may have restarted). */
  newLink: boolean;
}
export interface TelemetryEvent {
  frame: TelemetryFrame;
  flags: TelemetryFlags;
  receivedNs: bigint;
}
export interface AckEvent {
  seq: number;
  status: AckStatus;
  /** From sending the command to its ack, on the injected clock; undefined for an ack of an unknown seq. */
  rttNs: bigint | undefined;
}
/** The board's answer to SET_LEDS or CLEAR_STOP (PROTOCOL.md §3.2 COMMAND_ACK). */
export interface CommandAckEvent {
  command: AcknowledgedCommand;
  status: CommandAckStatus;
}
export interface DriveBaseEvents {
  telemetry: TelemetryEvent;
  ack: AckEvent;
  commandAck: CommandAckEvent;
  /** The configuration in force, as the board reported it. */
  config: DriveConfig;
  /** A frame from the board the decoder refused (counted too). */
  rejected: ProtocolError;
  connection: ConnectionChange;
}

export interface DriveBaseStatus {
  /** A port is attached (it may be silent). */
  attached: boolean;
  /** Attached and the telemetry is fresh. */
  connected: boolean;
  reason: DisconnectReason | undefined;
  /** The last seq sent, undefined before the first command. */
  lastSentSeq: number | undefined;
  telemetry: TelemetryFrame | undefined;
  flags: TelemetryFlags | undefined;
  telemetryAgeNs: bigint | undefined;
  /** As reported by the board, else as requested, else the defaults. */
  config: DriveConfig;
  configReported: boolean;
  acks: Record<AckStatus, number>;
  /** Median ack round trip over the last 128 acks, ms. */
  ackRttP50Ms: number | undefined;
  /** Frames from the board this host refused, by reason. */
  hostRejected: number;
  hostRejectedByCode: Record<ProtocolErrorCode, number>;
  lastRejection: string | undefined;
  /** The board's own count of frames it refused (from telemetry). */
  boardRejected: number | undefined;
  framesReceived: number;
  commandsSent: number;
  /** Non-finite velocities replaced by a stop. */
  invalidCommands: number;
  /** Verbs that found no port to send on. */
  unsent: number;
  /** Times the link came up / went down. */
  connects: number;
  disconnects: number;
  /** Exceptions thrown by event listeners (caught so the serial parser never sees them). */
  listenerErrors: number;
}

const MS = 1_000_000n;
const RTT_WINDOW = 128;
/** Sent-but-unacked commands remembered for RTT; the board acks at once, so a few suffice. */
const SENT_WINDOW = 64;
const I16_MAX = 0x7fff;

type Listeners = { [K in keyof DriveBaseEvents]: Set<(e: DriveBaseEvents[K]) => void> };

export class DriveBase {
  readonly #clock: Clock;
  readonly #telemetryTimeoutNs: bigint;
  readonly #firstTelemetryTimeoutNs: bigint;
  readonly #listeners: Listeners = {
    telemetry: new Set(),
    ack: new Set(),
    commandAck: new Set(),
    config: new Set(),
    rejected: new Set(),
    connection: new Set(),
  };

  #io: FirmataIO | undefined;
  #unroute: (() => void) | undefined;
  #ioListeners: Array<['close' | 'disconnect' | 'error', (...args: unknown[]) => void]> = [];
  #decoder = new FrameDecoder({ passFirmata: false });
  #attachedNs = 0n;
  #connected = false;
  #reason: DisconnectReason = 'not_attached';
  #telemetryOnLink = false;
  #lastTelemetryNs: bigint | undefined;
  #telemetry: TelemetryFrame | undefined;
  #flags: TelemetryFlags | undefined;

  #seq = 0;
  #lastSentSeq: number | undefined;
  readonly #sentSeq = new Int32Array(SENT_WINDOW).fill(-1);
  readonly #sentNs = new BigInt64Array(SENT_WINDOW);
  readonly #rtt = new Float64Array(RTT_WINDOW);
  #rttCount = 0;

  #requestedConfig: DriveConfig | undefined;
  #reportedConfig: DriveConfig | undefined;
  #leds: { pattern: LedPattern; rgb: Rgb } | undefined;

  readonly #counts = {
    acks: Object.fromEntries(ACK_STATUSES.map((a) => [a, 0])) as Record<AckStatus, number>,
    hostRejectedByCode: Object.fromEntries(PROTOCOL_ERROR_CODES.map((c) => [c, 0])) as Record<
      ProtocolErrorCode,
      number
    >,
    hostRejected: 0,
    framesReceived: 0,
    commandsSent: 0,
    invalidCommands: 0,
    unsent: 0,
    connects: 0,
    disconnects: 0,
    listenerErrors: 0,
  };
  #lastRejection: string | undefined;

  /** `io` may be undefined when a BaseConnection will attach one. Throws IO_INVALID for a non-Firmata object. */
  constructor(io: FirmataIO | BoardWithIO | undefined, options: DriveBaseOptions) {
    this.#clock = options.clock;
    this.#telemetryTimeoutNs = options.telemetryTimeoutNs ?? 100n * MS;
    this.#firstTelemetryTimeoutNs = options.firstTelemetryTimeoutNs ?? 500n * MS;
    if (io !== undefined) this.attach(io);
  }

  // ---- verbs ---------------------------------------------------------------------------------

  /**
   * Drive at `linear` m/s (forward +) and `angular` rad/s (counter-clockwise +), clamped to the
   * board's limits. Non-finite values, or a link without fresh telemetry, send a stop instead:
   * the host does not drive a board it cannot see. Returns the command's seq, or undefined when
   * no port is attached.
   */
  drive(linear: number, angular: number): number | undefined {
    if (!this.#io) {
      this.#counts.unsent++;
      return undefined;
    }
    let v = linear;
    let w = angular;
    if (!Number.isFinite(v) || !Number.isFinite(w)) {
      this.#counts.invalidCommands++;
      v = w = 0;
    }
    if (!this.#connected) v = w = 0;
    const config = this.config();
    const seq = (this.#seq = (this.#seq + 1) & 0xffff);
    const frame: Frame = {
      kind: 'set_velocity',
      seq,
      linearMmS: clampInt(v * 1000, Math.min(config.maxSpeedMmS, I16_MAX)),
      angularMradS: clampInt(w * 1000, Math.min(config.maxAngularMradS, I16_MAX)),
    };
    const slot = seq % SENT_WINDOW;
    this.#sentSeq[slot] = seq;
    this.#sentNs[slot] = this.#clock.nowNs();
    this.#lastSentSeq = seq;
    this.#send(frame);
    return seq;
  }

  stop(): number | undefined {
    return this.drive(0, 0);
  }

  /** Sets the status LEDs; remembered and sent again on every new link. Returns whether it was sent. */
  setLeds(pattern: LedPattern, rgb: Rgb = { red: 255, green: 255, blue: 255 }): boolean {
    const colour = { red: clampByte(rgb.red), green: clampByte(rgb.green), blue: clampByte(rgb.blue) };
    this.#leds = { pattern, rgb: colour };
    return this.#send({ kind: 'set_leds', pattern, ...colour });
  }

  /**
   * Sends the configuration; remembered and sent again on every new link (a restarted board is
   * back on its defaults). Throws HardwareError('CONFIG_INVALID') outside the board's ranges.
   */
  configure(config: DriveConfig): boolean {
    const problem = checkConfig(config);
    if (problem) {
      throw new HardwareError(
        'CONFIG_INVALID',
        problem.field,
        `expected ${problem.expected}, found ${problem.found}`,
      );
    }
    this.#requestedConfig = { ...config };
    return this.#send({ kind: 'set_config', config: this.#requestedConfig });
  }

  /** Asks the board to clear a latched bumper / e-stop stop (it refuses while one is pressed). */
  clearStop(): boolean {
    return this.#send({ kind: 'clear_stop' });
  }

  queryConfig(): boolean {
    return this.#send({ kind: 'query_config' });
  }

  // ---- link ----------------------------------------------------------------------------------

  /**
   * Takes `port` (firmata.js's Board, or a johnny-five Board whose `io` it is) as the board's
   * port, replacing any other; the link counts as up at its first telemetry.
   */
  attach(port: FirmataIO | BoardWithIO): void {
    const io = firmataIOOf(port);
    if (this.#io) this.detach('detached');
    this.#io = io;
    this.#decoder = new FrameDecoder({ passFirmata: false });
    this.#unroute = routeSysex(io, (command, data) => this.#onSysex(command, data));
    const on = (event: 'close' | 'disconnect' | 'error', reason: DisconnectReason) => {
      const listener = () => {
        if (this.#io === io) this.detach(reason);
      };
      io.on(event, listener);
      this.#ioListeners.push([event, listener]);
    };
    on('close', 'port_closed');
    on('disconnect', 'port_closed');
    on('error', 'port_error');
    this.#attachedNs = this.#clock.nowNs();
    this.#telemetryOnLink = false;
    this.#reportedConfig = undefined;
    this.#setConnection(false, 'connecting', false);
    // A board that restarted forgot its configuration and LEDs: say them again.
    if (this.#requestedConfig) this.#send({ kind: 'set_config', config: this.#requestedConfig });
    else this.#send({ kind: 'query_config' });
    if (this.#leds) this.#send({ kind: 'set_leds', pattern: this.#leds.pattern, ...this.#leds.rgb });
  }

  /**
   * Lets go of the port. With `closePort`, also closes firmata.js's transport (a silent link is
   * recycled that way). Idempotent.
   */
  detach(reason: DisconnectReason = 'detached', options: { closePort?: boolean } = {}): void {
    const io = this.#io;
    if (!io) return;
    this.#io = undefined;
    this.#unroute?.();
    this.#unroute = undefined;
    // The 'error' listener stays, inert: an EventEmitter with no 'error' listener throws, and a
    // closing serial port can still report an error after we let go.
    for (const [event, listener] of this.#ioListeners)
      if (event !== 'error') io.removeListener?.(event, listener);
    this.#ioListeners = [];
    // After what was written (a last stop) has gone out; a port already gone is closed enough.
    if (options.closePort && io.transport) void closePort(io.transport as unknown as SerialPortLike);
    this.#setConnection(false, reason, false);
  }

  /** Marks the link lost when telemetry went quiet; call it periodically (the node does, at 100 Hz). */
  check(): void {
    if (this.#io && this.silent) this.#setConnection(false, 'telemetry_timeout', false);
  }

  /** ns since the last telemetry (or since attaching, before any); 0 when nothing is attached. */
  silentForNs(): bigint {
    if (!this.#io) return 0n;
    const since = this.#telemetryOnLink ? this.#lastTelemetryNs! : this.#attachedNs;
    return this.#clock.nowNs() - since;
  }

  /** Past its first-telemetry grace, a link that has never spoken counts as silent too. */
  get silent(): boolean {
    if (!this.#io) return false;
    const limit = this.#telemetryOnLink ? this.#telemetryTimeoutNs : this.#firstTelemetryTimeoutNs;
    return this.silentForNs() > limit;
  }

  get attached(): boolean {
    return this.#io !== undefined;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** The configuration in force: as reported, else as requested, else the board's defaults. */
  config(): DriveConfig {
    return { ...(this.#reportedConfig ?? this.#requestedConfig ?? DEFAULT_DRIVE_CONFIG) };
  }

  on<K extends keyof DriveBaseEvents>(event: K, listener: (e: DriveBaseEvents[K]) => void): () => void {
    const set = this.#listeners[event] as Set<(e: DriveBaseEvents[K]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  status(): DriveBaseStatus {
    const c = this.#counts;
    return {
      attached: this.attached,
      connected: this.#connected,
      reason: this.#connected ? undefined : this.#reason,
      lastSentSeq: this.#lastSentSeq,
      telemetry: this.#telemetry && { ...this.#telemetry },
      flags: this.#flags && { ...this.#flags },
      telemetryAgeNs:
        this.#lastTelemetryNs === undefined ? undefined : this.#clock.nowNs() - this.#lastTelemetryNs,
      config: this.config(),
      configReported: this.#reportedConfig !== undefined,
      acks: { ...c.acks },
      ackRttP50Ms: this.#rttMedianMs(),
      hostRejected: c.hostRejected,
      hostRejectedByCode: { ...c.hostRejectedByCode },
      lastRejection: this.#lastRejection,
      boardRejected: this.#telemetry?.rejectedFrames,
      framesReceived: c.framesReceived,
      commandsSent: c.commandsSent,
      invalidCommands: c.invalidCommands,
      unsent: c.unsent,
      connects: c.connects,
      disconnects: c.disconnects,
      listenerErrors: c.listenerErrors,
    };
  }

  // ---- internals -----------------------------------------------------------------------------

  #send(frame: Frame): boolean {
    const io = this.#io;
    if (!io) {
      this.#counts.unsent++;
      return false;
    }
    const wire = encodeFrame(frame);
    try {
      // firmata.js adds F0 and F7 itself and writes the rest as given.
      io.sysexCommand(Array.from(wire.subarray(1, -1)));
    } catch {
      this.detach('port_error');
      return false;
    }
    if (frame.kind === 'set_velocity') this.#counts.commandsSent++;
    return true;
  }

  #onSysex(command: number, data: number[]): void {
    const wire = new Uint8Array(data.length + 3);
    wire[0] = SYSEX_START;
    wire[1] = command;
    wire.set(data, 2);
    wire[wire.length - 1] = SYSEX_END;
    this.#decoder.push(wire);
    for (let item = this.#decoder.next(); item; item = this.#decoder.next()) {
      if (item.kind === 'rejected') this.#reject(item.error);
      else if (item.kind === 'frame') this.#onFrame(item.frame, item.offset);
    }
  }

  #onFrame(frame: Frame, offset: number): void {
    if (senderOf(frame.kind) !== 'board') {
      this.#reject(
        new ProtocolError('FRAME_DIRECTION', offset, undefined, 'a board → host frame', frame.kind),
      );
      return;
    }
    this.#counts.framesReceived++;
    const now = this.#clock.nowNs();
    switch (frame.kind) {
      case 'telemetry': {
        this.#telemetry = frame;
        this.#flags = telemetryFlags(frame);
        this.#lastTelemetryNs = now;
        const newLink = !this.#telemetryOnLink;
        this.#telemetryOnLink = true;
        // A board this host did not reset may remember a later seq than this host's count.
        if (newLink && seqNewer(frame.lastSeq, this.#seq)) this.#seq = frame.lastSeq;
        if (!this.#connected) this.#setConnection(true, undefined, newLink);
        this.#emit('telemetry', { frame, flags: this.#flags, receivedNs: now });
        return;
      }
      case 'velocity_ack': {
        this.#counts.acks[frame.status]++;
        if (frame.status === 'refused_stale') this.#resyncSeq();
        const slot = frame.seq % SENT_WINDOW;
        let rttNs: bigint | undefined;
        if (this.#sentSeq[slot] === frame.seq) {
          rttNs = now - this.#sentNs[slot]!;
          this.#sentSeq[slot] = -1; // a repeated ack does not count twice
          this.#rtt[this.#rttCount++ % RTT_WINDOW] = Number(rttNs);
        }
        this.#emit('ack', { seq: frame.seq, status: frame.status, rttNs });
        return;
      }
      case 'config_report':
        this.#reportedConfig = { ...frame.config };
        this.#emit('config', { ...frame.config });
        return;
      case 'command_ack':
        this.#emit('commandAck', { command: frame.command, status: frame.status });
        return;
    }
  }

  /**
   * The board refused a command as not newer than its last accepted one (PROTOCOL.md §3.3): this
   * host's count restarted while the board's did not (a host restart without a board reset).
   * Carry on from the board's last accepted seq, so the next command is newer again.
   */
  #resyncSeq(): void {
    const boardSeq = this.#telemetry?.lastSeq;
    if (boardSeq !== undefined) this.#seq = boardSeq;
  }

  #reject(error: ProtocolError): void {
    this.#counts.hostRejected++;
    this.#counts.hostRejectedByCode[error.code]++;
    this.#lastRejection = error.message;
    this.#emit('rejected', error);
  }

  /** Emits 'connection' when the link comes up or goes down, or, while down, when the reason changes. */
  #setConnection(connected: boolean, reason: DisconnectReason | undefined, newLink: boolean): void {
    const was = this.#connected;
    const wasReason = this.#reason;
    this.#connected = connected;
    if (reason) this.#reason = reason;
    if (connected && !was) this.#counts.connects++;
    if (!connected && was) this.#counts.disconnects++;
    const changed = was !== connected || (!connected && wasReason !== this.#reason);
    if (changed)
      this.#emit('connection', { connected, reason: connected ? undefined : this.#reason, newLink });
  }

  #emit<K extends keyof DriveBaseEvents>(event: K, e: DriveBaseEvents[K]): void {
    for (const listener of this.#listeners[event] as Set<(e: DriveBaseEvents[K]) => void>) {
      try {
        listener(e);
      } catch {
        // A listener's bug must not reach firmata.js's parser (it would wedge its buffer).
        this.#counts.listenerErrors++;
      }
    }
  }

  #rttMedianMs(): number | undefined {
    const n = Math.min(this.#rttCount, RTT_WINDOW);
    if (n === 0) return undefined;
    const sorted = this.#rtt.slice(0, n).sort();
    const mid = n >> 1;
    const ns = n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return ns / 1e6;
  }
}

function clampInt(x: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, Math.round(x)));
}
function clampByte(x: number): number {
  return Number.isFinite(x) ? Math.max(0, Math.min(255, Math.round(x))) : 0;
}
