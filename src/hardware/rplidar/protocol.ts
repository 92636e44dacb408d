/**
 * The Slamtec RPLIDAR A1/A2 serial protocol (the public "RPLIDAR Interface Protocol and
 * Application Notes"), standard scan mode: requests, response descriptors, the GET_INFO,
 * GET_HEALTH and GET_SAMPLERATE answers and the 5-byte scan node. Each packet's fields are written
 * once, as data (a layout of little-endian bit fields); encoding, decoding, sizes and the
 * descriptors' lengths are all derived from it. Pure: no I/O, no clock.
 *
 * Wire summary (all multi-byte values little-endian, bit fields LSB first):
 *   request     A5 <cmd>                                   (commands below 0x80)
 *               A5 <cmd> <size> <payload…> <checksum>      (cmd ≥ 0x80; checksum = XOR of every byte before it)
 *   descriptor  A5 5A <length:30 | send_mode:2> <data_type>  then one answer (mode 0) or answers until the next request (mode 1)
 *   scan node   quality:6 !S:1 S:1 | angle_q6:15 C:1 | distance_q2:16
 */
import { LidarError } from './errors.js';

// ---- layouts -------------------------------------------------------------------------------

/** An unsigned integer of `bits` bits. */
export interface UintField<N extends string = string> {
  readonly kind: 'uint';
  readonly name: N;
  readonly bits: number;
}
/** Bits that always hold `value` (sync bytes, the check bit): a mismatch is a bad packet. */
export interface FixedField<N extends string = string> {
  readonly kind: 'fixed';
  readonly name: N;
  readonly bits: number;
  readonly value: number;
}
/** `bytes` raw bytes, byte-aligned (the serial number). */
export interface BytesField<N extends string = string> {
  readonly kind: 'bytes';
  readonly name: N;
  readonly bytes: number;
}
export type Field = UintField | FixedField | BytesField;

export const uint = <N extends string>(name: N, bits: number): UintField<N> => ({ kind: 'uint', name, bits });
export const fixed = <N extends string>(name: N, bits: number, value: number): FixedField<N> => ({
  kind: 'fixed',
  name,
  bits,
  value,
});
export const raw = <N extends string>(name: N, bytes: number): BytesField<N> => ({
  kind: 'bytes',
  name,
  bytes,
});

/** A layout's values by field name: numbers, raw bytes as Uint8Array; fixed fields are implied. */
export type ValuesOf<L extends readonly Field[]> = {
  [F in L[number] as F extends FixedField ? never : F['name']]: F extends BytesField ? Uint8Array : number;
};

export interface Layout<L extends readonly Field[] = readonly Field[]> {
  /** The packet's name in messages (`scan_node`, `descriptor`). */
  readonly name: string;
  readonly fields: L;
  /** Bit offset of each field from the packet's first byte. */
  readonly offsets: readonly number[];
  /** Whole bytes on the wire. */
  readonly size: number;
}

export function layout<const L extends readonly Field[]>(name: string, fields: L): Layout<L> {
  const offsets: number[] = [];
  let bit = 0;
  for (const f of fields) {
    if (f.kind === 'bytes' && bit % 8 !== 0)
      throw new Error(`${name}.${f.name}: raw bytes must be byte-aligned`);
    offsets.push(bit);
    bit += f.kind === 'bytes' ? f.bytes * 8 : f.bits;
  }
  if (bit % 8 !== 0) throw new Error(`${name}: ${bit} bits is not a whole number of bytes`);
  return Object.freeze({ name, fields, offsets: Object.freeze(offsets), size: bit / 8 });
}

/** A field that does not hold what its layout or its packet's rules allow. */
export interface FieldProblem {
  field: string;
  expected: string;
  found: string;
}

function readBits(bytes: ArrayLike<number>, at: number, bit: number, width: number): number {
  let value = 0;
  let scale = 1;
  while (width > 0) {
    const shift = bit & 7;
    const take = Math.min(8 - shift, width);
    value += ((bytes[at + (bit >> 3)]! >> shift) & ((1 << take) - 1)) * scale;
    scale *= 2 ** take;
    bit += take;
    width -= take;
  }
  return value;
}

