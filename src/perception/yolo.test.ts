import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PerceptionError } from './errors.js';
import { Letterboxer, type RgbImage } from './image.js';
import { writeTinyYoloModel } from './tiny-yolo-model.js';
import { YoloDetector, validateYoloConfig, type YoloConfig } from './yolo.js';

const dir = mkdtempSync(join(tmpdir(), 'yolo-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** cx, cy, w, h in 64×64 input pixels, then objectness (v5 only) and the 3 class scores. */
interface Box {
  cx: number;
  cy: number;
  w: number;
  h: number;
  obj: number;
  cls: [number, number, number];
}
const CLASSES = 3;
const BOXES: Box[] = [
  { cx: 20, cy: 30, w: 10, h: 20, obj: 1, cls: [0.9, 0.1, 0] }, // person A
  { cx: 21, cy: 30, w: 10, h: 20, obj: 1, cls: [0.8, 0, 0] }, // A again (IoU 0.82): suppressed
  { cx: 40, cy: 32, w: 10, h: 20, obj: 1, cls: [0.6, 0, 0] }, // person B, apart
  { cx: 50, cy: 40, w: 8, h: 8, obj: 1, cls: [0.2, 0, 0] }, // below the 0.25 threshold
  { cx: 10, cy: 40, w: 8, h: 8, obj: 1, cls: [0.5, 0.7, 0] }, // class 1 wins: not a person
  { cx: 26, cy: 30, w: 10, h: 20, obj: 1, cls: [0.7, 0, 0] }, // overlaps A by IoU 0.25: kept
  { cx: 5, cy: 5, w: 4, h: 4, obj: 0, cls: [0, 0, 0] }, // empty
  { cx: 50, cy: 20, w: 4, h: 4, obj: 1, cls: [0.25, 0, 0] }, // exactly at the threshold: kept
  // Real models have thousands of candidates, far more than attributes; the decoder relies on it.
  { cx: 0, cy: 0, w: 0, h: 0, obj: 0, cls: [0, 0, 0] },
  { cx: 0, cy: 0, w: 0, h: 0, obj: 0, cls: [0, 0, 0] },
];

function v8Values(boxes: Box[]): number[] {
  const rows: number[][] = [[], [], [], [], [], [], []];
  for (const b of boxes) [b.cx, b.cy, b.w, b.h, ...b.cls].forEach((v, a) => rows[a]!.push(v));
  return rows.flat();
}

function v5Values(boxes: Box[]): number[] {
  return boxes.flatMap((b) => [b.cx, b.cy, b.w, b.h, b.obj, ...b.cls]);
}

let modelCount = 0;
function model(inputShape: number[], outputShape: number[], values: number[]): string {
  const path = join(dir, `m${modelCount++}.onnx`);
  writeTinyYoloModel(path, { inputShape, outputShape, values });
  return path;
}

const V8_MODEL = model([1, 3, 64, 64], [1, 4 + CLASSES, BOXES.length], v8Values(BOXES));
const V5_MODEL = model([1, 3, 64, 64], [1, BOXES.length, 5 + CLASSES], v5Values(BOXES));

/** 128×64 frame: letterboxed into 64×64 at scale 0.5 with 16 rows of padding above and below. */
const FRAME: RgbImage = { width: 128, height: 64, data: new Uint8Array(128 * 64 * 3).fill(90) };

/** Input box (cx, cy, w, h) → image box: x = (u − 0) / 0.5, y = (v − 16) / 0.5. */
function imageBox(
  cx: number,
  cy: number,
  w: number,
  h: number,
): { x: number; y: number; width: number; height: number } {
  return { x: (cx - w / 2) * 2, y: (cy - h / 2 - 16) * 2, width: w * 2, height: h * 2 };
}

async function detect(config: Omit<YoloConfig, 'inputSize'>): Promise<{ box: unknown; score: number }[]> {
  const detector = await YoloDetector.load({ inputSize: 64, ...config });
  try {
    return (await detector.detect(FRAME)).map((d) => ({ box: d.box, score: d.score }));
  } finally {
    await detector.release();
  }
}

function expectCode(err: unknown, code: string, where: string, message: RegExp): void {
  expect(err).toBeInstanceOf(PerceptionError);
  const e = err as PerceptionError;
  expect(e.code).toBe(code);
  expect(e.where).toBe(where);
  expect(e.message).toMatch(message);
}

async function loadError(config: YoloConfig): Promise<unknown> {
  try {
    const d = await YoloDetector.load(config);
    await d.release();
  } catch (err) {
    return err;
  }
  throw new Error('expected the load to fail');
}

describe('YoloDetector on generated ONNX models', () => {
  it('decodes the v8 layout: threshold, best-class filter, hard NMS, letterbox mapping', async () => {
    const found = await detect({ modelPath: V8_MODEL, layout: 'v8' });
    expect(found).toEqual([
      { box: imageBox(20, 30, 10, 20), score: expect.closeTo(0.9, 6) },
      { box: imageBox(26, 30, 10, 20), score: expect.closeTo(0.7, 6) },
      { box: imageBox(40, 32, 10, 20), score: expect.closeTo(0.6, 6) },
      { box: imageBox(50, 20, 4, 4), score: 0.25 },
    ]);
    expect(found[0]!.box).toEqual({ x: 30, y: 8, width: 20, height: 40 });
  });

  it('decodes the v5 layout with score = objectness × class score', async () => {
    const boxes = BOXES.map((b) => ({ ...b }));
    boxes[2] = { ...boxes[2]!, obj: 0.5, cls: [0.9, 0, 0] }; // 0.45
    boxes[7] = { ...boxes[7]!, obj: 0.2, cls: [1, 0, 0] }; // objectness under the threshold
    const path = model([1, 3, 64, 64], [1, boxes.length, 5 + CLASSES], v5Values(boxes));
    const found = await detect({ modelPath: path, layout: 'v5' });
    expect(found).toEqual([
      { box: imageBox(20, 30, 10, 20), score: expect.closeTo(0.9, 6) },
      { box: imageBox(26, 30, 10, 20), score: expect.closeTo(0.7, 6) },
      { box: imageBox(40, 32, 10, 20), score: expect.closeTo(0.45, 6) },
    ]);
  });

  it('follows the score and IoU thresholds from config', async () => {
    const strict = await detect({ modelPath: V5_MODEL, layout: 'v5', scoreThreshold: 0.65 });
    expect(strict.map((d) => d.score)).toEqual([expect.closeTo(0.9, 6), expect.closeTo(0.7, 6)]);
    // At IoU 0.2 the box overlapping A by 0.25 is suppressed too.
    const tight = await detect({ modelPath: V8_MODEL, layout: 'v8', iouThreshold: 0.2 });
    expect(tight.map((d) => d.box)).toEqual([
      imageBox(20, 30, 10, 20),
      imageBox(40, 32, 10, 20),
      imageBox(50, 20, 4, 4),
    ]);
    const two = await detect({ modelPath: V8_MODEL, layout: 'v8', maxDetections: 2 });
    expect(two).toHaveLength(2);
  });

  it('reports the configured person class', async () => {
    const found = await detect({ modelPath: V8_MODEL, layout: 'v8', personClass: 1 });
    expect(found).toEqual([{ box: imageBox(10, 40, 8, 8), score: expect.closeTo(0.7, 6) }]);
  });

  it('rejects a model whose input does not match the configured size: MODEL_SHAPE', async () => {
    const path = model([1, 3, 32, 32], [1, 4 + CLASSES, BOXES.length], v8Values(BOXES));
    expectCode(
      await loadError({ modelPath: path, layout: 'v8', inputSize: 64 }),
      'MODEL_SHAPE',
      path,
      /expected one input \[1,3,64,64\].*found \[1,3,32,32\] float32/,
    );
    const nhwc = model([1, 64, 64, 3], [1, 4 + CLASSES, BOXES.length], v8Values(BOXES));
    expectCode(
      await loadError({ modelPath: nhwc, layout: 'v8', inputSize: 64 }),
      'MODEL_SHAPE',
      nhwc,
      /found \[1,64,64,3\]/,
    );
  });

  it('rejects a model whose output does not fit the configured layout: MODEL_SHAPE', async () => {
    expectCode(
      await loadError({ modelPath: V5_MODEL, layout: 'v8', inputSize: 64 }),
      'MODEL_SHAPE',
      V5_MODEL,
      /expected output \[1, 4\+nc, N\].*found \[1,10,8\].*looks like the v5 layout/,
    );
    const flat = model([1, 3, 64, 64], [1, 8], new Array<number>(8).fill(0));
    expectCode(
      await loadError({ modelPath: flat, layout: 'v5', inputSize: 64 }),
      'MODEL_SHAPE',
      flat,
      /expected output \[1, N, 5\+nc\].*found \[1,8\]/,
    );
  });

  it('rejects a person class the model does not have, a missing and a non-ONNX model file', async () => {
    expectCode(
      await loadError({ modelPath: V8_MODEL, layout: 'v8', inputSize: 64, personClass: 3 }),
      'CONFIG_INVALID',
      'yolo.person_class',
      /below the model's 3 classes, found 3/,
    );
    const missing = join(dir, 'nope.onnx');
    expectCode(await loadError({ modelPath: missing, layout: 'v8' }), 'MODEL_MISSING', missing, /not found/);
    expectCode(
      await loadError({ modelPath: new URL(import.meta.url).pathname, layout: 'v8' }),
      'MODEL_LOAD',
      new URL(import.meta.url).pathname,
      /onnxruntime could not load/,
    );
  });
});

describe('validateYoloConfig', () => {
  const base: YoloConfig = { modelPath: 'm.onnx', layout: 'v8' };
  it('fills Ultralytics defaults', () => {
    expect(validateYoloConfig(base)).toEqual({
      modelPath: 'm.onnx',
      layout: 'v8',
      inputSize: 640,
      personClass: 0,
      scoreThreshold: 0.25,
      iouThreshold: 0.45,
      maxDetections: 100,
      threads: 1,
    });
  });
  it.each([
    [{ layout: 'v7' }, 'yolo.layout', /expected 'v5' or 'v8', found 'v7'/],
    [{ modelPath: '' }, 'yolo.model_path', /expected a path/],
    [{ inputSize: 100 }, 'yolo.input_size', /multiple of 32.*found 100/],
    [{ personClass: -1 }, 'yolo.person_class', /found -1/],
    [{ personClass: 1.5 }, 'yolo.person_class', /found 1.5/],
    [{ scoreThreshold: 1.5 }, 'yolo.score_threshold', /\(0, 1\), found 1.5/],
    [{ iouThreshold: Number.NaN }, 'yolo.iou_threshold', /found NaN/],
    [{ maxDetections: 0 }, 'yolo.max_detections', /found 0/],
  ])('%o → CONFIG_INVALID at %s', (patch, where, message) => {
    let err: unknown;
    try {
      validateYoloConfig({ ...base, ...(patch as Partial<YoloConfig>) });
    } catch (e) {
      err = e;
    }
    expectCode(err, 'CONFIG_INVALID', where, message);
  });
});

describe("Letterboxer 'nchw_unit' (YOLO input)", () => {
  it('writes planar RGB in [0, 1] and pads with Ultralytics grey 114/255', () => {
    // 4×2 frame: left half red, right half blue; into 4×4 with one padding row above and below.
    const data = new Uint8Array(4 * 2 * 3);
    for (let i = 0; i < 8; i++) data.set(i % 4 < 2 ? [255, 0, 0] : [0, 0, 255], i * 3);
    const lb = new Letterboxer(4, 'nchw_unit');
    const { tensor, transform } = lb.apply({ width: 4, height: 2, data });
    expect(transform).toEqual({ size: 4, scale: 1, padX: 0, padY: 1 });
    const plane = (c: number): number[] => Array.from(tensor.subarray(c * 16, c * 16 + 16));
    const g = 114 / 255;
    expect(plane(0)).toEqual(
      [g, g, g, g, 1, 1, 0, 0, 1, 1, 0, 0, g, g, g, g].map((v) => expect.closeTo(v, 6)),
    );
    expect(plane(1)).toEqual(
      [g, g, g, g, 0, 0, 0, 0, 0, 0, 0, 0, g, g, g, g].map((v) => expect.closeTo(v, 6)),
    );
    expect(plane(2)).toEqual(
      [g, g, g, g, 0, 0, 1, 1, 0, 0, 1, 1, g, g, g, g].map((v) => expect.closeTo(v, 6)),
    );
  });
});
