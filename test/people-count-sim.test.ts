/**
 * The people counter against the simulator: pedestrians walk past a standing robot's rear camera
 * model, and the counts are checked against the ground truth of who was in view. (In test/, not
 * src/perception/: it needs the simulator, which src/ never imports.)
 */
import { describe, expect, it } from 'vitest';
import { SimCamera } from '../sim/camera.js';
import { Rng } from '../sim/rng.js';
import { roomMap, siteFor } from '../sim/test-support.js';
import { SimWorld } from '../sim/world.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import {
  PeopleCounter,
  REAR_CAMERA,
  placementToBox,
  type Detection,
  type PixelBox,
} from '../src/perception/index.js';

const FRAME_NS = 100_000_000n; // a 10 Hz camera
const at = (frame: number) => BigInt(frame) * FRAME_NS;

describe('people count against the simulator', () => {
  const PERFECT = { missProbabilityNear: 0, missProbabilityFar: 0, falsePositiveRate: 0, boxNoiseShare: 0 };

  /**
   * Pedestrians wander a 12 × 8 m room behind a standing robot for `seconds`; the simulated camera
   * (misses, jitter, false positives) feeds the counter at 10 Hz. Ground truth comes from the same
   * world through a faultless camera: which person is visible in which frame.
   */
  function simulate(seed: number, people: number, seconds: number) {
    const w = new SimWorld({
      site: siteFor(roomMap(12, 8)),
      robot: DEFAULT_ROBOT,
      seed,
      robotStart: { x: 8, y: 4, yaw: 0 },
    });
    const spots = new Rng(`spots-${seed}`);
    for (let i = 0; i < people; i++) {
      w.addPerson({
        id: `p${i}`,
        pose: { x: spots.uniform(1, 11), y: spots.uniform(1, 7), yaw: 0 },
        role: 'pedestrian',
      });
    }
    const camera = new SimCamera(w.rng.fork('camera'));
    const truthCamera = new SimCamera(new Rng('truth'), PERFECT);
    const counter = new PeopleCounter({ window_s: seconds });
    const visibleFrames = new Map<string, number[]>();
    for (let frame = 1; frame <= seconds * 10; frame++) {
      for (let k = 0; k < 10; k++) w.step(0.01);
      const stamp = at(frame);
      counter.update(camera.capture(w, stamp), stamp);
      for (const id of visibleIds(w, truthCamera.capture(w, stamp))) {
        const list = visibleFrames.get(id) ?? [];
        list.push(frame);
        visibleFrames.set(id, list);
      }
    }
    return { counts: counter.snapshot(at(seconds * 10)), visibleFrames };
  }

  /** Which people a faultless detection list shows: their exact projected boxes are in it. */
  function visibleIds(w: SimWorld, dets: Detection[]): string[] {
    const robot = w.robotPose();
    const out: string[] = [];
    for (const p of w.people()) {
      const dx = p.x - robot.x;
      const dy = p.y - robot.y;
      const c = Math.cos(robot.yaw);
      const s = Math.sin(robot.yaw);
      const box = placementToBox(REAR_CAMERA, {
        bearing: Math.atan2(-s * dx + c * dy, c * dx + s * dy),
        range: Math.hypot(dx, dy),
      });
      if (box && dets.some((d) => sameBox(d.box, box))) out.push(p.id);
    }
    return out;
  }
  const sameBox = (a: PixelBox, b: PixelBox) =>
    Math.abs(a.x - b.x) < 1e-6 && Math.abs(a.y - b.y) < 1e-6 && Math.abs(a.width - b.width) < 1e-6;

  /**
   * Passes through the view: a person's visible frames split where they were out of sight longer
   * than the tracker remembers (maxAge, 10 frames). Only passes of at least `minFrames` visible
   * frames in a row are counted: shorter glimpses cannot confirm a track.
   */
  function passes(frames: number[], minFrames: number): number {
    let count = 0;
    let run = 0;
    let best = 0;
    for (let i = 0; i < frames.length; i++) {
      const gap = i === 0 ? Infinity : frames[i]! - frames[i - 1]!;
      if (gap > 10) {
        if (best >= minFrames) count++;
        best = 0;
        run = 0;
      }
      run = gap === 1 ? run + 1 : 1;
      best = Math.max(best, run);
    }
    if (best >= minFrames) count++;
    return count;
  }

  it.each([
    [1, 6],
    [2, 10],
  ])(
    'counts about as many passes as the simulated people made (seed %i, %i people, 120 s)',
    (seed, people) => {
      const { counts, visibleFrames } = simulate(seed, people, 120);
      const lists = [...visibleFrames.values()];
      const distinct = lists.filter((f) => passes(f, 5) > 0).length;
      const sustained = lists.reduce((n, f) => n + passes(f, 5), 0);
      const anyGlimpse = lists.reduce((n, f) => n + passes(f, 1), 0);
      // Measured (2026-11-26), noisy camera: seed 1: 47 counted, 44 passes of ≥ 5 frames, 47 of any
      // length, 6 people; seed 2: 71, 66, 77, 10. (A perfect camera: 46 and 72.) Before the
      // tracker's second association stage it was 56 and 88 (perfect 53 and 83): plain SORT lost
      // a walker whose face turned away for a few frames and started a new track on their return.
      const said = `new_people ${counts.new_people}, passes ${sustained} (any ${anyGlimpse}), people ${distinct}`;
      expect(distinct, said).toBeGreaterThan(1); // the scene does put people in view
      expect(counts.new_people, said).toBeGreaterThanOrEqual(distinct);
      expect(counts.new_people, said).toBeGreaterThanOrEqual(Math.floor(0.9 * sustained));
      expect(counts.new_people, said).toBeLessThanOrEqual(Math.ceil(1.05 * anyGlimpse) + 1);
    },
    60_000,
  );
});