function writeBits(out: Uint8Array, bit: number, width: number, value: number): void {
  while (width > 0) {
    const shift = bit & 7;
    const take = Math.min(8 - shift, width);
    const chunk = value % 2 ** take;
    out[bit >> 3] = out[bit >> 3]! | (chunk << shift);
    value = Math.floor(value / 2 ** take);
    bit += take;
    width -= take;
  }
}

/** The packet's bytes. Throws LidarError('FIELD_RANGE') for a value that does not fit its field. */
export function encodeLayout<L extends readonly Field[]>(l: Layout<L>, values: ValuesOf<L>): Uint8Array {
  const out = new Uint8Array(l.size);
  const v = values as Record<string, number | Uint8Array>;
  l.fields.forEach((f, i) => {
    const bit = l.offsets[i]!;
    if (f.kind === 'fixed') return writeBits(out, bit, f.bits, f.value);
    const x = v[f.name];
    if (f.kind === 'bytes') {
      if (!(x instanceof Uint8Array) || x.length !== f.bytes) {
        const found = x instanceof Uint8Array ? `${x.length} bytes` : String(x);
        throw new LidarError(
          'FIELD_RANGE',
          `${l.name}.${f.name}`,
          `expected ${f.bytes} bytes, found ${found}`,
        );
      }
      out.set(x, bit >> 3);
      return;
    }
    const max = 2 ** f.bits - 1;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > max) {
      throw new LidarError(
        'FIELD_RANGE',
        `${l.name}.${f.name}`,
        `expected an integer 0…${max}, found ${String(x)}`,
      );
    }
    writeBits(out, bit, f.bits, x);
  });
  return out;
}

/** Reads the packet at `at`; a fixed field that does not hold its value is a problem. */
export function decodeLayout<L extends readonly Field[]>(
  l: Layout<L>,
  bytes: ArrayLike<number>,
  at = 0,
): { values: ValuesOf<L> } | { problem: FieldProblem } {
  const out: Record<string, number | Uint8Array> = {};
  for (let i = 0; i < l.fields.length; i++) {
    const f = l.fields[i]!;
    const bit = l.offsets[i]!;
    if (f.kind === 'bytes') {
      const start = at + (bit >> 3);
      out[f.name] = Uint8Array.from({ length: f.bytes }, (_, k) => bytes[start + k]!);
      continue;
    }
    const x = readBits(bytes, at, bit, f.bits);
    if (f.kind === 'fixed') {
      if (x !== f.value)
        return {
          problem: { field: f.name, expected: bitsText(f.value, f.bits), found: bitsText(x, f.bits) },
        };
      continue;
    }
    out[f.name] = x;
  }
  return { values: out as ValuesOf<L> };
}

function bitsText(x: number, bits: number): string {
  return bits % 8 === 0
    ? `0x${x
        .toString(16)
        .toUpperCase()
        .padStart(bits / 4, '0')}`
    : String(x);
}

// ---- packets --------------------------------------------------------------------------------

export const SYNC = 0xa5;
export const DESCRIPTOR_SYNC = 0x5a;
/** Commands at or above this carry a payload (size, payload, checksum). */
const HAS_PAYLOAD = 0x80;

export const DESCRIPTOR_LAYOUT = layout('descriptor', [
  fixed('sync', 8, SYNC),
  fixed('sync2', 8, DESCRIPTOR_SYNC),
  uint('length', 30), // bytes per answer
  uint('send_mode', 2), // 0 one answer, 1 answers until the next request
  uint('data_type', 8),
]);

export const INFO_LAYOUT = layout('info', [
  uint('model', 8), // major model << 4 | sub model (0x18: A1M8)
  uint('firmware_minor', 8),
  uint('firmware_major', 8),
  uint('hardware', 8),
  raw('serial_number', 16),
]);

export const HEALTH_LAYOUT = layout('health', [
  uint('status', 8), // 0 good, 1 warning, 2 error
  uint('error_code', 16),
]);

export const SAMPLERATE_LAYOUT = layout('samplerate', [
  uint('standard_us', 16), // µs per sample in standard scan
  uint('express_us', 16), // µs per sample in express scan
]);

