/**
 * PGM (Netpbm grayscale) codec: P5 (binary, 8 or 16 bits per sample, big-endian) and P2 (ASCII),
 * per the Netpbm spec: tokens separated by whitespace, `#` comments to the end of the line in
 * the header, exactly one whitespace byte between maxval and a P5 raster. Every malformed input
 * is a MapError that names the file and the byte offset.
 */
import { LIMITS, showControls } from '../input/index.js';
import { MapError } from './errors.js';

export interface PgmImage {
  format: 'P5' | 'P2';
  width: number;
  height: number;
  /** Largest sample value, 1..65535; samples above 255 take two bytes in P5. */
  maxval: number;
  /** Row-major samples, the file's top row first (as stored in the file). */
  samples: Uint8Array | Uint16Array;
}

const enum Ch {
  Tab = 9,
  Lf = 10,
  Vt = 11,
  Ff = 12,
  Cr = 13,
  Space = 32,
  Hash = 35,
  Zero = 48,
  Nine = 57,
}

function isSpace(b: number): boolean {
  return b === Ch.Space || (b >= Ch.Tab && b <= Ch.Cr);
}

/** Where a byte is, as people read it in an error. */
export function byteWhere(file: string, offset: number): string {
  return `${file} (byte ${offset})`;
}

/** Walks the header (and a P2 raster) token by token. */
class TokenScanner {
  pos: number;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
    start: number,
  ) {
    this.pos = start;
  }

  /** Skips whitespace and comments; true when a token starts at `pos`. */
  skipToToken(): boolean {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (isSpace(c)) this.pos++;
      else if (c === Ch.Hash) {
        while (this.pos < b.length && b[this.pos] !== Ch.Lf && b[this.pos] !== Ch.Cr) this.pos++;
      } else return true;
    }
    return false;
  }

  /** The next unsigned decimal; `what` names it in errors ("width", "sample 12"). */
  uint(what: string): { value: number; offset: number } {
    if (!this.skipToToken()) {
      throw new MapError('PGM_TRUNCATED', byteWhere(this.file, this.pos), `file ends before ${what}`);
    }
    const b = this.bytes;
    const start = this.pos;
    let value = 0;
    let digits = 0;
    while (this.pos < b.length && !isSpace(b[this.pos]!) && b[this.pos] !== Ch.Hash) {
      const c = b[this.pos]!;
      if (c < Ch.Zero || c > Ch.Nine) {
        let end = this.pos;
        while (end < b.length && end - start < 20 && !isSpace(b[end]!)) end++;
        const token = Buffer.from(b.subarray(start, end)).toString('latin1');
        throw new MapError(
          'PGM_TOKEN',
          byteWhere(this.file, start),
          `expected a decimal number for ${what}, found "${showControls(token)}"`,
        );
      }
      // Exact up to 15 digits, Infinity beyond (never a wrong number); range checks report it.
      value = value < 1e14 ? value * 10 + (c - Ch.Zero) : Infinity;
      digits++;
      this.pos++;
    }
    if (digits === 0) {
      throw new MapError('PGM_TOKEN', byteWhere(this.file, start), `expected a decimal number for ${what}`);
    }
    return { value, offset: start };
  }
}

