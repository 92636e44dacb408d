import { iou, type Detector, type FaceDetection, type PixelBoxCorners } from './blazeface.js';
import { LIMITS } from '../input/index.js';
import { PerceptionError } from './errors.js';
import { checkImageInput, createSession, formatShape, shapeOf } from './onnx-model.js';
import ort, { type InferenceSession, type Tensor } from './ort.js';
import { Letterboxer, type LetterboxTransform, type RgbImage } from './image.js';

/**
 * Output layouts of Ultralytics-style detectors exported to ONNX (boxes in input pixels, scores
 * already through the sigmoid):
 * - 'v5': [1, N, 5 + nc], per candidate cx, cy, w, h, objectness, then nc class scores;
 * - 'v8': [1, 4 + nc, N], per attribute a row over all candidates: cx, cy, w, h, class scores
 *   (no objectness).
 */
export type YoloLayout = 'v5' | 'v8';

export interface YoloConfig {
  modelPath: string;
  layout: YoloLayout;
  /** Side of the square model input in pixels; default 640 (Ultralytics' export default). */
  inputSize?: number;
  /** Class id of "person" in the model's classes; default 0 (COCO). */
  personClass?: number;
  /** Minimum person score (v5: objectness × class score), 0–1; default 0.25 (Ultralytics). */
  scoreThreshold?: number;
  /** Boxes overlapping a better one by IoU above this are dropped (hard NMS); default 0.45. */
  iouThreshold?: number;
  /** Most people reported per frame; default 100. */
  maxDetections?: number;
  /** onnxruntime intra-op threads; default 1. */
  threads?: number;
}

/** One candidate that passed the score threshold, in input pixels. */
interface Candidate extends PixelBoxCorners {
  score: number;
}

/** The model's detection output: its name, candidate count N and class count nc. */
interface OutputLayout {
  name: string;
  candidates: number;
  classes: number;
}

/** The largest square input side within LIMITS.imagePixels, a multiple of 32. */
const MAX_INPUT_SIZE = Math.floor(Math.sqrt(LIMITS.imagePixels.value) / 32) * 32;

const DEFAULTS = {
  inputSize: 640,
  personClass: 0,
  scoreThreshold: 0.25,
  iouThreshold: 0.45,
  maxDetections: 100,
  threads: 1,
};

/**
 * A person detector for user-supplied YOLO ONNX models (YOLOv5 or YOLOv8 output layout) on
 * onnxruntime-node. Detections carry no keypoints, so it can stand in for BlazeFace wherever a
 * `Detector` is taken.
 */
export class YoloDetector implements Detector {
  readonly name: string;
  private readonly letterboxer: Letterboxer;
  private readonly input: Tensor;

  private constructor(
    private readonly session: InferenceSession,
    private readonly inputName: string,
    private readonly output: OutputLayout,
    private readonly layout: YoloLayout,
    private readonly personClass: number,
    private readonly scoreThreshold: number,
    private readonly iouThreshold: number,
    private readonly maxDetections: number,
    inputSize: number,
  ) {
    this.name = `yolo_${layout}`;
    this.letterboxer = new Letterboxer(inputSize, 'nchw_unit');
    this.input = new ort.Tensor('float32', this.letterboxer.tensor, [1, 3, inputSize, inputSize]);
  }

