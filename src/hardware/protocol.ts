/**
 * The drive-base wire protocol (firmware-bridge/PROTOCOL.md §3): typed frames, their fixed
 * little-endian layouts, CRC-16/CCITT-FALSE, Firmata's 7-bit packing, and a stream decoder that
 * picks drive-base Sysex frames out of a serial byte stream and tells plain Firmata traffic
 * apart, so it can sit beside firmata.js (fed one Sysex at a time) or read the port alone.
 * Pure: no I/O, no clock.
 */
import { HardwareError, PROTOCOL_ERROR_CODES, ProtocolError, type ProtocolErrorCode } from './errors.js';
import { Fifo } from './fifo.js';

export const SYSEX_START = 0xf0;
export const SYSEX_END = 0xf7;

// ---- frames ----------------------------------------------------------------------------------

/**
 * VELOCITY_ACK status, by its wire value (index): accepted, accepted but clamped to the limits,
 * or refused and not acted on because a stop is latched, the seq is not newer than the last
 * accepted one (a replayed or reordered command), or the battery is low (PROTOCOL.md §3.2).
 */
export const ACK_STATUSES = [
  'accepted',
  'clamped',
  'refused_latched',
  'refused_stale',
  'refused_battery_low',
] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

/**
 * PROTOCOL.md §3.3: `seq` comes after `last` in 16-bit serial-number arithmetic,
 * 1 ≤ (seq − last) mod 65536 ≤ 32767. The board accepts only such commands.
 */
export function seqNewer(seq: number, last: number): boolean {
  const ahead = (seq - last) & 0xffff;
  return ahead >= 1 && ahead <= 0x7fff;
}

/** COMMAND_ACK status, by its wire value (index): SET_LEDS is always 'done'; CLEAR_STOP any. */
export const COMMAND_ACK_STATUSES = ['done', 'nothing_to_do', 'refused_pressed'] as const;
export type CommandAckStatus = (typeof COMMAND_ACK_STATUSES)[number];
/** The commands COMMAND_ACK answers. */
export type AcknowledgedCommand = 'set_leds' | 'clear_stop';

/** SET_LEDS pattern, by its wire value (index). */
export const LED_PATTERNS = ['off', 'idle', 'guiding', 'waiting', 'error', 'steady'] as const;
export type LedPattern = (typeof LED_PATTERNS)[number];

/** TELEMETRY `fault`: the reason of the latest stop, by its wire value (index). */
export const FAULTS = ['none', 'bumper', 'estop', 'cmd_timeout', 'battery_low', 'encoder'] as const;
export type FaultName = (typeof FAULTS)[number];

/** The board's configuration (SET_CONFIG / CONFIG_REPORT), in the board's integer units. */
export interface DriveConfig {
  /** mm between the wheels' contact points. */
  wheelBaseMm: number;
  /** Counted encoder edges per metre of wheel travel. */
  ticksPerM: number;
  /** mm/s, per wheel and forward. */
  maxSpeedMmS: number;
  /** mm/s² per wheel. */
  maxAccelMmS2: number;
  /** mrad/s. */
  maxAngularMradS: number;
}

/** PROTOCOL.md §5: what the board runs with until it gets a SET_CONFIG. */
export const DEFAULT_DRIVE_CONFIG: Readonly<DriveConfig> = Object.freeze({
  wheelBaseMm: 420,
  ticksPerM: 2000,
  maxSpeedMmS: 1000,
  maxAccelMmS2: 800,
  maxAngularMradS: 1500,
});

/** PROTOCOL.md §5: a SET_CONFIG outside these inclusive ranges is a bad frame. */
export const CONFIG_RANGES: Readonly<Record<keyof DriveConfig, readonly [number, number]>> = Object.freeze({
  wheelBaseMm: [100, 1000],
  ticksPerM: [100, 20000],
  maxSpeedMmS: [50, 3000],
  maxAccelMmS2: [50, 5000],
  maxAngularMradS: [100, 6000],
});

