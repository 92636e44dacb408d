import { describe, expect, it } from 'vitest';
import { LIMITS } from '../input/index.js';
import { thrown } from './test-expect.js';
import { decodeJpeg, jpegJsBytes, readJpegHeader } from './jpeg.js';
import { fixtureBytes, jpegFrame } from './test-images.js';

const MB = 1024 * 1024;
const YUV420 = [
  { h: 2, v: 2 },
  { h: 1, v: 1 },
  { h: 1, v: 1 },
];

describe('readJpegHeader', () => {
  it('finds the frame header past APPn segments (an EXIF thumbnail is not the frame)', () => {
    const header = readJpegHeader(fixtureBytes('rocket.jpg'), 'rocket.jpg');
    expect([header.width, header.height]).toEqual([640, 427]);
    expect(header.sampling).toHaveLength(3);
  });

  it('refuses a frame header over the pixel limit, naming it and its byte', () => {
    const e = thrown(() => readJpegHeader(jpegFrame(8000, 8000), 'big.jpg'));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toBe(
      `big.jpg: JPEG frame header (ff c0 at byte 2) declares 8000×8000 = 64000000 pixels; the limit is ${LIMITS.imagePixels.value} pixels (imagePixels, docs/limits.md)`,
    );
  });

  it('says where a segment runs past the end, and where a marker was expected', () => {
    const cut = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 1, 2]);
    expect(thrown(() => readJpegHeader(cut, 'q.jpg')).message).toBe(
      'q.jpg: truncated JPEG data: the ff db segment at byte 2 declares 67 bytes; the file ends at byte 8',
    );
    const stray = Buffer.from([0xff, 0xd8, 0x12, 0x34]);
    expect(thrown(() => readJpegHeader(stray, 's.jpg')).message).toBe(
      's.jpg: corrupt JPEG data: expected a marker (ff xx) at byte 2, found 12',
    );
    const early = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    expect(thrown(() => readJpegHeader(early, 'e.jpg')).message).toBe(
      'e.jpg: missing JPEG image data: ff d9 at byte 2 before the frame header',
    );
  });
});

describe('decodeJpeg', () => {
  it('refuses scans too short to hold the frame before jpeg-js allocates for it', () => {
    const e = thrown(() => decodeJpeg(jpegFrame(2048, 2048, new Uint8Array(100)), 'thin.jpg'));
    expect(e.code).toBe('IMAGE_TRUNCATED');
    expect(e.message).toBe(
      'thin.jpg: missing JPEG image data: the scans from byte 21 to the EOI at byte 135 hold 114 bytes; a 2048×2048 frame needs at least 8192',
    );
  });

  it('prices a frame as jpeg-js does: a 4:2:0 frame at the limit is the most allowed', () => {
    // Blocks (256 bytes each, 1.5 per 64 pixels), planes (1.5 bytes a pixel), the interleaved
    // copy and the output (3 each).
    expect(jpegJsBytes(4096, 4096, YUV420)).toBe(4096 * 4096 * (6 + 1.5 + 3 + 3));
    expect(jpegJsBytes(4096, 4096, YUV420) / MB).toBe(216);
    // 4:4:4 at the same size takes more, and is refused before decoding.
    expect(
      jpegJsBytes(4096, 4096, [
        { h: 1, v: 1 },
        { h: 1, v: 1 },
        { h: 1, v: 1 },
      ]) / MB,
    ).toBe(336);
  });
});
