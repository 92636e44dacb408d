import { describe, expect, it } from 'vitest';
import { REAR_CAMERA, placementToBox } from './camera-model.js';
import { Tracker, solveAssignment, type Detection, type Track } from './tracker.js';

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
});
