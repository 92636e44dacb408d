/**
 * The RPLIDAR driver: the verbs an engineer would say (info, health, start a scan, stop, motor
 * on or off, reset) over an injected serial port with the `serialport` SerialPort API, and what
 * the device says back: scan nodes with their receive time, and every rejected byte, as events.
 * It keeps its state private, never throws on bytes from the device (it counts and reports them),
 * and knows when its link is gone: the port closed or errored. All timing (answers' deadlines, the
 * quiet time the device needs after STOP and RESET, a packet cut short by silence) is on the
 * injected clock and is looked at by check(), which the owner calls periodically.
 *
 * The protocol is one request at a time: a verb while another waits for its answer is refused
 * (BUSY). Byte offsets in rejections count from the driver's first byte, across links.
 */
import type { Clock } from '../../ros/index.js';
import type { LinkTarget } from '../reconnect.js';
import { RplidarDecoder, type Decoded, type Rejection } from './decoder.js';
import { LidarError, type LidarErrorCode, type RejectionCode } from './errors.js';
import {
  DEFAULT_MOTOR_PWM,
  answerOf,
  encodeDescriptor,
  encodeRequest,
  hexText,
  requestName,
  type DeviceInfo,
  type Health,
  type Request,
  type RequestKind,
  type Response,
  type ResponseKind,
  type SampleRate,
  type ScanNode,
} from './protocol.js';

type Callback = (error?: Error | null) => void;

/** The part of serialport's SerialPort the driver uses (an emulated port offers the same). */
export interface LidarPort {
  readonly path?: string;
  readonly isOpen?: boolean;
  write(data: Buffer, callback?: Callback): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: (error?: Error | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'data' | 'close' | 'error', listener: (...args: never[]) => void): unknown;
  close(callback?: Callback): void;
  /** Modem lines; the A1's adapter drives the motor from DTR (asserted = stopped). */
  set?(options: { dtr?: boolean }, callback?: Callback): void;
  drain?(callback?: Callback): void;
}

/**
 * How the motor is switched, by board: on the A1 the USB adapter's DTR line drives the motor
 * (DTR asserted stops it); the A2/A3 take SET_MOTOR_PWM through their accessory board.
 */
export type MotorControl = 'dtr' | 'pwm';

export interface RplidarDriverOptions {
  clock: Clock;
  /** Default 'dtr' (A1). */
  motorControl?: MotorControl;
  /** SET_MOTOR_PWM duty when on, 1…1023 ('pwm' only). Default 660, Slamtec's default. */
  motorPwm?: number;
  /** ns a request waits for its answer. Default 1 s. */
  requestTimeoutNs?: bigint;
  /** ns the device is left alone after STOP before the next request (the protocol asks ≥ 1 ms). Default 2 ms. */
  stopQuietNs?: bigint;
  /** ns the device is left alone after RESET while it restarts; its boot banner is passed over. Default 50 ms. */
  resetQuietNs?: bigint;
  /** ns of silence after which a packet in progress counts as cut short. Default 50 ms. */
  idleFlushNs?: bigint;
  /** ns without a scan node, while scanning, after which the link is not `connected`. Default 500 ms. */
  nodeTimeoutNs?: bigint;
  /** Names the device in errors. Default the port's path, else 'rplidar'. */
  name?: string;
}

/** Why no port is attached. */
export type LinkDownReason = 'not_attached' | 'port_closed' | 'port_error' | 'silent' | 'detached';

export interface LinkChange {
  up: boolean;
  /** Set when down. */
  reason: LinkDownReason | undefined;
}
export interface NodeEvent {
  node: ScanNode;
  /** Clock time the node's bytes arrived. */
  atNs: bigint;
}
export interface RplidarDriverEvents {
  node: NodeEvent;
  rejected: Rejection;
  link: LinkChange;
}

export interface RplidarDriverStatus {
  attached: boolean;
  /** The scan descriptor came and no request has ended the scan since. */
  scanning: boolean;
  /** Scanning and a node came within the node timeout. */
  connected: boolean;
  reason: LinkDownReason | undefined;
  /** The request waiting for its answer, by its protocol name. */
  waitingFor: string | undefined;
  bytes: number;
  nodes: number;
  /** Answers and descriptors (not nodes). */
  responses: number;
  /** Nodes that came while not scanning (in flight after a STOP). */
  strayNodes: number;
  rejections: number;
  rejectedBytes: number;
  rejectedBytesByCode: Record<RejectionCode, number>;
  lastRejection: string | undefined;
  /** Bytes passed over after RESET (the boot banner). */
  bannerBytes: number;
  requestsSent: number;
  requestsUnanswered: number;
  links: number;
  losses: number;
  listenerErrors: number;
  /** ns since the last node, while attached. */
  nodeAgeNs: bigint | undefined;
  silentForNs: bigint;
}