/** Decodes a P5 or P2 PGM. `file` is used only in error messages. */
export function decodePgm(bytes: Uint8Array, file: string): PgmImage {
  if (bytes.length < 2 || bytes[0] !== 0x50 /* P */) {
    const found = bytes.length === 0 ? 'an empty file' : `"${showControls(latin1(bytes.subarray(0, 2)))}"`;
    throw new MapError('PGM_MAGIC', byteWhere(file, 0), `expected PGM magic "P5" or "P2", found ${found}`);
  }
  const kind = bytes[1]!;
  if (kind !== 0x35 /* 5 */ && kind !== 0x32 /* 2 */) {
    const magic = latin1(bytes.subarray(0, 2));
    const other: Record<string, string> = { P1: 'PBM', P4: 'PBM', P3: 'PPM', P6: 'PPM', P7: 'PAM' };
    const note = other[magic] ? ` (a ${other[magic]} image; save the map as grayscale PGM)` : '';
    throw new MapError(
      'PGM_MAGIC',
      byteWhere(file, 0),
      `expected PGM magic "P5" or "P2", found "${showControls(magic)}"${note}`,
    );
  }
  const format = kind === 0x35 ? 'P5' : 'P2';
  if (bytes.length > 2 && !isSpace(bytes[2]!) && bytes[2] !== Ch.Hash) {
    throw new MapError('PGM_HEADER', byteWhere(file, 2), `expected whitespace after "${format}"`);
  }

  const scan = new TokenScanner(bytes, file, 2);
  const width = scan.uint('width');
  const height = scan.uint('height');
  const maxval = scan.uint('maxval');
  if (width.value < 1)
    throw new MapError('PGM_HEADER', byteWhere(file, width.offset), 'width must be at least 1, found 0');
  if (height.value < 1) {
    throw new MapError('PGM_HEADER', byteWhere(file, height.offset), 'height must be at least 1, found 0');
  }
  checkMapSize(width, height, file);
  if (maxval.value < 1 || maxval.value > 65535) {
    throw new MapError(
      'PGM_MAXVAL',
      byteWhere(file, maxval.offset),
      `expected maxval 1..65535, found ${number(maxval.value)}`,
    );
  }

  const w = width.value;
  const h = height.value;
  const mv = maxval.value;
  const samples =
    format === 'P5'
      ? readBinaryRaster(bytes, file, scan.pos, w, h, mv)
      : readAsciiRaster(scan, bytes, file, w, h, mv);
  return { format, width: w, height: h, maxval: mv, samples };
}

/**
 * The map's size against docs/limits.md, from the header alone: a corrupt or hostile header can
 * never make the loader allocate (or a costmap rasterise) more than the limits allow.
 */
function checkMapSize(
  width: { value: number; offset: number },
  height: { value: number; offset: number },
  file: string,
): void {
  const side = LIMITS.mapSideCells.value;
  for (const [name, dim] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (dim.value > side) {
      throw new MapError(
        'BEYOND_LIMIT',
        byteWhere(file, dim.offset),
        `${name} is ${number(dim.value)}, larger than the limit for ${LIMITS.mapSideCells.what}, ${side} cells (mapSideCells in docs/limits.md)`,
      );
    }
  }
  const cells = width.value * height.value;
  if (cells > LIMITS.mapCells.value) {
    throw new MapError(
      'BEYOND_LIMIT',
      byteWhere(file, width.offset),
      `${width.value}×${height.value} = ${cells} pixels is larger than the limit for ${LIMITS.mapCells.what}, ` +
        `${LIMITS.mapCells.value} cells (mapCells in docs/limits.md)`,
    );
  }
}