export interface TelemetryFrame {
  kind: 'telemetry';
  /** The last accepted SET_VELOCITY seq. */
  lastSeq: number;
  /** Cumulative encoder edges since start-up, wrapping int32. */
  leftTicks: number;
  rightTicks: number;
  /** mm/s measured over the last 20 ms. */
  leftSpeedMmS: number;
  rightSpeedMmS: number;
  batteryMv: number;
  /** Bit 0 bumper pressed, bit 1 e-stop pressed (as read now). */
  inputs: number;
  /**
   * Bit 0 stop latched, 1 command timeout, 2 motors driving, 3 default configuration, 4 a wheel
   * turning (measured speed not zero), 5 a controlled stop ramping down.
   */
  state: number;
  /** Index into FAULTS; kept as the wire number so a newer firmware's fault is not lost. */
  fault: number;
  /** Frames the board rejected since start-up (wrapping u16). */
  rejectedFrames: number;
  /** ms since start-up (wrapping u32). */
  uptimeMs: number;
}

/** Every drive-base message, host → board and board → host (PROTOCOL.md §3.2). */
export type Frame =
  | { kind: 'set_velocity'; seq: number; linearMmS: number; angularMradS: number }
  | { kind: 'velocity_ack'; seq: number; status: AckStatus }
  | TelemetryFrame
  | { kind: 'set_leds'; pattern: LedPattern; red: number; green: number; blue: number }
  | { kind: 'set_config'; config: DriveConfig }
  | { kind: 'config_report'; config: DriveConfig }
  | { kind: 'clear_stop' }
  | { kind: 'query_config' }
  | { kind: 'command_ack'; command: AcknowledgedCommand; status: CommandAckStatus };
export type FrameKind = Frame['kind'];
export type FrameOf<K extends FrameKind> = Extract<Frame, { kind: K }>;

/** Who sends each frame: the host decodes only 'board' frames as replies. */
export type Direction = 'host' | 'board';

/** CLEAR_STOP's magic byte: a single flipped bit elsewhere can never spell a clear. */
const CLEAR_STOP_MAGIC = 0xa5;

// ---- layouts ---------------------------------------------------------------------------------

type IntType = 'u8' | 'u16' | 'i16' | 'i32' | 'u32';
const INT: Record<IntType, { min: number; max: number; bytes: number }> = {
  u8: { min: 0, max: 0xff, bytes: 1 },
  u16: { min: 0, max: 0xffff, bytes: 2 },
  i16: { min: -0x8000, max: 0x7fff, bytes: 2 },
  i32: { min: -0x80000000, max: 0x7fffffff, bytes: 4 },
  u32: { min: 0, max: 0xffffffff, bytes: 4 },
};

export interface FieldProblem {
  /** Wire name of the field, as PROTOCOL.md spells it. */
  field: string;
  expected: string;
  found: string;
}

interface Codec<K extends FrameKind> {
  command: number;
  sender: Direction;
  /** Fields in wire order, named as PROTOCOL.md names them. */
  layout: ReadonlyArray<readonly [string, IntType]>;
  /** The frame's field values in layout order. */
  values(frame: FrameOf<K>): number[];
  /** Domain rules beyond the integer type (enums, ranges, magic); undefined when fine. */
  check?(v: ArrayLike<number>): FieldProblem | undefined;
  /** Builds the frame from checked values. */
  frame(v: ArrayLike<number>): FrameOf<K>;
}

const CONFIG_LAYOUT = [
  ['wheel_base_mm', 'u16'],
  ['ticks_per_m', 'u16'],
  ['max_speed_mm_s', 'u16'],
  ['max_accel_mm_s2', 'u16'],
  ['max_angular_mrad_s', 'u16'],
] as const;
const CONFIG_KEYS = [
  'wheelBaseMm',
  'ticksPerM',
  'maxSpeedMmS',
  'maxAccelMmS2',
  'maxAngularMradS',
] as const satisfies ReadonlyArray<keyof DriveConfig>;

const configValues = (c: DriveConfig): number[] => CONFIG_KEYS.map((k) => c[k]);
const configFrom = (v: ArrayLike<number>): DriveConfig => ({
  wheelBaseMm: v[0]!,
  ticksPerM: v[1]!,
  maxSpeedMmS: v[2]!,
  maxAccelMmS2: v[3]!,
  maxAngularMradS: v[4]!,
});
function checkConfigValues(v: ArrayLike<number>): FieldProblem | undefined {
  for (let i = 0; i < CONFIG_KEYS.length; i++) {
    const [min, max] = CONFIG_RANGES[CONFIG_KEYS[i]!];
    const x = v[i]!;
    if (x < min || x > max) return { field: CONFIG_LAYOUT[i]![0], expected: `${min}…${max}`, found: `${x}` };
  }
  return undefined;
}

