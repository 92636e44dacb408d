/**
 * `medhjalparen detect` through runDetectCommand with captured output: a real photograph and a
 * video made from it (test/fixtures/), JSON lines, exit codes, and no file written unless
 * --annotate asks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDetectArgs, runDetectCommand, type DetectArgs } from '../cli/detect-command.js';
import { decodeImage } from '../src/perception/index.js';
import { FACE_PAN, fixturePath } from '../src/perception/test-images.js';
import { writeTinyYoloModel } from '../src/perception/tiny-yolo-model.js';

const ASTRONAUT = fixturePath('astronaut.jpg');
const CLIP = fixturePath('face-pan.mp4');
const dir = mkdtempSync(join(tmpdir(), 'detect-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line {
  frame: number;
  box: { x: number; y: number; width: number; height: number };
  score: number;
  keypoints?: { x: number; y: number }[];
}

async function detect(
  args: Omit<DetectArgs, 'out' | 'err'>,
): Promise<{ code: number; lines: Line[]; errors: string[] }> {
  const lines: Line[] = [];
  const errors: string[] = [];
  const code = await runDetectCommand({
    ...args,
    out: (l) => lines.push(JSON.parse(l) as Line),
    err: (l) => errors.push(l),
  });
  return { code, lines, errors };
}

/** Files anywhere a careless writer might put an image: the temp dir and the working directory. */
function listing(): string[] {
  return [...readdirSync(dir).map((f) => `tmp/${f}`), ...readdirSync(process.cwd())].sort();
}

describe('medhjalparen detect', () => {
  it('astronaut.jpg: one face as one JSON line, with the eyes and nose inside the box; no file written', async () => {
    const before = listing();
    const r = await detect({ input: ASTRONAUT });
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    const [face] = r.lines;
    expect(face!.frame).toBe(0);
    expect(face!.score).toBeGreaterThan(0.75);
    // The face is in the upper middle of the 512×512 photograph (hand-marked ≈ x 170–270, y 60–190).
    expect(face!.box.x).toBeGreaterThan(140);
    expect(face!.box.x + face!.box.width).toBeLessThan(300);
    expect(face!.box.y).toBeGreaterThan(30);
    expect(face!.box.y + face!.box.height).toBeLessThan(220);
    expect(face!.keypoints).toHaveLength(6);
    for (const k of face!.keypoints!.slice(0, 3)) {
      expect(k.x).toBeGreaterThan(face!.box.x);
      expect(k.x).toBeLessThan(face!.box.x + face!.box.width);
      expect(k.y).toBeGreaterThan(face!.box.y);
      expect(k.y).toBeLessThan(face!.box.y + face!.box.height);
    }
    expect(r.errors).toEqual(['detect: 1 frame(s), 1 detection(s) with blazeface_front']);
    expect(listing()).toEqual(before);
  });

  it('--annotate writes the frame as a PNG with the box drawn, and nothing else', async () => {
    const out = join(dir, 'annotated.png');
    const before = listing();
    const r = await detect({ input: ASTRONAUT, annotate: out });
    expect(r.code).toBe(0);
    expect(listing()).toEqual([...before, 'tmp/annotated.png'].sort());
    const img = decodeImage(readFileSync(out), out);
    expect([img.width, img.height]).toEqual([512, 512]);
    const box = r.lines[0]!.box;
    const at = (x: number, y: number): number[] =>
      Array.from(img.data.subarray((y * 512 + x) * 3, (y * 512 + x) * 3 + 3));
    // The box's top edge is green; the photograph elsewhere is untouched.
    expect(at(Math.round(box.x + box.width / 2), Math.round(box.y))).toEqual([0, 255, 0]);
    const original = decodeImage(readFileSync(ASTRONAUT), ASTRONAUT);
    expect(img.data.subarray(400 * 512 * 3)).toEqual(original.data.subarray(400 * 512 * 3));
  });

  it('face-pan.mp4 with --max-frames 3 reads three frames and prints JSON lines for them', async () => {
    const r = await detect({ input: CLIP, maxFrames: 3, model: 'back' });
    expect(r.code).toBe(0);
    expect(r.errors[0]).toMatch(/^detect: 3 frame\(s\), \d+ detection\(s\) with blazeface_back$/);
    // Two black frames, then the face: one line, for the third frame.
    expect(r.lines.map((l) => l.frame)).toEqual([FACE_PAN.blackFrames]);
  });

  it('runs a YOLO .onnx model given with its layout', async () => {
    const model = join(dir, 'tiny.onnx');
    // One person box at input (32, 32, 16, 32), a 64×64 input; N = 8 candidates, 1 class.
    const rows = [[32], [32], [16], [32], [0.9]].map((r) => [...r, 0, 0, 0, 0, 0, 0, 0]);
    writeTinyYoloModel(model, { inputShape: [1, 3, 64, 64], outputShape: [1, 5, 8], values: rows.flat() });
    const r = await detect({ input: ASTRONAUT, model, yoloLayout: 'v8', inputSize: 64 });
    expect(r.code).toBe(0);
    // 512×512 into 64×64: scale 1/8, no padding.
    expect(r.lines).toEqual([{ frame: 0, box: { x: 192, y: 128, width: 128, height: 256 }, score: 0.9 }]);
    rmSync(model);
  });

  it('a missing input exits 1 with the clear error, before loading a model', async () => {
    const missingVideo = join(dir, 'missing.avi');
    const r = await detect({ input: missingVideo });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([`detect: CAMERA_MISSING: ${missingVideo}: no such video file`]);
    const cam = await detect({ input: '/dev/video9' });
    expect(cam.code).toBe(1);
    expect(cam.errors[0]).toMatch(/^detect: CAMERA_MISSING: \/dev\/video9: no such camera device/);
    const img = await detect({ input: join(dir, 'missing.png') });
    expect(img.errors[0]).toMatch(/IMAGE_MISSING/);
  });

  it('a model file without --yolo-layout is a usage error (exit 2)', async () => {
    const r = await detect({ input: ASTRONAUT, model: join(dir, 'x.onnx') });
    expect(r.code).toBe(2);
    expect(r.errors[0]).toMatch(/needs --yolo-layout v5\|v8/);
  });
});

describe('parseDetectArgs', () => {
  it('reads the flags', () => {
    expect(
      parseDetectArgs([
        'clip.avi',
        '--model',
        'm.onnx',
        '--yolo-layout',
        'v5',
        '--person-class',
        '2',
        '--input-size',
        '320',
        '--max-frames',
        '10',
        '--annotate',
        'o.png',
      ]),
    ).toEqual({
      input: 'clip.avi',
      model: 'm.onnx',
      yoloLayout: 'v5',
      personClass: 2,
      inputSize: 320,
      maxFrames: 10,
      annotate: 'o.png',
    });
  });
  it.each([
    [[], /exactly one input, found 0/],
    [['a.png', '--yolo-layout', 'v7'], /expected v5 or v8, found 'v7'/],
    [['a.png', '--max-frames', 'many'], /--max-frames: expected a number/],
    [['a.png', '--max-frames', '0'], /integer ≥ 1, found 0/],
    [['a.png', '--bogus'], /Unknown option '--bogus'/],
  ])('%j → %s', (argv, message) => {
    expect(parseDetectArgs(argv)).toMatch(message);
  });
});