function readBinaryRaster(
  bytes: Uint8Array,
  file: string,
  maxvalEnd: number,
  width: number,
  height: number,
  maxval: number,
): Uint8Array | Uint16Array {
  if (maxvalEnd >= bytes.length) {
    throw new MapError(
      'PGM_TRUNCATED',
      byteWhere(file, maxvalEnd),
      'file ends after the header, before the raster',
    );
  }
  if (!isSpace(bytes[maxvalEnd]!)) {
    throw new MapError(
      'PGM_HEADER',
      byteWhere(file, maxvalEnd),
      'expected exactly one whitespace byte between maxval and the raster',
    );
  }
  const start = maxvalEnd + 1;
  const count = width * height;
  const bytesPerSample = maxval < 256 ? 1 : 2;
  const expected = count * bytesPerSample;
  const available = bytes.length - start;
  if (available < expected) {
    const whole = Math.floor(available / bytesPerSample);
    throw new MapError(
      'PGM_TRUNCATED',
      byteWhere(file, bytes.length),
      `raster is truncated: ${whole} of ${width}×${height} = ${count} pixels present ` +
        `(${available} of ${expected} bytes from byte ${start})`,
    );
  }
  if (available > expected) {
    throw new MapError(
      'PGM_PIXEL_COUNT',
      byteWhere(file, start + expected),
      `${available - expected} bytes after the raster of ${width}×${height} = ${count} pixels ` +
        `(expected the file to end here)`,
    );
  }
  if (bytesPerSample === 1) {
    const samples = bytes.slice(start, start + expected);
    if (maxval < 255) {
      for (let i = 0; i < count; i++) {
        if (samples[i]! > maxval) throw sampleError(file, start + i, i, width, samples[i]!, maxval);
      }
    }
    return samples;
  }
  const samples = new Uint16Array(count);
  for (let i = 0, p = start; i < count; i++, p += 2) {
    const v = (bytes[p]! << 8) | bytes[p + 1]!;
    if (v > maxval) throw sampleError(file, p, i, width, v, maxval);
    samples[i] = v;
  }
  return samples;
}

function readAsciiRaster(
  scan: TokenScanner,
  bytes: Uint8Array,
  file: string,
  width: number,
  height: number,
  maxval: number,
): Uint8Array | Uint16Array {
  const count = width * height;
  const samples = maxval < 256 ? new Uint8Array(count) : new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    if (!scan.skipToToken()) {
      throw new MapError(
        'PGM_PIXEL_COUNT',
        byteWhere(file, bytes.length),
        `found ${i} samples, expected ${width}×${height} = ${count}`,
      );
    }
    const { value, offset } = scan.uint(`sample ${i} (row ${Math.floor(i / width)}, column ${i % width})`);
    if (value > maxval) throw sampleError(file, offset, i, width, value, maxval);
    samples[i] = value;
  }
  if (scan.skipToToken()) {
    throw new MapError(
      'PGM_PIXEL_COUNT',
      byteWhere(file, scan.pos),
      `more samples than ${width}×${height} = ${count}; expected the file to end here`,
    );
  }
  return samples;
}

function sampleError(
  file: string,
  offset: number,
  i: number,
  width: number,
  value: number,
  maxval: number,
): MapError {
  return new MapError(
    'PGM_SAMPLE',
    byteWhere(file, offset),
    `sample ${i} (row ${Math.floor(i / width)}, column ${i % width}) is ${number(value)}, above maxval ${maxval}`,
  );
}

/** A header number as read: exact, or "a number of more than 15 digits". */
function number(v: number): string {
  return Number.isFinite(v) ? String(v) : 'a number of more than 15 digits';
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b).toString('latin1');
}

/** Encodes a binary P5 PGM (16-bit big-endian when maxval > 255). */
export function encodePgm(
  image: { width: number; height: number; maxval: number; samples: ArrayLike<number> },
  comment?: string,
): Uint8Array {
  const { width, height, maxval, samples } = image;
  if (samples.length !== width * height) {
    throw new RangeError(`PGM has ${samples.length} samples, expected ${width}×${height}`);
  }
  const commentLines = comment
    ? comment
        .split('\n')
        .map((l) => `# ${l}\n`)
        .join('')
    : '';
  const header = Buffer.from(`P5\n${commentLines}${width} ${height}\n${maxval}\n`, 'latin1');
  const bytesPerSample = maxval < 256 ? 1 : 2;
  const out = new Uint8Array(header.length + samples.length * bytesPerSample);
  out.set(header, 0);
  if (bytesPerSample === 1) {
    for (let i = 0; i < samples.length; i++) out[header.length + i] = samples[i]!;
  } else {
    for (let i = 0, p = header.length; i < samples.length; i++, p += 2) {
      out[p] = samples[i]! >> 8;
      out[p + 1] = samples[i]! & 0xff;
    }
  }
  return out;
}
