/**
 * A real camera in the loop (issue 5, "feed it to the guide mission"): frames from a real source
 * through the real BlazeFace model in the robot's own detector node, on to the follow node and
 * /guide/customer; the simulator standing aside when someone else publishes the detections; and
 * `medhjalparen run --camera` as a user runs it. Time is simulated (SimClock): frames are stamped
 * by a clock the test moves, so nothing depends on how fast this machine decodes or infers.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import type { Scenario } from '../sim/scenario.js';
import { loadSite, type Site } from '../src/map/index.js';
import {
  BlazeFaceDetector,
  REAR_CAMERA,
  REAR_DETECTIONS_TOPIC,
  detectionsFromMsg,
  openSource,
  type FrameSource,
  type RgbImage,
} from '../src/perception/index.js';
import { FACE_PAN, fixturePath } from '../src/perception/test-images.js';
import { startRobot, type World } from '../src/robot/index.js';
import { EmbeddedContext, SimClock, header, timeMsgToNs, type Detection2DArray } from '../src/ros/index.js';
import { type CustomerFollow } from '../src/interfaces/index.js';

const CLIP = fixturePath('face-pan.mp4');
const ASTRONAUT = fixturePath('astronaut.jpg');
const SITE_DIR = path.resolve('maps/iso-omena');
const START_NS = 1_800_000_000_000_000_000n;
/** The clip's frame interval (25 fps). */
const FRAME_NS = FACE_PAN.frameNs;
/** 20 frames: 0.8 s, inside the mission's 1 Hz status period, so nothing re-publishes 'idle'. */
const FRAMES = 20;

/**
 * A real source seen through a camera's frame interval: each frame moves the simulated clock on by
 * `periodNs` as it arrives, so the detector node stamps frame k at start + (k+1)·period however
 * long ffmpeg and the model take; after `limit` frames it ends, like a camera that is switched off.
 */
class FrameInterval implements FrameSource {
  readonly name: string;
  private taken = 0;
  constructor(
    private readonly inner: FrameSource,
    private readonly clock: SimClock,
    private readonly periodNs: bigint,
    private readonly limit: number,
  ) {
    this.name = inner.name;
  }

