import { describe, expect, it } from 'vitest';
import { DEFAULT_INFLATION, GridMap, buildCostmap, type Costmap } from '../map/index.js';
import { segmentMaxCost } from './line-cost.js';
import { alignThroughPassages, narrowestCrossSection } from './passage-align.js';
import type { Polyline } from './smoothing.js';

const OPTIONS = { narrowerThan: 1.1, lead: 0.6 };

/**
 * A 6 m × 6 m room cut in two by a wall along y = 3.0..3.2 with one doorway from x = x0 to
 * x0 + width (cells whose centre lies in it), for the 0.6 m robot.
 */
function wallWithDoor(resolution: number, x0: number, width: number, depth = 0.2): Costmap {
  const n = Math.round(6 / resolution);
  const data = new Int8Array(n * n);
  for (let r = 0; r < n; r++) {
    const y = (r + 0.5) * resolution;
    for (let c = 0; c < n; c++) {
      const x = (c + 0.5) * resolution;
      const edge = r === 0 || c === 0 || r === n - 1 || c === n - 1;
      const inWall = y >= 3.0 && y <= 3.0 + depth && !(x >= x0 && x <= x0 + width);
      if (edge || inWall) data[r * n + c] = 100;
    }
  }
  return buildCostmap(new GridMap(n, n, resolution, 0, 0, data), [], {
    ...DEFAULT_INFLATION,
    inscribed_radius: 0.3,
  });
}

const line = (pts: Array<[number, number]>): Polyline => ({
  xs: Float64Array.from(pts, (p) => p[0]),
  ys: Float64Array.from(pts, (p) => p[1]),
});

/** Points of `path` with y in [y0, y1]. */
function between(path: Polyline, y0: number, y1: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < path.xs.length; i++) {
    if (path.ys[i]! >= y0 && path.ys[i]! <= y1) out.push([path.xs[i]!, path.ys[i]!]);
  }
  return out;
}

/** Densified (0.1 m) straight line between two points. */
function straight(ax: number, ay: number, bx: number, by: number): Array<[number, number]> {
  const n = Math.ceil(Math.hypot(bx - ax, by - ay) / 0.1);
  return Array.from({ length: n + 1 }, (_, k): [number, number] => [
    ax + ((bx - ax) * k) / n,
    ay + ((by - ay) * k) / n,
  ]);
}

function expectFree(cm: Costmap, path: Polyline) {
  for (let i = 1; i < path.xs.length; i++) {
    const cost = segmentMaxCost(cm, path.xs[i - 1]!, path.ys[i - 1]!, path.xs[i]!, path.ys[i]!);
    expect(cost, `segment ${i}`).toBeLessThan(253);
  }
}

describe('the narrowest cross-section', () => {
  it('measures a 0.80 m door and finds its middle on a 0.1 m map, where the middle is a cell edge', () => {
    const cm = wallWithDoor(0.1, 2.0, 0.8);
    const cs = narrowestCrossSection(cm, 2.35, 3.1, 1.1);
    expect(cs.width).toBeCloseTo(0.8, 2);
    expect(cs.cx).toBeCloseTo(2.4, 2);
    expect(Math.abs(cs.ux)).toBeCloseTo(1, 6);
  });

  it('says "wide" for open floor', () => {
    const cm = wallWithDoor(0.05, 2.0, 0.8);
    expect(narrowestCrossSection(cm, 3, 1.5, 1.1).width).toBe(1.1);
  });
});

