import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../input/index.js';
import { thrown } from './test-expect.js';
import { decodePng, rawSize, readPngHeader, rowStarts } from './png.js';
import { pngChunk, pngFile, pngHeader, solidPng } from './test-images.js';

const { PNG } = createRequire(import.meta.url)('pngjs') as {
  PNG: { sync: { read(buf: Buffer): { width: number; height: number; data: Buffer } } };
};

/** What the decoder gave before it was replaced: pngjs's RGBA composited over black. */
function viaPngjs(buf: Buffer): number[] {
  const { width, height, data } = PNG.sync.read(buf);
  const out: number[] = [];
  for (let i = 0; i < width * height; i++) {
    const a = data[i * 4 + 3]!;
    for (let c = 0; c < 3; c++)
      out.push(a === 255 ? data[i * 4 + c]! : Math.trunc((data[i * 4 + c]! * a + 127) / 255));
  }
  return out;
}

const DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Any valid PNG: every colour type and depth, interlaced or not, random filters and samples, tRNS. */
const anyPng = fc
  .record({
    width: fc.integer({ min: 1, max: 19 }),
    height: fc.integer({ min: 1, max: 19 }),
    colorType: fc.constantFrom(0, 2, 3, 4, 6),
    depthPick: fc.nat(),
    interlace: fc.constantFrom(0, 1),
    seed: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    transparency: fc.boolean(),
  })
  .map(({ width, height, colorType, depthPick, interlace, seed, transparency }) => {
    const depths = DEPTHS[colorType]!;
    const depth = depths[depthPick % depths.length]!;
    const header = { width, height, bitDepth: depth, colorType, interlaced: interlace === 1 };
    // Filtered rows are any bytes with a filter type 0–4 in front: fill from the seed, then set
    // each row's first byte (rows of each pass follow one another; rawSize knows their layout).
    const raw = Buffer.alloc(rawSize(header));
    for (let i = 0; i < raw.length; i++) raw[i] = seed[i % seed.length]! ^ (i * 31);
    rowStarts(header).forEach((at, i) => (raw[at] = (seed[i % seed.length]! + i) % 5));
    const chunks = [pngHeader(width, height, depth, colorType, interlace)];
    const entries = colorType === 3 ? 2 ** depth : 0;
    if (colorType === 3)
      chunks.push(
        pngChunk(
          'PLTE',
          Uint8Array.from({ length: entries * 3 }, (_, i) => seed[i % 64]! * 7 + i),
        ),
      );
    if (transparency && colorType === 3)
      chunks.push(pngChunk('tRNS', seed.subarray(0, Math.min(entries, 64))));
    if (transparency && colorType === 0)
      chunks.push(pngChunk('tRNS', Buffer.from([0, raw[1]! & (2 ** Math.min(depth, 8) - 1)])));
    if (transparency && colorType === 2)
      chunks.push(pngChunk('tRNS', Buffer.from([0, raw[1]!, 0, raw[2]!, 0, raw[3]!])));
    chunks.push(pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND'));
    return pngFile(...chunks);
  });

describe('decodePng', () => {
  it('gives what pngjs gives, for every colour type, depth, filter and interlacing', () => {
    fc.assert(
      fc.property(anyPng, (png) => {
        expect([...decodePng(png, 'x.png').data]).toEqual(viaPngjs(png));
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a header over the pixel limit before reading anything else', () => {
    // The file: a few bytes claiming 25000×25000 (it took 7.8 GB and exited 0).
    const png = pngFile(pngHeader(25000, 25000), pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(10))));
    const e = thrown(() => decodePng(png, 'huge.png'));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toBe(
      `huge.png: PNG header (IHDR at byte 8) declares 25000×25000 = 625000000 pixels; the limit is ${LIMITS.imagePixels.value} pixels (imagePixels, docs/limits.md)`,
    );
  });

  it('reads the header alone', () => {
    expect(readPngHeader(solidPng(7, 3), 'x.png')).toEqual({
      width: 7,
      height: 3,
      bitDepth: 8,
      colorType: 2,
      interlaced: false,
    });
  });

  it('says where the data ends when it is cut off or missing, never returning zeros', () => {
    const whole = solidPng(32, 32);
    const cut = thrown(() => decodePng(whole.subarray(0, 50), 'cut.png'));
    expect(cut.code).toBe('IMAGE_TRUNCATED');
    expect(cut.message).toMatch(
      /^cut\.png: truncated PNG data: chunk 'IDAT' at byte 33 declares \d+ bytes; the file ends at byte 50$/,
    );
    const short = pngFile(
      pngHeader(32, 32),
      pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(100))),
      pngChunk('IEND'),
    );
    const e = thrown(() => decodePng(short, 'short.png'));
    expect(e.code).toBe('IMAGE_TRUNCATED');
    expect(e.message).toMatch(
      /^short\.png: truncated PNG image data: the IDAT data ending at byte \d+ inflates to 100 bytes; a 32×32 8-bit RGB image needs 3104$/,
    );
    const none = thrown(() => decodePng(pngFile(pngHeader(2, 2), pngChunk('IEND')), 'none.png'));
    expect(none.message).toBe('none.png: missing PNG image data: no IDAT chunk before IEND at byte 33');
    const noEnd = thrown(() => decodePng(whole.subarray(0, whole.length - 12), 'noend.png'));
    expect(noEnd.message).toBe(
      `noend.png: truncated PNG data: the file ends at byte ${whole.length - 12}, before the IEND chunk`,
    );
  });

  it('inflates no more than the header declares (a decompression bomb)', () => {
    const bomb = pngFile(
      pngHeader(10, 10),
      pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(20_000_000))),
      pngChunk('IEND'),
    );
    const e = thrown(() => decodePng(bomb, 'bomb.png'));
    expect(e.code).toBe('IMAGE_CORRUPT');
    expect(e.message).toBe(
      'bomb.png: corrupt PNG data: the image data inflates to more than the 310 bytes a 10×10 8-bit RGB image holds',
    );
  });

  it('checks lengths, CRCs, chunk types and header fields, naming the byte', () => {
    const ok = solidPng(4, 4);
    const crc = Buffer.from(ok);
    crc[crc.length - 20]! ^= 1; // a byte of the IDAT data
    expect(thrown(() => decodePng(crc, 'c.png')).message).toMatch(
      /^c\.png: corrupt PNG data: chunk 'IDAT' at byte 33: CRC [0-9a-f]{8}, computed [0-9a-f]{8}$/,
    );
    const long = pngFile(pngHeader(4, 4), pngChunk('IDAT', Buffer.alloc(4)).fill(0xff, 0, 4));
    expect(thrown(() => decodePng(long, 'l.png')).message).toBe(
      "l.png: corrupt PNG data: chunk 'IDAT' at byte 33 declares 4294967295 bytes, more than 2^31−1",
    );
    const garbage = pngFile(pngHeader(4, 4), Buffer.from('\x00\x00\x00\x00\x01\x02\x03\x04garbage!'));
    expect(thrown(() => decodePng(garbage, 'g.png')).message).toBe(
      "g.png: corrupt PNG data: chunk type '\\x01\\x02\\x03\\x04' at byte 33",
    );
    const critical = pngFile(pngHeader(4, 4), pngChunk('XYZW'), pngChunk('IEND'));
    expect(thrown(() => decodePng(critical, 'k.png')).message).toBe(
      "k.png: corrupt PNG data: unknown critical chunk 'XYZW' at byte 33",
    );
    expect(thrown(() => decodePng(pngFile(pngHeader(4, 4, 3, 2)), 'd.png')).message).toBe(
      'd.png: corrupt PNG header (IHDR at byte 8): bit depth 3 for RGB, expected 8, 16',
    );
    expect(thrown(() => decodePng(pngFile(pngHeader(0, 4)), 'z.png')).message).toBe(
      'z.png: corrupt PNG header (IHDR at byte 8): size 0×4, expected 1 to 2^31−1 each way',
    );
    expect(thrown(() => decodePng(ok.subarray(0, 20), 'h.png')).message).toBe(
      'h.png: truncated PNG data: the file ends at byte 20, inside the IHDR chunk (bytes 8–33)',
    );
  });

  it('refuses an unknown row filter and a palette index past the palette', () => {
    const raw = Buffer.from([7, 1, 2, 3]);
    const filter = pngFile(pngHeader(1, 1), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND'));
    expect(thrown(() => decodePng(filter, 'f.png')).message).toBe(
      'f.png: corrupt PNG image data: row 0 of 1 has filter type 7, expected 0–4',
    );
    const palette = pngFile(
      pngHeader(1, 1, 8, 3),
      pngChunk('PLTE', Buffer.from([1, 2, 3])),
      pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 5]))),
      pngChunk('IEND'),
    );
    expect(thrown(() => decodePng(palette, 'p.png')).message).toBe(
      'p.png: corrupt PNG image data: palette index 5 with 1 palette entries',
    );
  });
});
