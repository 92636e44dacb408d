import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { PixelBox } from './camera-model.js';

/**
 * The photographs and the clip the tests and benchmarks run on, committed in test/fixtures/:
 * public-domain and CC0 material, each file's source, licence and changes in CREDITS.md there;
 * scripts/make-test-fixtures.sh rebuilds them from the sources.
 */
export const FIXTURES = [
  'astronaut.jpg',
  'small-face.jpg',
  'rocket.jpg',
  'coffee.png',
  'brick.png',
  'palette.png',
  'face-pan.mp4',
] as const;
export type Fixture = (typeof FIXTURES)[number];

const DIR = new URL('../../test/fixtures/', import.meta.url);

/** Where the fixture is in this checkout. */
export function fixturePath(name: Fixture): string {
  return fileURLToPath(new URL(name, DIR));
}

export function fixtureBytes(name: Fixture): Buffer {
  return readFileSync(fixturePath(name));
}

/** astronaut.jpg (512 × 512): her face, hand-marked brows to chin, cheek to cheek, in pixels. */
export const ASTRONAUT_FACE: PixelBox = { x: 175, y: 80, width: 95, height: 100 };

/**
 * small-face.jpg (640 × 427): the same face, pasted small onto rocket.jpg. The script pastes the
 * astronaut's head and shoulders (cut at x 100, y 20) scaled by 0.45 at (380, 150).
 */
export const SMALL_FACE: PixelBox = {
  x: 380 + (ASTRONAUT_FACE.x - 100) * 0.45,
  y: 150 + (ASTRONAUT_FACE.y - 20) * 0.45,
  width: ASTRONAUT_FACE.width * 0.45,
  height: ASTRONAUT_FACE.height * 0.45,
};

/**
 * face-pan.mp4, as the script makes it: two black frames, then the astronaut's head and shoulders
 * gliding left to right across a brick wall while growing (face about 100 → 140 px wide); one face
 * in every frame after the black ones. It has a sound track (a tone), as camera recordings do.
 */
export const FACE_PAN = {
  width: 640,
  height: 480,
  frames: 120,
  fps: 25,
  /** ns between frames at 25 frames/s. */
  frameNs: 40_000_000n,
  blackFrames: 2,
} as const;

/** A PNG chunk as the file holds it: length, type, data, CRC (the right one unless given). */
export function pngChunk(type: string, data: Uint8Array = new Uint8Array(0), crc?: number): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const body = Buffer.concat([head.subarray(4), data]);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc ?? zlib.crc32(body), 0);
  return Buffer.concat([head.subarray(0, 4), body, tail]);
}

/** The IHDR chunk: size, bit depth, colour type (2 = RGB), interlace (1 = Adam7). */
export function pngHeader(width: number, height: number, bitDepth = 8, colorType = 2, interlace = 0): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([bitDepth, colorType, 0 /* deflate */, 0 /* adaptive filters */, interlace], 8);
  return pngChunk('IHDR', data);
}

/** Signature, then the chunks as given (IEND is not added). */
export function pngFile(...chunks: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

/** A whole PNG of `width`×`height` 8-bit RGB, every row filter 0 and every byte `value`. */
export function solidPng(width: number, height: number, value = 0x80): Buffer {
  const row = Buffer.alloc(1 + width * 3, value);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return pngFile(pngHeader(width, height), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND'));
}

/**
 * A baseline JPEG's frame: SOI, a 3-component SOF0 of `width`×`height`, a scan header, `scan`
 * as its entropy-coded bytes, EOI. No tables: enough for everything before the decoder proper.
 */
export function jpegFrame(width: number, height: number, scan: Uint8Array = new Uint8Array(0)): Buffer {
  const u16 = (n: number): number[] => [n >> 8, n & 0xff];
  return Buffer.from([
    ...[0xff, 0xd8], // SOI
    ...[0xff, 0xc0, ...u16(17), 8, ...u16(height), ...u16(width), 3], // SOF0: 8-bit, 3 components
    ...[1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0], // component id, sampling 1×1, quant table 0
    ...[0xff, 0xda, ...u16(12), 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0], // SOS
    ...scan,
    ...[0xff, 0xd9], // EOI
  ]);
}
