/**
 * JPEG to RGB through jpeg-js, after reading the frame header (SOFn) ourselves: its width × height
 * is checked against LIMITS.imagePixels, and the entropy-coded data against the least a frame of
 * that size can take, before jpeg-js allocates anything for it. A cut-off file or scan is an error
 * naming the byte offset.
 */
import jpeg from 'jpeg-js';
import { LIMITS } from '../input/index.js';
import { PerceptionError } from './errors.js';
import type { RgbImage } from './image.js';
import { checkImagePixels } from './png.js';

export interface JpegHeader {
  width: number;
  height: number;
  /** File offset of the SOFn marker. */
  frameAt: number;
  /** File offset of the first SOS marker. */
  scanAt: number;
  /** Each component's sampling factors. */
  sampling: { h: number; v: number }[];
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
/** SOF0–SOF15 except DHT (c4), JPG (c8) and DAC (cc), which share the range. */
const isFrameMarker = (m: number): boolean =>
  m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Markers without a length: RSTn, TEM (and SOI/EOI, handled apart). */
const isStandalone = (m: number): boolean => (m >= 0xd0 && m <= 0xd7) || m === 0x01;

const marker = (m: number): string => `ff ${m.toString(16).padStart(2, '0')}`;

/**
 * Walks the marker segments from SOI to the first scan (SOS), checking each length against the
 * bytes present, and reads the frame header's size (checked against the pixel limit).
 */
export function readJpegHeader(buf: Buffer, name: string): JpegHeader {
  let at = 2;
  let frame: { width: number; height: number; at: number; sampling: { h: number; v: number }[] } | undefined;
  for (;;) {
    if (at + 2 > buf.length) {
      throw new PerceptionError(
        'IMAGE_TRUNCATED',
        name,
        `truncated JPEG data: the file ends at byte ${buf.length}, before ${frame ? 'the first scan (SOS)' : 'the frame header (SOFn)'}`,
      );
    }
    if (buf[at] !== 0xff) {
      throw new PerceptionError(
        'IMAGE_CORRUPT',
        name,
        `corrupt JPEG data: expected a marker (ff xx) at byte ${at}, found ${buf[at]!.toString(16).padStart(2, '0')}`,
      );
    }
    const m = buf[at + 1]!;
    if (m === 0xff) {
      at++; // fill byte before a marker
      continue;
    }
    if (isStandalone(m)) {
      at += 2;
      continue;
    }
    if (m === SOI || m === EOI) {
      throw new PerceptionError(
        m === EOI ? 'IMAGE_TRUNCATED' : 'IMAGE_CORRUPT',
        name,
        `${m === EOI ? 'missing JPEG image data' : 'corrupt JPEG data'}: ${marker(m)} at byte ${at} before ${frame ? 'any scan' : 'the frame header'}`,
      );
    }
    if (at + 4 > buf.length) {
      throw new PerceptionError(
        'IMAGE_TRUNCATED',
        name,
        `truncated JPEG data: the file ends at byte ${buf.length}, inside the ${marker(m)} segment at byte ${at}`,
      );
    }
    const length = buf.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > buf.length) {
      throw new PerceptionError(
        length < 2 ? 'IMAGE_CORRUPT' : 'IMAGE_TRUNCATED',
        name,
        length < 2
          ? `corrupt JPEG data: the ${marker(m)} segment at byte ${at} declares length ${length}`
          : `truncated JPEG data: the ${marker(m)} segment at byte ${at} declares ${length} bytes; the file ends at byte ${buf.length}`,
      );
    }
    if (isFrameMarker(m)) {
      if (frame) {
        throw new PerceptionError(
          'IMAGE_CORRUPT',
          name,
          `corrupt JPEG data: a second frame header (${marker(m)}) at byte ${at}`,
        );
      }
      if (length < 8) {
        throw new PerceptionError(
          'IMAGE_CORRUPT',
          name,
          `corrupt JPEG data: the frame header at byte ${at} holds ${length} bytes, expected at least 8`,
        );
      }
      const height = buf.readUInt16BE(at + 5);
      const width = buf.readUInt16BE(at + 7);
      if (width === 0 || height === 0) {
        throw new PerceptionError(
          'IMAGE_CORRUPT',
          name,
          `corrupt JPEG data: the frame header at byte ${at} declares ${width}×${height} (a height set later by DNL is not supported)`,
        );
      }
      checkImagePixels(width, height, name, `JPEG frame header (${marker(m)} at byte ${at})`);
      const count = buf[at + 9]!;
      if (count === 0 || length < 8 + 3 * count) {
        throw new PerceptionError(
          'IMAGE_CORRUPT',
          name,
          `corrupt JPEG data: the frame header at byte ${at} lists ${count} components in ${length} bytes`,
        );
      }
      const sampling = Array.from({ length: count }, (_, i) => {
        const hv = buf[at + 11 + 3 * i]!;
        return { h: Math.max(1, hv >> 4), v: Math.max(1, hv & 15) };
      });
      frame = { width, height, at, sampling };
    }
    if (m === SOS) {
      if (!frame) {
        throw new PerceptionError(
          'IMAGE_CORRUPT',
          name,
          `corrupt JPEG data: a scan (ff da) at byte ${at} before the frame header`,
        );
      }
      return {
        width: frame.width,
        height: frame.height,
        frameAt: frame.at,
        scanAt: at,
        sampling: frame.sampling,
      };
    }
    at = end;
  }
}

