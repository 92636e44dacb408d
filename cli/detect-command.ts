/**
 * `medhjalparen detect`: runs a detector over a still image, a video file or a camera and prints
 * one JSON line per detection. Frames stay in memory; the only file ever written is the annotated
 * image the operator asks for with --annotate (privacy, issue 5): never over an existing file
 * without --force, never over the input, into a folder checked before the detector runs, and
 * whole or not at all (written beside the target, then renamed into place).
 */
import { createRequire } from 'node:module';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
  /** Let --annotate replace an existing file (never the input). */
  force?: boolean;
  /** Where detection lines go; default stdout. */
  out?: (line: string) => void;
  /** Where errors and the summary go; default stderr. */
  err?: (line: string) => void;
}

export const DETECT_USAGE = `usage: medhjalparen detect <image|video|/dev/videoN>
    ${DETECTOR_FLAGS_USAGE}
    [--max-frames N] [--annotate out.png [--force]]
  prints one JSON line per detection: {"frame":0,"box":{"x":…,"y":…,"width":…,"height":…},"score":…,"keypoints":[…]}
  --annotate writes the last frame with the detections drawn (no image is written otherwise);
  it does not replace an existing file unless --force is given, and never the input`;

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
        force: { type: 'boolean' },
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
  if (values.force) {
    if (values.annotate === undefined) return '--force applies only with --annotate';
    args.force = true;
  }
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

/**
 * Exit code: 0 done, 1 a perception error (missing file, bad model, undecodable stream) or the
 * annotated image could not be written, 2 usage (a wrong --annotate target included).
 */
export async function runDetectCommand(args: DetectArgs): Promise<number> {
  const out = args.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = args.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const usage = detectorChoiceError(args);
  if (usage !== undefined) {
    err(`detect: ${usage}\n${DETECT_USAGE}`);
    return 2;
  }
  if (args.annotate !== undefined) {
    const refused = checkAnnotateTarget(args.annotate, args.input, args.force === true);
    if (refused !== undefined) {
      err(`detect: --annotate ${args.annotate}: ${refused}`);
      return 2;
    }
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
        const failed = writeWhole(
          args.annotate,
          encodePng(annotate(last.frame, last.found)),
          args.force === true,
        );
        if (failed !== undefined) {
          err(`detect: --annotate ${args.annotate}: ${failed}`);
          return 1;
        }
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

/**
 * Why `target` cannot take the annotated image, or undefined when it can: it is the input (by
 * path, link or hard link), it exists and `force` was not given, it is not a regular file, or its
 * folder is missing or not writable (tried by creating and removing a file there).
 */
export function checkAnnotateTarget(target: string, input: string, force: boolean): string | undefined {
  const existing = statOrUndefined(target, lstatSync);
  if (resolve(target) === resolve(input) || sameFile(target, input)) {
    return `that is the input ${input}; the annotated image never replaces it`;
  }
  if (existing) {
    if (!existing.isFile()) return 'exists and is not a regular file';
    if (!force) return 'exists; give --force to replace it';
  }
  const folder = dirname(resolve(target));
  const dir = statOrUndefined(folder, statSync);
  if (!dir?.isDirectory()) return `the folder ${folder} does not exist`;
  const probe = tempPathFor(target);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe);
  } catch (e) {
    return `cannot write in ${folder}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
  return undefined;
}

function statOrUndefined(path: string, stat: typeof statSync): ReturnType<typeof statSync> | undefined {
  try {
    return stat(path);
  } catch {
    return undefined;
  }
}

function sameFile(a: string, b: string): boolean {
  const sa = statOrUndefined(a, statSync);
  const sb = statOrUndefined(b, statSync);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/** A hidden name beside `target`, so the final rename stays within one file system. */
function tempPathFor(target: string): string {
  return join(dirname(resolve(target)), `.${basename(target)}.${process.pid}.tmp`);
}

/**
 * Writes `bytes` to `target` whole or not at all: to a temporary file beside it (flushed to disk),
 * then moved into place: renamed over it with `force`, else linked, which fails if a file appeared
 * there meanwhile. Returns why it failed (the temporary file removed), or undefined.
 */
function writeWhole(target: string, bytes: Buffer, force: boolean): string | undefined {
  const temp = tempPathFor(target);
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (force) {
      renameSync(temp, target);
    } else {
      linkOrRename(temp, target);
    }
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EEXIST'
      ? 'a file appeared there during the run; not replaced'
      : `cannot write it: ${code ?? String(e)}`;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Moves `temp` to a `target` that must not exist; by rename where links are not supported (FAT). */
function linkOrRename(temp: string, target: string): void {
  try {
    linkSync(temp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    if (statOrUndefined(target, lstatSync)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    renameSync(temp, target);
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
