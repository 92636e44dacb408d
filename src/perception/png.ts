/**
 * PNG to RGB, read here rather than by pngjs so that every size is checked before it is used: the
 * header's width × height against LIMITS.imagePixels before anything is allocated, each chunk's
 * length against the bytes present, and the compressed image data against the exact size the
 * header declares (inflated no further than that). A cut-off or missing image is an error naming
 * the byte where it ends, never a picture of zeros. Output is what pngjs gives (8-bit RGBA, 16-bit
 * samples rounded, tRNS applied) composited over black, which the tests check against pngjs.
 */
import { constants, crc32, inflateSync } from 'node:zlib';
import { LIMITS } from '../input/index.js';
import { PerceptionError, type PerceptionErrorCode } from './errors.js';
import type { RgbImage } from './image.js';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The IHDR fields decoding needs. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

/** Per colour type: samples per pixel, allowed bit depths, a name for messages. */
const COLOUR_TYPES: Record<number, { channels: number; depths: readonly number[]; name: string }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16], name: 'grey' },
  2: { channels: 3, depths: [8, 16], name: 'RGB' },
  3: { channels: 1, depths: [1, 2, 4, 8], name: 'palette' },
  4: { channels: 2, depths: [8, 16], name: 'grey+alpha' },
  6: { channels: 4, depths: [8, 16], name: 'RGBA' },
};

/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

const MAX_CHUNK_LENGTH = 0x7fffffff;

function error(code: PerceptionErrorCode, name: string, what: string): PerceptionError {
  return new PerceptionError(code, name, what);
}

/** The declared size against LIMITS.imagePixels; `what` says whose header declared it. */
export function checkImagePixels(width: number, height: number, name: string, what: string): void {
  const limit = LIMITS.imagePixels;
  if (width * height > limit.value) {
    throw error(
      'TOO_LARGE',
      name,
      `${what} declares ${width}×${height} = ${width * height} pixels; the limit is ${limit.value} ${limit.unit} (imagePixels, docs/limits.md)`,
    );
  }
}

/**
 * Reads and checks the IHDR chunk (the first after the signature), including the pixel limit.
 * Nothing past the header is looked at.
 */
export function readPngHeader(buf: Buffer, name: string): PngHeader {
  if (buf.length < 33) {
    throw error(
      'IMAGE_TRUNCATED',
      name,
      `truncated PNG data: the file ends at byte ${buf.length}, inside the IHDR chunk (bytes 8–33)`,
    );
  }
  const length = buf.readUInt32BE(8);
  const type = buf.toString('latin1', 12, 16);
  if (type !== 'IHDR' || length !== 13) {
    throw error(
      'IMAGE_CORRUPT',
      name,
      `corrupt PNG data: expected the 13-byte IHDR chunk at byte 8, found '${printable(type)}' of ${length} bytes`,
    );
  }
  checkCrc(buf, 8, 13, name, type);
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const [bitDepth, colorType, compression, filter, interlace] = buf.subarray(24, 29);
  const header = { width, height, bitDepth: bitDepth!, colorType: colorType!, interlaced: interlace === 1 };
  const spec = COLOUR_TYPES[header.colorType];
  const problem =
    width === 0 || height === 0 || width > MAX_CHUNK_LENGTH || height > MAX_CHUNK_LENGTH
      ? `size ${width}×${height}, expected 1 to 2^31−1 each way`
      : !spec
        ? `colour type ${colorType}, expected 0, 2, 3, 4 or 6`
        : !spec.depths.includes(header.bitDepth)
          ? `bit depth ${bitDepth} for ${spec.name}, expected ${spec.depths.join(', ')}`
          : compression !== 0 || filter !== 0
            ? `compression method ${compression} / filter method ${filter}, expected 0 / 0`
            : interlace! > 1
              ? `interlace method ${interlace}, expected 0 or 1`
              : undefined;
  if (problem) throw error('IMAGE_CORRUPT', name, `corrupt PNG header (IHDR at byte 8): ${problem}`);
  checkImagePixels(width, height, name, 'PNG header (IHDR at byte 8)');
  return header;
}

/**
 * Decodes a PNG (any bit depth, grey, palette, alpha, interlaced or not) into RGB, alpha
 * composited over black. Errors name `name` and, for structure, the byte offset.
 */
export function decodePng(buf: Buffer, name: string): RgbImage {
  const header = readPngHeader(buf, name);
  const { palette, transparent, idat, idatEnd } = readChunks(buf, name, header);
  const expected = rawSize(header);
  const raw = inflateImageData(idat, expected, name, header, idatEnd);
  return toRgb(raw, header, palette, transparent, name);
}

