/**
 * An emulated Slamtec RPLIDAR (A1 or A2) behind an emulated serial port: it answers requests
 * byte-exactly as the device does (STOP, RESET, SCAN, FORCE_SCAN, GET_INFO, GET_HEALTH,
 * GET_SAMPLERATE, SET_MOTOR_PWM on the A2) and streams standard scan nodes at the device's sample
 * rate while its motor turns, the ranges coming from an injected function of angle and time (the
 * simulator plugs its lidar in there; nothing here knows about the simulator). Bytes leave at the
 * baud rate, one character time each, and reach the host when their stop bit does.
 *
 * Time is emulated and moves only through `advanceTo`/`advanceNs`, so a test or the simulator
 * steps it in lockstep with its own clock; runRealtime paces it by the wall clock and PtyBridge
 * puts it behind a real pty. Faults for tests: go silent, stop in the middle of a packet, send
 * garbage, turn into another device (speak another protocol), unplug and replug.
 *
 * What is modelled, and how closely: the figures in RPLIDAR_MODELS are the datasheets' typical
 * values (A1M8: 5.5 Hz, 2000 samples/s, 0.15–12 m; A2M8: 10 Hz at duty 660). The rotation wobbles
 * by ±1 % and samples come every 500 µs ± 2 %, so node angles fall on no fixed grid, as a real
 * device's do; the reported angle carries a small extra jitter. After the motor starts, SCAN sends
 * nodes only once the rotation is up to speed (FORCE_SCAN at once). A request within the quiet
 * time after STOP (1 ms) or RESET (3 ms) is lost, as the protocol document warns. After RESET the
 * device prints a text banner (its wording here is illustrative). In protection stop (health
 * ERROR) SCAN is announced but no node follows. The A1's motor follows the adapter's DTR line:
 * spinning at power-up, stopped while a host holds DTR asserted (opening the port asserts it),
 * spinning again once the host closes the port (closing drops DTR).
 */
import {
  RequestParser,
  encodeDescriptor,
  encodeResponse,
  scanNode,
  type HealthStatus,
  type Request,
  type RequestKind,
  type Response,
} from '../../src/hardware/rplidar/index.js';
import { TimedByteQueue } from './byte-queue.js';
import { EmulatorError, requireInRange } from './errors.js';
import { EmulatedSerialPort, type ModemLines } from './serial-port.js';

/**
 * What the lidar sees: the range in metres along `angleRadCcw` (the lidar's own frame, REP-103:
 * counter-clockwise from its front) at emulated time `atNs`; Infinity (or anything outside the
 * device's limits) for no return.
 */
export type RangeSource = (angleRadCcw: number, atNs: bigint) => number;

/** How the motor is switched: DTR (A1), SET_MOTOR_PWM (A2), or not at all (always turning). */
export type EmulatedMotorControl = 'dtr' | 'pwm' | 'none';

export interface RplidarModelSpec {
  /** GET_INFO model byte: major << 4 | sub. */
  model: number;
  firmwareMajor: number;
  firmwareMinor: number;
  hardware: number;
  motorControl: EmulatedMotorControl;
  baud: number;
  /** µs per standard-scan sample (GET_SAMPLERATE), and per express sample. */
  standardUs: number;
  expressUs: number;
  /** Rotation with the motor on (A2: at duty 660), Hz. */
  rotationHz: number;
  rangeMinM: number;
  rangeMaxM: number;
  /** From motor on to a steady rotation, ns. */
  spinUpNs: number;
}

/** Board variants by name: typical datasheet figures. */
export const RPLIDAR_MODELS = {
  A1: {
    model: 0x18,
    firmwareMajor: 1,
    firmwareMinor: 29,
    hardware: 7,
    motorControl: 'dtr',
    baud: 115200,
    standardUs: 500,
    expressUs: 250,
    rotationHz: 5.5,
    rangeMinM: 0.15,
    rangeMaxM: 12,
    spinUpNs: 500e6,
  },
  A2: {
    model: 0x28,
    firmwareMajor: 1,
    firmwareMinor: 27,
    hardware: 5,
    motorControl: 'pwm',
    baud: 115200,
    standardUs: 500,
    expressUs: 250,
    rotationHz: 10,
    rangeMinM: 0.15,
    rangeMaxM: 12,
    spinUpNs: 500e6,
  },
} as const satisfies Record<string, RplidarModelSpec>;
export type RplidarModelName = keyof typeof RPLIDAR_MODELS;