  /**
   * Validates the config, loads the model and checks its input ([1, 3, S, S] float32) and output
   * (the configured layout, with a class count that holds the person class). Throws PerceptionError
   * CONFIG_INVALID, MODEL_MISSING, MODEL_LOAD or MODEL_SHAPE.
   */
  static async load(config: YoloConfig): Promise<YoloDetector> {
    const c = validateYoloConfig(config);
    const session = await createSession(c.modelPath, { threads: c.threads });
    try {
      const inputName = checkImageInput(
        session,
        c.modelPath,
        [1, 3, c.inputSize, c.inputSize],
        `expected one input [1,3,${c.inputSize},${c.inputSize}] NCHW float32 (yolo.input_size ${c.inputSize})`,
      );
      const output = checkOutput(session, c.modelPath, c.layout);
      if (c.personClass >= output.classes) {
        throw new PerceptionError(
          'CONFIG_INVALID',
          'yolo.person_class',
          `expected a class id below the model's ${output.classes} classes, found ${c.personClass}`,
        );
      }
      return new YoloDetector(
        session,
        inputName,
        output,
        c.layout,
        c.personClass,
        c.scoreThreshold,
        c.iouThreshold,
        c.maxDetections,
        c.inputSize,
      );
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  async detect(image: RgbImage): Promise<FaceDetection[]> {
    const { transform } = this.letterboxer.apply(image);
    const result = await this.session.run({ [this.inputName]: this.input });
    const data = result[this.output.name]!.data as Float32Array;
    const candidates =
      this.layout === 'v8'
        ? decodeV8(data, this.output.classes, this.personClass, this.scoreThreshold)
        : decodeV5(data, this.output.classes, this.personClass, this.scoreThreshold);
    for (const t of Object.values(result)) t.dispose();
    return hardNms(candidates, this.iouThreshold, this.maxDetections).map((b) => toImage(b, transform));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The config with defaults filled in; CONFIG_INVALID names the first bad field. */
export function validateYoloConfig(config: YoloConfig): Required<YoloConfig> {
  if (config.layout !== 'v5' && config.layout !== 'v8') {
    throw new PerceptionError(
      'CONFIG_INVALID',
      'yolo.layout',
      `expected 'v5' or 'v8', found '${String(config.layout)}'`,
    );
  }
  if (typeof config.modelPath !== 'string' || config.modelPath === '') {
    throw new PerceptionError(
      'CONFIG_INVALID',
      'yolo.model_path',
      `expected a path to an .onnx file, found ${JSON.stringify(config.modelPath)}`,
    );
  }
  const c: Required<YoloConfig> = {
    modelPath: config.modelPath,
    layout: config.layout,
    inputSize: config.inputSize ?? DEFAULTS.inputSize,
    personClass: config.personClass ?? DEFAULTS.personClass,
    scoreThreshold: config.scoreThreshold ?? DEFAULTS.scoreThreshold,
    iouThreshold: config.iouThreshold ?? DEFAULTS.iouThreshold,
    maxDetections: config.maxDetections ?? DEFAULTS.maxDetections,
    threads: config.threads ?? DEFAULTS.threads,
  };
  // Ultralytics models downsample by 32, so their input side is a multiple of it; the input is an
  // image, so no larger than one (LIMITS.imagePixels): a model asking for more is refused before
  // its input tensor is allocated.
  checkInteger(
    'yolo.input_size',
    c.inputSize,
    32,
    `a multiple of 32 from 32 to ${MAX_INPUT_SIZE} (an input within imagePixels, docs/limits.md)`,
    c.inputSize % 32 === 0 && c.inputSize <= MAX_INPUT_SIZE,
  );
  checkInteger('yolo.person_class', c.personClass, 0, 'an integer class id ≥ 0', true);
  checkInteger('yolo.max_detections', c.maxDetections, 1, 'an integer ≥ 1', true);
  checkInteger('yolo.threads', c.threads, 1, 'an integer ≥ 1', true);
  checkUnit('yolo.score_threshold', c.scoreThreshold);
  checkUnit('yolo.iou_threshold', c.iouThreshold);
  return c;
}

function checkInteger(where: string, value: number, min: number, expected: string, extra: boolean): void {
  if (!Number.isInteger(value) || value < min || !extra) {
    throw new PerceptionError('CONFIG_INVALID', where, `expected ${expected}, found ${value}`);
  }
}

function checkUnit(where: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0 && value < 1)) {
    throw new PerceptionError('CONFIG_INVALID', where, `expected a number in (0, 1), found ${value}`);
  }
}

/**
 * YOLOv8: [4 + nc, N] row-major. A candidate is a person when its person score is its best class
 * score (as Ultralytics' NMS with classes=[person]) and reaches the threshold.
 */
export function decodeV8(
  data: Float32Array,
  classes: number,
  personClass: number,
  threshold: number,
): Candidate[] {
  const n = data.length / (4 + classes);
  const out: Candidate[] = [];
  const personRow = (4 + personClass) * n;
  for (let i = 0; i < n; i++) {
    const score = data[personRow + i]!;
    if (score < threshold || !isBestClass(data, 4 * n + i, n, classes, personClass, score)) continue;
    out.push(corners(data[i]!, data[n + i]!, data[2 * n + i]!, data[3 * n + i]!, score));
  }
  return out;
}

/**
 * YOLOv5: [N, 5 + nc] row-major; score = objectness × person score, the person class being the
 * candidate's best class.
 */
export function decodeV5(
  data: Float32Array,
  classes: number,
  personClass: number,
  threshold: number,
): Candidate[] {
  const stride = 5 + classes;
  const n = data.length / stride;
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    const objectness = data[o + 4]!;
    // score ≤ objectness, so most candidates are rejected before their class scores are read.
    if (objectness < threshold) continue;
    const classScore = data[o + 5 + personClass]!;
    const score = objectness * classScore;
    if (score < threshold || !isBestClass(data, o + 5, 1, classes, personClass, classScore)) continue;
    out.push(corners(data[o]!, data[o + 1]!, data[o + 2]!, data[o + 3]!, score));
  }
  return out;
}

/** True when no class scores higher than the person class, ties going to the lower id (argmax). */
function isBestClass(
  data: Float32Array,
  first: number,
  step: number,
  classes: number,
  personClass: number,
  personScore: number,
): boolean {
  for (let k = 0; k < classes; k++) {
    const s = data[first + k * step]!;
    if (s > personScore || (s === personScore && k < personClass)) return false;
  }
  return true;
}

function corners(cx: number, cy: number, w: number, h: number, score: number): Candidate {
  return { xmin: cx - w / 2, ymin: cy - h / 2, xmax: cx + w / 2, ymax: cy + h / 2, score };
}

/**
 * Standard (hard) NMS: best first, a box is kept unless it overlaps an already kept box by IoU
 * above `iouThreshold`.
 */
export function hardNms<T extends Candidate>(boxes: T[], iouThreshold: number, maxDetections: number): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const b of sorted) {
    if (kept.length >= maxDetections) break;
    if (kept.every((k) => iou(k, b) <= iouThreshold)) kept.push(b);
  }
  return kept;
}

