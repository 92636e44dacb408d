import { describe, expect, it } from 'vitest';
import { REAR_CAMERA, placementToBox } from './camera-model.js';
import {
  DEFAULT_TRACKER_PARAMS,
  Tracker,
  recoveryCost,
  solveAssignment,
  type Detection,
  type Track,
} from './tracker.js';

const FRAME_NS = 100_000_000n; // 10 Hz

/** A tiny seeded generator (src must not depend on the simulator's Rng). */
function lcg(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    normal: (m: number, sd: number) => m + sd * (next() + next() + next() - 1.5) * 2,
  };
}

function face(cx: number, cy: number, w: number, score = 0.9): Detection {
  return { box: { x: cx - w / 2, y: cy - w / 2, width: w, height: w }, score };
}

/** Runs frames through a tracker; returns each frame's tracks. */
function run(tracker: Tracker, frames: Detection[][]): Track[][] {
  return frames.map((dets, i) => tracker.update(dets, BigInt(i + 1) * FRAME_NS));
}

/** The id of the track whose box centre is nearest (cx, cy). */
function idNear(tracks: Track[], cx: number, cy: number): number | undefined {
  let best: Track | undefined;
  let bestD = Infinity;
  for (const t of tracks) {
    const d = Math.hypot(t.box.x + t.box.width / 2 - cx, t.box.y + t.box.height / 2 - cy);
    if (d < bestD) [best, bestD] = [t, d];
  }
  return bestD < 20 ? best?.id : undefined;
}

function bruteForce(cost: number[][]): number {
  const n = cost.length;
  const m = cost[0]!.length;
  let best = Infinity;
  const usedCols = new Array<boolean>(m).fill(false);
  const rec = (i: number, acc: number, assigned: number) => {
    if (i === n) {
      if (assigned === Math.min(n, m)) best = Math.min(best, acc);
      return;
    }
    if (n - i > Math.min(n, m) - assigned) rec(i + 1, acc, assigned); // leave row i out
    for (let j = 0; j < m; j++) {
      if (usedCols[j]) continue;
      usedCols[j] = true;
      rec(i + 1, acc + cost[i]![j]!, assigned + 1);
      usedCols[j] = false;
    }
  };
  rec(0, 0, 0);
  return best;
}

describe('solveAssignment', () => {
  it('solves a textbook 3×3', () => {
    const a = solveAssignment([
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ]);
    expect(Array.from(a)).toEqual([1, 0, 2]); // 1 + 2 + 2 = 5
  });

  it('handles empty and rectangular matrices both ways', () => {
    expect(Array.from(solveAssignment([]))).toEqual([]);
    expect(Array.from(solveAssignment([[], []]))).toEqual([-1, -1]);
    expect(Array.from(solveAssignment([[5, 1, 9]]))).toEqual([1]);
    expect(Array.from(solveAssignment([[5], [1], [9]]))).toEqual([-1, 0, -1]);
  });

  it('matches brute force on random matrices up to 5×6 and 6×5', () => {
    const rng = lcg(42);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(6);
      const m = 1 + rng.int(6);
      const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.int(10) / 4));
      const a = solveAssignment(cost);
      const cols = Array.from(a).filter((c) => c >= 0);
      expect(new Set(cols).size).toBe(cols.length);
      expect(cols.length).toBe(Math.min(n, m));
      const total = Array.from(a).reduce((s, c, r) => (c >= 0 ? s + cost[r]![c]! : s), 0);
      expect(total).toBeCloseTo(bruteForce(cost), 9);
    }
  });
});