function enumCheck(field: string, names: readonly string[], value: number): FieldProblem | undefined {
  return value < names.length
    ? undefined
    : { field, expected: `0…${names.length - 1} (${names.join(', ')})`, found: `${value}` };
}

const CODECS: { readonly [K in FrameKind]: Codec<K> } = {
  set_velocity: {
    command: 0x01,
    sender: 'host',
    layout: [
      ['seq', 'u16'],
      ['linear_mm_s', 'i16'],
      ['angular_mrad_s', 'i16'],
    ],
    values: (f) => [f.seq, f.linearMmS, f.angularMradS],
    frame: (v) => ({ kind: 'set_velocity', seq: v[0]!, linearMmS: v[1]!, angularMradS: v[2]! }),
  },
  velocity_ack: {
    command: 0x02,
    sender: 'board',
    layout: [
      ['seq', 'u16'],
      ['status', 'u8'],
    ],
    values: (f) => [f.seq, ACK_STATUSES.indexOf(f.status)],
    check: (v) => enumCheck('status', ACK_STATUSES, v[1]!),
    frame: (v) => ({ kind: 'velocity_ack', seq: v[0]!, status: ACK_STATUSES[v[1]!]! }),
  },
  telemetry: {
    command: 0x03,
    sender: 'board',
    layout: [
      ['last_seq', 'u16'],
      ['left_ticks', 'i32'],
      ['right_ticks', 'i32'],
      ['left_speed_mm_s', 'i16'],
      ['right_speed_mm_s', 'i16'],
      ['battery_mv', 'u16'],
      ['inputs', 'u8'],
      ['state', 'u8'],
      ['fault', 'u8'],
      ['rejected_frames', 'u16'],
      ['uptime_ms', 'u32'],
    ],
    values: (f) => [
      f.lastSeq,
      f.leftTicks,
      f.rightTicks,
      f.leftSpeedMmS,
      f.rightSpeedMmS,
      f.batteryMv,
      f.inputs,
      f.state,
      f.fault,
      f.rejectedFrames,
      f.uptimeMs,
    ],
    frame: (v) => ({
      kind: 'telemetry',
      lastSeq: v[0]!,
      leftTicks: v[1]!,
      rightTicks: v[2]!,
      leftSpeedMmS: v[3]!,
      rightSpeedMmS: v[4]!,
      batteryMv: v[5]!,
      inputs: v[6]!,
      state: v[7]!,
      fault: v[8]!,
      rejectedFrames: v[9]!,
      uptimeMs: v[10]!,
    }),
  },
  set_leds: {
    command: 0x04,
    sender: 'host',
    layout: [
      ['pattern', 'u8'],
      ['red', 'u8'],
      ['green', 'u8'],
      ['blue', 'u8'],
    ],
    values: (f) => [LED_PATTERNS.indexOf(f.pattern), f.red, f.green, f.blue],
    check: (v) => enumCheck('pattern', LED_PATTERNS, v[0]!),
    frame: (v) => ({
      kind: 'set_leds',
      pattern: LED_PATTERNS[v[0]!]!,
      red: v[1]!,
      green: v[2]!,
      blue: v[3]!,
    }),
  },
  set_config: {
    command: 0x05,
    sender: 'host',
    layout: CONFIG_LAYOUT,
    values: (f) => configValues(f.config),
    check: checkConfigValues,
    frame: (v) => ({ kind: 'set_config', config: configFrom(v) }),
  },
  config_report: {
    command: 0x06,
    sender: 'board',
    layout: CONFIG_LAYOUT,
    values: (f) => configValues(f.config),
    // Odometry divides by these: a report outside the board's own ranges is not believed.
    check: checkConfigValues,
    frame: (v) => ({ kind: 'config_report', config: configFrom(v) }),
  },
  clear_stop: {
    command: 0x07,
    sender: 'host',
    layout: [['magic', 'u8']],
    values: () => [CLEAR_STOP_MAGIC],
    check: (v) =>
      v[0] === CLEAR_STOP_MAGIC ? undefined : { field: 'magic', expected: '0xa5', found: hex(v[0]!) },
    frame: () => ({ kind: 'clear_stop' }),
  },
  query_config: {
    command: 0x08,
    sender: 'host',
    layout: [],
    values: () => [],
    frame: () => ({ kind: 'query_config' }),
  },
  command_ack: {
    command: 0x09,
    sender: 'board',
    layout: [
      ['command', 'u8'],
      ['status', 'u8'],
    ],
    values: (f) => [ACKNOWLEDGED_COMMANDS[f.command], COMMAND_ACK_STATUSES.indexOf(f.status)],
    check: (v) =>
      v[0] === 0x04 || v[0] === 0x07
        ? enumCheck('status', COMMAND_ACK_STATUSES, v[1]!)
        : { field: 'command', expected: '0x04 (SET_LEDS) or 0x07 (CLEAR_STOP)', found: hex(v[0]!) },
    frame: (v) => ({
      kind: 'command_ack',
      command: v[0] === 0x04 ? 'set_leds' : 'clear_stop',
      status: COMMAND_ACK_STATUSES[v[1]!]!,
    }),
  },
};

