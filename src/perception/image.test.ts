import { createRequire } from 'node:module';
import { describe, it, expect } from 'vitest';
import { decodeImage, readImageFile, inputToImage, letterbox, Letterboxer, type RgbImage } from './image.js';
import { thrown } from './test-expect.js';
import { fixtureBytes } from './test-images.js';

const { PNG } = createRequire(import.meta.url)('pngjs') as {
  PNG: { sync: { write(png: { width: number; height: number; data: Buffer }): Buffer } };
};

function solid(width: number, height: number, rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { width, height, data };
}

describe('decodeImage', () => {
  it('decodes an RGB PNG and a JPEG to packed RGB', () => {
    const coffee = decodeImage(fixtureBytes('coffee.png'), 'coffee.png');
    expect([coffee.width, coffee.height, coffee.data.length]).toEqual([300, 200, 300 * 200 * 3]);
    const rocket = decodeImage(fixtureBytes('rocket.jpg'), 'rocket.jpg');
    expect([rocket.width, rocket.height, rocket.data.length]).toEqual([640, 427, 640 * 427 * 3]);
    // The sky at the top left of rocket.jpg is blue: more blue than red.
    expect(rocket.data[2]!).toBeGreaterThan(rocket.data[0]!);
  });

  it('expands grayscale and palette PNGs to RGB', () => {
    const brick = decodeImage(fixtureBytes('brick.png'), 'brick.png');
    expect(brick.data.length).toBe(256 * 256 * 3);
    for (const i of [0, 3, 1000 * 3]) {
      expect(brick.data[i + 1]).toBe(brick.data[i]);
      expect(brick.data[i + 2]).toBe(brick.data[i]);
    }
    const palette = decodeImage(fixtureBytes('palette.png'), 'palette.png');
    expect([palette.width, palette.height, palette.data.length]).toEqual([10, 10, 300]);
    // Its palette holds colours, not greys: some pixel's red and blue differ.
    expect(palette.data.some((red, i) => i % 3 === 0 && red !== palette.data[i + 2])).toBe(true);
  });

  it('composites alpha over black', () => {
    const rgba = Buffer.from([
      200, 100, 50, 255 /* opaque */, 200, 100, 50, 0 /* clear */, 200, 100, 50, 128,
    ]);
    const img = decodeImage(PNG.sync.write({ width: 3, height: 1, data: rgba }), 'alpha.png');
    expect([...img.data]).toEqual([200, 100, 50, 0, 0, 0, 100, 50, 25]);
  });

  it('reports a truncated PNG or JPEG by name', () => {
    const png = fixtureBytes('coffee.png');
    const p = thrown(() => decodeImage(png.subarray(0, png.length >> 1), 'coffee.png'));
    expect(p.code).toBe('IMAGE_TRUNCATED');
    expect(p.where).toBe('coffee.png');
    expect(p.message).toBe(
      "coffee.png: truncated PNG data: chunk 'IDAT' at byte 73998 declares 4096 bytes; the file ends at byte 77589",
    );
    const jpg = fixtureBytes('rocket.jpg');
    const j = thrown(() => decodeImage(jpg.subarray(0, 60_000), 'rocket.jpg'));
    expect(j.code).toBe('IMAGE_TRUNCATED');
    expect(j.message).toMatch(
      /^rocket\.jpg: truncated JPEG data: the file ends at byte 60000, inside the scan at byte \d+ \(no EOI marker after it\)$/,
    );
    const header = thrown(() => decodeImage(jpg.subarray(0, 100), 'rocket.jpg'));
    expect(header.message).toMatch(
      /^rocket\.jpg: truncated JPEG data: the (file ends at byte 100, inside the ff [0-9a-f]{2} segment at byte \d+|ff [0-9a-f]{2} segment at byte \d+ declares \d+ bytes; the file ends at byte 100)$/,
    );
  });

  it('reports corrupt PNG and JPEG data with the decoder’s reason', () => {
    const png = Buffer.from(fixtureBytes('coffee.png'));
    png[24] = 7; // IHDR bit depth: 7 is not a PNG bit depth
    const p = thrown(() => decodeImage(png, 'coffee.png'));
    expect(p.code).toBe('IMAGE_CORRUPT');
    expect(p.message).toMatch(/^coffee\.png: corrupt PNG data: /);
    const jpg = Buffer.from(fixtureBytes('rocket.jpg'));
    jpg[jpg.indexOf(Buffer.from([0xff, 0xdb])) + 1] = 0x02; // the first DQT marker becomes FF 02, no marker
    const j = thrown(() => decodeImage(jpg, 'rocket.jpg'));
    expect(j.code).toBe('IMAGE_CORRUPT');
    expect(j.message).toMatch(/^rocket\.jpg: corrupt JPEG data: unknown JPEG marker/);
  });

  it('refuses bytes that are neither PNG nor JPEG, showing their first bytes', () => {
    const e = thrown(() => decodeImage(Buffer.from('GIF89a...'), 'cat.gif'));
    expect(e.code).toBe('IMAGE_FORMAT');
    expect(e.message).toBe(
      'cat.gif: expected a PNG (89 50 4e 47) or JPEG (ff d8) signature, found 47 49 46 38',
    );
  });
});

