/**
 * Finds where CDR bytes stop fitting their definition. The decoder (rosmsg2-serialization's
 * MessageReader) only says that a DataView read was out of range, or, reading typed arrays as views
 * of the underlying buffer, may read past the end of a Uint8Array that is a window on a larger
 * buffer without noticing. This walk steps through the same layout (plain CDR: 4-byte
 * encapsulation header, each primitive aligned to its size, 8-byte types to 8, from after the
 * header) checking each read against the input's length, and names the field and byte offset of
 * the first one that does not fit. It runs only after a decode failed, so it favours plainness.
 */
import type { ParsedField } from './definitions.js';

type MessageDefinition = { name?: string; definitions: ParsedField[] };

const SIZES: Record<string, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

/** Why the bytes do not fit, e.g. "ranges: float32[] of 720 elements at byte offset 60 needs …". */
export function locateBadBytes(definitions: MessageDefinition[], bytes: Uint8Array): string | undefined {
  if (bytes.byteLength < 4) {
    return `input is ${bytes.byteLength} bytes, shorter than the 4-byte CDR encapsulation header at byte offset 0`;
  }
  const kind = bytes[1]!;
  if (bytes[0] !== 0 || kind > 1) {
    return `byte offset 0: encapsulation header ${hex(bytes[0]!)} ${hex(kind)} is not plain CDR (00 00 big-endian or 00 01 little-endian, as ROS 2 writes)`;
  }
  const byName = new Map(definitions.map((d) => [d.name ?? '', d.definitions]));
  const root = definitions.find(
    (d) => d.definitions.length === 0 || !d.definitions.every((f) => f.isConstant),
  );
  const cursor = new Cursor(bytes, kind === 1);
  try {
    cursor.struct(root?.definitions ?? [], '', byName);
  } catch (err) {
    if (err instanceof Stop) return err.message;
    throw err;
  }
  return undefined;
}

class Stop extends Error {}

class Cursor {
  #view: DataView;
  #le: boolean;
  #length: number;
  #offset = 4;

  constructor(bytes: Uint8Array, littleEndian: boolean) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#le = littleEndian;
    this.#length = bytes.byteLength;
  }

  struct(fields: ParsedField[], path: string, byName: Map<string, ParsedField[]>): void {
    const data = fields.filter((f) => f.isConstant !== true);
    // ROS 2 writes an empty message as one placeholder byte (structure_needs_at_least_one_member).
    if (data.length === 0) this.#take(1, 'empty message placeholder byte', path);
    for (const f of data) {
      const at = path === '' ? f.name : `${path}.${f.name}`;
      if (f.isArray === true) this.#array(f, at, byName);
      else if (f.isComplex === true) this.struct(byName.get(f.type) ?? [], at, byName);
      else this.#primitive(f.type, at);
    }
  }

  #array(f: ParsedField, at: string, byName: Map<string, ParsedField[]>): void {
    const count = f.arrayLength ?? this.#u32(`length of ${at}`, at);
    if (f.isComplex === true) {
      for (let i = 0; i < count; i++) this.struct(byName.get(f.type) ?? [], `${at}[${i}]`, byName);
      return;
    }
    const size = SIZES[f.type];
    if (size === undefined || f.type === 'bool') {
      // Strings, times and bools are read one element at a time.
      for (let i = 0; i < count; i++) this.#primitive(f.type, `${at}[${i}]`);
      return;
    }
    if (count === 0) return; // the reader neither aligns nor reads for an empty typed array
    this.#align(size);
    this.#take(count * size, `${f.type}[${f.arrayLength ?? ''}] of ${count} elements`, at);
  }

  #primitive(type: string, at: string): void {
    if (type === 'string') {
      const length = this.#u32('string length', at);
      this.#take(length, `string of ${length} bytes (with its NUL)`, at);
    } else if (type === 'time' || type === 'duration') {
      this.#u32(`${type}.sec`, at);
      this.#u32(`${type}.nanosec`, at);
    } else {
      const size = SIZES[type] ?? 1;
      this.#align(size);
      this.#take(size, type, at);
    }
  }

  #u32(what: string, at: string): number {
    this.#align(4);
    const start = this.#offset;
    this.#take(4, what, at);
    return this.#view.getUint32(start, this.#le);
  }

  #align(size: number): void {
    const off = (this.#offset - 4) % size;
    if (off > 0) this.#offset += size - off;
  }

  #take(n: number, what: string, at: string): void {
    if (this.#offset + n > this.#length) {
      const left = Math.max(0, this.#length - this.#offset);
      throw new Stop(
        `${at === '' ? '' : `${at}: `}${what} at byte offset ${this.#offset} needs ${n} bytes, ${left} left (input is ${this.#length} bytes)`,
      );
    }
    this.#offset += n;
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