/** Input pixels → image pixels (undoing the letterbox). */
function toImage(b: Candidate, t: LetterboxTransform): FaceDetection {
  const x = (b.xmin - t.padX) / t.scale;
  const y = (b.ymin - t.padY) / t.scale;
  return {
    box: { x, y, width: (b.xmax - b.xmin) / t.scale, height: (b.ymax - b.ymin) / t.scale },
    score: b.score,
    keypoints: [],
  };
}

/**
 * Checks the first output against the layout and reads the class count off it. The candidate axis
 * (thousands for real models) is always far longer than the attribute axis, which catches a v5
 * model configured as v8 and the other way round.
 */
function checkOutput(session: InferenceSession, modelPath: string, layout: YoloLayout): OutputLayout {
  const meta = session.outputMetadata[0];
  const shape = meta ? shapeOf(meta) : undefined;
  const expected =
    layout === 'v8'
      ? 'expected output [1, 4+nc, N] (YOLOv8 layout, nc ≥ 1, N > 4+nc)'
      : 'expected output [1, N, 5+nc] (YOLOv5 layout, nc ≥ 1, N > 5+nc)';
  const found = `found ${formatShape(shape)}${meta?.isTensor ? ` ${meta.type}` : ''}`;
  const fail = (hint = ''): PerceptionError =>
    new PerceptionError('MODEL_SHAPE', modelPath, `${expected}, ${found}${hint}`);
  if (!meta || shape === undefined || shape.length !== 3 || !meta.isTensor || meta.type !== 'float32')
    throw fail();
  const [batch, a, b] = shape;
  if (batch !== 1 && typeof batch !== 'string') throw fail();
  if (typeof a !== 'number' || typeof b !== 'number') throw fail(' (static sizes needed)');
  const attrs = layout === 'v8' ? a : b;
  const candidates = layout === 'v8' ? b : a;
  const head = layout === 'v8' ? 4 : 5;
  const other = layout === 'v8' ? 'v5' : 'v8';
  if (attrs <= head) throw fail();
  if (candidates <= attrs) throw fail(` (this looks like the ${other} layout: check yolo.layout)`);
  return { name: meta.name, candidates, classes: attrs - head };
}