  [Symbol.asyncIterator](): AsyncIterator<RgbImage> {
    const frames = this.inner[Symbol.asyncIterator]();
    return {
      next: async () => {
        if (this.taken >= this.limit) return { done: true, value: undefined };
        const next = await frames.next();
        if (next.done) return next;
        this.taken++;
        this.clock.advanceTo(this.clock.nowNs() + this.periodNs);
        return next;
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

let site: Site;
/** A stand-in world with no devices at all: only the camera, driven by the test, feeds the robot. */
const NO_DEVICES: World = {
  describe: 'no devices (test stand-in)',
  provides: { scan: true, localization: true },
  preflight: async () => [],
  start: async () => ({ stop: async () => {} }),
};
let blazeface: BlazeFaceDetector;
beforeAll(async () => {
  site = await loadSite(SITE_DIR);
  blazeface = await BlazeFaceDetector.load({ variant: 'front' });
});
afterAll(async () => {
  await blazeface?.release();
});

describe('the robot with a real rear camera', () => {
  it("face-pan.mp4's face reaches /guide/customer as a bound, visible customer close behind", async () => {
    const clock = new SimClock(START_NS);
    const ctx = new EmbeddedContext({ clock });
    const source = new FrameInterval(openSource({ kind: 'video', path: CLIP }), clock, FRAME_NS, FRAMES);
    const robot = await startRobot({
      graph: ctx,
      world: NO_DEVICES,
      site,
      rearCamera: { source, detector: blazeface, camera: REAR_CAMERA },
    });
    expect(robot.rearCamera).toBeDefined();

    const probe = ctx.createNode('probe');
    const detections: Detection2DArray[] = [];
    const customer: CustomerFollow[] = [];
    probe.createSubscription('vision_msgs/msg/Detection2DArray', REAR_DETECTIONS_TOPIC, (m) =>
      detections.push(m),
    );
    probe.createSubscription('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer', (m) =>
      customer.push(m),
    );
    // The escort starts (as the mission would say it): the follow node binds the customer.
    const status = probe.createPublisher('medhjalparen_msgs/msg/GuideStatus', '/guide/status');
    ctx.spinSome();
    status.publish({
      header: header('map', probe.now()),
      state: 'escorting',
      request_id: 'req-0',
      destination_id: 'kela',
      reason: '',
      why: '',
    });
    ctx.spinSome();

    await robot.rearCamera!.done;
    ctx.spinSome();

    // Every frame published once, by the robot's detector, stamped when it arrived.
    expect(detections).toHaveLength(FRAMES);
    detections.forEach((m, k) => {
      expect(m.header.frame_id).toBe('rear_camera');
      expect(timeMsgToNs(m.header.stamp)).toBe(START_NS + BigInt(k + 1) * FRAME_NS);
    });
    // The clip opens on two black frames; then one face, in the camera model's 640×480 pixels.
    const faces = detections.map((m) => detectionsFromMsg(m));
    expect(faces[0]).toEqual([]);
    expect(faces[1]).toEqual([]);
    const withOneFace = faces.slice(2).filter((f) => f.length === 1);
    expect(withOneFace.length).toBeGreaterThanOrEqual(FRAMES - 4);
    for (const [face] of withOneFace) {
      expect(face!.box.x + face!.box.width).toBeLessThanOrEqual(REAR_CAMERA.imageWidth + 1);
      expect(face!.box.width).toBeGreaterThan(60);
    }

    // The follow node answered every frame; the customer was bound throughout and is seen,
    // close behind the robot (a ~110 px face at 90° across: well under a metre and a half).
    expect(customer).toHaveLength(FRAMES);
    expect(customer.every((c) => c.bound)).toBe(true);
    expect(customer[0]!.visible).toBe(false);
    const firstSeen = customer.findIndex((c) => c.visible);
    // A track is confirmed on its third matched frame: the face's third frame is frame 4.
    expect(firstSeen).toBe(4);
    const seenAfter = customer.slice(firstSeen).filter((c) => c.visible);
    expect(seenAfter.length).toBeGreaterThanOrEqual(FRAMES - firstSeen - 2);
    const last = customer.at(-1)!;
    expect(last.distance_behind).toBeGreaterThan(0.4);
    expect(last.distance_behind).toBeLessThan(1.5);

    expect(robot.rearCamera!.stats()).toEqual({
      frames: FRAMES,
      detections: faces.reduce((n, f) => n + f.length, 0),
      droppedFrames: 0,
      running: false,
    });
    await robot.stop();
    expect(robot.rearCamera!.stats().running).toBe(false);
  });

  it('stop() waits for the detector to let go of a source still delivering frames', async () => {
    const clock = new SimClock(START_NS);
    const ctx = new EmbeddedContext({ clock });
    const source = new FrameInterval(openSource({ kind: 'video', path: CLIP }), clock, FRAME_NS, 1_000);
    const robot = await startRobot({
      graph: ctx,
      world: NO_DEVICES,
      site,
      rearCamera: { source, detector: blazeface },
    });
    // Wait for a couple of frames by the clock the source moves: the loop is running.
    while (clock.nowNs() < START_NS + 2n * FRAME_NS) await new Promise((r) => setImmediate(r));
    expect(robot.rearCamera!.stats().running).toBe(true);
    await robot.stop();
    const stats = robot.rearCamera!.stats();
    expect(stats.running).toBe(false);
    expect(stats.frames).toBeGreaterThanOrEqual(1);
    expect(stats.frames).toBeLessThan(FACE_PAN.frames); // stopped before the clip's end
  });
});

/** No customers: the run settles at the dock and ends after about a simulated second. */
function emptyFloor(): Scenario {
  return {
    file: '(test)',
    name: 'camera in the loop',
    description: 'nobody asks',
    siteDir: SITE_DIR,
    seed: 5,
    startEpochMs: Date.parse('2026-11-26T09:00:00+02:00'),
    robotStart: 'dock',
    pedestrians: 0,
    timeLimitS: 5,
    customers: [],
    events: [],
    expect: {},
  };
}

describe('a simulated run with an external rear camera', () => {
  async function detectionsDuring(withCamera: boolean) {
    const scenarioStartNs = BigInt(emptyFloor().startEpochMs) * 1_000_000n;
    const stamps: bigint[] = [];
    let customerMessages = 0;
    let stats;
    await simulate(emptyFloor(), {
      site,
      ...(withCamera
        ? { rearCamera: { source: openSource({ kind: 'image', path: ASTRONAUT }), detector: blazeface } }
        : {}),
      onStart: async ({ graph, robot }) => {
        const probe = graph.createNode('probe');
        probe.createSubscription('vision_msgs/msg/Detection2DArray', REAR_DETECTIONS_TOPIC, (m) =>
          stamps.push(timeMsgToNs(m.header.stamp) - scenarioStartNs),
        );
        // The follow node answers each detections message; the simulator publishes none itself.
        probe.createSubscription('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer', () => {
          customerMessages++;
        });
        // The still image is one frame: let the detector finish it before the first step.
        await robot.rearCamera?.done;
        stats = robot.rearCamera?.stats();
      },
    });
    return { stamps, stats, customerMessages };
  }

  it("publishes only the detector's detections: none from the simulator's camera model", async () => {
    const { stamps, stats, customerMessages } = await detectionsDuring(true);
    // One frame, published before the first step (at the start time), and nothing else.
    expect(stamps).toEqual([0n]);
    expect(customerMessages).toBe(1);
    expect(stats).toEqual({ frames: 1, detections: 1, droppedFrames: 0, running: false });
  });

  it("without one, the simulator's camera model publishes at 10 Hz on the same topic", async () => {
    const { stamps, stats, customerMessages } = await detectionsDuring(false);
    expect(stats).toBeUndefined();
    expect(customerMessages).toBe(stamps.length);
    expect(stamps.length).toBeGreaterThanOrEqual(9);
    stamps.forEach((s, k) => expect(s).toBe(BigInt(k + 1) * 100_000_000n));
  });
});

const run = promisify(execFile);
const BIN = path.resolve('bin/medhjalparen.js');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 8 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('medhjalparen run --camera', () => {
  it('a missing camera exits 1 naming --camera and the device, before the robot starts', async () => {
    const r = await cli(['run', '--camera', '/dev/video9', '--duration', '60']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^run: --camera: CAMERA_MISSING: \/dev\/video9: no such camera device/);
    expect(r.stdout).not.toMatch(/Medhjälparen on/);
  });

  it('a model file that does not exist exits non-zero naming --model and the path', async () => {
    const usage = await cli(['run', '--camera', ASTRONAUT, '--model', '/nope.onnx']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--model \/nope\.onnx: a model file needs --yolo-layout v5\|v8/);
    const missing = await cli(['run', '--camera', ASTRONAUT, '--model', '/nope.onnx', '--yolo-layout', 'v8']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^run: --model: MODEL_MISSING: \/nope\.onnx: model file not found/);
    expect(usage.stdout + missing.stdout).not.toMatch(/Medhjälparen on/);
  });

  it('refuses --fast with --camera: a real camera runs on the wall clock', async () => {
    const r = await cli(['run', '--fast', '--camera', ASTRONAUT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fast cannot be used with --camera/);
  });

  it('refuses detector flags without --camera', async () => {
    const r = await cli(['run', '--model', 'back', '--fast', '--duration', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model and the other detector flags need --camera/);
  });

  it('runs two seconds on a video file and prints the detector counts', async () => {
    const r = await cli(['run', '--camera', CLIP, '--model', 'back', '--duration', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Rear camera: .*face-pan\.mp4 through blazeface_back/);
    expect(r.stdout).toMatch(/^rear camera: \d+ frame\(s\), \d+ detection\(s\), \d+ dropped frame\(s\)$/m);
  });
});
