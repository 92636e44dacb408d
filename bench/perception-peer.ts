/**
 * Letterboxing side by side with sharp (libvips), the usual Node image library: the same 640×480
 * RGB frames in, a size×size float32 NHWC tensor in [-1, 1] out (content centred, black padding),
 * for BlazeFace's 128 and 256 inputs. sharp returns bytes, so its time includes turning them
 * into floats, as ours does (ours fuses it into the resampling loop).
 *
 * sharp runs two ways, both at its defaults (thread pool, cache, SIMD untouched):
 * - resize (fit 'contain', kernel 'linear'): how one letterboxes with sharp. libvips filters over
 *   the whole source area it shrinks, so it smooths more than our 2×2-tap bilinear and the
 *   outputs differ by the aliasing ours keeps; that difference is printed, not hidden.
 * - affine (bilinear interpolator) + extend: point-sampled bilinear with our pixel-centre rule,
 *   i.e. exactly our job; its agreement row shows the comparison is like for like.
 * The speed-up row divides by the faster of the two, so sharp gets its best showing. sharp's
 * default concurrency here is 1 (glibc without jemalloc); 2 threads timed no faster on 2 CPUs.
 */
import jpeg from 'jpeg-js';
import sharp, { type Sharp } from 'sharp';
import { Letterboxer, decodeImage, type RgbImage } from '../src/perception/index.js';
import { summarize, wallMs, type BenchRow } from './harness.js';

const BENCH = 'perception';
const SIZES = [128, 256] as const;
/** Timed passes over the clip per way, after one untimed pass that warms up and checks agreement. */
const TIMED_PASSES = 3;
/** Outputs must agree this closely (mean |Δ| over the content area, in [-1, 1] units). */
const AGREEMENT = 0.05;
const GAIN = 2 / 255;

/** One way of letterboxing a frame into `out` (a size×size×3 float tensor). */
type Peer = (frame: RgbImage, out: Float32Array) => Promise<void>;

export async function letterboxVsSharp(frames: RgbImage[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const size of SIZES) rows.push(...(await compare(size, frames)));
  return rows;
}