describe('Tracker', () => {
  it('reports a face only after minHits frames in a row, with id 1', () => {
    const t = new Tracker({ minHits: 3 });
    const out = run(t, [
      [face(300, 200, 40)],
      [face(302, 200, 40)],
      [face(304, 200, 40)],
      [face(306, 200, 40)],
    ]);
    expect(out.map((f) => f.length)).toEqual([0, 0, 1, 1]);
    expect(out[3]![0]!.id).toBe(1);
    expect(out[3]![0]!.hits).toBe(4);
    expect(out[3]![0]!.ageFrames).toBe(3);
    expect(out[3]![0]!.timeSinceUpdateS).toBe(0);
  });

  it('never reports a one-frame flicker (false positives die before confirmation)', () => {
    const t = new Tracker();
    const frames = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? [face(100, 100, 30)] : []));
    expect(run(t, frames).every((f) => f.length === 0)).toBe(true);
  });

  it('keeps the ids of two people crossing slowly', () => {
    const t = new Tracker();
    // A walks right, B walks left, crossing at frame 20; B a little lower and nearer (bigger).
    const frames = Array.from({ length: 40 }, (_, i) => [
      face(200 + 6 * i, 200, 40),
      face(440 - 6 * i, 212, 48),
    ]);
    const out = run(t, frames);
    const aId = idNear(out[5]!, 230, 200)!;
    const bId = idNear(out[5]!, 410, 212)!;
    expect(aId).toBeDefined();
    expect(bId).toBeDefined();
    expect(aId).not.toBe(bId);
    for (let i = 5; i < 40; i++) {
      expect(idNear(out[i]!, 200 + 6 * i, 200), `frame ${i}`).toBe(aId);
      expect(idNear(out[i]!, 440 - 6 * i, 212), `frame ${i}`).toBe(bId);
      expect(out[i]!.length).toBe(2);
    }
  });

  it('keeps the id over a missed frame and reports the coasting box meanwhile', () => {
    const t = new Tracker();
    const frames = Array.from({ length: 12 }, (_, i) =>
      i === 6 || i === 7 ? [] : [face(200 + 5 * i, 220, 50)],
    );
    const out = run(t, frames);
    expect(out[5]![0]!.id).toBe(1);
    expect(out[6]!).toHaveLength(1);
    expect(out[6]![0]!.timeSinceUpdateS).toBeCloseTo(0.1, 9);
    expect(out[7]![0]!.timeSinceUpdateS).toBeCloseTo(0.2, 9);
    // The prediction kept moving with the face.
    expect(out[7]![0]!.box.x + 25).toBeGreaterThan(out[5]![0]!.box.x + 25 + 5);
    for (let i = 8; i < 12; i++) expect(out[i]!.map((tr) => tr.id)).toEqual([1]);
    expect(out[11]![0]!.timeSinceUpdateS).toBe(0);
  });

  it('forgets a track after maxAge frames without a match, and never reuses its id', () => {
    const t = new Tracker({ maxAge: 5 });
    const frames: Detection[][] = [];
    for (let i = 0; i < 5; i++) frames.push([face(300, 200, 40)]);
    for (let i = 0; i < 5; i++) frames.push([]);
    for (let i = 0; i < 5; i++) frames.push([face(300, 200, 40)]);
    const out = run(t, frames);
    expect(out[8]!.map((tr) => tr.id)).toEqual([1]); // 4 frames unmatched: still coasting
    expect(out[9]!).toEqual([]); // 5: forgotten
    expect(out[14]!.map((tr) => tr.id)).toEqual([2]);
  });

  it('gives a new person a new id and keeps the old one', () => {
    const t = new Tracker();
    const frames = Array.from({ length: 15 }, (_, i) =>
      i < 6 ? [face(200, 200, 40)] : [face(200, 200, 40), face(450, 220, 35)],
    );
    const out = run(t, frames);
    expect(out[5]!.map((tr) => tr.id)).toEqual([1]);
    expect(idNear(out[14]!, 200, 200)).toBe(1);
    expect(idNear(out[14]!, 450, 220)).toBe(2);
  });

  it('gives bearing and range with a camera model', () => {
    const t = new Tracker({}, REAR_CAMERA);
    const box = placementToBox(REAR_CAMERA, { bearing: Math.PI - 0.2, range: 1.8 })!;
    const out = run(
      t,
      Array.from({ length: 4 }, () => [{ box, score: 0.9 }]),
    );
    expect(out[3]![0]!.bearing).toBeCloseTo(Math.PI - 0.2, 6);
    expect(out[3]![0]!.range).toBeCloseTo(1.8, 6);
    expect(new Tracker().update([{ box, score: 0.9 }], 1n)).toEqual([]);
  });

  it('skips malformed and low-score detections without throwing', () => {
    const t = new Tracker({ minHits: 1 });
    const out = t.update(
      [
        { box: { x: NaN, y: 0, width: 10, height: 10 }, score: 0.9 },
        { box: { x: 0, y: 0, width: 0, height: 10 }, score: 0.9 },
        face(100, 100, 30, 0.2),
        face(300, 100, 30),
      ],
      1n,
    );
    expect(out).toHaveLength(1);
    expect(t.droppedDetections).toBe(2);
  });

  it('is deterministic: same detections, same tracks', () => {
    const rng = lcg(7);
    const frames = Array.from({ length: 50 }, (_, i) =>
      Array.from({ length: 1 + rng.int(4) }, (_, k) =>
        face(100 + 100 * k + rng.normal(0, 2) + i, 200, 40 + 5 * k),
      ),
    );
    const a = run(new Tracker(), frames);
    const b = run(new Tracker(), frames);
    expect(a).toEqual(b);
    expect(a[49]!.length).toBeGreaterThan(0);
  });

  // The cases below fail on plain SORT (IoU only): at 10 Hz a walker moves about one face width a
  // frame, so the boxes of consecutive frames barely overlap and everything rests on the prediction.

  it('keeps the id of a walker who stops while the face is turned away', () => {
    // Walks right at 8 px (0.45 widths) a frame, is not seen for 3 frames while stopping, is seen
    // again where they stopped: the coasted prediction has run on by 1.7 widths and does not overlap.
    const frames: Detection[][] = [];
    for (let i = 0; i < 10; i++) frames.push([face(300 + 8 * i, 245, 18)]);
    for (let i = 0; i < 3; i++) frames.push([]);
    for (let i = 0; i < 8; i++) frames.push([face(376 + i, 245, 18)]);
    const out = run(new Tracker(), frames);
    expect(out[9]!.map((tr) => tr.id)).toEqual([1]);
    for (let i = 13; i < 21; i++) {
      expect(
        out[i]!.map((tr) => tr.id),
        `frame ${i}`,
      ).toEqual([1]);
      expect(out[i]![0]!.timeSinceUpdateS, `frame ${i}`).toBe(0);
    }
  });

  it('keeps the id of a close walker who turns back unseen', () => {
    // Close (45 px), walking right at 20 px a frame, unseen for 2 frames while turning round.
    const frames: Detection[][] = [];
    for (let i = 0; i < 8; i++) frames.push([face(200 + 20 * i, 200, 45)]);
    frames.push([], []);
    for (let i = 0; i < 8; i++) frames.push([face(330 - 20 * i, 205, 46)]);
    const out = run(new Tracker(), frames);
    for (let i = 10; i < 18; i++)
      expect(
        out[i]!.map((tr) => tr.id),
        `frame ${i}`,
      ).toEqual([1]);
  });

  it('confirms a fast walker from the first frames and keeps one id while they approach', () => {
    // Enters at 0.9 face widths a frame and comes closer (the box grows 8 % a frame): plain SORT
    // cannot pair the first frames (zero initial velocity, IoU < 0.2) and confirms late, if at all.
    const frames: Detection[][] = [];
    let w = 20;
    let cx = 60;
    for (let i = 0; i < 14; i++) {
      frames.push([face(cx, 240, w)]);
      cx += 0.9 * w;
      w *= 1.08;
    }
    const out = run(new Tracker(), frames);
    expect(out[2]!.map((tr) => tr.id)).toEqual([1]);
    for (let i = 2; i < 14; i++)
      expect(
        out[i]!.map((tr) => tr.id),
        `frame ${i}`,
      ).toEqual([1]);
  });

  it('keeps the ids of two fast walkers crossing, one of them missed as they pass', () => {
    const t = new Tracker();
    // A walks right and B left at 0.8 widths a frame, B nearer (bigger); B's face is missed for two
    // frames around the crossing, when A's box is the one nearest B's coasted box.
    const aAt = (i: number) => 120 + 24 * i;
    const bAt = (i: number) => 520 - 28 * i;
    const frames = Array.from({ length: 16 }, (_, i) =>
      i === 7 || i === 8 ? [face(aAt(i), 230, 30)] : [face(aAt(i), 230, 30), face(bAt(i), 236, 36)],
    );
    const out = run(t, frames);
    const aId = idNear(out[3]!, aAt(3), 230)!;
    const bId = idNear(out[3]!, bAt(3), 236)!;
    expect(aId).toBeDefined();
    expect(bId).toBeDefined();
    expect(aId).not.toBe(bId);
    for (let i = 3; i < 16; i++) {
      expect(idNear(out[i]!, aAt(i), 230), `frame ${i}`).toBe(aId);
      if (i !== 7 && i !== 8) expect(idNear(out[i]!, bAt(i), 236), `frame ${i}`).toBe(bId);
    }
  });

  it('gives a new id to a face out of reach of a lost track, or of another size', () => {
    const frames: Detection[][] = [];
    for (let i = 0; i < 6; i++) frames.push([face(300, 240, 30)]);
    frames.push([]);
    // 0.2 s after the last sighting the reach is 0.5 + 10 · 0.2 = 2.5 widths: 4 widths is too far.
    frames.push([face(420, 240, 30)]);
    const far = run(new Tracker(), frames);
    expect(far[7]!.map((tr) => tr.timeSinceUpdateS)).toEqual([0.2]); // track 1 coasts; 2 is tentative

    // Within reach (1.4 widths away, not overlapping) but 1.4 times as big: somebody nearer.
    frames[7] = [face(350, 240, 42)];
    const bigger = run(new Tracker(), frames);
    expect(bigger[7]!.map((tr) => tr.timeSinceUpdateS)).toEqual([0.2]);
    // The same face size there is the lost person, back in view.
    frames[7] = [face(350, 240, 30)];
    expect(run(new Tracker(), frames)[7]!.map((tr) => [tr.id, tr.timeSinceUpdateS])).toEqual([[1, 0]]);
  });
});