/** Another device on the same port: what it sends back when spoken to. */
export type OtherProtocol = 'firmata';
const OTHER_PROTOCOLS: Record<OtherProtocol, { reply: Uint8Array }> = {
  // A Firmata board's REPORT_FIRMWARE: F0 79 <major> <minor> <name as 7-bit pairs> F7.
  firmata: { reply: firmataFirmwareReport(2, 5, 'Medhjalparen.ino') },
};

export interface EmulatedRplidarOptions {
  /** Default 'A1'. */
  model?: RplidarModelName;
  /** Overrides the model's motor control; 'none' keeps it turning (behind a pty, which has no DTR). */
  motorControl?: EmulatedMotorControl;
  /** Default: nothing in range (every node a no-return). */
  ranges?: RangeSource;
  /** 32 hex digits. */
  serialNumber?: string;
  /** Overrides the model's rotation, Hz. */
  rotationHz?: number;
  /** Seeds the jitter: the same seed gives the same bytes. Default 1. */
  seed?: number;
  /** Extra jitter on reported angles, degrees (uniform ±). Default 0.05. */
  angleJitterDeg?: number;
  /** Emulated time at power-on, ns, so the device's clock can be the simulator's. Default 0. */
  startNs?: bigint;
  /** The port's `path`, for logs. Default 'emulated:rplidar'. */
  path?: string;
}

export interface EmulatedRplidarState {
  plugged: boolean;
  protocol: 'rplidar' | OtherProtocol;
  silent: boolean;
  scanning: boolean;
  /** DTR as the host left it (asserted = true). */
  dtr: boolean;
  pwm: number;
  motorOn: boolean;
  /** Turning at its steady speed. */
  atSpeed: boolean;
  health: HealthStatus;
}

export interface EmulatedRplidarStats {
  txBytes: number;
  rxBytes: number;
  nodes: number;
  revolutions: number;
  requests: Partial<Record<RequestKind, number>>;
  /** Host bytes the device ignored (not a request, bad checksum, within a quiet time, or while silent). */
  ignoredBytes: number;
  resets: number;
}

/** What a scheduled action is, so a later event can call it off. */
type TimerTag = 'answer' | 'scan' | 'banner' | 'other';

/** Called with each byte as its stop bit reaches the host, at emulated time `atNs`. */
export type LidarByteListener = (byte: number, atNs: bigint) => void;

const DEG = Math.PI / 180;
/** From a request's last byte to the first byte of the answer, ns. */
const ANSWER_DELAY_NS = 100_000;
const STOP_QUIET_NS = 1_000_000;
const REBOOT_NS = 3_000_000;
/** The device's own quality figure for a return (the A1 reports 15 for most). */
const RETURN_QUALITY = 15;
const BANNER = 'RP LIDAR System.\r\nFirmware Ver {fw} - rtm, HW Ver {hw}\r\nModel: {model}\r\n';
const DEFAULT_SERIAL = '4BE4F6A0C2E39AD3B8E59EF3365A3418';
/** Rotation wobble: ±1 % over a 2.7 s period. */
const WOBBLE = 0.01;
const WOBBLE_PERIOD_NS = 2.7e9;

