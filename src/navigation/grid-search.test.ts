import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GridSearch, padCostGrid, type GridSearchOptions } from './grid-search.js';
import { analyseGrid } from './landmarks.js';

/**
 * Brute-force Dijkstra on the graph grid-search.ts documents, written independently: O(V²),
 * no heap, no heuristic. Returns the cheapest cost from start to goal, or Infinity.
 */
function bruteForceCost(
  costs: Uint8Array,
  w: number,
  h: number,
  start: number,
  goal: number,
  o: GridSearchOptions,
): number {
  const blocked = (i: number) => i !== goal && costs[i]! >= 253 && !(o.allowUnknown && costs[i] === 255);
  const mult = (i: number) => 1 + (o.costWeight * Math.min(costs[i]!, 252)) / 252;
  const dist = new Array<number>(w * h).fill(Infinity);
  const done = new Array<boolean>(w * h).fill(false);
  dist[start] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < w * h; i++)
      if (!done[i] && dist[i]! < Infinity && (u < 0 || dist[i]! < dist[u]!)) u = i;
    if (u < 0) return Infinity;
    if (u === goal) return dist[u]!;
    done[u] = true;
    const ux = u % w;
    const uy = Math.floor(u / w);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0) continue;
        const x = ux + dx;
        const y = uy + dy;
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        const v = y * w + x;
        if (blocked(v)) continue;
        // Diagonals need both cells they squeeze between to be passable.
        if (dx !== 0 && dy !== 0 && (blocked(uy * w + x) || blocked(y * w + ux))) continue;
        const step = (dx !== 0 && dy !== 0 ? Math.SQRT2 : 1) * o.cellSize;
        const c = dist[u]! + (step * (mult(u) + mult(v))) / 2;
        if (c < dist[v]!) dist[v] = c;
      }
    }
  }
}

/** Random small cost grids: mostly free, some ramp, some walls and unknown. */
const gridArb = fc
  .record({
    w: fc.integer({ min: 1, max: 12 }),
    h: fc.integer({ min: 1, max: 12 }),
    seedCosts: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 144, maxLength: 144 }),
    rampCosts: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 144, maxLength: 144 }),
    start: fc.nat(),
    goal: fc.nat(),
    costWeight: fc.double({ min: 0, max: 6, noNaN: true }),
    allowUnknown: fc.boolean(),
  })
  .map(({ w, h, seedCosts, rampCosts, start, goal, costWeight, allowUnknown }) => {
    const inner = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) {
      const roll = seedCosts[i]!;
      inner[i] =
        roll < 50
          ? 0
          : roll < 78
            ? Math.min(252, rampCosts[i]!)
            : rampCosts[i]! < 128
              ? 254
              : 253 + (rampCosts[i]! % 3);
    }
    const pw = w + 2;
    const padded = padCostGrid(inner, w, h);
    const at = (k: number) => (Math.floor((k % (w * h)) / w) + 1) * pw + ((k % (w * h)) % w) + 1;
    return {
      padded,
      pw,
      ph: h + 2,
      start: at(start),
      goal: at(goal),
      options: { cellSize: 0.1, costWeight, allowUnknown },
    };
  });

/** Cost of a cell path under the documented rule, and whether each move is legal. */
function walk(
  costs: Uint8Array,
  pw: number,
  path: Int32Array,
  n: number,
  goal: number,
  o: GridSearchOptions,
): number {
  const blocked = (i: number) => i !== goal && costs[i]! >= 253 && !(o.allowUnknown && costs[i] === 255);
  const mult = (i: number) => 1 + (o.costWeight * Math.min(costs[i]!, 252)) / 252;
  let total = 0;
  for (let k = 1; k < n; k++) {
    const a = path[k - 1]!;
    const b = path[k]!;
    const dx = (b % pw) - (a % pw);
    const dy = Math.floor(b / pw) - Math.floor(a / pw);
    expect(Math.max(Math.abs(dx), Math.abs(dy))).toBe(1);
    expect(blocked(b)).toBe(false);
    if (dx !== 0 && dy !== 0) {
      expect(blocked(a + dx)).toBe(false);
      expect(blocked(a + dy * pw)).toBe(false);
    }
    total += ((dx !== 0 && dy !== 0 ? Math.SQRT2 : 1) * o.cellSize * (mult(a) + mult(b))) / 2;
  }
  return total;
}

