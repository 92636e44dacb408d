/**
 * The RPLIDAR's byte stream, decoded: `push(bytes)` any chunks, then `next()` until undefined.
 * Out come response descriptors, the answers they announce (one, or scan nodes until the next
 * descriptor) and rejections: bytes that are no packet, scan nodes with bad sync or check bits,
 * descriptors this driver cannot read, packets cut short. Never throws on device bytes; every
 * rejected byte is counted and every rejection says where in the stream it was (byte offset
 * from the first byte pushed). Feeding byte by byte gives exactly what feeding the whole buffer
 * gives. Pure: no I/O, no clock; the owner says when the line went quiet (`flush`).
 *
 * Resynchronising: outside an answer, the decoder hunts for A5 5A and drops the bytes before
 * it. Inside a scan it slides one byte at a time over nodes whose S and !S agree or whose check
 * bit is clear (as Slamtec's SDK does); A5 5A can never start a valid node (0x5A's check bit is
 * clear), so a new descriptor is recognised in the middle of a scan. A node cut short and followed
 * at once by more bytes cannot be told from a misaligned one by the bytes alone: the owner calls
 * `flush('silence')` when the line has been quiet for longer than a node takes, which rejects
 * the partial packet as TRUNCATED.
 */
import { REJECTION_CODES, REJECTION_TEXT, type RejectionCode } from './errors.js';
import {
  DESCRIPTOR_LAYOUT,
  DESCRIPTOR_SYNC,
  SEND_MODES,
  SYNC,
  dataTypeOf,
  decodeLayout,
  decodeResponse,
  hexText,
  responseKindOf,
  responseSize,
  sendModeOf,
  type Response,
  type ResponseKind,
} from './protocol.js';
import { Fifo } from '../fifo.js';

/** Rejected bytes: why, where (stream offset of the first), how many, expected against found. */
export interface Rejection {
  code: RejectionCode;
  offset: number;
  length: number;
  expected: string;
  found: string;
  /** `byte 120: scan node with bad start flags: expected S ≠ !S, found S=1 !S=1`. */
  message: string;
}

/** What the decoder found, in stream order. `offset` is where its first byte was. */
export type Decoded =
  | { kind: 'descriptor'; answer: ResponseKind; offset: number }
  | { kind: 'response'; response: Response; offset: number }
  | { kind: 'rejected'; rejection: Rejection };

export interface DecoderStats {
  bytes: number;
  descriptors: number;
  /** Single answers (info, health, sample rate). */
  responses: number;
  nodes: number;
  /** Rejection items (a run of garbage is one). */
  rejections: number;
  rejectedBytes: number;
  rejectedBytesByCode: Record<RejectionCode, number>;
  /** Bytes passed over on purpose (`skip`), not decoded. */
  skippedBytes: number;
  lastRejection: string | undefined;
}

/** Why the line ended: the device went quiet, or the port closed. */
export type FlushReason = 'silence' | 'end of stream';

/** A run of dropped bytes is reported at most this long, so a stream of noise still shows up. */
const MAX_RUN = 64;
/** Bytes of a run shown in its message. */
const SHOWN = 8;
const DESCRIPTOR_SIZE = DESCRIPTOR_LAYOUT.size;
const HUNT = 'descriptor';
const SCAN_NODE_SIZE = responseSize('scan_node');
const BUFFER = 32;