async function compare(size: number, frames: RgbImage[]): Promise<BenchRow[]> {
  const { width, height } = frames[0]!;
  const ours = new Letterboxer(size);
  const geometry = contentArea(size, width, height);
  const peers: Record<'resize' | 'affine', Peer> = {
    resize: (frame, out) =>
      toTensor(
        input(frame).resize(size, size, { fit: 'contain', background: BLACK, kernel: 'linear' }),
        size,
        out,
      ),
    affine: (frame, out) => {
      const s = geometry.scale;
      // libvips maps input x to output (x + idx)·s, so output pixel o samples x = o/s − idx;
      // idx = −(1/s − 1)/2 makes that (o + ½)/s − ½, Letterboxer's pixel-centre rule.
      const shift = -(1 / s - 1) / 2;
      return toTensor(
        input(frame)
          .affine([s, 0, 0, s], { interpolator: 'bilinear', idx: shift, idy: shift })
          .extend({
            top: geometry.y0,
            bottom: size - geometry.y1,
            left: geometry.x0,
            right: size - geometry.x1,
            background: BLACK,
          }),
        size,
        out,
      );
    },
  };
  const outs = { resize: new Float32Array(size * size * 3), affine: new Float32Array(size * size * 3) };
  // Untimed pass, which also warms up (JIT, libvips start-up): every frame through all three, and
  // each peer's output compared with ours, so a misplaced or stale output cannot pass unnoticed.
  const diffs = { resize: [] as number[], affine: [] as number[] };
  for (const frame of frames) {
    ours.apply(frame);
    for (const who of ['resize', 'affine'] as const) {
      await peers[who](frame, outs[who]);
      diffs[who].push(meanAbsDiff(ours.tensor, outs[who], size, geometry));
    }
  }
  // Timed: each way runs over the whole clip in turn (its own steady state, nobody else's
  // garbage or cache misses in its times); the order rotates between passes.
  const times = { ours: [] as number[], resize: [] as number[], affine: [] as number[] };
  const ways = ['ours', 'resize', 'affine'] as const;
  for (let pass = 0; pass < TIMED_PASSES; pass++) {
    for (let k = 0; k < ways.length; k++) {
      const who = ways[(pass + k) % ways.length]!;
      for (const frame of frames) {
        const t0 = wallMs();
        if (who === 'ours') ours.apply(frame);
        else await peers[who](frame, outs[who]);
        times[who].push(wallMs() - t0);
      }
    }
  }
  const t = { ours: summarize(times.ours), resize: summarize(times.resize), affine: summarize(times.affine) };
  const agree = { resize: worst(diffs.resize), affine: worst(diffs.affine) };
  const best = t.resize.p50 <= t.affine.p50 ? 'resize' : 'affine';
  const ratio = t[best].p50 / t.ours.p50;
  const label = `letterbox ${size}×${size}`;
  const samples = `${t.ours.samples} frames (${TIMED_PASSES} passes over ${frames.length})`;
  return [
    {
      bench: BENCH,
      metric: `${label}: ours (Letterboxer) p50`,
      value: t.ours.p50,
      unit: 'ms',
      note: `${samples}; ${width}×${height} RGB bytes → float32 NHWC in [-1, 1]; bilinear, 2×2 taps; writes only the content area (padding is filled once per frame size)`,
    },
    { bench: BENCH, metric: `${label}: ours p99`, value: t.ours.p99, unit: 'ms' },
    {
      bench: BENCH,
      metric: `${label}: sharp resize contain → float p50`,
      value: t.resize.p50,
      unit: 'ms',
      note: `sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, defaults (concurrency ${sharp.concurrency()}); kernel 'linear' over the shrunk area, so smoother than ours; bytes → floats counted`,
    },
    { bench: BENCH, metric: `${label}: sharp resize contain p99`, value: t.resize.p99, unit: 'ms' },
    agreementRow(
      label,
      'sharp resize',
      agree.resize,
      'the gap is aliasing: ours reads at most 2×2 source pixels per output pixel (as MediaPipe’s own preprocessing does), libvips averages the whole area it shrinks',
      false,
    ),
    {
      bench: BENCH,
      metric: `${label}: sharp affine bilinear + extend → float p50`,
      value: t.affine.p50,
      unit: 'ms',
      note: `exactly our job (point-sampled bilinear, same pixel centres, black padding); p99 ${t.affine.p99.toFixed(2)} ms`,
    },
    agreementRow(
      label,
      'sharp affine',
      agree.affine,
      'same sampling as ours: differences are byte rounding only',
      true,
    ),
    {
      bench: BENCH,
      metric: `${label}: speed-up vs sharp (sharp p50 / ours p50)`,
      value: ratio,
      unit: '×',
      note:
        ratio > 1
          ? `against sharp ${best}, the faster sharp way here; ours is ${ratio.toFixed(1)}× faster`
          : `against sharp ${best}, the faster sharp way here; ours is SLOWER (${(1 / ratio).toFixed(1)}× sharp's time)`,
    },
  ];
}

const BLACK = { r: 0, g: 0, b: 0 };

function input(frame: RgbImage): Sharp {
  // A view, not a copy: sharp reads the caller's bytes, as our Letterboxer does.
  const bytes = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  return sharp(bytes, { raw: { width: frame.width, height: frame.height, channels: 3 } });
}

/** Runs the pipeline and writes its RGB bytes into `out` as floats in [-1, 1]. */
async function toTensor(pipeline: Sharp, size: number, out: Float32Array): Promise<void> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new Error(
      `sharp returned ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×3`,
    );
  }
  for (let i = 0; i < out.length; i++) out[i] = data[i]! * GAIN - 1;
}

interface ContentArea {
  scale: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Where the frame lands in the square input, by Letterboxer's rule (centred, floor of half the pad). */
function contentArea(size: number, width: number, height: number): ContentArea {
  const scale = Math.min(size / width, size / height);
  const w = Math.min(size, Math.round(width * scale));
  const h = Math.min(size, Math.round(height * scale));
  const x0 = Math.floor((size - w) / 2);
  const y0 = Math.floor((size - h) / 2);
  return { scale, x0, x1: x0 + w, y0, y1: y0 + h };
}

/**
 * Mean |a − b| over the content area only: the padding agrees trivially and would dilute it.
 * Padding is checked too: any pixel there that is not black on both sides counts fully.
 */
function meanAbsDiff(a: Float32Array, b: Float32Array, size: number, c: ContentArea): number {
  let sum = 0;
  let padMismatch = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = y >= c.y0 && y < c.y1 && x >= c.x0 && x < c.x1;
      for (let k = (y * size + x) * 3, end = k + 3; k < end; k++) {
        if (inside) sum += Math.abs(a[k]! - b[k]!);
        else if (a[k] !== -1 || b[k] !== -1) padMismatch++;
      }
    }
  }
  return (sum + 2 * padMismatch) / ((c.x1 - c.x0) * (c.y1 - c.y0) * 3);
}

