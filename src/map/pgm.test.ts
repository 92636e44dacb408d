import { describe, expect, it } from 'vitest';
import { MapError } from './errors.js';
import { decodePgm, encodePgm } from './pgm.js';

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const concat = (...parts: Array<Uint8Array | number[]>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Decodes and returns the MapError it must throw. */
function failure(bytes: Uint8Array): MapError {
  try {
    decodePgm(bytes, 'floor.pgm');
  } catch (err) {
    expect(err).toBeInstanceOf(MapError);
    return err as MapError;
  }
  throw new Error('expected decodePgm to throw');
}

describe('decodePgm P5', () => {
  it('reads an 8-bit image with comments and mixed whitespace in the header', () => {
    const img = decodePgm(
      concat(ascii('P5\n# made by hand\n3\t2 # width height\r\n255\n'), [0, 100, 255, 1, 2, 3]),
      'floor.pgm',
    );
    expect(img).toMatchObject({ format: 'P5', width: 3, height: 2, maxval: 255 });
    expect(img.samples).toBeInstanceOf(Uint8Array);
    expect([...img.samples]).toEqual([0, 100, 255, 1, 2, 3]);
  });

  it('reads a 16-bit image most significant byte first', () => {
    const img = decodePgm(concat(ascii('P5 2 1 65535\n'), [0x12, 0x34, 0xff, 0xfe]), 'floor.pgm');
    expect(img.samples).toBeInstanceOf(Uint16Array);
    expect([...img.samples]).toEqual([0x1234, 0xfffe]);
  });

  it('treats maxval 256 as two bytes per sample', () => {
    const img = decodePgm(concat(ascii('P5 1 1 256\n'), [0x01, 0x00]), 'floor.pgm');
    expect([...img.samples]).toEqual([256]);
  });

  it('round-trips through encodePgm, 8 and 16 bits, with a comment', () => {
    const samples8 = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    const img8 = decodePgm(
      encodePgm({ width: 4, height: 3, maxval: 255, samples: samples8 }, 'a\nb'),
      'x.pgm',
    );
    expect([...img8.samples]).toEqual([...samples8]);
    const samples16 = Uint16Array.from({ length: 6 }, (_, i) => i * 10000);
    const img16 = decodePgm(encodePgm({ width: 3, height: 2, maxval: 65535, samples: samples16 }), 'x.pgm');
    expect([...img16.samples]).toEqual([...samples16]);
  });
});

describe('decodePgm P2', () => {
  it('reads ASCII samples across lines, with comments between them', () => {
    const img = decodePgm(ascii('P2\n# plain\n3 2\n255\n0 100\n255 # end of row\n1\t2\r\n3\n'), 'floor.pgm');
    expect(img).toMatchObject({ format: 'P2', width: 3, height: 2, maxval: 255 });
    expect([...img.samples]).toEqual([0, 100, 255, 1, 2, 3]);
  });

  it('reads 16-bit ASCII samples', () => {
    const img = decodePgm(ascii('P2 2 1 1000 999 1000'), 'floor.pgm');
    expect(img.samples).toBeInstanceOf(Uint16Array);
    expect([...img.samples]).toEqual([999, 1000]);
  });
});

describe('decodePgm rejects malformed input, naming the file and byte', () => {
  it('an empty file', () => {
    const e = failure(new Uint8Array());
    expect(e.code).toBe('PGM_MAGIC');
    expect(e.message).toBe('floor.pgm (byte 0): expected PGM magic "P5" or "P2", found an empty file');
  });

  it('a colour PPM', () => {
    const e = failure(ascii('P6\n1 1\n255\n\0\0\0'));
    expect(e.code).toBe('PGM_MAGIC');
    expect(e.message).toMatch(
      /^floor\.pgm \(byte 0\): expected PGM magic "P5" or "P2", found "P6" \(a PPM image/,
    );
  });

  it('a PNG renamed to .pgm', () => {
    const e = failure(concat([0x89], ascii('PNG\r\n')));
    expect(e.code).toBe('PGM_MAGIC');
    expect(e.where).toBe('floor.pgm (byte 0)');
  });

  it('magic not followed by whitespace', () => {
    const e = failure(ascii('P5x 1 1 255\n\0'));
    expect(e.code).toBe('PGM_HEADER');
    expect(e.message).toBe('floor.pgm (byte 2): expected whitespace after "P5"');
  });

  it('a non-numeric width', () => {
    const e = failure(ascii('P5\n3a 2\n255\n'));
    expect(e.code).toBe('PGM_TOKEN');
    expect(e.message).toBe('floor.pgm (byte 3): expected a decimal number for width, found "3a"');
  });

  it('a negative height', () => {
    const e = failure(ascii('P5 3 -2 255\n'));
    expect(e.code).toBe('PGM_TOKEN');
    expect(e.message).toBe('floor.pgm (byte 5): expected a decimal number for height, found "-2"');
  });

  it('a header cut off before maxval', () => {
    const e = failure(ascii('P5\n3 2\n'));
    expect(e.code).toBe('PGM_TRUNCATED');
    expect(e.message).toBe('floor.pgm (byte 7): file ends before maxval');
  });

  it('a header cut off inside a comment', () => {
    const e = failure(ascii('P5\n3 2 # no newline'));
    expect(e.code).toBe('PGM_TRUNCATED');
    expect(e.message).toBe('floor.pgm (byte 19): file ends before maxval');
  });

  it('maxval 0', () => {
    const e = failure(ascii('P5 1 1 0\n\0'));
    expect(e.code).toBe('PGM_MAXVAL');
    expect(e.message).toBe('floor.pgm (byte 7): expected maxval 1..65535, found 0');
  });

  it('maxval above 65535', () => {
    const e = failure(ascii('P5 1 1 70000\n\0\0'));
    expect(e.code).toBe('PGM_MAXVAL');
    expect(e.message).toBe('floor.pgm (byte 7): expected maxval 1..65535, found 70000');
  });

  it('a zero width', () => {
    const e = failure(ascii('P5 0 1 255\n'));
    expect(e.code).toBe('PGM_HEADER');
    expect(e.message).toBe('floor.pgm (byte 3): width must be at least 1, found 0');
  });

  it('a header asking for an absurd number of pixels', () => {
    const e = failure(ascii('P5 10000 10000 255\n'));
    expect(e.code).toBe('BEYOND_LIMIT');
    expect(e.message).toBe(
      "floor.pgm (byte 3): 10000×10000 = 100000000 pixels is larger than the limit for a map's width × height, 4194304 cells (mapCells in docs/limits.md)",
    );
  });

  it('a header with one side beyond the limit, or a number of absurd length', () => {
    expect(failure(ascii('P5 1 25000 255\n')).message).toBe(
      "floor.pgm (byte 5): height is 25000, larger than the limit for a map's width or height, 16384 cells (mapSideCells in docs/limits.md)",
    );
    expect(failure(ascii(`P2 ${'9'.repeat(40)} 1 255\n`)).message).toMatch(
      /^floor\.pgm \(byte 3\): width is a number of more than 15 digits, larger than/,
    );
  });

  it('a token with control characters, shown not obeyed', () => {
    expect(failure(ascii('P5 1\x1b[2J 1 255\n')).message).toBe(
      'floor.pgm (byte 3): expected a decimal number for width, found "1\\x1b[2J"',
    );
  });

  it('no whitespace between maxval and the raster', () => {
    const e = failure(ascii('P5 1 1 255#x'));
    expect(e.code).toBe('PGM_HEADER');
    expect(e.message).toBe(
      'floor.pgm (byte 10): expected exactly one whitespace byte between maxval and the raster',
    );
  });

  it('a file that ends right after maxval', () => {
    const e = failure(ascii('P5 1 1 255'));
    expect(e.code).toBe('PGM_TRUNCATED');
    expect(e.message).toBe('floor.pgm (byte 10): file ends after the header, before the raster');
  });

  it('a truncated 8-bit raster', () => {
    const e = failure(concat(ascii('P5 3 2 255\n'), [1, 2, 3, 4]));
    expect(e.code).toBe('PGM_TRUNCATED');
    expect(e.message).toBe(
      'floor.pgm (byte 15): raster is truncated: 4 of 3×2 = 6 pixels present (4 of 6 bytes from byte 11)',
    );
  });

  it('a truncated 16-bit raster (odd byte count)', () => {
    const e = failure(concat(ascii('P5 2 1 1023\n'), [0, 1, 2]));
    expect(e.code).toBe('PGM_TRUNCATED');
    expect(e.message).toBe(
      'floor.pgm (byte 15): raster is truncated: 1 of 2×1 = 2 pixels present (3 of 4 bytes from byte 12)',
    );
  });

  it('extra bytes after the raster', () => {
    const e = failure(concat(ascii('P5 2 1 255\n'), [1, 2, 3]));
    expect(e.code).toBe('PGM_PIXEL_COUNT');
    expect(e.message).toBe(
      'floor.pgm (byte 13): 1 bytes after the raster of 2×1 = 2 pixels (expected the file to end here)',
    );
  });

  it('a P5 sample above maxval', () => {
    const e = failure(concat(ascii('P5 2 2 100\n'), [1, 2, 3, 200]));
    expect(e.code).toBe('PGM_SAMPLE');
    expect(e.message).toBe('floor.pgm (byte 14): sample 3 (row 1, column 1) is 200, above maxval 100');
  });

  it('a 16-bit sample above maxval', () => {
    const e = failure(concat(ascii('P5 1 1 1000\n'), [0x03, 0xe9]));
    expect(e.code).toBe('PGM_SAMPLE');
    expect(e.message).toBe('floor.pgm (byte 12): sample 0 (row 0, column 0) is 1001, above maxval 1000');
  });

  it('a P2 sample that is not a number', () => {
    const e = failure(ascii('P2 2 1 255\n1 x7\n'));
    expect(e.code).toBe('PGM_TOKEN');
    expect(e.message).toBe(
      'floor.pgm (byte 13): expected a decimal number for sample 1 (row 0, column 1), found "x7"',
    );
  });

  it('a P2 sample above maxval', () => {
    const e = failure(ascii('P2 2 1 15\n1 16\n'));
    expect(e.code).toBe('PGM_SAMPLE');
    expect(e.message).toBe('floor.pgm (byte 12): sample 1 (row 0, column 1) is 16, above maxval 15');
  });

  it('too few P2 samples', () => {
    const e = failure(ascii('P2 2 2 255\n1 2 3\n'));
    expect(e.code).toBe('PGM_PIXEL_COUNT');
    expect(e.message).toBe('floor.pgm (byte 17): found 3 samples, expected 2×2 = 4');
  });

  it('too many P2 samples', () => {
    const e = failure(ascii('P2 2 1 255\n1 2 3\n'));
    expect(e.code).toBe('PGM_PIXEL_COUNT');
    expect(e.message).toBe('floor.pgm (byte 15): more samples than 2×1 = 2; expected the file to end here');
  });
});