describe('straight through narrow passages', () => {
  // The planner's route: from the lower left, slanting through the door off its middle.
  const slanted = line([
    ...straight(0.8, 1.0, 2.35, 2.8),
    ...straight(2.35, 2.9, 2.45, 3.3).slice(1),
    ...straight(2.5, 3.4, 4.5, 5.0),
  ]);

  it('drives a 0.80 m door on a 0.1 m map through its middle, lined up before it and straight after', () => {
    const cm = wallWithDoor(0.1, 2.0, 0.8);
    const aligned = alignThroughPassages(cm, slanted, OPTIONS);
    // Lined up on the door's axis from 0.6 m before the wall to 0.6 m past it.
    const corners = Array.from(aligned.xs, (x, i) => [x, aligned.ys[i]!]);
    expect(corners).toContainEqual([expect.closeTo(2.4, 2), expect.closeTo(2.4, 1)]);
    expect(corners).toContainEqual([expect.closeTo(2.4, 2), expect.closeTo(3.8, 1)]);
    for (const [x] of between(aligned, 2.45, 3.75)) expect(x).toBeCloseTo(2.4, 2);
    expect(aligned.xs[0]).toBe(0.8);
    expect(aligned.ys.at(-1)).toBe(5.0);
    expectFree(cm, aligned);
  });

  it('finds the middle wherever the door is against the cells (0.05 m map, door from 1.93 m)', () => {
    const cm = wallWithDoor(0.05, 1.93, 0.85);
    // Cells whose centre is in [1.93, 2.78]: 1.975..2.775, the free span 1.95..2.80.
    const aligned = alignThroughPassages(cm, slanted, OPTIONS);
    const inDoor = between(aligned, 2.95, 3.25);
    expect(inDoor.length).toBeGreaterThan(0);
    for (const [x] of inDoor) expect(x).toBeCloseTo(2.375, 2);
  });

  it('leaves a path through a door the robot passes with room to spare as it was', () => {
    const cm = wallWithDoor(0.05, 1.6, 1.6);
    const aligned = alignThroughPassages(cm, slanted, OPTIONS);
    expect(Array.from(aligned.xs)).toEqual(Array.from(slanted.xs));
    expect(Array.from(aligned.ys)).toEqual(Array.from(slanted.ys));
  });

  it('goes straight through a deep passage too', () => {
    const cm = wallWithDoor(0.05, 2.0, 0.85, 1.0);
    const route = line([
      ...straight(0.8, 1.0, 2.35, 2.8),
      ...straight(2.4, 2.9, 2.5, 4.1).slice(1),
      ...straight(2.55, 4.2, 4.5, 5.5).slice(1),
    ]);
    const aligned = alignThroughPassages(cm, route, OPTIONS);
    const inPassage = between(aligned, 2.45, 4.55);
    expect(inPassage.length).toBeGreaterThanOrEqual(2);
    for (const [x] of inPassage) expect(x).toBeCloseTo(2.425, 2);
    expectFree(cm, aligned);
  });

  it('from a start beside the axis just before the door, steps across to it first, never back', () => {
    const cm = wallWithDoor(0.1, 2.0, 0.8);
    const start = line([...straight(2.3, 2.7, 2.45, 3.3), ...straight(2.5, 3.4, 4.5, 5.0).slice(1)]);
    const aligned = alignThroughPassages(cm, start, OPTIONS);
    expect([aligned.xs[0], aligned.ys[0]]).toEqual([2.3, 2.7]);
    expect(aligned.xs[1]).toBeCloseTo(2.4, 2);
    expect(aligned.ys[1]).toBeCloseTo(2.7, 2);
    for (let i = 1; i < aligned.ys.length; i++)
      expect(aligned.ys[i]).toBeGreaterThanOrEqual(aligned.ys[i - 1]! - 1e-9);
  });

  it('leaves a bent narrow corridor as it was: no straight way runs through it', () => {
    // Walls everywhere but an L of 0.8 m: up x 1.0..1.8 from y 0.5 to 4.0, then right to x 5.0.
    const n = 60;
    const data = new Int8Array(n * n).fill(100);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const x = (c + 0.5) * 0.1;
        const y = (r + 0.5) * 0.1;
        const up = x > 1.0 && x < 1.8 && y > 0.5 && y < 4.0;
        const right = x > 1.0 && x < 5.0 && y > 3.2 && y < 4.0;
        if (up || right) data[r * n + c] = 0;
      }
    }
    const cm = buildCostmap(new GridMap(n, n, 0.1, 0, 0, data), [], {
      ...DEFAULT_INFLATION,
      inscribed_radius: 0.3,
    });
    const bend = line([...straight(1.4, 0.8, 1.4, 3.6), ...straight(1.4, 3.6, 4.6, 3.6).slice(1)]);
    const aligned = alignThroughPassages(cm, bend, OPTIONS);
    expect(Array.from(aligned.xs)).toEqual(Array.from(bend.xs));
    expect(Array.from(aligned.ys)).toEqual(Array.from(bend.ys));
  });
});