interface Chunks {
  /** RGBA, 4 bytes an entry (alpha from tRNS, else 255). */
  palette: Uint8Array | undefined;
  /** tRNS for grey or RGB: the sample value(s) that are transparent. */
  transparent: number[] | undefined;
  idat: Buffer;
  /** File offset just past the last IDAT chunk's data, for messages. */
  idatEnd: number;
}

/** Walks the chunks after IHDR up to IEND, checking lengths, types and CRCs. */
function readChunks(buf: Buffer, name: string, header: PngHeader): Chunks {
  const idat: Buffer[] = [];
  let idatEnd = 0;
  let palette: Uint8Array | undefined;
  let transparent: number[] | undefined;
  let trns: Buffer | undefined;
  let at = 33;
  for (;;) {
    if (at + 8 > buf.length) {
      throw error(
        'IMAGE_TRUNCATED',
        name,
        at === buf.length
          ? `truncated PNG data: the file ends at byte ${at}, before the IEND chunk`
          : `truncated PNG data: the file ends at byte ${buf.length}, inside the chunk header at byte ${at}`,
      );
    }
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      throw error('IMAGE_CORRUPT', name, `corrupt PNG data: chunk type '${printable(type)}' at byte ${at}`);
    }
    if (length > MAX_CHUNK_LENGTH) {
      throw error(
        'IMAGE_CORRUPT',
        name,
        `corrupt PNG data: chunk '${type}' at byte ${at} declares ${length} bytes, more than 2^31−1`,
      );
    }
    const dataStart = at + 8;
    const end = dataStart + length + 4;
    if (end > buf.length) {
      throw error(
        'IMAGE_TRUNCATED',
        name,
        `truncated PNG data: chunk '${type}' at byte ${at} declares ${length} bytes; the file ends at byte ${buf.length}`,
      );
    }
    checkCrc(buf, at, length, name, type);
    const data = buf.subarray(dataStart, dataStart + length);
    switch (type) {
      case 'IEND':
        if (idat.length === 0) {
          throw error(
            'IMAGE_TRUNCATED',
            name,
            `missing PNG image data: no IDAT chunk before IEND at byte ${at}`,
          );
        }
        if (header.colorType === 3 && !palette) {
          throw error('IMAGE_CORRUPT', name, 'corrupt PNG data: a palette image without a PLTE chunk');
        }
        if (trns) transparent = readTransparency(trns, header);
        if (trns && header.colorType === 3) palette = applyPaletteAlpha(palette!, trns, name);
        return { palette, transparent, idat: Buffer.concat(idat), idatEnd };
      case 'IDAT':
        idat.push(data);
        idatEnd = dataStart + length;
        break;
      case 'PLTE':
        palette = readPalette(data, at, name);
        break;
      case 'tRNS':
        trns = data;
        break;
      case 'IHDR':
        throw error('IMAGE_CORRUPT', name, `corrupt PNG data: a second IHDR chunk at byte ${at}`);
      default:
        // Ancillary chunks (lower-case first letter) carry nothing we need; an unknown critical
        // one means we cannot read the image correctly (PNG spec §5.4).
        if ((buf[at + 4]! & 0x20) === 0) {
          throw error(
            'IMAGE_CORRUPT',
            name,
            `corrupt PNG data: unknown critical chunk '${type}' at byte ${at}`,
          );
        }
    }
    at = end;
  }
}

function checkCrc(buf: Buffer, at: number, length: number, name: string, type: string): void {
  const stored = buf.readUInt32BE(at + 8 + length);
  const computed = crc32(buf.subarray(at + 4, at + 8 + length));
  if (stored !== computed) {
    throw error(
      'IMAGE_CORRUPT',
      name,
      `corrupt PNG data: chunk '${printable(type)}' at byte ${at}: CRC ${hex(stored)}, computed ${hex(computed)}`,
    );
  }
}