const MS = 1_000_000n;

interface Outgoing {
  request: Request;
  bytes: Uint8Array;
  /** Quiet time the device needs after this request. */
  quietNs: bigint;
  written?: () => void;
  failed?: (error: LidarError) => void;
}

interface Waiting {
  kind: RequestKind;
  answer: ResponseKind;
  sentNs: bigint | undefined;
  bytesSince: number;
  shown: number[];
  packetsSince: number;
  resolve: (r: Response | undefined) => void;
  reject: (e: LidarError) => void;
}

type Listeners = { [K in keyof RplidarDriverEvents]: Set<(e: RplidarDriverEvents[K]) => void> };

export class RplidarDriver implements LinkTarget<LidarPort> {
  readonly #clock: Clock;
  readonly #motorControl: MotorControl;
  readonly #motorPwm: number;
  readonly #requestTimeoutNs: bigint;
  readonly #stopQuietNs: bigint;
  readonly #resetQuietNs: bigint;
  readonly #idleFlushNs: bigint;
  readonly #nodeTimeoutNs: bigint;
  readonly #name: string | undefined;
  readonly #decoder = new RplidarDecoder();
  readonly #listeners: Listeners = { node: new Set(), rejected: new Set(), link: new Set() };

  #port: LidarPort | undefined;
  /** The last port's path: errors keep naming the device after its port is gone. */
  #path: string | undefined;
  #portListeners: Array<['data' | 'close' | 'error', (...args: never[]) => void]> = [];
  #reason: LinkDownReason = 'not_attached';
  #attachedNs = 0n;
  #lastPacketNs: bigint | undefined;
  #lastByteNs = 0n;
  #lastNodeNs: bigint | undefined;
  #scanning = false;
  /** Bytes are the boot banner until the next request goes out. */
  #banner = false;
  #quietUntilNs = 0n;
  readonly #outbox: Outgoing[] = [];
  #waiting: Waiting | undefined;
  /** What the last check() found past its deadline; acted on only if the next finds it so too. */
  #overdue: { request: Waiting | undefined; silenceAfterNs: bigint | undefined } = {
    request: undefined,
    silenceAfterNs: undefined,
  };
  readonly #counts = {
    strayNodes: 0,
    bannerBytes: 0,
    requestsSent: 0,
    requestsUnanswered: 0,
    links: 0,
    losses: 0,
    listenerErrors: 0,
  };

  /** `port` may be undefined when a LidarConnection will attach one. */
  constructor(port: LidarPort | undefined, options: RplidarDriverOptions) {
    this.#clock = options.clock;
    this.#motorControl = options.motorControl ?? 'dtr';
    const pwm = options.motorPwm ?? DEFAULT_MOTOR_PWM;
    if (!Number.isInteger(pwm) || pwm < 1 || pwm > 1023) {
      throw new LidarError('PARAM_INVALID', 'motorPwm', `expected an integer 1…1023, found ${pwm}`);
    }
    this.#motorPwm = pwm;
    this.#requestTimeoutNs = options.requestTimeoutNs ?? 1000n * MS;
    this.#stopQuietNs = options.stopQuietNs ?? 2n * MS;
    this.#resetQuietNs = options.resetQuietNs ?? 50n * MS;
    this.#idleFlushNs = options.idleFlushNs ?? 50n * MS;
    this.#nodeTimeoutNs = options.nodeTimeoutNs ?? 500n * MS;
    this.#name = options.name;
    if (port) this.attach(port);
  }

  // ---- verbs ---------------------------------------------------------------------------------

  /** GET_INFO: model, firmware, hardware, serial number. */
  async info(): Promise<DeviceInfo> {
    return (await this.#ask({ kind: 'get_info' })) as DeviceInfo;
  }

  /** GET_HEALTH: good, warning or error, with the device's error code. */
  async health(): Promise<Health> {
    return (await this.#ask({ kind: 'get_health' })) as Health;
  }

  /** GET_SAMPLERATE: µs per sample in standard and express scan. */
  async sampleRate(): Promise<SampleRate> {
    return (await this.#ask({ kind: 'get_samplerate' })) as SampleRate;
  }

  /**
   * SCAN (or FORCE_SCAN, which measures even while the motor is not up to speed): resolves once
   * the device has announced the scan; its nodes then come as 'node' events.
   */
  async startScan(options: { force?: boolean } = {}): Promise<void> {
    await this.#ask({ kind: options.force ? 'force_scan' : 'scan' }); // its descriptor sets #scanning
  }

  /** STOP: the device ends its scan; a request waiting for its answer is given up. */
  stop(): void {
    this.#scanning = false;
    this.#cancelWaiting('stop');
    this.#send({ kind: 'stop' }, this.#stopQuietNs);
  }

  /** RESET: the device restarts (its boot banner is passed over); a waiting request is given up. */
  reset(): void {
    this.#scanning = false;
    this.#cancelWaiting('reset');
    this.#send({ kind: 'reset' }, this.#resetQuietNs, () => (this.#banner = true));
  }

  /**
   * Switches the motor: DTR released (on) or asserted (off) on an A1, SET_MOTOR_PWM with the duty
   * (on) or 0 (off) on an A2/A3. Resolves once done; rejects with MOTOR_CONTROL when the adapter
   * refuses the DTR line (a pty has none), NOT_ATTACHED or LINK_LOST.
   */
  motor(on: boolean): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.reject(this.#error('NOT_ATTACHED', 'no port to switch the motor on'));
    if (this.#motorControl === 'pwm') {
      return new Promise((resolve, reject) =>
        this.#send({ kind: 'set_motor_pwm', pwm: on ? this.#motorPwm : 0 }, 0n, resolve, reject),
      );
    }
    return new Promise((resolve, reject) => {
      if (!port.set) return reject(this.#error('MOTOR_CONTROL', 'the port cannot set DTR'));
      port.set({ dtr: !on }, (e) =>
        e ? reject(this.#error('MOTOR_CONTROL', `cannot set DTR: ${e.message}`)) : resolve(),
      );
    });
  }

  // ---- link ----------------------------------------------------------------------------------

  /** Takes `port` as the device's port, replacing any other. */
  attach(port: LidarPort): void {
    if (this.#port) this.detach('detached');
    this.#port = port;
    this.#path = port.path ?? this.#path;
    const on = <E extends 'data' | 'close' | 'error'>(event: E, listener: (...args: never[]) => void) => {
      port.on(event as 'data', listener as (chunk: Buffer) => void);
      this.#portListeners.push([event, listener]);
    };
    on('data', (chunk: Buffer) => {
      if (this.#port === port) this.#onData(chunk);
    });
    on('close', () => {
      if (this.#port === port) this.detach('port_closed');
    });
    on('error', () => {
      if (this.#port === port) this.detach('port_error', { closePort: true });
    });
    const now = this.#clock.nowNs();
    this.#attachedNs = now;
    this.#lastByteNs = now;
    this.#lastPacketNs = undefined;
    this.#lastNodeNs = undefined;
    this.#quietUntilNs = now;
    this.#scanning = false;
    this.#banner = false;
    this.#counts.links++;
    this.#emit('link', { up: true, reason: undefined });
  }

  /**
   * Lets go of the port: a waiting request fails with LINK_LOST, a packet in progress counts as
   * cut short. With `closePort`, also closes the port (after what was written has gone out).
   */
  detach(reason: LinkDownReason = 'detached', options: { closePort?: boolean } = {}): void {
    const port = this.#port;
    if (!port) return;
    this.#port = undefined;
    this.#reason = reason;
    this.#scanning = false;
    // The 'error' listener stays, inert: a closing serial port can still report an error after
    // we let go, and an EventEmitter with no 'error' listener throws.
    for (const [event, listener] of this.#portListeners)
      if (event !== 'error') port.removeListener(event, listener);
    this.#portListeners = [];
    const lost = this.#error('LINK_LOST', `link lost (${reason})`);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(lost);
    for (const out of this.#outbox.splice(0)) out.failed?.(lost);
    this.#decoder.flush('end of stream');
    this.#drain();
    if (options.closePort) closeQuietly(port);
    this.#counts.losses++;
    this.#emit('link', { up: false, reason });
  }

  /**
   * Looks at the clock: sends what waited for the device's quiet time, gives up on late answers,
   * cuts packets left hanging. A deadline counts only when two checks in a row find it passed:
   * after the process was held up (a loaded machine, a long garbage collection) the first check
   * runs before the bytes that came meanwhile are read (Node runs timers before I/O), so on its
   * own it would give up on an answer already here, or cut a packet whose end is already here.
   */
  check(): void {
    if (!this.#port) return;
    const now = this.#clock.nowNs();
    this.#flushOutbox(now);
    const seen = this.#overdue;
    this.#overdue = { request: undefined, silenceAfterNs: undefined };
    const w = this.#waiting;
    if (w?.sentNs !== undefined && now - w.sentNs > this.#requestTimeoutNs) {
      if (seen.request === w) {
        this.#waiting = undefined;
        this.#counts.requestsUnanswered++;
        w.reject(this.#unanswered(w));
      } else this.#overdue.request = w;
    }
    if (this.#decoder.pending > 0 && now - this.#lastByteNs > this.#idleFlushNs) {
      if (seen.silenceAfterNs === this.#lastByteNs) {
        this.#decoder.flush('silence');
        this.#drain();
      } else this.#overdue.silenceAfterNs = this.#lastByteNs;
    }
  }

  /** ns since the device last sent a valid packet (or since attaching, before any); 0 when detached. */
  silentForNs(): bigint {
    if (!this.#port) return 0n;
    const since = this.#lastPacketNs ?? this.#attachedNs;
    return this.#clock.nowNs() - since;
  }

  dropSilent(): void {
    this.detach('silent', { closePort: true });
  }

  release(): void {
    this.detach('detached', { closePort: true });
  }

  get attached(): boolean {
    return this.#port !== undefined;
  }

  get scanning(): boolean {
    return this.#scanning;
  }

  get connected(): boolean {
    return (
      this.#scanning &&
      this.#lastNodeNs !== undefined &&
      this.#clock.nowNs() - this.#lastNodeNs <= this.#nodeTimeoutNs
    );
  }

  /** The device's name in errors: the option, else the (last) port's path. */
  get name(): string {
    return this.#name ?? this.#path ?? 'rplidar';
  }

  on<K extends keyof RplidarDriverEvents>(
    event: K,
    listener: (e: RplidarDriverEvents[K]) => void,
  ): () => void {
    const set = this.#listeners[event] as Set<(e: RplidarDriverEvents[K]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  status(): RplidarDriverStatus {
    const d = this.#decoder.stats();
    const now = this.#clock.nowNs();
    return {
      attached: this.attached,
      scanning: this.#scanning,
      connected: this.connected,
      reason: this.#port ? undefined : this.#reason,
      waitingFor: this.#waiting && requestName(this.#waiting.kind),
      bytes: d.bytes,
      nodes: d.nodes - this.#counts.strayNodes,
      responses: d.responses + d.descriptors,
      strayNodes: this.#counts.strayNodes,
      rejections: d.rejections,
      rejectedBytes: d.rejectedBytes,
      rejectedBytesByCode: d.rejectedBytesByCode,
      lastRejection: d.lastRejection,
      bannerBytes: this.#counts.bannerBytes,
      requestsSent: this.#counts.requestsSent,
      requestsUnanswered: this.#counts.requestsUnanswered,
      links: this.#counts.links,
      losses: this.#counts.losses,
      listenerErrors: this.#counts.listenerErrors,
      nodeAgeNs: this.#port && this.#lastNodeNs !== undefined ? now - this.#lastNodeNs : undefined,
      silentForNs: this.silentForNs(),
    };
  }

  // ---- requests ------------------------------------------------------------------------------

  #ask(request: Request): Promise<Response | undefined> {
    const answer = answerOf(request.kind);
    if (!this.#port)
      return Promise.reject(this.#error('NOT_ATTACHED', `no port to send ${requestName(request.kind)} on`));
    if (this.#waiting) {
      return Promise.reject(
        this.#error(
          'BUSY',
          `${requestName(request.kind)} while ${requestName(this.#waiting.kind)} waits for its answer`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiting: Waiting = {
        kind: request.kind,
        answer: answer!,
        sentNs: undefined,
        bytesSince: 0,
        shown: [],
        packetsSince: 0,
        resolve,
        reject,
      };
      this.#waiting = waiting;
      this.#send(request, 0n, () => (waiting.sentNs = this.#clock.nowNs()));
    });
  }

  /** Queues `request`; it goes out now, or once the device's quiet time after the last one is over. */
  #send(request: Request, quietNs: bigint, written?: () => void, failed?: (e: LidarError) => void): void {
    if (!this.#port) {
      failed?.(this.#error('NOT_ATTACHED', `no port to send ${requestName(request.kind)} on`));
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeRequest(request);
    } catch (e) {
      failed?.(e as LidarError);
      return;
    }
    this.#outbox.push({ request, bytes, quietNs, ...(written && { written }), ...(failed && { failed }) });
    this.#flushOutbox(this.#clock.nowNs());
  }

  #flushOutbox(now: bigint): void {
    while (this.#outbox.length > 0 && this.#port && now >= this.#quietUntilNs) {
      const out = this.#outbox.shift()!;
      const port = this.#port;
      try {
        port.write(Buffer.from(out.bytes));
      } catch {
        out.failed?.(this.#error('LINK_LOST', `cannot write ${requestName(out.request.kind)}`));
        this.detach('port_error', { closePort: true });
        return;
      }
      this.#counts.requestsSent++;
      this.#banner = false;
      this.#quietUntilNs = now + out.quietNs;
      out.written?.();
    }
  }

  #cancelWaiting(by: RequestKind): void {
    const w = this.#waiting;
    if (!w) return;
    this.#waiting = undefined;
    w.reject(this.#error('CANCELLED', `${requestName(w.kind)} given up for ${requestName(by)}`));
  }

  /** Why a request went unanswered: silence, another protocol, or RPLIDAR packets but not the answer. */
  #unanswered(w: Waiting): LidarError {
    const name = requestName(w.kind);
    const ms = Number(this.#requestTimeoutNs / MS);
    const expected = `expected an RPLIDAR response descriptor ${hexText(encodeDescriptor(w.answer))}`;
    if (w.bytesSince === 0)
      return this.#error('NO_ANSWER', `no answer to ${name} within ${ms} ms (${expected})`);
    if (w.packetsSince === 0) {
      const more = w.bytesSince > w.shown.length ? ' …' : '';
      return this.#error(
        'NOT_RPLIDAR',
        `answered ${w.bytesSince} bytes that are not RPLIDAR (first bytes ${hexText(w.shown)}${more})`,
      );
    }
    return this.#error(
      'NO_ANSWER',
      `no answer to ${name} within ${ms} ms (${expected}; it sent ${w.bytesSince} bytes of other RPLIDAR traffic)`,
    );
  }

  #error(code: LidarErrorCode, what: string): LidarError {
    return new LidarError(code, this.name, what);
  }

  // ---- bytes from the device ----------------------------------------------------------------

  #onData(chunk: Buffer): void {
    const now = this.#clock.nowNs();
    this.#lastByteNs = now;
    if (this.#banner) {
      this.#decoder.skip(chunk.length);
      this.#counts.bannerBytes += chunk.length;
      return;
    }
    const w = this.#waiting;
    if (w?.sentNs !== undefined) {
      w.bytesSince += chunk.length;
      for (let i = 0; i < chunk.length && w.shown.length < 8; i++) w.shown.push(chunk[i]!);
    }
    this.#decoder.push(chunk);
    this.#drain(now);
  }

  #drain(now = this.#clock.nowNs()): void {
    for (let item = this.#decoder.next(); item; item = this.#decoder.next()) this.#onItem(item, now);
  }

  #onItem(item: Decoded, now: bigint): void {
    if (item.kind === 'rejected') {
      this.#emit('rejected', item.rejection);
      return;
    }
    this.#lastPacketNs = now;
    const w = this.#waiting;
    if (w?.sentNs !== undefined) w.packetsSince++;
    if (item.kind === 'descriptor') {
      if (item.answer !== 'scan_node') this.#scanning = false; // the device left its scan to answer
      if (w?.sentNs !== undefined && w.answer === 'scan_node' && item.answer === 'scan_node') {
        this.#waiting = undefined;
        this.#scanning = true;
        w.resolve(undefined);
      }
      return;
    }
    const r = item.response;
    if (r.kind === 'scan_node') {
      if (!this.#scanning) {
        this.#counts.strayNodes++;
        return;
      }
      this.#lastNodeNs = now;
      this.#emit('node', { node: r, atNs: now });
      return;
    }
    if (w?.sentNs !== undefined && w.answer === r.kind) {
      this.#waiting = undefined;
      w.resolve(r);
    }
  }

  #emit<K extends keyof RplidarDriverEvents>(event: K, e: RplidarDriverEvents[K]): void {
    for (const listener of this.#listeners[event] as Set<(e: RplidarDriverEvents[K]) => void>) {
      try {
        listener(e);
      } catch {
        // A listener's bug must not reach the port's data handler.
        this.#counts.listenerErrors++;
      }
    }
  }
}

/** Closes `port` once what was written has gone out; a port already gone is no error here. */
function closeQuietly(port: LidarPort): void {
  const close = () => {
    try {
      if (port.isOpen !== false) port.close(() => {});
    } catch {
      // Closing a port that is already gone is not worth more than the detach.
    }
  };
  try {
    if (port.drain && port.isOpen !== false) port.drain(close);
    else close();
  } catch {
    close();
  }
}
