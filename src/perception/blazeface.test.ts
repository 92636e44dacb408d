import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import {
  BLAZEFACE_VARIANTS,
  BlazeFaceDetector,
  decodeFaces,
  defaultModelPath,
  generateAnchors,
  iou,
  weightedNms,
  type RawFace,
} from './blazeface.js';
import type { PixelBox } from './camera-model.js';
import { decodeImage } from './image.js';
import { PerceptionError } from './errors.js';
import { ASTRONAUT_FACE, SMALL_FACE, fixtureBytes, fixturePath, type Fixture } from './test-images.js';

function corners(b: PixelBox): { xmin: number; ymin: number; xmax: number; ymax: number } {
  return { xmin: b.x, ymin: b.y, xmax: b.x + b.width, ymax: b.y + b.height };
}

function raw(xmin: number, ymin: number, xmax: number, ymax: number, score: number, kp = 0): RawFace {
  return { xmin, ymin, xmax, ymax, score, keypoints: new Float32Array(12).fill(kp) };
}

async function loadError(config: Parameters<typeof BlazeFaceDetector.load>[0]): Promise<PerceptionError> {
  try {
    await BlazeFaceDetector.load(config);
  } catch (err) {
    expect(err).toBeInstanceOf(PerceptionError);
    return err as PerceptionError;
  }
  throw new Error('expected BlazeFaceDetector.load to fail');
}

describe('SSD anchors (MediaPipe SsdAnchorsCalculator)', () => {
  it('front: 16×16 cells × 2 at stride 8, then 8×8 cells × 6 at stride 16 = 896', () => {
    const { anchors, groupSizes } = generateAnchors(BLAZEFACE_VARIANTS.front.anchors);
    expect(groupSizes).toEqual([512, 384]);
    expect(anchors.length).toBe(896 * 4);
    const anchor = (i: number): number[] => [...anchors.subarray(i * 4, i * 4 + 4)];
    expect(anchor(0)).toEqual([0.5 / 16, 0.5 / 16, 1, 1]);
    expect(anchor(1)).toEqual([0.5 / 16, 0.5 / 16, 1, 1]); // second anchor of the same cell
    expect(anchor(2)).toEqual([1.5 / 16, 0.5 / 16, 1, 1]);
    expect(anchor(32)).toEqual([0.5 / 16, 1.5 / 16, 1, 1]); // next row
    expect(anchor(512)).toEqual([0.5 / 8, 0.5 / 8, 1, 1]);
    expect(anchor(517)).toEqual([0.5 / 8, 0.5 / 8, 1, 1]); // 6 per cell
    expect(anchor(518)).toEqual([1.5 / 8, 0.5 / 8, 1, 1]);
    expect(anchor(895)).toEqual([7.5 / 8, 7.5 / 8, 1, 1]);
  });

  it('back: the same layout at input 256 with strides 16 and 32', () => {
    const front = generateAnchors(BLAZEFACE_VARIANTS.front.anchors);
    const back = generateAnchors(BLAZEFACE_VARIANTS.back.anchors);
    expect(back.groupSizes).toEqual([512, 384]);
    expect(back.anchors).toEqual(front.anchors);
  });
});

