/**
 * A drive-base client written from firmware-bridge/PROTOCOL.md and the Firmata specification
 * alone, as a third party would write one: it imports nothing of this project's host codec
 * (src/hardware), so the conformance suite and the round-trip bench check the board against the
 * specification, not against a second copy of the same code. It speaks bytes over a real serial
 * device (serialport on a pty) and splits what arrives into Firmata messages.
 */
import { SerialPort } from 'serialport';

// ---- framing (PROTOCOL.md §3.1) ----------------------------------------------------------------

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR. */
export function crc16(bytes: ArrayLike<number>): number {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i]! << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Firmata's Encoder7Bit: one LSB-first bit stream cut into 7-bit groups, the last zero-padded. */
export function pack7(raw: ArrayLike<number>): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < raw.length; i++) {
    acc |= raw[i]! << bits;
    bits += 8;
    while (bits >= 7) {
      out.push(acc & 0x7f);
      acc >>= 7;
      bits -= 7;
    }
  }
  if (bits > 0) out.push(acc & 0x7f);
  return out;
}

export function unpack7(packed: ArrayLike<number>, rawLength: number): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < packed.length && out.length < rawLength; i++) {
    acc |= packed[i]! << bits;
    bits += 7;
    if (bits >= 8) {
      out.push(acc & 0xff);
      acc >>= 8;
      bits -= 8;
    }
  }
  return out;
}

/** A whole drive-base frame: F0, command, the packed fields + CRC (over command and fields), F7. */
export function frame(command: number, fields: number[]): number[] {
  const crc = crc16([command, ...fields]);
  return [0xf0, command, ...pack7([...fields, crc & 0xff, crc >> 8]), 0xf7];
}

export const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];

export function setVelocity(seq: number, linearMmS: number, angularMradS: number): number[] {
  return frame(0x01, [...le16(seq), ...le16(linearMmS & 0xffff), ...le16(angularMradS & 0xffff)]);
}

/** Field counts of the board → host messages (raw bytes without the CRC). */
const BOARD_FIELDS: Record<number, number> = { 0x02: 3, 0x03: 25, 0x06: 10, 0x09: 2 };

/** The fields of a board → host drive-base Sysex (bytes between F0 and F7), or a reason it is bad. */
export function driveBaseFields(sysex: readonly number[]): number[] | string {
  const command = sysex[0]!;
  const n = BOARD_FIELDS[command];
  if (n === undefined) return `unknown board message 0x${command.toString(16)}`;
  const packed = sysex.slice(1);
  if (packed.length !== Math.ceil(((n + 2) * 8) / 7)) return `length ${packed.length}`;
  const raw = unpack7(packed, n + 2);
  const crc = raw[n]! | (raw[n + 1]! << 8);
  if (crc !== crc16([command, ...raw.slice(0, n)])) return 'crc';
  return raw.slice(0, n);
}

const u16 = (b: number[], at: number) => b[at]! | (b[at + 1]! << 8);
const i16 = (b: number[], at: number) => (u16(b, at) << 16) >> 16;
const i32 = (b: number[], at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);

export interface Telemetry {
  lastSeq: number;
  leftTicks: number;
  rightTicks: number;
  leftSpeed: number;
  rightSpeed: number;
  batteryMv: number;
  inputs: number;
  state: number;
  fault: number;
  rejected: number;
  uptimeMs: number;
}

export function telemetryOf(f: number[]): Telemetry {
  return {
    lastSeq: u16(f, 0),
    leftTicks: i32(f, 2),
    rightTicks: i32(f, 6),
    leftSpeed: i16(f, 10),
    rightSpeed: i16(f, 12),
    batteryMv: u16(f, 14),
    inputs: f[16]!,
    state: f[17]!,
    fault: f[18]!,
    rejected: u16(f, 19),
    uptimeMs: (i32(f, 21) >>> 0) as number,
  };
}

/** PROTOCOL.md §3.2: motors off (bit 2), wheels still (bit 4), no controlled stop (bit 5). */
export const isStopped = (t: Telemetry): boolean => (t.state & 0x34) === 0;

// ---- the byte stream as Firmata messages --------------------------------------------------------

export type Message =
  | { kind: 'version'; major: number; minor: number }
  | { kind: 'sysex'; bytes: number[] }
  | { kind: 'analog'; channel: number; value: number }
  | { kind: 'digital'; port: number; value: number };

export interface Received {
  message: Message;
  /** Offset of its first byte in everything received since open. */
  offset: number;
  /** The last telemetry's uptime before it (the board's clock, ms), or undefined. */
  afterUptimeMs: number | undefined;
}