/**
 * What jpeg-js may use for one image: what it needs for a 3-component 4:2:0 frame (every camera's
 * and phone's) at LIMITS.imagePixels. It keeps 256 bytes for every 8×8 block of every component,
 * so a 4:4:4 or 4-component frame near the limit needs up to twice that (a 100 KB file of one took
 * 580 MB); such a frame is refused before jpeg-js allocates anything.
 */
const JPEG_DECODE_BYTES = jpegJsBytes(4096, LIMITS.imagePixels.value / 4096, [
  { h: 2, v: 2 },
  { h: 1, v: 1 },
  { h: 1, v: 1 },
]);

/**
 * The bytes jpeg-js allocates to decode a frame, as its decoder counts them: coefficient blocks
 * (MCU-padded), a plane per component, the interleaved copy and the RGB output.
 */
export function jpegJsBytes(width: number, height: number, sampling: { h: number; v: number }[]): number {
  const maxH = Math.max(...sampling.map((c) => c.h));
  const maxV = Math.max(...sampling.map((c) => c.v));
  const mcusPerLine = Math.ceil(width / 8 / maxH);
  const mcusPerColumn = Math.ceil(height / 8 / maxV);
  let bytes = width * height * (sampling.length + 3);
  for (const c of sampling) {
    bytes += mcusPerLine * c.h * mcusPerColumn * c.v * 256;
    bytes +=
      Math.ceil((Math.ceil(width / 8) * c.h) / maxH) *
      8 *
      Math.ceil((Math.ceil(height / 8) * c.v) / maxV) *
      8;
  }
  return bytes;
}

/** Decodes a baseline or progressive JPEG into RGB. */
export function decodeJpeg(buf: Buffer, name: string): RgbImage {
  const header = readJpegHeader(buf, name);
  // The entropy-coded scan cannot contain ff d9 (ff is stuffed as ff 00), so a complete file has
  // its EOI after the last SOS; a cut-off stream does not (an EXIF thumbnail's EOI comes earlier).
  const lastScan = buf.lastIndexOf(Buffer.from([0xff, SOS]));
  const lastEoi = buf.lastIndexOf(Buffer.from([0xff, EOI]));
  if (lastEoi < lastScan) {
    throw new PerceptionError(
      'IMAGE_TRUNCATED',
      name,
      `truncated JPEG data: the file ends at byte ${buf.length}, inside the scan at byte ${lastScan} (no EOI marker after it)`,
    );
  }
  // Every 8×8 block of the full-resolution component takes at least one bit (its DC code) in the
  // first scan, so fewer bytes than that cannot hold the image: refuse before jpeg-js allocates
  // its coefficient blocks for a frame the file cannot fill.
  const leastBytes = Math.ceil((Math.ceil(header.width / 8) * Math.ceil(header.height / 8)) / 8);
  const scanBytes = lastEoi - header.scanAt;
  if (scanBytes < leastBytes) {
    throw new PerceptionError(
      'IMAGE_TRUNCATED',
      name,
      `missing JPEG image data: the scans from byte ${header.scanAt} to the EOI at byte ${lastEoi} hold ${scanBytes} bytes; a ${header.width}×${header.height} frame needs at least ${leastBytes}`,
    );
  }
  const needs = jpegJsBytes(header.width, header.height, header.sampling);
  if (needs > JPEG_DECODE_BYTES) {
    const mb = (n: number): number => Math.ceil(n / (1024 * 1024));
    const factors = header.sampling.map((c) => `${c.h}×${c.v}`).join(', ');
    throw new PerceptionError(
      'TOO_LARGE',
      name,
      `decoding this ${header.width}×${header.height} JPEG (${header.sampling.length} components sampled ${factors}) takes ${mb(needs)} MB; the most is ${mb(JPEG_DECODE_BYTES)} MB, what a 4:2:0 JPEG at the pixel limit takes (imagePixels, docs/limits.md)`,
    );
  }
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(buf, {
      useTArray: true,
      formatAsRGBA: false,
      // Strict: a block the scan never reaches is an error, not silently left grey.
      tolerantDecoding: false,
      maxResolutionInMP: LIMITS.imagePixels.value / 1e6,
      maxMemoryUsageInMB: Math.ceil(JPEG_DECODE_BYTES / (1024 * 1024)) + 1,
    });
  } catch (err) {
    const what = err instanceof Error ? err.message : String(err);
    if (/^unexpected marker: ffd9/.test(what)) {
      throw new PerceptionError(
        'IMAGE_TRUNCATED',
        name,
        `truncated JPEG image data: the scan reaches the EOI marker at byte ${lastEoi} before all ${header.width}×${header.height} pixels are coded`,
      );
    }
    throw new PerceptionError('IMAGE_CORRUPT', name, `corrupt JPEG data: ${what}`);
  }
  if (img.width !== header.width || img.height !== header.height) {
    throw new PerceptionError(
      'IMAGE_CORRUPT',
      name,
      `corrupt JPEG data: decoded ${img.width}×${img.height}, the frame header at byte ${header.frameAt} declares ${header.width}×${header.height}`,
    );
  }
  return img;
}
