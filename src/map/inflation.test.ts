import { describe, expect, it } from 'vitest';
import { COST_FREE, COST_INSCRIBED, COST_LETHAL } from './costmap.js';
import { CELL_FREE, CELL_OCCUPIED, CELL_UNKNOWN, GridMap } from './grid-map.js';
import { DEFAULT_INFLATION, buildCostmap, distanceTransform, inflationCost } from './inflation.js';
import type { Zone } from './types.js';

/** Deterministic PRNG (mulberry32) so the random grids are the same every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gridOf(
  width: number,
  height: number,
  cell: (col: number, row: number) => number,
  res = 0.05,
): GridMap {
  const data = new Int8Array(width * height);
  for (let row = 0; row < height; row++)
    for (let col = 0; col < width; col++) data[row * width + col] = cell(col, row);
  return new GridMap(width, height, res, 0, 0, data);
}

/** The definition: distance between cell centres to the nearest occupied-or-unknown cell. */
function bruteForce(grid: GridMap): Float64Array {
  const out = new Float64Array(grid.width * grid.height).fill(Infinity);
  const obstacles: Array<[number, number]> = [];
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const v = grid.valueAt(col, row);
      if (v < 0 || v >= 100) obstacles.push([col, row]);
    }
  }
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      let best = Infinity;
      for (const [c, r] of obstacles) best = Math.min(best, (c - col) ** 2 + (r - row) ** 2);
      out[row * grid.width + col] = Math.sqrt(best) * grid.resolution;
    }
  }
  return out;
}

describe('distanceTransform', () => {
  it('matches brute force on random grids of many shapes and densities', () => {
    const random = rng(20240611);
    for (let trial = 0; trial < 60; trial++) {
      const width = 1 + Math.floor(random() * 40);
      const height = 1 + Math.floor(random() * 40);
      const density = [0.002, 0.02, 0.1, 0.4, 0.9][trial % 5]!;
      const grid = gridOf(width, height, () => {
        const x = random();
        if (x < density / 2) return CELL_OCCUPIED;
        if (x < density) return CELL_UNKNOWN;
        return x < density + 0.05 ? 50 : CELL_FREE; // 50: below the lethal threshold, so free
      });
      const fast = distanceTransform(grid);
      const slow = bruteForce(grid);
      for (let i = 0; i < slow.length; i++) {
        // Float32 output: compare to float32 precision.
        if (slow[i] === Infinity) expect(fast[i]).toBe(Infinity);
        else expect(fast[i]).toBeCloseTo(slow[i]!, 5);
      }
    }
  });

  it('is Infinity everywhere on a grid without obstacles, and 0 everywhere on a solid one', () => {
    expect([...distanceTransform(gridOf(5, 3, () => CELL_FREE))].every((d) => d === Infinity)).toBe(true);
    expect([...distanceTransform(gridOf(5, 3, () => CELL_OCCUPIED))].every((d) => d === 0)).toBe(true);
  });

  it('gives exact Euclidean metres from a single obstacle', () => {
    const grid = gridOf(21, 21, (c, r) => (c === 10 && r === 10 ? CELL_OCCUPIED : CELL_FREE), 0.1);
    const d = distanceTransform(grid);
    expect(d[10 * 21 + 10]).toBe(0);
    expect(d[10 * 21 + 13]).toBeCloseTo(0.3, 6);
    expect(d[14 * 21 + 13]).toBeCloseTo(0.5, 6); // 3-4-5
    expect(d[0]).toBeCloseTo(Math.hypot(10, 10) * 0.1, 5);
  });

  it('honours a lethal threshold below 100', () => {
    const grid = gridOf(3, 1, (c) => (c === 0 ? 70 : CELL_FREE));
    expect(distanceTransform(grid)[2]).toBe(Infinity);
    expect(distanceTransform(grid, 65)[2]).toBeCloseTo(0.1, 6);
  });
});

describe('inflationCost (Nav2 inflation layer)', () => {
  const p = DEFAULT_INFLATION;
  it('is lethal on the obstacle, inscribed out to the robot radius, then decays exponentially to 0', () => {
    expect(inflationCost(0, p)).toBe(COST_LETHAL);
    expect(inflationCost(0.05, p)).toBe(COST_INSCRIBED);
    expect(inflationCost(0.3, p)).toBe(COST_INSCRIBED);
    expect(inflationCost(0.35, p)).toBe(Math.floor(252 * Math.exp(-3 * 0.05))); // 216
    expect(inflationCost(0.35, p)).toBe(216);
    expect(inflationCost(0.6, p)).toBe(102); // 252·e^(−0.9) = 102.4
    expect(inflationCost(0.9, p)).toBe(41); // 252·e^(−1.8) = 41.6
    expect(inflationCost(0.9001, p)).toBe(COST_FREE);
  });

  it('never increases with distance', () => {
    let prev = COST_LETHAL;
    for (let d = 0; d <= 1.2; d += 0.01) {
      const c = inflationCost(d, p);
      expect(c).toBeLessThanOrEqual(prev);
      prev = c;
    }
  });
});