describe('decodeFaces', () => {
  it('offsets box and keypoints from the anchor in units of the input size and applies the sigmoid', () => {
    const { anchors } = generateAnchors(BLAZEFACE_VARIANTS.front.anchors);
    const scores = new Float32Array(896).fill(-5);
    const boxes = new Float32Array(896 * 16);
    scores[2] = 2; // anchor (1.5/16, 0.5/16)
    boxes.set([12.8, -6.4, 25.6, 12.8, 1.28, 2.56], 2 * 16);
    scores[895] = 500; // clipped to 100: score 1, not NaN
    const faces = decodeFaces(scores, boxes, anchors, 128, 0.75);
    expect(faces).toHaveLength(2);
    const f = faces[0]!;
    expect(f.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(f.xmin).toBeCloseTo(1.5 / 16 + 0.1 - 0.1, 6);
    expect(f.xmax).toBeCloseTo(1.5 / 16 + 0.1 + 0.1, 6);
    expect(f.ymin).toBeCloseTo(0.5 / 16 - 0.05 - 0.05, 6);
    expect(f.ymax).toBeCloseTo(0.5 / 16 - 0.05 + 0.05, 6);
    expect(f.keypoints[0]).toBeCloseTo(1.5 / 16 + 0.01, 6);
    expect(f.keypoints[1]).toBeCloseTo(0.5 / 16 + 0.02, 6);
    expect(faces[1]!.score).toBe(1);
  });

  it('drops anchors below the score threshold', () => {
    const { anchors } = generateAnchors(BLAZEFACE_VARIANTS.front.anchors);
    const scores = new Float32Array(896).fill(Math.log(0.7 / 0.3)); // sigmoid 0.7
    expect(decodeFaces(scores, new Float32Array(896 * 16), anchors, 128, 0.75)).toHaveLength(0);
    expect(decodeFaces(scores, new Float32Array(896 * 16), anchors, 128, 0.65)).toHaveLength(896);
  });
});

describe('weightedNms', () => {
  it('averages overlapping boxes by score, keeps the best score, and keeps separate faces apart', () => {
    const out = weightedNms(
      [raw(0, 0, 10, 10, 0.6, 1), raw(1, 1, 11, 11, 0.9, 4), raw(50, 50, 60, 60, 0.8, 7)],
      0.3,
      10,
    );
    expect(out).toHaveLength(2);
    const merged = out[0]!;
    expect(merged.score).toBe(0.9);
    expect(merged.xmin).toBeCloseTo(0.6, 6); // (0·0.6 + 1·0.9) / 1.5
    expect(merged.xmax).toBeCloseTo(10.6, 6);
    expect(merged.keypoints[0]).toBeCloseTo(2.8, 6); // (1·0.6 + 4·0.9) / 1.5
    expect(out[1]).toMatchObject({ xmin: 50, score: 0.8 });
  });

  it('does not merge boxes overlapping at or below the IoU threshold, and caps the count', () => {
    // IoU of [0,10]² and [5,15]×[0,10] is 50/150 = 1/3.
    expect(weightedNms([raw(0, 0, 10, 10, 0.9), raw(5, 0, 15, 10, 0.8)], 0.34, 10)).toHaveLength(2);
    expect(weightedNms([raw(0, 0, 10, 10, 0.9), raw(5, 0, 15, 10, 0.8)], 0.33, 10)).toHaveLength(1);
    expect(weightedNms([raw(0, 0, 1, 1, 0.9), raw(5, 5, 6, 6, 0.8)], 0.3, 1)).toHaveLength(1);
  });
});

describe('BlazeFaceDetector on real photographs', () => {
  let front: BlazeFaceDetector;
  let back: BlazeFaceDetector;
  beforeAll(async () => {
    front = await BlazeFaceDetector.load({ variant: 'front' });
    back = await BlazeFaceDetector.load({ variant: 'back' });
  });
  afterAll(async () => {
    await front?.release();
    await back?.release();
  });

  const image = (name: Fixture) => decodeImage(fixtureBytes(name), name);

  it('finds exactly the one face in astronaut.jpg with both models, eyes and nose inside the box', async () => {
    const img = image('astronaut.jpg');
    for (const detector of [front, back]) {
      const faces = await detector.detect(img);
      expect(faces, detector.name).toHaveLength(1);
      const face = faces[0]!;
      expect(iou(corners(face.box), corners(ASTRONAUT_FACE)), detector.name).toBeGreaterThanOrEqual(0.5);
      expect(face.score).toBeGreaterThan(0.8);
      const [rightEye, leftEye, nose] = face.keypoints;
      // The person's right eye is on the image's left.
      expect(rightEye!.x).toBeLessThan(leftEye!.x);
      for (const p of [rightEye!, leftEye!, nose!]) {
        expect(p.x).toBeGreaterThan(face.box.x);
        expect(p.x).toBeLessThan(face.box.x + face.box.width);
        expect(p.y).toBeGreaterThan(face.box.y);
        expect(p.y).toBeLessThan(face.box.y + face.box.height);
      }
    }
  });

  it('finds the small face (about 43 px in a 640 px wide photograph) with the full-range back model', async () => {
    const faces = await back.detect(image('small-face.jpg'));
    const best = Math.max(...faces.map((f) => iou(corners(f.box), corners(SMALL_FACE))));
    expect(best).toBeGreaterThanOrEqual(0.5);
  });

  it('reports no face on coffee.png, rocket.jpg and brick.png with either model', async () => {
    for (const name of ['coffee.png', 'rocket.jpg', 'brick.png'] as const) {
      const img = image(name);
      expect(await front.detect(img), `front on ${name}`).toEqual([]);
      expect(await back.detect(img), `back on ${name}`).toEqual([]);
    }
  });

  it('gives the same detections for the same frame twice (buffers are reused safely)', async () => {
    const img = image('astronaut.jpg');
    expect(await front.detect(img)).toEqual(await front.detect(img));
  });
});

describe('BlazeFaceDetector model checks', () => {
  it('refuses a model whose input shape is not the variant’s', async () => {
    const path = defaultModelPath('back');
    const e = await loadError({ variant: 'front', modelPath: path });
    expect(e.code).toBe('MODEL_SHAPE');
    expect(e.where).toBe(path);
    expect(e.message).toBe(`${path}: expected input [1,128,128,3] NHWC float32, found [1,256,256,3] float32`);
  });

  it('names a missing model file', async () => {
    const e = await loadError({ variant: 'front', modelPath: '/nonexistent/face.onnx' });
    expect(e.code).toBe('MODEL_MISSING');
    expect(e.message).toBe('/nonexistent/face.onnx: model file not found');
  });

  it('reports a file that is not an ONNX model', async () => {
    const path = fixturePath('brick.png');
    const e = await loadError({ variant: 'front', modelPath: path });
    expect(e.code).toBe('MODEL_LOAD');
    expect(e.message).toMatch(/brick\.png: onnxruntime could not load the model: /);
  });

  it('refuses thresholds outside their range', async () => {
    const e = await loadError({ variant: 'back', scoreThreshold: 1.5 });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toBe('blazeface.score_threshold: expected a number in (0, 1), found 1.5');
  });
});