/** COMMAND_ACK's `command` field: the id of the command it answers. */
const ACKNOWLEDGED_COMMANDS: Record<AcknowledgedCommand, number> = { set_leds: 0x04, clear_stop: 0x07 };

const FRAME_KINDS = Object.keys(CODECS) as FrameKind[];
const fieldBytesOf = (c: Codec<FrameKind>): number => c.layout.reduce((n, [, t]) => n + INT[t].bytes, 0);

/** Per command byte (0x00–0x0F): the codec, its raw length incl. CRC and its packed length. */
interface CommandInfo {
  kind: FrameKind;
  codec: Codec<FrameKind>;
  fieldBytes: number;
  rawLength: number;
  packedLength: number;
}
const BY_COMMAND: Array<CommandInfo | undefined> = new Array(16).fill(undefined);
const BY_KIND = {} as Record<FrameKind, CommandInfo>;
for (const kind of FRAME_KINDS) {
  const codec = CODECS[kind] as unknown as Codec<FrameKind>;
  const fieldBytes = fieldBytesOf(codec);
  const info = {
    kind,
    codec,
    fieldBytes,
    rawLength: fieldBytes + 2,
    packedLength: packedLength(fieldBytes + 2),
  };
  BY_COMMAND[codec.command] = info;
  BY_KIND[kind] = info;
}
const MAX_RAW = Math.max(...FRAME_KINDS.map((k) => BY_KIND[k].rawLength));
const MAX_PACKED = packedLength(MAX_RAW);
const MAX_FIELDS = Math.max(...FRAME_KINDS.map((k) => CODECS[k].layout.length));

/** Firmata's user-defined Sysex range, which the drive base owns (PROTOCOL.md §3). */
const USER_SYSEX_MIN = 0x01;
const USER_SYSEX_MAX = 0x0f;

export function commandOf(kind: FrameKind): number {
  return BY_KIND[kind].codec.command;
}
export function kindOfCommand(command: number): FrameKind | undefined {
  return BY_COMMAND[command]?.kind;
}
export function senderOf(kind: FrameKind): Direction {
  return BY_KIND[kind].codec.sender;
}
/** The frame's size on the wire, F0 and F7 included. */
export function frameLength(kind: FrameKind): number {
  return BY_KIND[kind].packedLength + 3;
}
/** Every command byte the drive base uses. */
export const DRIVE_BASE_COMMANDS: readonly number[] = FRAME_KINDS.map((k) => BY_KIND[k].codec.command);

// ---- CRC-16/CCITT-FALSE and 7-bit packing ----------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
    t[i] = c & 0xffff;
  }
  return t;
})();

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR); `crc` continues a run. */
export function crc16(bytes: ArrayLike<number>, crc = 0xffff, start = 0, end = bytes.length): number {
  for (let i = start; i < end; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!) & 0xffff;
  return crc;
}

/** ⌈8n/7⌉: how many 7-bit bytes n raw bytes pack into. */
export function packedLength(rawLength: number): number {
  return Math.ceil((rawLength * 8) / 7);
}

/**
 * Firmata's Encoder7Bit: the raw bytes as one LSB-first bit stream cut into 7-bit groups, the
 * last group zero-padded. Writes into `out` at `at`; returns the number of bytes written.
 */
