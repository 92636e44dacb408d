/**
 * `medhjalparen detect`: runs a detector over a still image, a video file or a camera and prints
 * one JSON line per detection. Frames stay in memory; the only file ever written is the annotated
 * image the operator asks for with --annotate (privacy, issue 5).
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BlazeFaceDetector,
  PerceptionError,
  YoloDetector,
  openSource,
  sourceSpecFromArg,
  type Detector,
  type FaceDetection,
  type RgbImage,
  type YoloLayout,
} from '../perception/index.js';

export interface DetectArgs {
  /** An image (.png/.jpg/.jpeg), a video file or a camera device (/dev/videoN). */
  input: string;
  /** 'front' (default), 'back' (BlazeFace variants) or a path to a YOLO .onnx file. */
  model?: string;
  /** Required with a .onnx model. */
  yoloLayout?: YoloLayout;
  personClass?: number;
  inputSize?: number;
  scoreThreshold?: number;
  /** Stop after this many frames (a camera otherwise runs until the process is stopped). */
  maxFrames?: number;
  /** Write the last processed frame with its detections drawn to this PNG file. */
  annotate?: string;
  /** Where detection lines go; default stdout. */
  out?: (line: string) => void;
  /** Where errors and the summary go; default stderr. */
  err?: (line: string) => void;
}

export const DETECT_USAGE = `usage: medhjalparen detect <image|video|/dev/videoN> [--model front|back|path.onnx]
    [--yolo-layout v5|v8 --person-class N --input-size N] [--score-threshold S]
    [--max-frames N] [--annotate out.png]
  prints one JSON line per detection: {"frame":0,"box":{"x":…,"y":…,"width":…,"height":…},"score":…,"keypoints":[…]}
  --annotate writes the last frame with the detections drawn (no image is written otherwise)`;

/** Parses the arguments after `detect`; a string is a usage error to print. */
export function parseDetectArgs(argv: string[]): DetectArgs | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        'yolo-layout': { type: 'string' },
        'person-class': { type: 'string' },
        'input-size': { type: 'string' },
        'score-threshold': { type: 'string' },
        'max-frames': { type: 'string' },
        annotate: { type: 'string' },
      },
    });
  } catch (err) {
    return (err as Error).message;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return `detect needs exactly one input, found ${positionals.length}`;
  const args: DetectArgs = { input: positionals[0]! };
  if (values.model !== undefined) args.model = values.model;
  if (values.annotate !== undefined) args.annotate = values.annotate;
  const layout = values['yolo-layout'];
  if (layout !== undefined) {
    if (layout !== 'v5' && layout !== 'v8') return `--yolo-layout: expected v5 or v8, found '${layout}'`;
    args.yoloLayout = layout;
  }
  for (const [flag, key] of [
    ['person-class', 'personClass'],
    ['input-size', 'inputSize'],
    ['score-threshold', 'scoreThreshold'],
    ['max-frames', 'maxFrames'],
  ] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) return `--${flag}: expected a number, found '${text}'`;
    args[key] = n;
  }
  if (args.maxFrames !== undefined && !(Number.isInteger(args.maxFrames) && args.maxFrames >= 1)) {
    return `--max-frames: expected an integer ≥ 1, found ${args.maxFrames}`;
  }
  return args;
}

