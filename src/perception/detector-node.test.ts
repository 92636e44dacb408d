import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedContext, SimClock, timeMsgToNs, type Detection2DArray, type RosNode } from '../ros/index.js';
import { BlazeFaceDetector, type Detector, type FaceDetection } from './blazeface.js';
import { REAR_CAMERA, iou, type PixelBox } from './camera-model.js';
import { createDetectorNode, DEFAULT_FRAME_ID } from './detector-node.js';
import { PerceptionError } from './errors.js';
import { FACE_CLASS_ID, REAR_DETECTIONS_TOPIC, detectionsFromMsg } from './follow-node.js';
import type { RgbImage } from './image.js';
import { openSource, type FrameSource } from './sources.js';
import { ASTRONAUT_FACE, fixturePath } from './test-images.js';

const ASTRONAUT = fixturePath('astronaut.jpg');
const STEP_NS = 100_000_000n;

function graph(): { clock: SimClock; ctx: EmbeddedContext; node: RosNode; received: Detection2DArray[] } {
  const clock = new SimClock(5_000_000_000n);
  const ctx = new EmbeddedContext({ clock });
  const node = ctx.createNode('rear_detector');
  const received: Detection2DArray[] = [];
  ctx
    .createNode('listener')
    .createSubscription('vision_msgs/msg/Detection2DArray', REAR_DETECTIONS_TOPIC, (m) => received.push(m));
  return { clock, ctx, node, received };
}

function blankFrame(width = 640, height = 480): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/**
 * A source double: `steps[i]` is what the i-th next() gives (a frame, or an error it rejects with),
 * then the source ends. Each next() first advances the clock by STEP_NS, as a camera's frame
 * interval would; unlike a generator it keeps going after a rejected next().
 */