function readPalette(data: Buffer, at: number, name: string): Uint8Array {
  if (data.length === 0 || data.length % 3 !== 0 || data.length > 256 * 3) {
    throw error(
      'IMAGE_CORRUPT',
      name,
      `corrupt PNG data: PLTE at byte ${at} holds ${data.length} bytes, expected 3 to 768 in threes`,
    );
  }
  const entries = data.length / 3;
  const rgba = new Uint8Array(entries * 4);
  for (let i = 0; i < entries; i++) {
    rgba[i * 4] = data[i * 3]!;
    rgba[i * 4 + 1] = data[i * 3 + 1]!;
    rgba[i * 4 + 2] = data[i * 3 + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

function applyPaletteAlpha(palette: Uint8Array, trns: Buffer, name: string): Uint8Array {
  if (trns.length > palette.length / 4) {
    throw error(
      'IMAGE_CORRUPT',
      name,
      `corrupt PNG data: tRNS holds ${trns.length} alpha values for ${palette.length / 4} palette entries`,
    );
  }
  for (let i = 0; i < trns.length; i++) palette[i * 4 + 3] = trns[i]!;
  return palette;
}

/** Grey: one 16-bit value; RGB: three. Other colour types carry no tRNS we use. */
function readTransparency(trns: Buffer, header: PngHeader): number[] | undefined {
  if (header.colorType === 0 && trns.length >= 2) return [trns.readUInt16BE(0)];
  if (header.colorType === 2 && trns.length >= 6) {
    return [trns.readUInt16BE(0), trns.readUInt16BE(2), trns.readUInt16BE(4)];
  }
  return undefined;
}

/** Bytes in one filtered row of `width` pixels, its filter-type byte included. */
function rowBytes(width: number, header: PngHeader): number {
  return 1 + Math.ceil((width * COLOUR_TYPES[header.colorType]!.channels * header.bitDepth) / 8);
}

/** The passes an image is stored in: one, or Adam7's seven (empty ones hold no rows). */
function passes(
  header: PngHeader,
): { x0: number; y0: number; dx: number; dy: number; w: number; h: number }[] {
  const all = header.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  return all
    .map(([x0, y0, dx, dy]) => ({
      x0,
      y0,
      dx,
      dy,
      w: Math.max(0, Math.ceil((header.width - x0) / dx)),
      h: Math.max(0, Math.ceil((header.height - y0) / dy)),
    }))
    .filter((p) => p.w > 0 && p.h > 0);
}

/** Where each filtered row (its filter-type byte) starts in the inflated data, pass by pass. */
export function rowStarts(header: PngHeader): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const p of passes(header)) {
    const stride = rowBytes(p.w, header);
    for (let y = 0; y < p.h; y++, at += stride) starts.push(at);
  }
  return starts;
}

/** The exact number of bytes the image data inflates to, from the header alone. */
export function rawSize(header: PngHeader): number {
  return passes(header).reduce((sum, p) => sum + p.h * rowBytes(p.w, header), 0);
}

function describe(header: PngHeader): string {
  const kind = COLOUR_TYPES[header.colorType]!.name;
  return `a ${header.width}×${header.height} ${header.bitDepth}-bit ${kind}${header.interlaced ? ' interlaced' : ''} image`;
}

/** Inflates no more than `expected` bytes; fewer is IMAGE_TRUNCATED, more or garbage IMAGE_CORRUPT. */
function inflateImageData(
  idat: Buffer,
  expected: number,
  name: string,
  header: PngHeader,
  idatEnd: number,
): Buffer {
  let raw: Buffer;
  try {
    raw = inflateSync(idat, {
      maxOutputLength: expected,
      // One output buffer of the declared size (only what is written to becomes resident), and a
      // cut-off stream returns what it holds instead of failing without saying how much.
      chunkSize: Math.max(64, expected),
      finishFlush: constants.Z_SYNC_FLUSH,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const what =
      e.code === 'ERR_BUFFER_TOO_LARGE'
        ? `the image data inflates to more than the ${expected} bytes ${describe(header)} holds`
        : `the image data (IDAT, ending at byte ${idatEnd}) does not inflate: ${e.message}`;
    throw error('IMAGE_CORRUPT', name, `corrupt PNG data: ${what}`);
  }
  if (raw.length < expected) {
    throw error(
      'IMAGE_TRUNCATED',
      name,
      `truncated PNG image data: the IDAT data ending at byte ${idatEnd} inflates to ${raw.length} bytes; ${describe(header)} needs ${expected}`,
    );
  }
  return raw;
}

/** Undoes the row filters in place (PNG spec §9). */
function unfilter(raw: Buffer, start: number, w: number, h: number, header: PngHeader, name: string): void {
  const stride = rowBytes(w, header);
  const bytes = stride - 1;
  const bitsPerPixel = COLOUR_TYPES[header.colorType]!.channels * header.bitDepth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  for (let y = 0; y < h; y++) {
    const row = start + y * stride;
    const filter = raw[row]!;
    const cur = row + 1;
    const prev = y > 0 ? cur - stride : -1;
    const up = (i: number): number => (prev < 0 ? 0 : raw[prev + i]!);
    switch (filter) {
      case 0:
        break;
      case 1:
        for (let i = bpp; i < bytes; i++) raw[cur + i] = raw[cur + i]! + raw[cur + i - bpp]!;
        break;
      case 2:
        if (prev >= 0) for (let i = 0; i < bytes; i++) raw[cur + i] = raw[cur + i]! + raw[prev + i]!;
        break;
      case 3:
        for (let i = 0; i < bytes; i++) {
          const left = i >= bpp ? raw[cur + i - bpp]! : 0;
          raw[cur + i] = raw[cur + i]! + ((left + up(i)) >> 1);
        }
        break;
      case 4:
        for (let i = 0; i < bytes; i++) {
          const a = i >= bpp ? raw[cur + i - bpp]! : 0;
          const b = up(i);
          const c = i >= bpp ? up(i - bpp) : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          raw[cur + i] = raw[cur + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
        break;
      default:
        throw error(
          'IMAGE_CORRUPT',
          name,
          `corrupt PNG image data: row ${y} of ${h}${header.interlaced ? ' in its interlace pass' : ''} has filter type ${filter}, expected 0–4`,
        );
    }
  }
}

/** Unfilters each pass and writes its pixels, as pngjs's RGBA composited over black, into RGB. */
function toRgb(
  raw: Buffer,
  header: PngHeader,
  palette: Uint8Array | undefined,
  transparent: number[] | undefined,
  name: string,
): RgbImage {
  const { width, height, bitDepth: depth, colorType } = header;
  const channels = COLOUR_TYPES[colorType]!.channels;
  const out = new Uint8Array(width * height * 3);
  const max = 2 ** depth - 1;
  const scale = (v: number): number => (depth === 8 ? v : Math.floor((v * 255) / max + 0.5));
  const rgba = [0, 0, 0, 0];
  const samples = [0, 0, 0, 0];
  let start = 0;
  for (const p of passes(header)) {
    unfilter(raw, start, p.w, p.h, header, name);
    const stride = rowBytes(p.w, header);
    for (let y = 0; y < p.h; y++) {
      const row = start + y * stride + 1;
      const outRow = (p.y0 + y * p.dy) * width;
      if (colorType === 2 && depth === 8 && !transparent && !header.interlaced) {
        out.set(raw.subarray(row, row + width * 3), outRow * 3); // the common case, as is
        continue;
      }
      for (let x = 0; x < p.w; x++) {
        for (let c = 0; c < channels; c++) samples[c] = sample(raw, row, x * channels + c, depth);
        pixel(samples, colorType, palette, transparent, scale, rgba, name);
        const o = (outRow + p.x0 + x * p.dx) * 3;
        const a = rgba[3]!;
        if (a === 255) {
          out[o] = rgba[0]!;
          out[o + 1] = rgba[1]!;
          out[o + 2] = rgba[2]!;
        } else {
          out[o] = (rgba[0]! * a + 127) / 255;
          out[o + 1] = (rgba[1]! * a + 127) / 255;
          out[o + 2] = (rgba[2]! * a + 127) / 255;
        }
      }
    }
    start += p.h * stride;
  }
  return { width, height, data: out };
}

/** The `index`th sample of a row starting at `row`, at `depth` bits, big-endian / MSB first. */
function sample(raw: Buffer, row: number, index: number, depth: number): number {
  if (depth === 8) return raw[row + index]!;
  if (depth === 16) return (raw[row + index * 2]! << 8) | raw[row + index * 2 + 1]!;
  const bit = index * depth;
  return (raw[row + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
}

/** One pixel's samples as 8-bit RGBA into `out`. */
function pixel(
  s: number[],
  colorType: number,
  palette: Uint8Array | undefined,
  transparent: number[] | undefined,
  scale: (v: number) => number,
  out: number[],
  name: string,
): void {
  switch (colorType) {
    case 0: {
      const clear = transparent && s[0] === transparent[0];
      out[0] = out[1] = out[2] = clear ? 0 : scale(s[0]!);
      out[3] = clear ? 0 : 255;
      return;
    }
    case 2: {
      const clear =
        transparent && s[0] === transparent[0] && s[1] === transparent[1] && s[2] === transparent[2];
      out[0] = clear ? 0 : scale(s[0]!);
      out[1] = clear ? 0 : scale(s[1]!);
      out[2] = clear ? 0 : scale(s[2]!);
      out[3] = clear ? 0 : 255;
      return;
    }
    case 3: {
      const i = s[0]! * 4;
      if (i >= palette!.length) {
        throw error(
          'IMAGE_CORRUPT',
          name,
          `corrupt PNG image data: palette index ${s[0]} with ${palette!.length / 4} palette entries`,
        );
      }
      out[0] = palette![i]!;
      out[1] = palette![i + 1]!;
      out[2] = palette![i + 2]!;
      out[3] = palette![i + 3]!;
      return;
    }
    case 4:
      out[0] = out[1] = out[2] = scale(s[0]!);
      out[3] = scale(s[1]!);
      return;
    default:
      out[0] = scale(s[0]!);
      out[1] = scale(s[1]!);
      out[2] = scale(s[2]!);
      out[3] = scale(s[3]!);
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** A chunk type as bytes may hold it: printable ASCII as is, anything else as \xNN. */
function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
