import { InputError, readInputFileSync } from '../input/index.js';
import { PerceptionError } from './errors.js';
import { decodeJpeg } from './jpeg.js';
import { PNG_SIGNATURE, decodePng } from './png.js';

/** An 8-bit RGB frame, row-major, 3 bytes per pixel, no row padding. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Throws IMAGE_SHAPE unless `image` is a non-empty RGB frame whose data fits its size. */
export function checkRgbImage(image: RgbImage, where: string): void {
  const expected = image.width * image.height * 3;
  if (!(image.width > 0 && image.height > 0) || image.data.length !== expected) {
    throw new PerceptionError(
      'IMAGE_SHAPE',
      where,
      `expected ${image.width}×${image.height}×3 = ${expected} bytes of RGB, found ${image.data.length}`,
    );
  }
}

/**
 * Decodes a PNG (any bit depth, grayscale, palette, alpha, interlaced) or a JPEG into RGB. The
 * size the header declares is checked against LIMITS.imagePixels before anything is allocated;
 * a cut-off or missing image is an error naming the byte offset. `name` (a file name) goes into
 * errors: `rocket.jpg: truncated JPEG data: the file ends at byte 60000, inside the scan at …`.
 */
export function decodeImage(bytes: Uint8Array, name: string): RgbImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(buf)) return decodePng(buf, name);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xd8) return decodeJpeg(buf, name);
  const head = [...buf.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new PerceptionError(
    'IMAGE_FORMAT',
    name,
    `expected a PNG (89 50 4e 47) or JPEG (ff d8) signature, found ${head || 'no bytes'}`,
  );
}

/**
 * Reads an input file as the perception module reads any file (an image or a model): a regular
 * file within its limit (src/input), else a PerceptionError naming it: `missing` (IMAGE_MISSING or
 * MODEL_MISSING) when it is not there or cannot be read, NOT_A_FILE, TOO_LARGE.
 */
export function readPerceptionFile(
  path: string,
  limit: 'imageFileBytes' | 'modelFileBytes',
  missing: 'IMAGE_MISSING' | 'MODEL_MISSING',
): Buffer {
  try {
    return readInputFileSync(path, { limit, where: path });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const kind = missing === 'IMAGE_MISSING' ? 'image' : 'model';
    const what = err.message.slice(`${path}: `.length);
    switch (err.code) {
      case 'NOT_A_FILE':
      case 'TOO_LARGE':
        throw new PerceptionError(err.code, path, what);
      case 'NOT_FOUND':
        throw new PerceptionError(missing, path, `${kind} file not found`);
      default:
        throw new PerceptionError(missing, path, `cannot read ${kind} file: ${what}`);
    }
  }
}

/** Reads (a regular file within LIMITS.imageFileBytes) and decodes an image file. */
export function readImageFile(path: string): RgbImage {
  return decodeImage(readPerceptionFile(path, 'imageFileBytes', 'IMAGE_MISSING'), path);
}

function isPng(buf: Buffer): boolean {
  return buf.length >= 8 && PNG_SIGNATURE.equals(buf.subarray(0, 8));
}

/**
 * How a square model input relates to the image: input pixel u = x·scale + padX (same for y).
 * `size` is the input side in pixels.
 */
export interface LetterboxTransform {
  size: number;
  scale: number;
  padX: number;
  padY: number;
}

/** Maps a point in normalised model-input coordinates ([0,1] over the square) to image pixels. */
export function inputToImage(t: LetterboxTransform, u: number, v: number): { x: number; y: number } {
  return { x: (u * t.size - t.padX) / t.scale, y: (v * t.size - t.padY) / t.scale };
}

/**
 * The tensor layouts a Letterboxer can fill:
 * - 'nhwc_signed': [1, S, S, 3] in [-1, 1], padding -1 (black), as MediaPipe models take;
 * - 'nchw_unit': [1, 3, S, S] in [0, 1], padding 114/255 (grey), as Ultralytics YOLO models take.
 */
export type LetterboxFormat = 'nhwc_signed' | 'nchw_unit';

/** Per format: value = byte·gain + offset; padding value; pixel and channel strides (in floats). */
const FORMATS: Record<LetterboxFormat, { gain: number; offset: number; pad: number }> = {
  nhwc_signed: { gain: 2 / 255, offset: -1, pad: -1 },
  nchw_unit: { gain: 1 / 255, offset: 0, pad: 114 / 255 },
};

/**
 * Resizes frames into a size×size float input (by default NHWC in [-1, 1]), keeping the aspect
 * ratio and padding the rest (bilinear sampling). Index tables and the output buffer are built once
 * per frame size and reused: `apply` allocates nothing, and the returned tensor is overwritten by
 * the next call.
 */
export class Letterboxer {
  readonly tensor: Float32Array;
  private readonly gain: number;
  private readonly offset: number;
  private readonly padValue: number;
  /** Distance in floats between neighbouring pixels and between a pixel's channels. */
  private readonly pixelStride: number;
  private readonly channelStride: number;
  private srcWidth = -1;
  private srcHeight = -1;
  private transform: LetterboxTransform;
  private contentX0 = 0;
  private contentX1 = 0;
  private contentY0 = 0;
  private contentY1 = 0;
  /** Per output column: byte offsets of the left/right source pixels and the right weight. */
  private readonly xLo: Int32Array;
  private readonly xHi: Int32Array;
  private readonly xFrac: Float32Array;
  /** Per output row: source row indices above/below and the lower weight. */
  private readonly yLo: Int32Array;
  private readonly yHi: Int32Array;
  private readonly yFrac: Float32Array;