function worst(xs: number[]): { mean: number; max: number } {
  return { mean: xs.reduce((s, x) => s + x, 0) / xs.length, max: Math.max(...xs) };
}

/**
 * How far our tensor is from the peer's. `sameJob`: the peer does exactly our sampling, so the
 * two must agree (a target); otherwise the difference is shown for what it is, without one.
 */
function agreementRow(
  label: string,
  who: string,
  d: { mean: number; max: number },
  why: string,
  sameJob: boolean,
): BenchRow {
  return {
    bench: BENCH,
    metric: `${label}: mean |ours − ${who}| over content`,
    value: d.mean,
    unit: '[-1,1]',
    ...(sameJob ? { target: `< ${AGREEMENT}`, ok: d.max < AGREEMENT } : {}),
    note: `${d.mean.toFixed(4)} mean over frames, worst frame ${d.max.toFixed(4)}; ${why}`,
  };
}

/**
 * Decoding a 640×480 JPEG, as a still image or a snapshot arrives (a camera's frames come decoded
 * from ffmpeg instead): ours is jpeg-js (pure JavaScript, no native code at run time) behind
 * decodeImage's checks; the peer is sharp (libjpeg-turbo) to raw RGB. Same bytes, same output.
 */
export async function jpegDecodeVsSharp(frames: RgbImage[]): Promise<BenchRow[]> {
  const { width, height } = frames[0]!;
  const jpegs = frames.slice(0, 30).map((f) => {
    const rgba = Buffer.alloc(width * height * 4, 255);
    for (let i = 0, j = 0; i < f.data.length; i += 3, j += 4) {
      rgba[j] = f.data[i]!;
      rgba[j + 1] = f.data[i + 1]!;
      rgba[j + 2] = f.data[i + 2]!;
    }
    return jpeg.encode({ data: rgba, width, height }, 85).data;
  });
  const times = { ours: [] as number[], sharp: [] as number[] };
  for (let pass = 0; pass < 1 + TIMED_PASSES; pass++) {
    for (const bytes of jpegs) {
      const t0 = wallMs();
      const mine = decodeImage(bytes, 'bench.jpg');
      const t1 = wallMs();
      const theirs = await sharp(bytes).removeAlpha().raw().toBuffer();
      const t2 = wallMs();
      if (mine.data.length !== theirs.length) {
        throw new Error(`jpeg decode: ours ${mine.data.length} bytes, sharp ${theirs.length}`);
      }
      if (pass === 0) continue; // warm-up
      times.ours.push(t1 - t0);
      times.sharp.push(t2 - t1);
    }
  }
  const t = { ours: summarize(times.ours), sharp: summarize(times.sharp) };
  const label = `JPEG decode ${width}×${height}`;
  return [
    {
      bench: BENCH,
      metric: `${label}: ours (jpeg-js) p50`,
      value: t.ours.p50,
      unit: 'ms',
      note: `${t.ours.samples} decodes of ${jpegs.length} frames at quality 85; p99 ${t.ours.p99.toFixed(2)} ms`,
    },
    {
      bench: BENCH,
      metric: `${label}: sharp (libjpeg-turbo) p50`,
      value: t.sharp.p50,
      unit: 'ms',
      note: `p99 ${t.sharp.p99.toFixed(2)} ms; includes the hop to libuv's thread pool`,
    },
    {
      bench: BENCH,
      metric: `${label}: ours / sharp (p50)`,
      value: t.ours.p50 / t.sharp.p50,
      unit: '×',
      note: 'only still images and snapshots take this path; camera and video frames arrive decoded by ffmpeg',
    },
  ];
}
