/**
 * Perception per frame (issue 5): the 640×480 frames of test/fixtures/face-pan.mp4 (a real
 * photograph's face moving across a wall, after two black frames) through resize/letterbox,
 * inference, decoding + NMS and tracking, for both BlazeFace models, with each stage's share. Decoding from the camera's
 * RGB buffer is a copy and is counted under "frame in". The detector runs on one ORT thread.
 * For scale (not run here): a YOLOv8n body detector takes about 80 ms per frame on a CPU.
 * The letterbox stage is then compared side by side with sharp (libvips) on the same frames
 * (bench/perception-peer.ts).
 */
import {
  BlazeFaceDetector,
  REAR_CAMERA,
  Tracker,
  openSource,
  type RgbImage,
} from '../src/perception/index.js';
import { fixturePath } from '../src/perception/test-images.js';
import { summarize, wallMs, type BenchRow } from './harness.js';
import { jpegDecodeVsSharp, letterboxVsSharp } from './perception-peer.js';

const VIDEO = fixturePath('face-pan.mp4');
const FRAMES = 120;

export async function run(): Promise<BenchRow[]> {
  const frames: RgbImage[] = [];
  const source = openSource({ kind: 'video', path: VIDEO, width: 640, height: 480 });
  for await (const frame of source) {
    frames.push({ width: frame.width, height: frame.height, data: frame.data.slice() });
    if (frames.length >= FRAMES) break;
  }
  await source.close();
  const rows: BenchRow[] = [];
  for (const variant of ['front', 'back'] as const) rows.push(...(await perFrame(variant, frames)));
  rows.push(...(await letterboxVsSharp(frames)));
  rows.push(...(await jpegDecodeVsSharp(frames)));
  return rows;
}

async function perFrame(variant: 'front' | 'back', frames: RgbImage[]): Promise<BenchRow[]> {
  const detector = await BlazeFaceDetector.load({ variant, threads: 1 });
  const tracker = new Tracker({}, REAR_CAMERA);
  const stages = {
    frameIn: [] as number[],
    letterbox: [] as number[],
    inference: [] as number[],
    decode: [] as number[],
    tracking: [] as number[],
  };
  const totals: number[] = [];
  const buffer = new Uint8Array(640 * 480 * 3);
  // Two passes over the clip: the first warms up (JIT, ORT's allocations), the second is timed.
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < frames.length; i++) {
      const t0 = wallMs();
      buffer.set(frames[i]!.data); // the camera's RGB frame arriving in our buffer
      const image: RgbImage = { width: 640, height: 480, data: buffer };
      const t1 = wallMs();
      const marks = { letterbox: 0, inference: 0, decode: 0 };
      const faces = await detector.detect(image, {
        letterbox: () => (marks.letterbox = wallMs()),
        inference: () => (marks.inference = wallMs()),
        decode: () => (marks.decode = wallMs()),
      });
      const t2 = wallMs();
      tracker.update(
        faces.map((f) => ({ box: f.box, score: f.score })),
        BigInt(pass * frames.length + i) * 100_000_000n,
      );
      const t3 = wallMs();
      if (pass === 0) continue;
      stages.frameIn.push(t1 - t0);
      stages.letterbox.push(marks.letterbox - t1);
      stages.inference.push(marks.inference - marks.letterbox);
      stages.decode.push(t2 - marks.inference);
      stages.tracking.push(t3 - t2);
      totals.push(t3 - t0);
    }
  }
  await detector.release();
  const total = summarize(totals);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const share = (xs: number[]) => `${((100 * mean(xs)) / mean(totals)).toFixed(0)} %`;
  const label = variant === 'front' ? 'front 128×128' : 'back 256×256';
  return [
    {
      bench: 'perception',
      metric: `BlazeFace ${label}, 640×480 frame p50`,
      value: total.p50,
      unit: 'ms',
      ...(variant === 'front' ? { target: '≤ 10 ms', ok: total.p50 <= 10 } : {}),
      note: `${total.samples} frames of face-pan.mp4; shares: frame in ${share(stages.frameIn)}, letterbox ${share(stages.letterbox)}, inference ${share(stages.inference)}, decode+NMS ${share(stages.decode)}, tracking ${share(stages.tracking)}`,
    },
    { bench: 'perception', metric: `BlazeFace ${label}, 640×480 frame p99`, value: total.p99, unit: 'ms' },
  ];
}