export const SCAN_NODE_LAYOUT = layout('scan_node', [
  uint('start', 1), // S: 1 on the first node of a new revolution
  uint('not_start', 1), // !S: always the inverse of S
  uint('quality', 6),
  fixed('check', 1, 1), // C: always 1
  uint('angle_q6', 15), // degrees × 64, clockwise seen from above, 0 at the device's front
  uint('distance_q2', 16), // mm × 4; 0 = no return
]);

export const MOTOR_PWM_LAYOUT = layout('set_motor_pwm', [uint('pwm', 16)]);

// ---- responses ------------------------------------------------------------------------------

/** GET_HEALTH status, by its wire value (index). */
export const HEALTH_STATUSES = ['good', 'warning', 'error'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const SEND_MODES = ['single', 'multiple'] as const;
export type SendMode = (typeof SEND_MODES)[number];

export interface DeviceInfo {
  kind: 'info';
  /** Major model in the high nibble, sub model in the low one (0x18 A1M8, 0x28 A2M8). */
  model: number;
  firmwareMajor: number;
  firmwareMinor: number;
  hardware: number;
  /** 32 upper-case hex digits, in wire order (as Slamtec's tools print it). */
  serialNumber: string;
}
export interface Health {
  kind: 'health';
  status: HealthStatus;
  errorCode: number;
}
export interface SampleRate {
  kind: 'samplerate';
  /** µs per sample in standard scan (500: 2000 samples/s). */
  standardUs: number;
  expressUs: number;
}
/** One measurement, in the device's own units (exact: encode(decode(x)) is x). */
export interface ScanNode {
  kind: 'scan_node';
  /** The first node of a new revolution. */
  start: boolean;
  /** 0…63; 0 with no return. */
  quality: number;
  /** Degrees × 64, clockwise from the device's front. */
  angleQ6: number;
  /** mm × 4; 0 = no return. */
  distanceQ2: number;
}

/** Everything the device sends after a descriptor. */
export type Response = DeviceInfo | Health | SampleRate | ScanNode;
export type ResponseKind = Response['kind'];
export type ResponseOf<K extends ResponseKind> = Extract<Response, { kind: K }>;

interface ResponseCodec<K extends ResponseKind, L extends readonly Field[]> {
  dataType: number;
  sendMode: SendMode;
  layout: Layout<L>;
  /** Rules across fields or beyond their bit width; undefined when fine. */
  check?(v: ValuesOf<L>): FieldProblem | undefined;
  read(v: ValuesOf<L>): ResponseOf<K>;
  write(r: ResponseOf<K>): ValuesOf<L>;
}
const codec = <K extends ResponseKind, const L extends readonly Field[]>(
  c: ResponseCodec<K, L>,
): ResponseCodec<K, L> => c;

const RESPONSES = {
  info: codec<'info', typeof INFO_LAYOUT.fields>({
    dataType: 0x04,
    sendMode: 'single',
    layout: INFO_LAYOUT,
    read: (v) => ({
      kind: 'info',
      model: v.model,
      firmwareMajor: v.firmware_major,
      firmwareMinor: v.firmware_minor,
      hardware: v.hardware,
      serialNumber: hexText(v.serial_number, ''),
    }),
    write: (r) => ({
      model: r.model,
      firmware_minor: r.firmwareMinor,
      firmware_major: r.firmwareMajor,
      hardware: r.hardware,
      serial_number: serialBytes(r.serialNumber),
    }),
  }),
  health: codec<'health', typeof HEALTH_LAYOUT.fields>({
    dataType: 0x06,
    sendMode: 'single',
    layout: HEALTH_LAYOUT,
    check: (v) =>
      v.status < HEALTH_STATUSES.length
        ? undefined
        : { field: 'status', expected: '0…2 (good, warning, error)', found: String(v.status) },
    read: (v) => ({ kind: 'health', status: HEALTH_STATUSES[v.status]!, errorCode: v.error_code }),
    write: (r) => ({ status: HEALTH_STATUSES.indexOf(r.status), error_code: r.errorCode }),
  }),
  samplerate: codec<'samplerate', typeof SAMPLERATE_LAYOUT.fields>({
    dataType: 0x15,
    sendMode: 'single',
    layout: SAMPLERATE_LAYOUT,
    read: (v) => ({ kind: 'samplerate', standardUs: v.standard_us, expressUs: v.express_us }),
    write: (r) => ({ standard_us: r.standardUs, express_us: r.expressUs }),
  }),
  scan_node: codec<'scan_node', typeof SCAN_NODE_LAYOUT.fields>({
    dataType: 0x81,
    sendMode: 'multiple',
    layout: SCAN_NODE_LAYOUT,
    check: (v) =>
      v.start !== v.not_start
        ? undefined
        : { field: 'start', expected: 'S ≠ !S', found: `S=${v.start} !S=${v.not_start}` },
    read: (v) => ({
      kind: 'scan_node',
      start: v.start === 1,
      quality: v.quality,
      angleQ6: v.angle_q6,
      distanceQ2: v.distance_q2,
    }),
    write: (r) => ({
      start: r.start ? 1 : 0,
      not_start: r.start ? 0 : 1,
      quality: r.quality,
      angle_q6: r.angleQ6,
      distance_q2: r.distanceQ2,
    }),
  }),
} satisfies { [K in ResponseKind]: { dataType: number; sendMode: SendMode; layout: Layout } };

type AnyCodec = ResponseCodec<ResponseKind, readonly Field[]>;
const codecOf = (kind: ResponseKind): AnyCodec => RESPONSES[kind] as unknown as AnyCodec;

export const RESPONSE_KINDS = Object.keys(RESPONSES) as ResponseKind[];

/** The response kind a descriptor's data type announces. */
export function responseKindOf(dataType: number): ResponseKind | undefined {
  return RESPONSE_KINDS.find((k) => RESPONSES[k].dataType === dataType);
}
/** Bytes of one answer of this kind after its descriptor. */
export function responseSize(kind: ResponseKind): number {
  return RESPONSES[kind].layout.size;
}
export function sendModeOf(kind: ResponseKind): SendMode {
  return RESPONSES[kind].sendMode;
}
export function dataTypeOf(kind: ResponseKind): number {
  return RESPONSES[kind].dataType;
}

export interface Descriptor {
  length: number;
  sendMode: number;
  dataType: number;
}

/** The 7-byte descriptor announcing answers of this kind (length and mode derived from its layout). */
export function encodeDescriptor(kind: ResponseKind): Uint8Array {
  return encodeLayout(DESCRIPTOR_LAYOUT, {
    length: responseSize(kind),
    send_mode: SEND_MODES.indexOf(sendModeOf(kind)),
    data_type: dataTypeOf(kind),
  });
}

/** One answer's bytes (without its descriptor). Throws LidarError('FIELD_RANGE') for a value that does not fit. */
export function encodeResponse(r: Response): Uint8Array {
  const c = codecOf(r.kind);
  const values = c.write(r as never);
  const problem = c.check?.(values);
  if (problem) {
    throw new LidarError(
      'FIELD_RANGE',
      `${r.kind}.${problem.field}`,
      `expected ${problem.expected}, found ${problem.found}`,
    );
  }
  return encodeLayout(c.layout, values);
}

/** Reads one answer of `kind` at `at`: the response, or what is wrong with it. */
export function decodeResponse(
  kind: ResponseKind,
  bytes: ArrayLike<number>,
  at = 0,
): { response: Response } | { problem: FieldProblem } {
  const c = codecOf(kind);
  const decoded = decodeLayout(c.layout, bytes, at);
  if ('problem' in decoded) return decoded;
  const problem = c.check?.(decoded.values);
  if (problem) return { problem };
  return { response: c.read(decoded.values) };
}

// ---- requests -------------------------------------------------------------------------------

/** Every request the host sends. */
export type Request =
  | { kind: 'stop' }
  | { kind: 'reset' }
  | { kind: 'scan' }
  | { kind: 'force_scan' }
  | { kind: 'get_info' }
  | { kind: 'get_health' }
  | { kind: 'get_samplerate' }
  /** A2/A3 with the accessory board: motor duty 0 (stopped) … 1023. */
  | { kind: 'set_motor_pwm'; pwm: number };
export type RequestKind = Request['kind'];

/** SET_MOTOR_PWM's largest duty. */
export const MAX_MOTOR_PWM = 1023;
/** Slamtec's default duty for A2 (about 10 Hz). */
export const DEFAULT_MOTOR_PWM = 660;

interface RequestCodec {
  command: number;
  /** As the protocol document names it, for messages. */
  wireName: string;
  /** What the device answers with (a descriptor first), if anything. */
  answer: ResponseKind | undefined;
  /** Commands ≥ 0x80 only. */
  payload?: {
    layout: Layout;
    values(r: Request): Record<string, number>;
    check?(v: Record<string, number>): FieldProblem | undefined;
    request(v: Record<string, number>): Request;
  };
}

const REQUESTS: { readonly [K in RequestKind]: RequestCodec } = {
  stop: { command: 0x25, wireName: 'STOP', answer: undefined },
  reset: { command: 0x40, wireName: 'RESET', answer: undefined },
  scan: { command: 0x20, wireName: 'SCAN', answer: 'scan_node' },
  force_scan: { command: 0x21, wireName: 'FORCE_SCAN', answer: 'scan_node' },
  get_info: { command: 0x50, wireName: 'GET_INFO', answer: 'info' },
  get_health: { command: 0x52, wireName: 'GET_HEALTH', answer: 'health' },
  get_samplerate: { command: 0x59, wireName: 'GET_SAMPLERATE', answer: 'samplerate' },
  set_motor_pwm: {
    command: 0xf0,
    wireName: 'SET_MOTOR_PWM',
    answer: undefined,
    payload: {
      layout: MOTOR_PWM_LAYOUT,
      values: (r) => ({ pwm: (r as { pwm: number }).pwm }),
      check: (v) =>
        v.pwm! <= MAX_MOTOR_PWM
          ? undefined
          : { field: 'pwm', expected: `0…${MAX_MOTOR_PWM}`, found: String(v.pwm) },
      request: (v) => ({ kind: 'set_motor_pwm', pwm: v.pwm! }),
    },
  },
};

export const REQUEST_KINDS = Object.keys(REQUESTS) as RequestKind[];

export function commandOf(kind: RequestKind): number {
  return REQUESTS[kind].command;
}
export function requestName(kind: RequestKind): string {
  return REQUESTS[kind].wireName;
}
export function answerOf(kind: RequestKind): ResponseKind | undefined {
  return REQUESTS[kind].answer;
}
export function requestKindOf(command: number): RequestKind | undefined {
  return REQUEST_KINDS.find((k) => REQUESTS[k].command === command);
}

/** XOR of every byte: the request checksum covers A5, the command, the size and the payload. */
export function xorChecksum(bytes: ArrayLike<number>, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** The request on the wire. Throws LidarError('FIELD_RANGE') for a payload value out of range. */
export function encodeRequest(r: Request): Uint8Array {
  const c = REQUESTS[r.kind];
  if (!c.payload) return Uint8Array.of(SYNC, c.command);
  const values = c.payload.values(r);
  const problem = c.payload.check?.(values);
  if (problem) {
    throw new LidarError(
      'FIELD_RANGE',
      `${r.kind}.${problem.field}`,
      `expected ${problem.expected}, found ${problem.found}`,
    );
  }
  const payload = encodeLayout(c.payload.layout, values as never);
  const out = new Uint8Array(payload.length + 4);
  out[0] = SYNC;
  out[1] = c.command;
  out[2] = payload.length;
  out.set(payload, 3);
  out[out.length - 1] = xorChecksum(out, 0, out.length - 1);
  return out;
}

/** What the device-side parser found: a request, or bytes it ignores (as the device does). */
export type ParsedRequest =
  | { kind: 'request'; request: Request; offset: number }
  | { kind: 'ignored'; offset: number; length: number; why: string };

/**
 * The device's side: picks requests out of the host's bytes (`push`, then `next`). A byte that
 * is not A5 where a request starts, an unknown command, a wrong payload size or checksum are
 * ignored, as the device ignores them. Used by the emulated device; never throws.
 */
export class RequestParser {
  #offset = 0;
  #buf: number[] = [];
  #start = 0;
  readonly #queue: ParsedRequest[] = [];

  push(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) {
      if (this.#buf.length === 0) this.#start = this.#offset;
      this.#buf.push(bytes[i]! & 0xff);
      this.#offset++;
      this.#step();
    }
  }

  next(): ParsedRequest | undefined {
    return this.#queue.shift();
  }

  /** Forgets a request in progress (the device rebooted). */
  clear(): void {
    this.#buf = [];
  }

  #step(): void {
    const b = this.#buf;
    if (b[0] !== SYNC) return this.#ignore(1, `expected A5, found ${hexText([b[0]!])}`);
    if (b.length < 2) return;
    const command = b[1]!;
    const kind = requestKindOf(command);
    if (!kind) return this.#ignore(2, `unknown command ${hexText([command])}`);
    const payload = REQUESTS[kind].payload;
    if (command < HAS_PAYLOAD || !payload) return this.#emit({ kind } as Request);
    if (b.length < 3) return;
    const size = b[2]!;
    if (size !== payload.layout.size)
      return this.#ignore(3, `payload of ${size} bytes, expected ${payload.layout.size}`);
    if (b.length < 4 + size) return;
    const sent = b[3 + size]!;
    const sum = xorChecksum(b, 0, 3 + size);
    if (sent !== sum)
      return this.#ignore(4 + size, `checksum ${hexText([sent])}, expected ${hexText([sum])}`);
    const decoded = decodeLayout(payload.layout, b, 3);
    if ('problem' in decoded) return this.#ignore(4 + size, decoded.problem.field);
    const values = decoded.values as Record<string, number>;
    const problem = payload.check?.(values);
    if (problem)
      return this.#ignore(4 + size, `${problem.field} ${problem.found}, expected ${problem.expected}`);
    this.#emit(payload.request(values));
  }

  #emit(request: Request): void {
    this.#queue.push({ kind: 'request', request, offset: this.#start });
    this.#buf = [];
  }

  #ignore(length: number, why: string): void {
    this.#queue.push({ kind: 'ignored', offset: this.#start, length, why });
    this.#buf.splice(0, length);
    this.#start += length;
  }
}