describe('buildCostmap', () => {
  // One obstacle cell at the centre of a 61 × 61 grid at 0.05 m.
  const single = gridOf(61, 61, (c, r) => (c === 30 && r === 30 ? CELL_OCCUPIED : CELL_FREE));

  it('puts Nav2 costs at known distances from an obstacle', () => {
    const cm = buildCostmap(single, [], DEFAULT_INFLATION);
    const at = (dc: number, dr: number): number => cm.costAt(30 + dc, 30 + dr);
    expect(at(0, 0)).toBe(COST_LETHAL);
    expect(at(6, 0)).toBe(COST_INSCRIBED); // exactly 0.30 m: inscribed despite 6 × 0.05 > 0.3 in floating point
    expect(at(3, 4)).toBe(COST_INSCRIBED); // 0.25 m
    expect(at(7, 0)).toBe(216); // 0.35 m
    expect(at(0, -12)).toBe(102); // 0.60 m
    expect(at(18, 0)).toBe(41); // 0.90 m, the inflation radius
    expect(at(19, 0)).toBe(COST_FREE);
    expect(at(13, 13)).toBe(COST_FREE); // 0.919 m
    expect(cm.costAtWorld(30 * 0.05 + 0.025, 30 * 0.05 + 0.025)).toBe(COST_LETHAL);
    expect([cm.width, cm.height, cm.resolution, cm.originX, cm.originY]).toEqual([61, 61, 0.05, 0, 0]);
  });

  it('treats unknown cells as lethal and inflates them', () => {
    const grid = gridOf(20, 1, (c) => (c === 0 ? CELL_UNKNOWN : CELL_FREE));
    const cm = buildCostmap(grid, [], DEFAULT_INFLATION);
    expect(cm.costAt(0, 0)).toBe(COST_LETHAL);
    expect(cm.costAt(6, 0)).toBe(COST_INSCRIBED);
    expect(cm.costAt(7, 0)).toBe(216);
  });

  it('makes no_go zones lethal and inflates them; slow zones cost nothing', () => {
    const open = gridOf(60, 60, () => CELL_FREE);
    const noGo: Zone = {
      id: 'staff-door',
      kind: 'no_go',
      polygon: [
        { x: 1.0, y: 1.0 },
        { x: 2.0, y: 1.0 },
        { x: 2.0, y: 2.0 },
        { x: 1.0, y: 2.0 },
      ],
    };
    const slow: Zone = {
      ...noGo,
      id: 'waiting',
      kind: 'slow',
      maxSpeed: 0.5,
      polygon: noGo.polygon.map((p) => ({ x: p.x + 0.5, y: p.y + 0.5 })),
    };
    const cm = buildCostmap(open, [noGo], DEFAULT_INFLATION);
    expect(cm.costAtWorld(1.5, 1.5)).toBe(COST_LETHAL);
    expect(cm.costAtWorld(1.03, 1.03)).toBe(COST_LETHAL); // cell centre 1.025 inside
    expect(cm.costAtWorld(0.98, 1.5)).toBe(COST_INSCRIBED); // just outside the edge
    expect(cm.costAtWorld(1.5, 2.5)).toBeGreaterThan(COST_FREE); // 0.5 m away: on the ramp
    expect(cm.costAtWorld(1.5, 2.5)).toBeLessThan(COST_INSCRIBED);
    expect(cm.costAtWorld(1.5, 2.95)).toBe(COST_FREE);
    const slowOnly = buildCostmap(open, [slow], DEFAULT_INFLATION);
    expect(slowOnly.costs.every((c) => c === COST_FREE)).toBe(true);
  });

  it('scales with the parameters: a bigger robot gets a wider lethal band', () => {
    const big = buildCostmap(single, [], {
      ...DEFAULT_INFLATION,
      inscribed_radius: 0.5,
      inflation_radius: 1.2,
    });
    expect(big.costAt(40, 30)).toBe(COST_INSCRIBED); // 0.5 m
    expect(big.costAt(41, 30)).toBe(Math.floor(252 * Math.exp(-3 * 0.05)));
    expect(big.costAt(54, 30)).toBe(Math.floor(252 * Math.exp(-3 * 0.7))); // 1.2 m
  });
});