export function pack7(raw: ArrayLike<number>, out: Uint8Array, at = 0): number {
  let acc = 0;
  let bits = 0;
  let o = at;
  for (let i = 0; i < raw.length; i++) {
    acc |= (raw[i]! & 0xff) << bits;
    bits += 8;
    while (bits >= 7) {
      out[o++] = acc & 0x7f;
      acc >>>= 7;
      bits -= 7;
    }
  }
  if (bits > 0) out[o++] = acc & 0x7f;
  return o - at;
}

/**
 * Unpacks `length` 7-bit bytes of `packed` from `start` into `out` (⌊7·length/8⌋ bytes).
 * Returns the leftover padding bits, which a well-formed frame has all zero.
 */
export function unpack7(packed: ArrayLike<number>, start: number, length: number, out: Uint8Array): number {
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = start; i < start + length; i++) {
    acc |= (packed[i]! & 0x7f) << bits;
    bits += 7;
    if (bits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  return acc;
}

// ---- encoding --------------------------------------------------------------------------------

function writeInt(out: Uint8Array, at: number, type: IntType, value: number): number {
  const n = INT[type].bytes;
  let v = value;
  for (let i = 0; i < n; i++) {
    out[at + i] = v & 0xff;
    v = n === 4 ? Math.floor(v / 256) : v >> 8;
  }
  return at + n;
}

function readInt(raw: Uint8Array, at: number, type: IntType): number {
  switch (type) {
    case 'u8':
      return raw[at]!;
    case 'u16':
      return raw[at]! | (raw[at + 1]! << 8);
    case 'i16':
      return ((raw[at]! | (raw[at + 1]! << 8)) << 16) >> 16;
    case 'i32':
      return raw[at]! | (raw[at + 1]! << 8) | (raw[at + 2]! << 16) | (raw[at + 3]! << 24);
    case 'u32':
      return (raw[at]! | (raw[at + 1]! << 8) | (raw[at + 2]! << 16) | (raw[at + 3]! << 24)) >>> 0;
  }
}

/**
 * The raw payload: the frame's fields little-endian, then the CRC-16 over the command byte and
 * the fields (little-endian). Throws HardwareError('FIELD_RANGE') for a value that does not fit.
 */
export function encodeRawPayload(frame: Frame): Uint8Array {
  const info = BY_KIND[frame.kind];
  if (!info)
    throw new HardwareError('FIELD_RANGE', 'kind', `expected a frame kind, found ${String(frame.kind)}`);
  const codec = info.codec;
  const values = codec.values(frame);
  const raw = new Uint8Array(info.rawLength);
  let at = 0;
  for (let i = 0; i < codec.layout.length; i++) {
    const [name, type] = codec.layout[i]!;
    const v = values[i]!;
    const { min, max } = INT[type];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new HardwareError(
        'FIELD_RANGE',
        `${frame.kind}.${name}`,
        `expected an integer ${min}…${max}, found ${v}`,
      );
    }
    at = writeInt(raw, at, type, v);
  }
  const problem = codec.check?.(values);
  if (problem) {
    throw new HardwareError(
      'FIELD_RANGE',
      `${frame.kind}.${problem.field}`,
      `expected ${problem.expected}, found ${problem.found}`,
    );
  }
  const crc = crc16(raw, crc16([info.codec.command]), 0, info.fieldBytes);
  raw[info.fieldBytes] = crc & 0xff;
  raw[info.fieldBytes + 1] = crc >> 8;
  return raw;
}

/** The frame on the wire: F0, command, packed raw payload, F7. */
export function encodeFrame(frame: Frame): Uint8Array {
  const raw = encodeRawPayload(frame);
  const info = BY_KIND[frame.kind];
  const out = new Uint8Array(info.packedLength + 3);
  out[0] = SYSEX_START;
  out[1] = info.codec.command;
  pack7(raw, out, 2);
  out[out.length - 1] = SYSEX_END;
  return out;
}

// ---- decoding --------------------------------------------------------------------------------

/** What the stream decoder found, in stream order. `offset` is where its first byte was. */
export type Decoded =
  | { kind: 'frame'; frame: Frame; offset: number }
  /** A complete plain Firmata message (or Sysex) that is not the drive base's. */
  | { kind: 'firmata'; bytes: Uint8Array; offset: number }
  | { kind: 'rejected'; error: ProtocolError };

