import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draws(new Rng(42), 50)).toEqual(draws(new Rng(42), 50));
    expect(draws(new Rng(42), 50)).not.toEqual(draws(new Rng(43), 50));
  });

  it('keeps its numbers in [0, 1) and its uniforms and integers in range', () => {
    const rng = new Rng(7);
    let ok = true;
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      const a = rng.uniform(-2, 3);
      const k = rng.int(5);
      ok &&= u >= 0 && u < 1 && a >= -2 && a < 3 && Number.isInteger(k) && k >= 0 && k < 5;
    }
    expect(ok).toBe(true);
  });

  it('forks streams by label, whatever was drawn from the parent before', () => {
    const fresh = new Rng(9);
    const used = new Rng(9);
    draws(used, 1000);
    expect(draws(fresh.fork('odom'), 20)).toEqual(draws(used.fork('odom'), 20));
    expect(draws(fresh.fork('odom'), 20)).not.toEqual(draws(fresh.fork('lidar'), 20));
    // Forks of forks are named by their whole path.
    expect(draws(fresh.fork('a').fork('b'), 5)).toEqual(draws(new Rng(9).fork('a').fork('b'), 5));
    expect(draws(fresh.fork('a').fork('b'), 5)).not.toEqual(draws(fresh.fork('a/b').fork('c'), 5));
  });

  it('draws normals with the asked mean and spread', () => {
    const rng = new Rng(1);
    const n = 40_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal(3, 0.5);
      sum += z;
      sq += z * z;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sq / n - mean * mean);
    expect(mean).toBeCloseTo(3, 1.5);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.01);
  });

  it('spreads uniforms evenly over ten bins', () => {
    const rng = new Rng('bins');
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(rng.next() * 10)]!++;
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});