describe('recoveryCost', () => {
  const box = (cx: number, cy: number, w: number) => ({ x: cx - w / 2, y: cy - w / 2, width: w, height: w });
  const p = DEFAULT_TRACKER_PARAMS;

  it('is the centre distance in mean box widths to the nearer of prediction and last sighting', () => {
    // Last seen at 100, predicted at 160, detection at 130 with the same 20 px width: 1.5 widths each.
    expect(recoveryCost(box(160, 50, 20), box(100, 50, 20), box(130, 50, 20), 3, p)).toBeCloseTo(1.5, 9);
    // Detection back at the last sighting: 0.
    expect(recoveryCost(box(160, 50, 20), box(100, 50, 20), box(100, 50, 20), 3, p)).toBe(0);
    // Normalised by the mean width: 30 px between a 20 and a 22 px box is 30 / 21 widths.
    expect(recoveryCost(box(300, 50, 20), box(100, 50, 20), box(100, 80, 22), 3, p)).toBeCloseTo(30 / 21, 9);
  });

  it('rules out a detection beyond reach of the last sighting, however near the prediction', () => {
    const cost = recoveryCost(box(160, 50, 20), box(100, 50, 20), box(160, 50, 20), 2.9, p);
    expect(cost).toBeGreaterThanOrEqual(1e6);
    expect(recoveryCost(box(160, 50, 20), box(100, 50, 20), box(160, 50, 20), 3, p)).toBe(0);
  });

  it('rules out a size change beyond the ratio from both prediction and last sighting', () => {
    const lastSeen = box(100, 50, 20);
    expect(recoveryCost(box(100, 50, 20), lastSeen, box(100, 50, 22.9), 3, p)).toBeCloseTo(0, 9);
    expect(recoveryCost(box(100, 50, 20), lastSeen, box(100, 50, 23.1), 3, p)).toBeGreaterThanOrEqual(1e6);
    // The prediction has grown with an approaching face: the bigger box is within the ratio of it.
    expect(recoveryCost(box(100, 50, 24), lastSeen, box(100, 50, 26), 3, p)).toBeCloseTo(0, 9);
  });
});