export interface DecoderStats {
  bytes: number;
  frames: number;
  firmataMessages: number;
  /** Bytes that belong to no complete message: orphan data bytes, unknown status bytes, cut-off Firmata messages. */
  noiseBytes: number;
  /** Rejected frames ('rejected' items). */
  rejected: number;
  /** Bytes of the rejected frames, from their F0 to their F7 or the byte that cut them short. */
  rejectedBytes: number;
  rejectedByCode: Record<ProtocolErrorCode, number>;
}

export interface FrameDecoderOptions {
  /** Queue plain Firmata messages as 'firmata' items (default true); off when only frames matter. */
  passFirmata?: boolean;
}

/** Data bytes after a Firmata status byte; undefined for status bytes Firmata does not send. */
function firmataDataLength(status: number): number | undefined {
  switch (status & 0xf0) {
    case 0x90: // DIGITAL_MESSAGE
    case 0xe0: // ANALOG_MESSAGE
      return 2;
    case 0xc0: // REPORT_ANALOG
    case 0xd0: // REPORT_DIGITAL
      return 1;
  }
  switch (status) {
    case 0xf4: // SET_PIN_MODE
    case 0xf5: // SET_DIGITAL_PIN_VALUE
    case 0xf9: // REPORT_VERSION
      return 2;
    case 0xff: // SYSTEM_RESET
      return 0;
  }
  return undefined;
}

/** Firmata Sysex replies are short (capabilities of 20 pins, a firmware name); longer is noise. */
const MAX_FIRMATA_SYSEX = 1024;

const IDLE = 0;
const SYSEX_COMMAND = 1;
const FRAME_BODY = 2;
const UNKNOWN_BODY = 3;
const FIRMATA_SYSEX = 4;
const FIRMATA_MESSAGE = 5;

/**
 * Stream decoder: `push(bytes)` any chunks, then `next()` until undefined. Frames come out only
 * when their length, padding, CRC and fields are all right; everything else is a 'rejected'
 * item (counted, with the F0's byte offset) or plain Firmata traffic. Never throws on input.
 * Feeding byte by byte gives exactly what feeding the whole buffer gives.
 */