class ScriptedSource implements FrameSource {
  readonly name = 'scripted';
  closed = 0;
  private i = 0;
  constructor(
    private readonly steps: (RgbImage | Error)[],
    private readonly clock: SimClock,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RgbImage> {
    return {
      next: async () => {
        if (this.closed > 0 || this.i >= this.steps.length) return { done: true, value: undefined };
        this.clock.advanceTo(this.clock.nowNs() + STEP_NS);
        const step = this.steps[this.i++]!;
        if (step instanceof Error) throw step;
        return { done: false, value: step };
      },
    };
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

/** A source that never delivers until closed, like a camera nobody stands in front of. */
class SilentSource implements FrameSource {
  readonly name = 'silent';
  closed = 0;
  private wake: (() => void) | undefined;

  [Symbol.asyncIterator](): AsyncIterator<RgbImage> {
    return {
      next: async () => {
        if (this.closed === 0) await new Promise<void>((r) => (this.wake = r));
        return { done: true, value: undefined };
      },
    };
  }

  async close(): Promise<void> {
    this.closed++;
    this.wake?.();
  }
}

/** A detector double: one face at a fixed box per frame, or a throw on the frames listed. */
class FixedDetector implements Detector {
  readonly name = 'fixed';
  calls = 0;
  constructor(
    private readonly box: PixelBox,
    private readonly failOnCalls: number[] = [],
  ) {}

  async detect(): Promise<FaceDetection[]> {
    const call = this.calls++;
    if (this.failOnCalls.includes(call)) throw new Error('inference failed');
    return [{ box: { ...this.box }, score: 0.9, keypoints: [] }];
  }

  async release(): Promise<void> {}
}

const decodeError = (): PerceptionError =>
  new PerceptionError('STREAM_DECODE', 'scripted', 'a corrupt frame');

describe('detector node on a real photograph', () => {
  let blazeface: BlazeFaceDetector;
  beforeAll(async () => {
    blazeface = await BlazeFaceDetector.load({ variant: 'front' });
  });
  afterAll(async () => {
    await blazeface.release();
  });

  it("publishes astronaut.jpg's one face on the rear detections topic, stamped now, box in image pixels", async () => {
    const { clock, ctx, node, received } = graph();
    const detectorNode = createDetectorNode(node, {
      detector: blazeface,
      source: openSource({ kind: 'image', path: ASTRONAUT }),
    });
    await detectorNode.done;
    ctx.spinSome();

    expect(received).toHaveLength(1);
    const msg = received[0]!;
    expect(msg.header.frame_id).toBe(DEFAULT_FRAME_ID);
    expect(timeMsgToNs(msg.header.stamp)).toBe(clock.nowNs());
    expect(msg.detections).toHaveLength(1);
    expect(msg.detections[0]!.results[0]!.hypothesis.class_id).toBe(FACE_CLASS_ID);
    const [face] = detectionsFromMsg(msg);
    expect(iou(face!.box, ASTRONAUT_FACE)).toBeGreaterThanOrEqual(0.5);
    expect(detectorNode.stats()).toEqual({ frames: 1, detections: 1, droppedFrames: 0, running: false });
  });

  it('with a camera model, scales boxes from the 512×512 photograph to the model’s 640×480', async () => {
    const { ctx, node, received } = graph();
    const withCamera = createDetectorNode(node, {
      detector: blazeface,
      source: openSource({ kind: 'image', path: ASTRONAUT }),
      camera: REAR_CAMERA,
      frameId: 'rear_camera_optical',
    });
    await withCamera.done;
    ctx.spinSome();
    expect(received[0]!.header.frame_id).toBe('rear_camera_optical');
    const [face] = detectionsFromMsg(received[0]!);
    const expected: PixelBox = {
      x: (ASTRONAUT_FACE.x * 640) / 512,
      y: (ASTRONAUT_FACE.y * 480) / 512,
      width: (ASTRONAUT_FACE.width * 640) / 512,
      height: (ASTRONAUT_FACE.height * 480) / 512,
    };
    expect(iou(face!.box, expected)).toBeGreaterThanOrEqual(0.5);
    expect(face!.box.x).toBeGreaterThan(ASTRONAUT_FACE.x);
  });
});

describe('detector node with bad frames', () => {
  const box: PixelBox = { x: 100, y: 50, width: 60, height: 60 };

  it('counts a frame the source cannot decode, skips it and keeps publishing the rest', async () => {
    const { clock, ctx, node, received } = graph();
    const start = clock.nowNs();
    const source = new ScriptedSource(
      [blankFrame(), blankFrame(), decodeError(), blankFrame(), blankFrame()],
      clock,
    );
    const detectorNode = createDetectorNode(node, { detector: new FixedDetector(box), source });
    await detectorNode.done;
    ctx.spinSome();

    expect(received.map((m) => timeMsgToNs(m.header.stamp) - start)).toEqual([
      STEP_NS,
      2n * STEP_NS,
      4n * STEP_NS,
      5n * STEP_NS,
    ]);
    const boxes = received.map((m) => detectionsFromMsg(m)[0]!.box);
    for (const b of boxes) {
      expect(b.x).toBeCloseTo(box.x);
      expect(b.y).toBeCloseTo(box.y);
      expect(b.width).toBeCloseTo(box.width);
      expect(b.height).toBeCloseTo(box.height);
    }
    expect(detectorNode.stats()).toEqual({ frames: 4, detections: 4, droppedFrames: 1, running: false });
    expect(source.closed).toBeGreaterThanOrEqual(1);
  });

  it('counts a frame the detector fails on or that has the wrong size, and keeps going', async () => {
    const { clock, ctx, node, received } = graph();
    const badShape: RgbImage = { width: 640, height: 480, data: new Uint8Array(10) };
    const source = new ScriptedSource([blankFrame(), blankFrame(), badShape, blankFrame()], clock);
    const detector = new FixedDetector(box, [1]);
    const detectorNode = createDetectorNode(node, { detector, source });
    await detectorNode.done;
    ctx.spinSome();
    expect(received).toHaveLength(2);
    expect(detector.calls).toBe(3); // the wrong-size frame never reaches the detector
    expect(detectorNode.stats()).toEqual({ frames: 2, detections: 2, droppedFrames: 2, running: false });
  });

  it('gives up on a source that fails frame after frame, without throwing', async () => {
    const { clock, ctx, node, received } = graph();
    const steps = Array.from({ length: 50 }, decodeError);
    const source = new ScriptedSource(steps, clock);
    const detectorNode = createDetectorNode(node, {
      detector: new FixedDetector(box),
      source,
      maxConsecutiveFailures: 5,
    });
    await detectorNode.done;
    ctx.spinSome();
    expect(received).toHaveLength(0);
    expect(detectorNode.stats()).toEqual({ frames: 0, detections: 0, droppedFrames: 5, running: false });
    expect(source.closed).toBeGreaterThanOrEqual(1);
  });

  it('rejects a nonsensical failure limit', () => {
    const { clock, node } = graph();
    expect(() =>
      createDetectorNode(node, {
        detector: new FixedDetector(box),
        source: new ScriptedSource([], clock),
        maxConsecutiveFailures: 0,
      }),
    ).toThrow(PerceptionError);
  });
});

describe('detector node lifecycle and privacy', () => {
  it('stop() closes a source that is waiting for a frame and ends the loop', async () => {
    const { node } = graph();
    const source = new SilentSource();
    const detectorNode = createDetectorNode(node, {
      detector: new FixedDetector({ x: 0, y: 0, width: 10, height: 10 }),
      source,
    });
    await new Promise((r) => setImmediate(r));
    expect(detectorNode.stats().running).toBe(true);
    await detectorNode.stop();
    expect(source.closed).toBeGreaterThanOrEqual(1);
    expect(detectorNode.stats().running).toBe(false);
  });

  it('keeps counts only: no frame, box or score in its snapshot', async () => {
    const { clock, node } = graph();
    const detectorNode = createDetectorNode(node, {
      detector: new FixedDetector({ x: 1, y: 2, width: 30, height: 30 }),
      source: new ScriptedSource([blankFrame(), blankFrame()], clock),
    });
    await detectorNode.done;
    const stats = detectorNode.stats();
    expect(Object.keys(stats).sort()).toEqual(['detections', 'droppedFrames', 'frames', 'running']);
    for (const value of Object.values(stats)) expect(['number', 'boolean']).toContain(typeof value);
  });
});