// ---- units ----------------------------------------------------------------------------------

/** Degrees clockwise from the device's front. */
export const nodeAngleDeg = (n: Pick<ScanNode, 'angleQ6'>): number => n.angleQ6 / 64;
/** mm; 0 = no return. */
export const nodeDistanceMm = (n: Pick<ScanNode, 'distanceQ2'>): number => n.distanceQ2 / 4;

/**
 * A scan node from measured values, rounded to the wire's resolution: the angle wrapped into
 * [0°, 360°), the distance clamped to what 16 bits of mm × 4 hold (16383.75 mm).
 */
export function scanNode(angleDeg: number, distanceMm: number, quality: number, start = false): ScanNode {
  const q6 = Math.round((((angleDeg % 360) + 360) % 360) * 64) % (360 * 64);
  const q2 = Math.max(0, Math.min(0xffff, Math.round(distanceMm * 4)));
  return {
    kind: 'scan_node',
    start,
    quality: Math.max(0, Math.min(63, Math.round(quality))),
    angleQ6: q6,
    distanceQ2: q2,
  };
}

/** "A1M8" for the models this driver knows the naming of, else the model byte in hex. */
export function modelName(model: number): string {
  const major = model >> 4;
  return major >= 1 && major <= 3
    ? `A${major}M${model & 0x0f}`
    : `model 0x${model.toString(16).padStart(2, '0')}`;
}

/** "A5 5A 14 …" with `sep` between bytes (upper case, as the protocol document writes bytes). */
export function hexText(bytes: ArrayLike<number>, sep = ' '): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(sep);
}

function serialBytes(hex: string): Uint8Array {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) {
    throw new LidarError('FIELD_RANGE', 'info.serial_number', `expected 32 hex digits, found '${hex}'`);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