export class RplidarDecoder {
  #offset = 0;
  /** What the next bytes should be: a descriptor, or answers of a kind. */
  #mode: typeof HUNT | ResponseKind = HUNT;
  readonly #buf = new Uint8Array(BUFFER);
  #len = 0;
  /** Stream offset of #buf[0]. */
  #start = 0;
  #run:
    { code: RejectionCode; offset: number; length: number; shown: number[]; expected: string } | undefined;
  readonly #queue = new Fifo<Decoded>();
  readonly #stats: DecoderStats = {
    bytes: 0,
    descriptors: 0,
    responses: 0,
    nodes: 0,
    rejections: 0,
    rejectedBytes: 0,
    rejectedBytesByCode: Object.fromEntries(REJECTION_CODES.map((c) => [c, 0])) as Record<
      RejectionCode,
      number
    >,
    skippedBytes: 0,
    lastRejection: undefined,
  };

  /** Stream offset of the next byte to be pushed (= bytes pushed or skipped so far). */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes of a packet in progress (a caller's silence timer cares whether a packet was cut). */
  get pending(): number {
    return this.#len;
  }

  /** What the decoder expects next: 'descriptor', or the kind of answer it is in. */
  get expecting(): typeof HUNT | ResponseKind {
    return this.#mode;
  }

  push(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) {
      if (this.#len === 0) this.#start = this.#offset;
      this.#buf[this.#len++] = bytes[i]! & 0xff;
      this.#offset++;
      this.#process();
    }
    this.#stats.bytes = this.#offset;
  }

  /**
   * Passes over `count` bytes without decoding them (a device's boot banner after RESET), so the
   * offsets of what follows stay true stream positions. Whatever was in progress is dropped
   * unreported, and the next bytes must start with a descriptor.
   */
  skip(count: number): void {
    this.#emitRun();
    this.#len = 0;
    this.#mode = HUNT;
    this.#offset += count;
    this.#stats.skippedBytes += count;
    this.#stats.bytes = this.#offset;
  }

  next(): Decoded | undefined {
    return this.#queue.next();
  }

  /**
   * The line went quiet (`silence`) or closed (`end of stream`): a packet in progress is rejected
   * as TRUNCATED, and a pending run of garbage is reported. After silence a scan goes on (its
   * next node starts afresh); after the end of the stream the next bytes must be a descriptor.
   */
  flush(reason: FlushReason): void {
    this.#emitRun();
    if (this.#len > 0) {
      const what =
        this.#mode === HUNT || (this.#len >= 2 && this.#buf[0] === SYNC && this.#buf[1] === DESCRIPTOR_SYNC)
          ? `a ${DESCRIPTOR_SIZE}-byte response descriptor`
          : `a ${responseSize(this.#mode as ResponseKind)}-byte ${this.#mode}`;
      this.#reject(
        'TRUNCATED',
        this.#start,
        this.#len,
        what,
        `${this.#len} bytes (${hexText(this.#buf.subarray(0, this.#len))}), then ${reason}`,
      );
      this.#len = 0;
      if (this.#mode !== 'scan_node') this.#mode = HUNT;
    }
    if (reason === 'end of stream') this.#mode = HUNT;
  }

  stats(): DecoderStats {
    return { ...this.#stats, rejectedBytesByCode: { ...this.#stats.rejectedBytesByCode } };
  }

  #process(): void {
    for (;;) {
      const buf = this.#buf;
      const len = this.#len;
      if (len === 0) return;
      const mode = this.#mode;
      if (mode === HUNT) {
        if (buf[0] !== SYNC) {
          this.#drop('GARBAGE', 'a response descriptor A5 5A');
          continue;
        }
        if (len < 2) return;
        if (buf[1] !== DESCRIPTOR_SYNC) {
          this.#drop('GARBAGE', 'a response descriptor A5 5A');
          continue;
        }
        if (len < DESCRIPTOR_SIZE) return;
        this.#descriptor();
        continue;
      }
      if (mode === 'scan_node') {
        if (len >= 2 && buf[0] === SYNC && buf[1] === DESCRIPTOR_SYNC) {
          this.#mode = HUNT; // a new descriptor: the scan ended (the host sent another request)
          continue;
        }
        const b0 = buf[0]!;
        if (((b0 ^ (b0 >> 1)) & 1) === 0) {
          this.#drop('NODE_SYNC', 'a scan node with S ≠ !S');
          continue;
        }
        if (len < 2) return;
        if ((buf[1]! & 1) === 0) {
          this.#drop('NODE_CHECK', 'a scan node with check bit C = 1');
          continue;
        }
        if (len < SCAN_NODE_SIZE) return;
        this.#answer('scan_node', SCAN_NODE_SIZE);
        continue;
      }
      const size = responseSize(mode);
      if (len < size) return;
      this.#answer(mode, size);
      this.#mode = HUNT;
    }
  }

  #descriptor(): void {
    const decoded = decodeLayout(DESCRIPTOR_LAYOUT, this.#buf);
    if ('problem' in decoded) return; // unreachable: both sync bytes were checked
    const { length, send_mode: sendMode, data_type: dataType } = decoded.values;
    const kind = responseKindOf(dataType);
    if (!kind || responseSize(kind) !== length || SEND_MODES[sendMode] !== sendModeOf(kind)) {
      const expected = kind
        ? `${responseSize(kind)} bytes, ${sendModeOf(kind)} for data type 0x${hex2(dataTypeOf(kind))}`
        : 'a data type this driver reads (0x04 info, 0x06 health, 0x15 sample rate, 0x81 scan)';
      const found = `data type 0x${hex2(dataType)}, ${length} bytes, send mode ${sendMode}`;
      this.#emitRun();
      this.#reject('DESCRIPTOR_UNKNOWN', this.#start, DESCRIPTOR_SIZE, expected, found);
      this.#consume(DESCRIPTOR_SIZE);
      this.#mode = HUNT;
      return;
    }
    this.#emitRun();
    this.#stats.descriptors++;
    this.#queue.push({ kind: 'descriptor', answer: kind, offset: this.#start });
    this.#consume(DESCRIPTOR_SIZE);
    this.#mode = kind;
  }

  #answer(kind: ResponseKind, size: number): void {
    const decoded = decodeResponse(kind, this.#buf);
    this.#emitRun();
    if ('problem' in decoded) {
      const p = decoded.problem;
      this.#reject('RESPONSE_FIELD', this.#start, size, `${kind}.${p.field} ${p.expected}`, p.found);
    } else {
      if (kind === 'scan_node') this.#stats.nodes++;
      else this.#stats.responses++;
      this.#queue.push({ kind: 'response', response: decoded.response, offset: this.#start });
    }
    this.#consume(size);
  }

  /** Drops the first buffered byte as `code`, joining the run of dropped bytes before it. */
  #drop(code: RejectionCode, expected: string): void {
    const offset = this.#start;
    const byte = this.#buf[0]!;
    let run = this.#run;
    if (run && (run.code !== code || run.length >= MAX_RUN)) {
      this.#emitRun();
      run = undefined;
    }
    if (!run) run = this.#run = { code, offset, length: 0, shown: [], expected };
    run.length++;
    if (run.shown.length < SHOWN) run.shown.push(byte);
    this.#stats.rejectedBytes++;
    this.#stats.rejectedBytesByCode[code]++;
    this.#consume(1);
  }

  #emitRun(): void {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    const shown = hexText(run.shown) + (run.length > run.shown.length ? ' …' : '');
    const found = run.length === 1 ? shown : `${run.length} bytes ${shown}`;
    this.#queue.push({
      kind: 'rejected',
      rejection: this.#rejection(run.code, run.offset, run.length, run.expected, found),
    });
    this.#stats.rejections++;
  }

  /** A whole packet rejected (its bytes are counted here; dropped bytes were counted as dropped). */
  #reject(code: RejectionCode, offset: number, length: number, expected: string, found: string): void {
    this.#stats.rejectedBytes += length;
    this.#stats.rejectedBytesByCode[code] += length;
    this.#stats.rejections++;
    this.#queue.push({ kind: 'rejected', rejection: this.#rejection(code, offset, length, expected, found) });
  }

  #rejection(
    code: RejectionCode,
    offset: number,
    length: number,
    expected: string,
    found: string,
  ): Rejection {
    const where = length === 1 ? `byte ${offset}` : `bytes ${offset}–${offset + length - 1}`;
    const message = `${where}: ${REJECTION_TEXT[code]}: expected ${expected}, found ${found}`;
    this.#stats.lastRejection = message;
    return { code, offset, length, expected, found, message };
  }

  #consume(n: number): void {
    this.#buf.copyWithin(0, n, this.#len);
    this.#len -= n;
    this.#start += n;
  }
}

function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}