/** Splits the board's bytes into Firmata messages (data bytes outside a message are skipped). */
class Splitter {
  #sysex: number[] | undefined;
  #status: number | undefined;
  #data: number[] = [];
  #offset = 0;
  #start = 0;

  push(bytes: Buffer, emit: (m: Message, offset: number) => void): void {
    for (const b of bytes) {
      const at = this.#offset++;
      if (b === 0xf0) {
        this.#sysex = [];
        this.#start = at;
      } else if (b === 0xf7 && this.#sysex) {
        emit({ kind: 'sysex', bytes: this.#sysex }, this.#start);
        this.#sysex = undefined;
      } else if (b >= 0x80) {
        this.#sysex = undefined;
        this.#status = b;
        this.#data = [];
        this.#start = at;
      } else if (this.#sysex) {
        this.#sysex.push(b);
      } else if (this.#status !== undefined) {
        this.#data.push(b);
        if (this.#data.length === 2) {
          this.#complete(emit);
          this.#status = undefined;
        }
      }
    }
  }

  #complete(emit: (m: Message, offset: number) => void): void {
    const [s, [d0, d1]] = [this.#status!, this.#data as [number, number]];
    if (s === 0xf9) emit({ kind: 'version', major: d0, minor: d1 }, this.#start);
    else if ((s & 0xf0) === 0xe0)
      emit({ kind: 'analog', channel: s & 0x0f, value: d0 | (d1 << 7) }, this.#start);
    else if ((s & 0xf0) === 0x90)
      emit({ kind: 'digital', port: s & 0x0f, value: d0 | (d1 << 7) }, this.#start);
  }
}

/** A byte-level client on a serial device at 115200 baud, 8N1. */
export class WireClient {
  readonly received: Received[] = [];
  readonly raw: number[] = [];
  #port: SerialPort;
  #splitter = new Splitter();
  #uptime: number | undefined;
  #waiters: Array<() => void> = [];

  private constructor(port: SerialPort) {
    this.#port = port;
    port.on('data', (bytes: Buffer) => {
      for (const b of bytes) this.raw.push(b);
      this.#splitter.push(bytes, (message, offset) => {
        this.received.push({ message, offset, afterUptimeMs: this.#uptime });
        const t = telemetryIn(message);
        if (t) this.#uptime = t.uptimeMs;
      });
      for (const wake of this.#waiters.splice(0)) wake();
    });
    port.on('error', () => undefined);
  }

  static open(path: string): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
      port.open((e) => (e ? reject(e) : resolve(new WireClient(port))));
    });
  }

  /** Resolves once serialport has written the bytes (not drained: tcdrain on a pty can take 100s of ms). */
  write(bytes: readonly number[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#port.write(Buffer.from(bytes), (e) => (e ? reject(e) : resolve())),
    );
  }

  /** The latest telemetry received. */
  get telemetry(): Telemetry | undefined {
    for (let i = this.received.length - 1; i >= 0; i--) {
      const t = telemetryIn(this.received[i]!.message);
      if (t) return t;
    }
    return undefined;
  }

  /**
   * Waits until `found` returns a value for what has been received (from index `from`). The
   * wall-time bound only guards against a hang; what is checked is the board's own clock.
   */
  async until<T>(
    found: (r: Received[]) => T | undefined,
    what: string,
    from = 0,
    boundMs = 30_000,
  ): Promise<T> {
    const deadline = performance.now() + boundMs;
    for (;;) {
      const value = found(this.received.slice(from));
      if (value !== undefined) return value;
      if (performance.now() > deadline) throw new Error(`no ${what} within ${boundMs} ms of wall time`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, 50);
        this.#waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  /** Waits for telemetry whose uptime is at least `uptimeMs` (the board's time has passed it). */
  untilUptime(uptimeMs: number): Promise<Telemetry> {
    return this.until(
      (r) =>
        r
          .map((x) => telemetryIn(x.message))
          .find((t): t is Telemetry => t !== undefined && t.uptimeMs >= uptimeMs),
      `telemetry at uptime ${uptimeMs} ms`,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#port.isOpen ? this.#port.close(() => resolve()) : resolve()));
  }
}

/** A drive-base message of `command` in a received message, with its fields, else undefined. */
export function driveBaseIn(m: Message, command: number): number[] | undefined {
  if (m.kind !== 'sysex' || m.bytes[0] !== command) return undefined;
  const f = driveBaseFields(m.bytes);
  return typeof f === 'string' ? undefined : f;
}

export function telemetryIn(m: Message): Telemetry | undefined {
  const f = driveBaseIn(m, 0x03);
  return f && telemetryOf(f);
}
