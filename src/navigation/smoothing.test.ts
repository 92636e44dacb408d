import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Costmap, GridMap, buildCostmap, DEFAULT_INFLATION } from '../map/index.js';
import { segmentMaxCost } from './line-cost.js';
import { densify, headings, polylineLength, shortcutPath, smoothPath, type Polyline } from './smoothing.js';

const line = (pts: Array<[number, number]>): Polyline => ({
  xs: Float64Array.from(pts, (p) => p[0]),
  ys: Float64Array.from(pts, (p) => p[1]),
});
const points = (p: Polyline) => Array.from(p.xs, (x, i) => [x, p.ys[i]!]);
const free = (w = 100, h = 100) => new Costmap(w, h, 0.05, 0, 0, new Uint8Array(w * h));
const SMOOTH = {
  wData: 0.2,
  wSmooth: 0.3,
  maxIterations: 200,
  tolerance: 1e-9,
  costMargin: 10,
  fixedPrefix: 0,
};

describe('path smoothing', () => {
  it('shortcuts a staircase in free space to its two ends', () => {
    const stairs = line([
      [0.5, 0.5],
      [0.6, 0.5],
      [0.6, 0.6],
      [0.7, 0.6],
      [0.7, 0.7],
      [1.5, 0.7],
      [2.5, 1.5],
    ]);
    expect(points(shortcutPath(free(), stairs, { costMargin: 0, fixedPrefix: 0 }))).toEqual([
      [0.5, 0.5],
      [2.5, 1.5],
    ]);
  });

  it('keeps the corner of an L round a wall, and a fixed prefix as it is', () => {
    const cm = free();
    // A wall block at x 1..2, y 0..1 (cells 20..39 × 0..19).
    for (let r = 0; r < 20; r++) for (let c = 20; c < 40; c++) cm.costs[r * 100 + c] = 254;
    const around = line([
      [0.5, 0.5],
      [0.5, 1.5],
      [1.0, 1.5],
      [2.5, 1.5],
      [2.5, 0.5],
    ]);
    const cut = points(shortcutPath(cm, around, { costMargin: 0, fixedPrefix: 1 }));
    expect(cut[0]).toEqual([0.5, 0.5]);
    expect(cut[1]).toEqual([0.5, 1.5]);
    expect(cut[cut.length - 1]).toEqual([2.5, 0.5]);
    for (let i = 1; i < cut.length; i++)
      expect(segmentMaxCost(cm, cut[i - 1]![0]!, cut[i - 1]![1]!, cut[i]![0]!, cut[i]![1]!)).toBeLessThan(
        253,
      );
  });

  it('does not shortcut across a costlier stretch than the route it replaces (beyond the margin)', () => {
    const cm = free();
    // A band of cost 100 at y 0.9..1.1 between the two legs of a U that avoids it.
    for (let r = 18; r < 22; r++) for (let c = 0; c < 60; c++) cm.costs[r * 100 + c] = 100;
    const u = line([
      [0.5, 0.5],
      [2.5, 0.5],
      [3.5, 1.0],
      [2.5, 1.5],
      [0.5, 1.5],
    ]);
    const cut = shortcutPath(cm, u, { costMargin: 50, fixedPrefix: 0 });
    for (let i = 1; i < cut.xs.length; i++)
      expect(segmentMaxCost(cm, cut.xs[i - 1]!, cut.ys[i - 1]!, cut.xs[i]!, cut.ys[i]!)).toBeLessThan(100);
    expect(polylineLength(cut)).toBeGreaterThan(4);
  });

  it('densifies to the spacing and keeps every input point', () => {
    const d = densify(
      line([
        [0, 0],
        [1, 0],
        [1, 0.25],
      ]),
      0.1,
    );
    expect(d.xs.length).toBe(14);
    expect(points(d)).toContainEqual([1, 0]);
    for (let i = 1; i < d.xs.length; i++)
      expect(Math.hypot(d.xs[i]! - d.xs[i - 1]!, d.ys[i]! - d.ys[i - 1]!)).toBeLessThanOrEqual(0.1 + 1e-12);
  });

  it('rounds a corner in free space and leaves the ends where they were', () => {
    const d = densify(
      line([
        [0.5, 0.5],
        [2.5, 0.5],
        [2.5, 2.5],
      ]),
      0.1,
    );
    const s = smoothPath(free(), d, SMOOTH);
    expect([s.xs[0], s.ys[0]]).toEqual([0.5, 0.5]);
    expect([s.xs[s.xs.length - 1], s.ys[s.ys.length - 1]]).toEqual([2.5, 2.5]);
    const corner = d.xs.findIndex((x, i) => x === 2.5 && d.ys[i] === 0.5);
    expect(Math.hypot(s.xs[corner]! - 2.5, s.ys[corner]! - 0.5)).toBeGreaterThan(0.05);
    expect(polylineLength(s)).toBeLessThan(polylineLength(d));
  });

  it('keeps every pose traversable on random floors (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            x: fc.integer({ min: 0, max: 59 }),
            y: fc.integer({ min: 0, max: 59 }),
            s: fc.integer({ min: 1, max: 12 }),
          }),
          { maxLength: 10 },
        ),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })), {
          minLength: 3,
          maxLength: 8,
        }),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        (boxes, corners, wSmooth) => {
          const data = new Int8Array(60 * 60);
          for (const b of boxes)
            for (let r = b.y; r < Math.min(60, b.y + b.s); r++)
              for (let c = b.x; c < Math.min(60, b.x + b.s); c++) data[r * 60 + c] = 100;
          const cm = buildCostmap(new GridMap(60, 60, 0.05, 0, 0, data), [], {
            ...DEFAULT_INFLATION,
            inscribed_radius: 0.15,
            inflation_radius: 0.4,
          });
          // A zig-zag through cell centres that happen to be traversable, joined only by traversable segments.
          const pts: Array<[number, number]> = [];
          for (const [c, r] of corners) {
            const x = (c + 0.5) * 0.05;
            const y = (r + 0.5) * 0.05;
            if (cm.costAtWorld(x, y) >= 253) continue;
            const prev = pts[pts.length - 1];
            if (prev && segmentMaxCost(cm, prev[0], prev[1], x, y) >= 253) continue;
            pts.push([x, y]);
          }
          fc.pre(pts.length >= 3);
          const s = smoothPath(cm, densify(line(pts), 0.05), { ...SMOOTH, wSmooth });
          for (let i = 0; i < s.xs.length; i++) expect(cm.costAtWorld(s.xs[i]!, s.ys[i]!)).toBeLessThan(253);
          for (let i = 1; i < s.xs.length; i++)
            expect(segmentMaxCost(cm, s.xs[i - 1]!, s.ys[i - 1]!, s.xs[i]!, s.ys[i]!)).toBeLessThan(253);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('gives each pose the heading to the next and the goal heading last', () => {
    const y = headings(
      line([
        [0, 0],
        [0, 0],
        [1, 0],
        [1, 1],
      ]),
      2,
    );
    expect(Array.from(y)).toEqual([0, 0, Math.PI / 2, 2]);
  });
});

describe('segmentMaxCost', () => {
  it('counts both cells beside an exact corner crossing and stops early', () => {
    const cm = free(4, 4);
    cm.costs[1 * 4 + 0] = 200; // cell (0, 1): beside the corner (1, 1) the diagonal passes through
    expect(segmentMaxCost(cm, 0.025, 0.025, 0.175, 0.175)).toBe(200);
    expect(segmentMaxCost(cm, 0.025, 0.025, 0.175, 0.025)).toBe(0);
    expect(segmentMaxCost(cm, -0.1, 0.025, 0.1, 0.025)).toBe(254); // outside counts as lethal
  });
});