describe('GridSearch (cost-aware 8-connected A*)', () => {
  it('finds the optimal cost on random small grids, equal to a brute-force Dijkstra within 1e-9', () => {
    const search = new GridSearch(14, 14);
    fc.assert(
      fc.property(gridArb, ({ padded, pw, ph, start, goal, options }) => {
        const s = pw === 14 && ph === 14 ? search : new GridSearch(pw, ph);
        const outcome = s.search(padded, start, goal, options);
        const expected = bruteForceCost(padded, pw, ph, start, goal, options);
        if (expected === Infinity) {
          expect(outcome).toBe('no_path');
          return;
        }
        expect(outcome).toBe('found');
        expect(Math.abs(s.pathCost - expected)).toBeLessThan(1e-9);
        expect(s.path[0]).toBe(start);
        expect(s.path[s.pathLength - 1]).toBe(goal);
        expect(Math.abs(walk(padded, pw, s.path, s.pathLength, goal, options) - s.pathCost)).toBeLessThan(
          1e-9,
        );
      }),
      { numRuns: 400, seed: 3 },
    );
  });

  it('stays optimal with ALT landmarks computed on a map whose costs have since risen', () => {
    fc.assert(
      fc.property(
        gridArb,
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 200, maxLength: 200 }),
        fc.integer({ min: 1, max: 6 }),
        ({ padded, pw, ph, start, goal, options }, raise, landmarks) => {
          const s = new GridSearch(pw, ph);
          const analysis = analyseGrid(padded, pw, ph, options, landmarks, s);
          s.setLandmarks(analysis.landmarks);
          // The obstacle layer only raises costs, with marks of at most 254 (never 255: with
          // allow_unknown that would open a wall): raise some cells, border untouched.
          const raised = padded.slice();
          for (let r = 1; r < ph - 1; r++) {
            for (let c = 1; c < pw - 1; c++) {
              const i = r * pw + c;
              const bump = raise[i % raise.length]!;
              if (bump > 200) raised[i] = Math.max(raised[i]!, Math.min(254, bump));
            }
          }
          const outcome = s.search(raised, start, goal, options);
          const expected = bruteForceCost(raised, pw, ph, start, goal, options);
          if (expected === Infinity) expect(outcome).toBe('no_path');
          else {
            expect(outcome).toBe('found');
            expect(Math.abs(s.pathCost - expected)).toBeLessThan(1e-9);
          }
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('prefers a longer free detour over a short run along a wall when the ramp costs more', () => {
    // 5 wide, 3 high (inner). The straight middle row is on the ramp (cost 252); the top row is free.
    const w = 5;
    const inner = new Uint8Array([
      0,
      0,
      0,
      0,
      0, // row 0 (bottom): free
      0,
      252,
      252,
      252,
      0, // row 1: ramp
      254,
      254,
      254,
      254,
      254, // row 2: wall
    ]);
    const padded = padCostGrid(inner, w, 3);
    const pw = w + 2;
    const s = new GridSearch(pw, 5);
    const start = 2 * pw + 1; // inner (0, 1)
    const goal = 2 * pw + 5; // inner (4, 1)
    expect(s.search(padded, start, goal, { cellSize: 1, costWeight: 3, allowUnknown: false })).toBe('found');
    // Along the ramp: multipliers 1, 4, 4, 4, 1 → 2.5 + 4 + 4 + 2.5 = 13. Below it, all free: √2 + 1 + 1 + √2.
    const straight = 0.5 * (1 + 4) + 4 + 4 + 0.5 * (4 + 1);
    const detour = Math.SQRT2 * 1 + 1 + 1 + Math.SQRT2 * 1;
    expect(s.pathCost).toBeCloseTo(Math.min(straight, detour), 12);
    expect(s.pathCost).toBeCloseTo(detour, 12);
    expect(Array.from(s.path.subarray(0, s.pathLength))).toEqual([start, pw + 2, pw + 3, pw + 4, goal]);
  });

  it('does not cut an obstacle corner diagonally', () => {
    const inner = new Uint8Array([
      0,
      254, // bottom row
      0,
      0,
    ]);
    const padded = padCostGrid(inner, 2, 2);
    const s = new GridSearch(4, 4);
    const start = 1 * 4 + 1; // (0,0)
    const goal = 2 * 4 + 2; // (1,1): diagonal past the wall at (1,0) is not allowed
    expect(s.search(padded, start, goal, { cellSize: 1, costWeight: 0, allowUnknown: false })).toBe('found');
    expect(s.pathLength).toBe(3);
    expect(s.pathCost).toBeCloseTo(2, 12);
  });

  it('reports no_path through a wall and cancelled when asked to stop', () => {
    const w = 200;
    const inner = new Uint8Array(w * w);
    for (let r = 0; r < w; r++) inner[r * w + 100] = 254;
    const padded = padCostGrid(inner, w, w);
    const s = new GridSearch(w + 2, w + 2);
    const o = { cellSize: 0.1, costWeight: 1, allowUnknown: false };
    expect(s.search(padded, (w + 2) * 5 + 5, (w + 2) * 5 + 150, o)).toBe('no_path');
    expect(s.pathLength).toBe(0);
    let calls = 0;
    expect(s.search(padded, (w + 2) * 5 + 5, (w + 2) * 5 + 150, o, () => ++calls > 1)).toBe('cancelled');
    expect(calls).toBe(2);
  });
});