export class EmulatedRplidar {
  /** The host end of the USB cable: hand it to the driver as its port. */
  readonly transport: EmulatedSerialPort;
  readonly spec: Readonly<RplidarModelSpec>;
  readonly #motorControl: EmulatedMotorControl;
  readonly #startNs: bigint;
  readonly #byteNs: number;
  readonly #serial: string;
  readonly #jitterDeg: number;
  #ranges: RangeSource;
  #random: () => number;
  /** Emulated ns since power-on (float: a character time is not a whole number of ns). */
  #t = 0;
  #running = false;
  #plugged = true;
  #protocol: 'rplidar' | OtherProtocol = 'rplidar';
  #silent = false;
  #cutAfter: number | undefined;
  #deafUntil = 0;
  #dtr = false;
  #pwm = 0;
  #spinSince: number | undefined;
  #health: { status: HealthStatus; errorCode: number } = { status: 'good', errorCode: 0 };
  #healthSurvivesReset = false;
  #scan: { force: boolean } | undefined;
  #sampleAt = Infinity;
  #lastSampleT = 0;
  #angle = 0;
  #startPending = false;
  #nodesThisTurn = 0;
  #timers: Array<{ at: number; tag: TimerTag; run: () => void }> = [];
  readonly #parser = new RequestParser();
  readonly #rx = new TimedByteQueue();
  readonly #tx = new TimedByteQueue();
  readonly #toHost: number[] = [];
  readonly #listeners: LidarByteListener[] = [];
  readonly #stats: EmulatedRplidarStats = {
    txBytes: 0,
    rxBytes: 0,
    nodes: 0,
    revolutions: 0,
    requests: {},
    ignoredBytes: 0,
    resets: 0,
  };

  constructor(options: EmulatedRplidarOptions = {}) {
    const base = RPLIDAR_MODELS[options.model ?? 'A1'];
    if (!base)
      throw new EmulatorError('BAD_NUMBER', 'model', `expected A1 or A2, found ${String(options.model)}`);
    const rotationHz = requireInRange(options.rotationHz ?? base.rotationHz, 'rotationHz', 0.5, 20);
    this.spec = Object.freeze({ ...base, rotationHz });
    this.#motorControl = options.motorControl ?? base.motorControl;
    this.#startNs = options.startNs ?? 0n;
    this.#byteNs = (10 * 1e9) / base.baud;
    this.#serial = options.serialNumber ?? DEFAULT_SERIAL;
    this.#jitterDeg = requireInRange(options.angleJitterDeg ?? 0.05, 'angleJitterDeg', 0, 5);
    this.#ranges = options.ranges ?? (() => Infinity);
    this.#random = mulberry32(options.seed ?? 1);
    this.transport = new EmulatedSerialPort(
      {
        hostWrite: (bytes) => this.#hostWrite(bytes),
        // Opening the port asserts DTR (termios' default), which stops an A1's motor.
        hostOpened: () => this.#setLines({ dtr: true }),
        hostSet: (lines) => this.#setLines(lines),
        // Closing drops DTR again: an A1's motor turns once no program holds its port.
        hostClosed: () => this.#setLines({ dtr: false }),
      },
      options.path ?? 'emulated:rplidar',
      base.baud,
    );
    this.#powerUp();
  }

  /** Emulated time reached, ns (on the clock given by `startNs`). */
  nowNs(): bigint {
    return this.#startNs + BigInt(Math.floor(this.#t));
  }

  advanceNs(ns: number | bigint): void {
    const delta = typeof ns === 'bigint' ? ns : BigInt(Math.round(requireInRange(ns, 'advanceNs', 0, 1e15)));
    if (delta < 0n) throw new EmulatorError('BAD_NUMBER', 'advanceNs', `expected ns ≥ 0, found ${delta}`);
    this.advanceTo(this.nowNs() + delta);
  }

  /** Runs the device until emulated time `timeNs`; bytes that reached the host by then are delivered. */
  advanceTo(timeNs: bigint): void {
    const end = Number(timeNs - this.#startNs);
    if (end <= this.#t) return;
    if (this.#running)
      throw new EmulatorError('UNSUPPORTED', 'advanceTo', 'called from inside a device callback');
    this.#running = true;
    try {
      for (;;) {
        const timerAt = this.#timers.length > 0 ? this.#timers[0]!.at : Infinity;
        const next = Math.min(this.#tx.nextAt, this.#rx.nextAt, timerAt, this.#sampleAt);
        if (next > end) break;
        if (next > this.#t) this.#t = next;
        if (this.#tx.nextAt <= this.#t) this.#deliverToHost();
        else if (this.#rx.nextAt <= this.#t) this.#receive(this.#rx.shift());
        else if (timerAt <= this.#t) this.#timers.shift()!.run();
        else this.#sample();
      }
      this.#t = end;
    } finally {
      this.#running = false;
      this.#flushToHost();
    }
  }

  /** Listens to bytes from the device as they reach the host, with their arrival time. */
  onSerialByte(listener: LidarByteListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /** What the device sees from now on. */
  setRanges(ranges: RangeSource): void {
    this.#ranges = ranges;
  }

  /**
   * GET_HEALTH's answer from now on; ERROR is protection stop (no nodes). RESET clears it, unless
   * `survivesReset` (a lasting fault, say a stalled motor).
   */
  setHealth(status: HealthStatus, errorCode = 0, options: { survivesReset?: boolean } = {}): void {
    this.#health = { status, errorCode: requireInRange(errorCode, 'errorCode', 0, 0xffff) };
    this.#healthSurvivesReset = options.survivesReset ?? false;
  }

  // ---- faults --------------------------------------------------------------------------------

  /** The firmware hangs: nothing more goes out and requests are ignored, until resume() or a power cycle. */
  goSilent(): void {
    this.#silent = true;
  }

  resume(): void {
    this.#silent = false;
  }

  /** The next packet (node, descriptor, answer) is cut after `keep` bytes, then the device goes silent. */
  stopMidPacket(keep = 2): void {
    this.#cutAfter = requireInRange(keep, 'keep', 1, 26);
  }

  /** Puts `bytes` on the wire now, between whatever else it sends. */
  sendGarbage(bytes: ArrayLike<number>): void {
    this.#send(Uint8Array.from(bytes), false);
  }

  /** Turns into another device on the same port ('rplidar' turns it back). */
  speak(protocol: 'rplidar' | OtherProtocol): void {
    this.#protocol = protocol;
    this.#scan = undefined;
    this.#sampleAt = Infinity;
    this.#parser.clear();
  }

  /** Pulls the USB cable: the port closes (DisconnectedError) and the device, USB-powered, is off. */
  unplug(): void {
    this.#plugged = false;
    this.#rx.clear();
    this.#tx.clear();
    this.#toHost.length = 0;
    this.#timers = [];
    this.#scan = undefined;
    this.#sampleAt = Infinity;
    this.#spinSince = undefined;
    this.#parser.clear();
    this.transport.unplug();
  }

  /** Plugs it back in: the device powers up afresh; the host opens the port again. */
  replug(): void {
    this.#plugged = true;
    this.transport.replug();
    this.#powerUp();
  }

  state(): EmulatedRplidarState {
    return {
      plugged: this.#plugged,
      protocol: this.#protocol,
      silent: this.#silent,
      scanning: this.#scan !== undefined,
      dtr: this.#dtr,
      pwm: this.#pwm,
      motorOn: this.#motorOn(),
      atSpeed: this.#atSpeed(),
      health: this.#health.status,
    };
  }

  stats(): EmulatedRplidarStats {
    return { ...this.#stats, requests: { ...this.#stats.requests } };
  }

  // ---- power and motor -----------------------------------------------------------------------

  #powerUp(): void {
    this.#silent = false;
    this.#cutAfter = undefined;
    this.#deafUntil = 0;
    this.#dtr = false; // no host holds the line yet
    this.#pwm = 0;
    if (!this.#healthSurvivesReset) this.#health = { status: 'good', errorCode: 0 };
    this.#scan = undefined;
    this.#sampleAt = Infinity;
    this.#spinSince = undefined;
    this.#updateMotor();
  }

  #setLines(lines: ModemLines): void {
    if (!this.#plugged) return;
    if (lines.dtr !== undefined) this.#dtr = lines.dtr;
    this.#updateMotor();
  }

  #motorOn(): boolean {
    if (!this.#plugged) return false;
    switch (this.#motorControl) {
      case 'dtr':
        return !this.#dtr;
      case 'pwm':
        return this.#pwm > 0;
      case 'none':
        return true;
    }
  }

  #updateMotor(): void {
    const on = this.#motorOn();
    if (on && this.#spinSince === undefined) this.#spinSince = this.#t;
    if (!on) this.#spinSince = undefined;
  }

  #atSpeed(): boolean {
    return this.#spinSince !== undefined && this.#t - this.#spinSince >= this.spec.spinUpNs;
  }

  /** Revolutions per second now: ramping up after the motor starts, wobbling a little. */
  #rotationHz(): number {
    if (this.#spinSince === undefined) return 0;
    const ramp = Math.min(1, (this.#t - this.#spinSince) / this.spec.spinUpNs);
    const duty = this.#motorControl === 'pwm' ? Math.min(1023, this.#pwm) / 660 : 1;
    const wobble = 1 + WOBBLE * Math.sin((2 * Math.PI * this.#t) / WOBBLE_PERIOD_NS);
    return this.spec.rotationHz * duty * ramp * wobble;
  }

  // ---- requests ------------------------------------------------------------------------------

  #hostWrite(bytes: Uint8Array): void {
    if (!this.#plugged) return;
    for (const byte of bytes) this.#rx.push(byte, Math.max(this.#t, this.#rx.lastAt) + this.#byteNs);
  }

  #receive(byte: number): void {
    this.#stats.rxBytes++;
    if (this.#silent || this.#t < this.#deafUntil) {
      this.#stats.ignoredBytes++;
      return;
    }
    if (this.#protocol !== 'rplidar') {
      // Another device: it answers a burst of host bytes once, 2 ms after the burst.
      const reply = OTHER_PROTOCOLS[this.#protocol].reply;
      this.#timers = this.#timers.filter((t) => t.tag !== 'other');
      this.#at(this.#t + 2_000_000, 'other', () => this.#send(reply, false));
      return;
    }
    this.#parser.push([byte]);
    for (let p = this.#parser.next(); p; p = this.#parser.next()) {
      if (p.kind === 'ignored') this.#stats.ignoredBytes += p.length;
      else this.#handle(p.request);
    }
  }

  #handle(request: Request): void {
    const requests = this.#stats.requests;
    requests[request.kind] = (requests[request.kind] ?? 0) + 1;
    const answerAt = this.#t + ANSWER_DELAY_NS;
    switch (request.kind) {
      case 'stop':
        this.#endScan();
        this.#deafUntil = this.#t + STOP_QUIET_NS;
        return;
      case 'reset':
        this.#endScan();
        this.#stats.resets++;
        this.#tx.clear(); // what was not yet on the wire dies with the firmware
        if (!this.#healthSurvivesReset) this.#health = { status: 'good', errorCode: 0 };
        this.#deafUntil = this.#t + REBOOT_NS;
        this.#parser.clear();
        this.#at(this.#t + REBOOT_NS, 'banner', () => this.#send(this.#banner(), false));
        return;
      case 'scan':
      case 'force_scan':
        this.#endScan();
        this.#at(answerAt, 'scan', () => this.#beginScan(request.kind === 'force_scan'));
        return;
      case 'get_info':
        this.#endScan();
        return this.#answer(answerAt, {
          kind: 'info',
          model: this.spec.model,
          firmwareMajor: this.spec.firmwareMajor,
          firmwareMinor: this.spec.firmwareMinor,
          hardware: this.spec.hardware,
          serialNumber: this.#serial,
        });
      case 'get_health':
        this.#endScan();
        return this.#answer(answerAt, { kind: 'health', ...this.#health });
      case 'get_samplerate':
        this.#endScan();
        return this.#answer(answerAt, {
          kind: 'samplerate',
          standardUs: this.spec.standardUs,
          expressUs: this.spec.expressUs,
        });
      case 'set_motor_pwm':
        if (this.#motorControl !== 'pwm') return; // an A1 has no motor controller to take it
        this.#pwm = request.pwm;
        this.#updateMotor();
        return;
    }
  }

  #answer(at: number, response: Response): void {
    const descriptor = encodeDescriptor(response.kind);
    const payload = encodeResponse(response);
    const packet = new Uint8Array(descriptor.length + payload.length);
    packet.set(descriptor);
    packet.set(payload, descriptor.length);
    this.#at(at, 'answer', () => this.#send(packet));
  }

  #beginScan(force: boolean): void {
    this.#send(encodeDescriptor('scan_node'));
    this.#scan = { force };
    this.#lastSampleT = this.#t;
    this.#startPending = false;
    this.#nodesThisTurn = 0;
    this.#sampleAt = this.#t + this.#sampleInterval();
  }

  #endScan(): void {
    this.#scan = undefined;
    this.#sampleAt = Infinity;
    this.#timers = this.#timers.filter((t) => t.tag !== 'scan'); // a scan about to start does not
  }

  // ---- scanning ------------------------------------------------------------------------------

  #sampleInterval(): number {
    return this.spec.standardUs * 1000 * (1 + 0.04 * (this.#random() - 0.5));
  }

  #sample(): void {
    const scan = this.#scan!;
    const dt = this.#t - this.#lastSampleT;
    this.#lastSampleT = this.#t;
    this.#sampleAt = this.#t + this.#sampleInterval();
    this.#angle += (360 * this.#rotationHz() * dt) / 1e9;
    if (this.#angle >= 360) {
      this.#angle %= 360;
      this.#startPending = true;
    }
    if (this.#health.status === 'error') return; // protection stop
    if (!scan.force && !this.#atSpeed()) return; // SCAN waits for a steady rotation
    const start = this.#startPending;
    this.#startPending = false;
    if (start && this.#nodesThisTurn > 0) this.#stats.revolutions++;
    if (start) this.#nodesThisTurn = 0;
    const atNs = this.#startNs + BigInt(Math.round(this.#t));
    let a = -this.#angle * DEG; // clockwise degrees → counter-clockwise radians in (-π, π]
    if (a <= -Math.PI) a += 2 * Math.PI;
    const r = this.#ranges(a, atNs);
    const inRange = Number.isFinite(r) && r >= this.spec.rangeMinM && r <= this.spec.rangeMaxM;
    const reported = this.#angle + this.#jitterDeg * 2 * (this.#random() - 0.5);
    const node = scanNode(reported, inRange ? r * 1000 : 0, inRange ? RETURN_QUALITY : 0, start);
    this.#nodesThisTurn++;
    this.#stats.nodes++;
    this.#send(encodeResponse(node));
  }

  // ---- the wire ------------------------------------------------------------------------------

  /** Queues a packet's bytes, each one character time after the previous; faults apply. */
  #send(packet: Uint8Array, isPacket = true): void {
    if (!this.#plugged || this.#silent) return;
    let bytes = packet;
    if (isPacket && this.#cutAfter !== undefined) {
      bytes = packet.subarray(0, Math.min(this.#cutAfter, packet.length));
      this.#cutAfter = undefined;
      this.#silent = true;
    }
    for (const byte of bytes) this.#tx.push(byte, Math.max(this.#t, this.#tx.lastAt) + this.#byteNs);
  }

  #deliverToHost(): void {
    const at = this.#tx.nextAt;
    const byte = this.#tx.shift();
    this.#stats.txBytes++;
    this.#toHost.push(byte);
    if (this.#listeners.length > 0) {
      const atNs = this.#startNs + BigInt(Math.ceil(at));
      for (const listener of this.#listeners) listener(byte, atNs);
    }
  }

  #flushToHost(): void {
    if (this.#toHost.length === 0) return;
    const bytes = Buffer.from(this.#toHost);
    this.#toHost.length = 0;
    this.transport.deliver(bytes);
  }

  #at(at: number, tag: TimerTag, run: () => void): void {
    this.#timers.push({ at, tag, run });
    this.#timers.sort((a, b) => a.at - b.at);
  }

  #banner(): Uint8Array {
    const s = this.spec;
    const text = BANNER.replace('{fw}', `${s.firmwareMajor}.${s.firmwareMinor}`)
      .replace('{hw}', String(s.hardware))
      .replace('{model}', s.model.toString(16).toUpperCase());
    return Uint8Array.from(Buffer.from(text, 'latin1'));
  }
}

function firmataFirmwareReport(major: number, minor: number, name: string): Uint8Array {
  const out = [0xf0, 0x79, major, minor];
  for (const c of Buffer.from(name, 'latin1')) out.push(c & 0x7f, c >> 7);
  out.push(0xf7);
  return Uint8Array.from(out);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same jitter, hence the same bytes. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