describe('readImageFile', () => {
  it('names a missing file', () => {
    const e = thrown(() => readImageFile('/nonexistent/frame.png'));
    expect(e.code).toBe('IMAGE_MISSING');
    expect(e.message).toBe('/nonexistent/frame.png: image file not found');
  });
});

describe('letterbox', () => {
  it('fits a 640×480 frame into 128×128 with black bars above and below', () => {
    const { tensor, transform } = letterbox(solid(640, 480, [255, 0, 255]), 128);
    expect(transform).toEqual({ size: 128, scale: 0.2, padX: 0, padY: 16 });
    const at = (x: number, y: number): number[] => [
      ...tensor.subarray((y * 128 + x) * 3, (y * 128 + x) * 3 + 3),
    ];
    expect(at(5, 15)).toEqual([-1, -1, -1]); // bar
    expect(at(5, 16)).toEqual([1, -1, 1]); // first content row
    expect(at(127, 111)).toEqual([1, -1, 1]); // last content row
    expect(at(64, 112)).toEqual([-1, -1, -1]); // bar
  });

  it('puts image content where the transform says and maps input points back to pixels', () => {
    // A tall frame, bright only in its lower-right quarter.
    const img = solid(300, 600, [0, 0, 0]);
    for (let y = 300; y < 600; y++)
      for (let x = 150; x < 300; x++) img.data.fill(255, (y * 300 + x) * 3, (y * 300 + x) * 3 + 3);
    const { tensor, transform } = letterbox(img, 100);
    expect(transform).toEqual({ size: 100, scale: 100 / 600, padX: 25, padY: 0 });
    const red = (x: number, y: number): number => tensor[(y * 100 + x) * 3]!;
    expect(red(60, 80)).toBe(1); // image (210, 483): bright
    expect(red(40, 80)).toBe(-1); // image (90, 483): dark
    expect(red(60, 20)).toBe(-1); // image (210, 123): dark
    expect(inputToImage(transform, 0.25, 0)).toEqual({ x: 0, y: 0 });
    expect(inputToImage(transform, 0.75, 1)).toEqual({ x: 300, y: 600 });
  });

  it('reuses its tables and buffer across frames of one size and rebuilds them on a new size', () => {
    const lb = new Letterboxer(64);
    const first = lb.apply(solid(640, 480, [255, 255, 255]));
    const second = lb.apply(solid(640, 480, [0, 0, 0]));
    expect(second.tensor).toBe(first.tensor);
    expect(second.tensor[32 * 64 * 3]).toBe(-1);
    const portrait = lb.apply(solid(480, 640, [255, 255, 255]));
    expect(portrait.transform.padX).toBe(8);
    expect(portrait.tensor[(32 * 64 + 2) * 3]).toBe(-1); // now a side bar
    expect(portrait.tensor[(2 * 64 + 32) * 3]).toBe(1); // formerly a top bar, now content
  });

  it('refuses an RGB image whose data does not match its size', () => {
    const e = thrown(() => letterbox({ width: 4, height: 4, data: new Uint8Array(47) }, 16));
    expect(e.code).toBe('IMAGE_SHAPE');
    expect(e.message).toBe('letterbox input: expected 4×4×3 = 48 bytes of RGB, found 47');
  });
});