export class FrameDecoder {
  readonly #passFirmata: boolean;
  #offset = 0;
  #state = IDLE;
  #start = 0;
  #command = 0;
  #info: CommandInfo | undefined;
  #count = 0;
  readonly #body = new Uint8Array(MAX_PACKED);
  readonly #raw = new Uint8Array(MAX_RAW);
  readonly #values = new Float64Array(MAX_FIELDS);
  readonly #firmata = new Uint8Array(MAX_FIRMATA_SYSEX + 2);
  #firmataLength = 0;
  #firmataNeed = 0;
  readonly #queue = new Fifo<Decoded>();
  readonly #stats: DecoderStats = {
    bytes: 0,
    frames: 0,
    firmataMessages: 0,
    noiseBytes: 0,
    rejected: 0,
    rejectedBytes: 0,
    rejectedByCode: Object.fromEntries(PROTOCOL_ERROR_CODES.map((c) => [c, 0])) as Record<
      ProtocolErrorCode,
      number
    >,
  };

  constructor(options: FrameDecoderOptions = {}) {
    this.#passFirmata = options.passFirmata ?? true;
  }

  /** Byte offset of the next byte to be pushed (= bytes pushed so far). */
  get offset(): number {
    return this.#offset;
  }

  push(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) {
      this.#step(bytes[i]! & 0xff);
      this.#offset++;
    }
    this.#stats.bytes = this.#offset;
  }

  next(): Decoded | undefined {
    return this.#queue.next();
  }

  /**
   * End of stream (port closed): a frame still open is rejected as truncated, and a Firmata
   * message cut off counts as noise, so every byte pushed is accounted for.
   */
  flush(): void {
    this.#interrupt(undefined);
    if (this.#state === SYSEX_COMMAND) this.#stats.noiseBytes += 1;
    else if (this.#state === FIRMATA_SYSEX || this.#state === FIRMATA_MESSAGE)
      this.#stats.noiseBytes += this.#firmataLength;
    this.#state = IDLE;
  }

  stats(): DecoderStats {
    return { ...this.#stats, rejectedByCode: { ...this.#stats.rejectedByCode } };
  }

  #step(b: number): void {
    switch (this.#state) {
      case IDLE:
        this.#idle(b);
        return;
      case SYSEX_COMMAND:
        if (b < 0x80) return this.#sysexCommand(b);
        if (b === SYSEX_END) {
          this.#stats.noiseBytes += 2; // an empty Sysex
          this.#state = IDLE;
          return;
        }
        this.#stats.noiseBytes += 1;
        this.#state = IDLE;
        return this.#idle(b);
      case FRAME_BODY:
      case UNKNOWN_BODY:
        if (b < 0x80) {
          if (this.#count < MAX_PACKED) this.#body[this.#count] = b;
          this.#count++;
          return;
        }
        if (b === SYSEX_END) {
          this.#state = IDLE;
          return this.#finishFrame(this.#offset + 1);
        }
        this.#interrupt(b);
        this.#state = IDLE;
        return this.#idle(b);
      case FIRMATA_SYSEX:
        if (b < 0x80) {
          if (this.#firmataLength <= MAX_FIRMATA_SYSEX) this.#firmata[this.#firmataLength] = b;
          this.#firmataLength++;
          return;
        }
        if (b === SYSEX_END && this.#firmataLength <= MAX_FIRMATA_SYSEX) {
          this.#firmata[this.#firmataLength++] = b;
          this.#emitFirmata();
          this.#state = IDLE;
          return;
        }
        this.#stats.noiseBytes += this.#firmataLength + (b === SYSEX_END ? 1 : 0);
        this.#state = IDLE;
        if (b !== SYSEX_END) this.#idle(b);
        return;
      case FIRMATA_MESSAGE:
        if (b < 0x80) {
          this.#firmata[this.#firmataLength++] = b;
          if (--this.#firmataNeed === 0) {
            this.#emitFirmata();
            this.#state = IDLE;
          }
          return;
        }
        this.#stats.noiseBytes += this.#firmataLength;
        this.#state = IDLE;
        return this.#idle(b);
    }
  }

  #idle(b: number): void {
    if (b === SYSEX_START) {
      this.#start = this.#offset;
      this.#state = SYSEX_COMMAND;
      return;
    }
    if (b < 0x80) {
      this.#stats.noiseBytes++;
      return;
    }
    const need = firmataDataLength(b);
    if (need === undefined) {
      this.#stats.noiseBytes++;
      return;
    }
    this.#start = this.#offset;
    this.#firmata[0] = b;
    this.#firmataLength = 1;
    this.#firmataNeed = need;
    if (need === 0) this.#emitFirmata();
    else this.#state = FIRMATA_MESSAGE;
  }

  #sysexCommand(b: number): void {
    this.#command = b;
    this.#count = 0;
    this.#info = BY_COMMAND[b];
    if (this.#info) {
      this.#state = FRAME_BODY;
    } else if (b >= USER_SYSEX_MIN && b <= USER_SYSEX_MAX) {
      this.#state = UNKNOWN_BODY;
    } else {
      this.#firmata[0] = SYSEX_START;
      this.#firmata[1] = b;
      this.#firmataLength = 2;
      this.#state = FIRMATA_SYSEX;
    }
  }

  /** A drive-base Sysex cut short by status byte `b` (undefined: end of stream). */
  #interrupt(b: number | undefined): void {
    // The frame ends before the byte that cut it short (or at the end of what was pushed).
    const end = this.#offset;
    if (this.#state === UNKNOWN_BODY) return this.#rejectUnknown(end);
    if (this.#state !== FRAME_BODY) return;
    const by = b === undefined ? 'end of stream' : `status byte ${hex(b)} at byte ${this.#offset}`;
    this.#reject(
      'FRAME_TRUNCATED',
      end,
      `F7 after ${this.#info!.packedLength} data bytes`,
      `${by} after ${this.#count}`,
    );
  }

  #rejectUnknown(end: number): void {
    this.#reject('FRAME_UNKNOWN_COMMAND', end, 'a drive-base command 0x01…0x08', hex(this.#command));
  }

  /** A Sysex ended by its F7; `end` is the offset just after it. */
  #finishFrame(end: number): void {
    const info = this.#info;
    if (this.#state === UNKNOWN_BODY || !info) return this.#rejectUnknown(end);
    if (this.#count !== info.packedLength) {
      return this.#reject('FRAME_LENGTH', end, `${info.packedLength} data bytes`, `${this.#count}`);
    }
    const raw = this.#raw;
    const padding = unpack7(this.#body, 0, this.#count, raw);
    if (padding !== 0)
      return this.#reject('FRAME_PADDING', end, 'zero padding bits', `0b${padding.toString(2)}`);
    const fieldBytes = info.fieldBytes;
    const crc = crc16(raw, crc16([this.#command]), 0, fieldBytes);
    const sent = raw[fieldBytes]! | (raw[fieldBytes + 1]! << 8);
    if (crc !== sent) return this.#reject('FRAME_CRC', end, `CRC ${hex16(crc)}`, hex16(sent));
    const codec = info.codec;
    const values = this.#values;
    for (let i = 0, at = 0; i < codec.layout.length; i++) {
      const type = codec.layout[i]![1];
      values[i] = readInt(raw, at, type);
      at += INT[type].bytes;
    }
    const problem = codec.check?.(values);
    if (problem)
      return this.#reject('FRAME_FIELD', end, `${problem.field} ${problem.expected}`, problem.found);
    this.#stats.frames++;
    this.#queue.push({ kind: 'frame', frame: codec.frame(values), offset: this.#start });
  }

  /** Rejects the frame that started at its F0 (#start) and ends just before `end`. */
  #reject(code: ProtocolErrorCode, end: number, expected: string, found: string): void {
    this.#stats.rejected++;
    this.#stats.rejectedBytes += end - this.#start;
    this.#stats.rejectedByCode[code]++;
    this.#queue.push({
      kind: 'rejected',
      error: new ProtocolError(code, this.#start, this.#command, expected, found),
    });
  }

  #emitFirmata(): void {
    this.#stats.firmataMessages++;
    if (this.#passFirmata) {
      this.#queue.push({
        kind: 'firmata',
        bytes: this.#firmata.slice(0, this.#firmataLength),
        offset: this.#start,
      });
    }
  }
}