/** Exit code: 0 done, 1 a perception error (missing file, bad model, undecodable stream), 2 usage. */
export async function runDetectCommand(args: DetectArgs): Promise<number> {
  const out = args.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = args.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const model = args.model ?? 'front';
  const yolo = model !== 'front' && model !== 'back';
  if (yolo && args.yoloLayout === undefined) {
    err(`detect: a model file needs --yolo-layout v5|v8 (or use --model front|back)\n${DETECT_USAGE}`);
    return 2;
  }
  if (!yolo && (args.yoloLayout ?? args.personClass ?? args.inputSize) !== undefined) {
    err('detect: --yolo-layout, --person-class and --input-size apply only to a .onnx model file');
    return 2;
  }
  let detector: Detector | undefined;
  try {
    // Open the source first: a missing file or camera is reported before a model is loaded.
    const source = openSource(sourceSpecFromArg(args.input));
    try {
      detector = yolo
        ? await YoloDetector.load({
            modelPath: model,
            layout: args.yoloLayout!,
            ...(args.personClass !== undefined ? { personClass: args.personClass } : {}),
            ...(args.inputSize !== undefined ? { inputSize: args.inputSize } : {}),
            ...(args.scoreThreshold !== undefined ? { scoreThreshold: args.scoreThreshold } : {}),
          })
        : await BlazeFaceDetector.load({
            variant: model as 'front' | 'back',
            ...(args.scoreThreshold !== undefined ? { scoreThreshold: args.scoreThreshold } : {}),
          });
      let frameIndex = 0;
      let detections = 0;
      let last: { frame: RgbImage; found: FaceDetection[] } | undefined;
      for await (const frame of source) {
        const found = await detector.detect(frame);
        for (const d of found) out(JSON.stringify(detectionLine(frameIndex, d)));
        detections += found.length;
        last = { frame, found };
        frameIndex++;
        if (args.maxFrames !== undefined && frameIndex >= args.maxFrames) break;
      }
      if (args.annotate !== undefined && last) {
        writeFileSync(args.annotate, encodePng(annotate(last.frame, last.found)));
      }
      err(
        `detect: ${frameIndex} frame(s), ${detections} detection(s) with ${detector.name}` +
          (args.annotate !== undefined && last
            ? `; annotated frame ${frameIndex - 1} written to ${args.annotate}`
            : ''),
      );
      return 0;
    } finally {
      await source.close();
    }
  } catch (e) {
    if (e instanceof PerceptionError) {
      err(`detect: ${e.code}: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await detector?.release();
  }
}

const round = (v: number, digits: number): number => Number(v.toFixed(digits));

function detectionLine(frame: number, d: FaceDetection): object {
  const line: Record<string, unknown> = {
    frame,
    box: {
      x: round(d.box.x, 1),
      y: round(d.box.y, 1),
      width: round(d.box.width, 1),
      height: round(d.box.height, 1),
    },
    score: round(d.score, 4),
  };
  if (d.keypoints.length > 0)
    line.keypoints = d.keypoints.map((k) => ({ x: round(k.x, 1), y: round(k.y, 1) }));
  return line;
}

const BOX_COLOUR = [0, 255, 0] as const;
const KEYPOINT_COLOUR = [255, 0, 0] as const;
const LINE_WIDTH = 2;

/** A copy of the frame with each box drawn as a rectangle outline and keypoints as small squares. */
export function annotate(frame: RgbImage, detections: FaceDetection[]): RgbImage {
  const img: RgbImage = { width: frame.width, height: frame.height, data: frame.data.slice() };
  for (const d of detections) {
    const x0 = Math.round(d.box.x);
    const y0 = Math.round(d.box.y);
    const x1 = Math.round(d.box.x + d.box.width) - 1;
    const y1 = Math.round(d.box.y + d.box.height) - 1;
    fillRect(img, x0, y0, x1, y0 + LINE_WIDTH - 1, BOX_COLOUR);
    fillRect(img, x0, y1 - LINE_WIDTH + 1, x1, y1, BOX_COLOUR);
    fillRect(img, x0, y0, x0 + LINE_WIDTH - 1, y1, BOX_COLOUR);
    fillRect(img, x1 - LINE_WIDTH + 1, y0, x1, y1, BOX_COLOUR);
    for (const k of d.keypoints) {
      const kx = Math.round(k.x);
      const ky = Math.round(k.y);
      fillRect(img, kx - 1, ky - 1, kx + 1, ky + 1, KEYPOINT_COLOUR);
    }
  }
  return img;
}

/** Fills the inclusive rectangle, clipped to the image (boxes may reach past the border). */
function fillRect(
  img: RgbImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  colour: readonly [number, number, number],
): void {
  const xa = Math.max(0, x0);
  const xb = Math.min(img.width - 1, x1);
  const ya = Math.max(0, y0);
  const yb = Math.min(img.height - 1, y1);
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) img.data.set(colour, (y * img.width + x) * 3);
  }
}

interface PngWriter {
  sync: { write(png: { width: number; height: number; data: Buffer }): Buffer };
}
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: PngWriter };

function encodePng(img: RgbImage): Buffer {
  const rgba = Buffer.alloc(img.width * img.height * 4, 255);
  for (let i = 0, j = 0; i < img.data.length; i += 3, j += 4) {
    rgba[j] = img.data[i]!;
    rgba[j + 1] = img.data[i + 1]!;
    rgba[j + 2] = img.data[i + 2]!;
  }
  return PNG.sync.write({ width: img.width, height: img.height, data: rgba });
}