  constructor(
    readonly size: number,
    readonly format: LetterboxFormat = 'nhwc_signed',
  ) {
    if (!Number.isInteger(size) || size < 1) {
      throw new PerceptionError(
        'CONFIG_INVALID',
        'letterbox.size',
        `expected a positive integer, found ${size}`,
      );
    }
    const spec = FORMATS[format];
    if (!spec) {
      throw new PerceptionError(
        'CONFIG_INVALID',
        'letterbox.format',
        `expected 'nhwc_signed' or 'nchw_unit', found '${String(format)}'`,
      );
    }
    this.gain = spec.gain;
    this.offset = spec.offset;
    this.padValue = spec.pad;
    this.pixelStride = format === 'nhwc_signed' ? 3 : 1;
    this.channelStride = format === 'nhwc_signed' ? 1 : size * size;
    this.tensor = new Float32Array(size * size * 3);
    this.xLo = new Int32Array(size);
    this.xHi = new Int32Array(size);
    this.xFrac = new Float32Array(size);
    this.yLo = new Int32Array(size);
    this.yHi = new Int32Array(size);
    this.yFrac = new Float32Array(size);
    this.transform = { size, scale: 1, padX: 0, padY: 0 };
  }

  apply(image: RgbImage): { tensor: Float32Array; transform: LetterboxTransform } {
    if (image.width !== this.srcWidth || image.height !== this.srcHeight) {
      checkRgbImage(image, 'letterbox input');
      this.prepare(image.width, image.height);
    } else if (image.data.length !== image.width * image.height * 3) {
      checkRgbImage(image, 'letterbox input');
    }
    const { tensor, xLo, xHi, xFrac, yLo, yHi, yFrac, size, gain: k, offset, pixelStride: ps } = this;
    const cs = this.channelStride;
    const src = image.data;
    const rowBytes = image.width * 3;
    for (let oy = this.contentY0; oy < this.contentY1; oy++) {
      const top = yLo[oy]! * rowBytes;
      const bottom = yHi[oy]! * rowBytes;
      const fy = yFrac[oy]!;
      let o = (oy * size + this.contentX0) * ps;
      for (let ox = this.contentX0; ox < this.contentX1; ox++, o += ps) {
        const l = xLo[ox]!;
        const r = xHi[ox]!;
        const fx = xFrac[ox]!;
        for (let c = 0; c < 3; c++) {
          const a = src[top + l + c]!;
          const b = src[top + r + c]!;
          const d = src[bottom + l + c]!;
          const e = src[bottom + r + c]!;
          const upper = a + (b - a) * fx;
          const lower = d + (e - d) * fx;
          tensor[o + c * cs] = (upper + (lower - upper) * fy) * k + offset;
        }
      }
    }
    return { tensor, transform: this.transform };
  }

  private prepare(width: number, height: number): void {
    const size = this.size;
    const scale = Math.min(size / width, size / height);
    const contentW = Math.min(size, Math.round(width * scale));
    const contentH = Math.min(size, Math.round(height * scale));
    const padX = Math.floor((size - contentW) / 2);
    const padY = Math.floor((size - contentH) / 2);
    this.srcWidth = width;
    this.srcHeight = height;
    this.transform = { size, scale, padX, padY };
    this.contentX0 = padX;
    this.contentX1 = padX + contentW;
    this.contentY0 = padY;
    this.contentY1 = padY + contentH;
    fillAxis(this.xLo, this.xHi, this.xFrac, padX, contentW, scale, width, 3);
    fillAxis(this.yLo, this.yHi, this.yFrac, padY, contentH, scale, height, 1);
    // The content area is rewritten every frame; the padding only when the frame size changes.
    this.tensor.fill(this.padValue);
  }
}

/**
 * Bilinear taps for output pixels pad..pad+count-1: source centre (o − pad + ½)/scale − ½, clamped.
 * Plain bilinear even when shrinking 5× (640 → 128), on purpose: it is what MediaPipe's own
 * image-to-tensor step does (OpenCV warpAffine, INTER_LINEAR), so the model sees the input it
 * was made for. An area filter was tried: the same faces at the same scores on the test
 * photographs, at about five times the cost of this stage.
 */
function fillAxis(
  lo: Int32Array,
  hi: Int32Array,
  frac: Float32Array,
  pad: number,
  count: number,
  scale: number,
  srcSize: number,
  stride: number,
): void {
  for (let i = 0; i < count; i++) {
    const s = Math.min(srcSize - 1, Math.max(0, (i + 0.5) / scale - 0.5));
    const s0 = Math.floor(s);
    const s1 = Math.min(srcSize - 1, s0 + 1);
    lo[pad + i] = s0 * stride;
    hi[pad + i] = s1 * stride;
    frac[pad + i] = s - s0;
  }
}

/** One-off letterbox (allocates its tables); per-frame code keeps a Letterboxer instead. */
export function letterbox(
  image: RgbImage,
  size: number,
): { tensor: Float32Array; transform: LetterboxTransform } {
  return new Letterboxer(size).apply(image);
}