/**
 * Decodes exactly one whole frame (F0 … F7). Throws the decoder's ProtocolError when it is
 * rejected, or FRAME_TRUNCATED when the bytes hold no complete drive-base frame.
 */
export function decodeFrame(bytes: ArrayLike<number>): Frame {
  const decoder = new FrameDecoder({ passFirmata: false });
  decoder.push(bytes);
  decoder.flush();
  for (let item = decoder.next(); item; item = decoder.next()) {
    if (item.kind === 'rejected') throw item.error;
    if (item.kind === 'frame') return item.frame;
  }
  throw new ProtocolError(
    'FRAME_TRUNCATED',
    0,
    undefined,
    'F0 <command> <data> F7',
    `${bytes.length} bytes without a frame`,
  );
}

// ---- telemetry bits --------------------------------------------------------------------------

/** TELEMETRY's bit fields and fault, named. */
export interface TelemetryFlags {
  bumper: boolean;
  estop: boolean;
  stopLatched: boolean;
  cmdTimeout: boolean;
  driving: boolean;
  defaultConfig: boolean;
  /** A wheel's measured speed is not zero. */
  turning: boolean;
  /** A controlled stop (command timeout, battery low) is ramping the wheels down. */
  stopping: boolean;
  /** Motors off and both wheels still: what "stopped" means on the board (PROTOCOL.md §4.1). */
  stopped: boolean;
  /** 'unknown' for a fault number this host does not know (a newer firmware). */
  fault: FaultName | 'unknown';
}

export function telemetryFlags(t: Pick<TelemetryFrame, 'inputs' | 'state' | 'fault'>): TelemetryFlags {
  return {
    bumper: (t.inputs & 0x01) !== 0,
    estop: (t.inputs & 0x02) !== 0,
    stopLatched: (t.state & 0x01) !== 0,
    cmdTimeout: (t.state & 0x02) !== 0,
    driving: (t.state & 0x04) !== 0,
    defaultConfig: (t.state & 0x08) !== 0,
    turning: (t.state & 0x10) !== 0,
    stopping: (t.state & 0x20) !== 0,
    stopped: (t.state & 0x34) === 0,
    fault: FAULTS[t.fault] ?? 'unknown',
  };
}

/** Undefined when `config` is within the board's ranges, else what is wrong (wire name). */
export function checkConfig(config: DriveConfig): FieldProblem | undefined {
  for (let i = 0; i < CONFIG_KEYS.length; i++) {
    const x = config[CONFIG_KEYS[i]!];
    if (!Number.isInteger(x)) return { field: CONFIG_LAYOUT[i]![0], expected: 'an integer', found: `${x}` };
  }
  return checkConfigValues(configValues(config));
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}
function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}
