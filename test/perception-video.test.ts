/**
 * Detection and tracking on a video: BlazeFace and the SORT tracker over the opening of
 * test/fixtures/face-pan.mp4 (640×480, 25 fps, 120 frames). The clip opens on two black frames,
 * then one face (~100–140 px wide, a real photograph's) glides across the frame and grows for the
 * rest of it. What must hold: the face keeps one track id from confirmation on, and the tracker
 * hands out no other id over the clip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlazeFaceDetector,
  DEFAULT_TRACKER_PARAMS,
  Tracker,
  iou,
  openSource,
  type FaceDetection,
} from '../src/perception/index.js';
import { FACE_PAN, fixturePath } from '../src/perception/test-images.js';

const CLIP = fixturePath('face-pan.mp4');
const FRAMES = 60;

interface FrameResult {
  /** The largest face the detector found, if any. */
  main: FaceDetection | undefined;
  /** Track ids reported in this frame, with the id of the track over the main face. */
  ids: number[];
  mainTrackId: number | undefined;
}

describe('BlazeFace + tracker on face-pan.mp4', () => {
  let detector: BlazeFaceDetector;
  const results: FrameResult[] = [];
  let framesInClip = 0;

  beforeAll(async () => {
    detector = await BlazeFaceDetector.load({ variant: 'front' });
    const tracker = new Tracker();
    // Read to the end, counting the frames; the first FRAMES go through detector and tracker.
    for await (const frame of openSource({ kind: 'video', path: CLIP })) {
      const i = framesInClip++;
      if (i >= FRAMES) continue;
      const faces = await detector.detect(frame);
      const tracks = tracker.update(faces, BigInt(i) * FACE_PAN.frameNs);
      const main = faces.reduce<FaceDetection | undefined>(
        (best, f) => (best === undefined || f.box.width > best.box.width ? f : best),
        undefined,
      );
      const over = main ? tracks.find((t) => iou(t.box, main.box) >= 0.5) : undefined;
      results.push({ main, ids: tracks.map((t) => t.id), mainTrackId: over?.id });
    }
  }, 120_000); // a guard against a hang, not a speed limit (as the test timeout)
  afterAll(async () => {
    await detector?.release();
  });

  it('reads the whole clip and finds the face in nearly all of the first 60 frames', () => {
    expect(framesInClip).toBe(FACE_PAN.frames);
    expect(results).toHaveLength(FRAMES);
    const withFace = results.filter((r) => r.main !== undefined).length;
    expect(withFace).toBeGreaterThanOrEqual(FRAMES - 5);
    // The opening frames are black: a detector that "finds" a face there is broken.
    expect(results[0]!.main).toBeUndefined();
  });

  it('keeps one stable track id on the main face once the track is confirmed', () => {
    const first = results.findIndex((r) => r.main !== undefined);
    expect(first).toBeGreaterThanOrEqual(0);
    // A track is reported from its minHits-th matched frame on.
    const confirmedFrom = first + DEFAULT_TRACKER_PARAMS.minHits - 1;
    const ids = new Set<number>();
    let checked = 0;
    for (const r of results.slice(confirmedFrom)) {
      if (r.main === undefined) continue;
      expect(r.mainTrackId).toBeDefined();
      ids.add(r.mainTrackId!);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(FRAMES - 10);
    expect([...ids]).toHaveLength(1);
  });

  it('hands out one id over the clip: there is one face in it', () => {
    const all = new Set(results.flatMap((r) => r.ids));
    expect(all.size).toBe(1);
  });
});
