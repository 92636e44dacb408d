/**
 * `medhjalparen detect`: runs a detector over a still image, a video file or a camera and prints
 * one JSON line per detection. Frames stay in memory; the only file ever written is the annotated
 * image the operator asks for with --annotate (privacy, issue 5).
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  PerceptionError,
  openSource,
  sourceSpecFromArg,
  type Detector,
  type FaceDetection,
  type RgbImage,
} from '../src/perception/index.js';
import {
  DETECTOR_FLAGS,
  DETECTOR_FLAGS_USAGE,
  detectorChoiceError,
  detectorChoiceFromFlags,
  loadDetector,
  type DetectorChoice,
} from './detector-option.js';

export interface DetectArgs extends DetectorChoice {
  /** An image (.png/.jpg/.jpeg), a video file or a camera device (/dev/videoN). */
  input: string;
  /** Stop after this many frames (a camera otherwise runs until the process is stopped). */
  maxFrames?: number;
  /** Write the last processed frame with its detections drawn to this PNG file. */
  annotate?: string;
  /** Where detection lines go; default stdout. */
  out?: (line: string) => void;
  /** Where errors and the summary go; default stderr. */
  err?: (line: string) => void;
}

export const DETECT_USAGE = `usage: medhjalparen detect <image|video|/dev/videoN>
    ${DETECTOR_FLAGS_USAGE}
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
        ...DETECTOR_FLAGS,
        'max-frames': { type: 'string' },
        annotate: { type: 'string' },
      },
    });
  } catch (err) {
    return (err as Error).message;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return `detect needs exactly one input, found ${positionals.length}`;
  const choice = detectorChoiceFromFlags(values);
  if (typeof choice === 'string') return choice;
  const args: DetectArgs = { input: positionals[0]!, ...choice };
  if (values.annotate !== undefined) args.annotate = values.annotate;
  const maxFrames = values['max-frames'];
  if (maxFrames !== undefined) {
    args.maxFrames = Number(maxFrames);
    if (maxFrames.trim() === '' || !Number.isFinite(args.maxFrames))
      return `--max-frames: expected a number, found '${maxFrames}'`;
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
  const usage = detectorChoiceError(args);
  if (usage !== undefined) {
    err(`detect: ${usage}\n${DETECT_USAGE}`);
    return 2;
  }
  let detector: Detector | undefined;
  try {
    // Open the source first: a missing file or camera is reported before a model is loaded.
    const source = openSource(sourceSpecFromArg(args.input));
    try {
      detector = await loadDetector(args);
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
