import { describe, expect, it } from 'vitest';
import type { LaserScan } from '../ros/index.js';
import { ScanConverter } from './scan-points.js';

function scan(ranges: number[], over: Partial<LaserScan> = {}): LaserScan {
  return {
    header: { stamp: { sec: 12, nanosec: 500_000_000 }, frame_id: 'base_link' },
    angle_min: -Math.PI / 2,
    angle_max: Math.PI / 2,
    angle_increment: Math.PI / 2,
    time_increment: 0,
    scan_time: 0.1,
    range_min: 0.12,
    range_max: 12,
    ranges: Float32Array.from(ranges),
    intensities: new Float32Array(0),
    ...over,
  };
}

describe('ScanConverter', () => {
  it('turns returns into base_link points and skips NaN, Infinity and out-of-range beams', () => {
    const c = new ScanConverter('base_link');
    // beams at -90°, 0°, +90°, 180°, 270°
    expect(c.take(scan([1, Number.NaN, 2, Infinity, 0.05]))).toEqual({ stampNs: 12_500_000_000n });
    expect(c.points.count).toBe(2);
    expect(c.points.xs[0]).toBeCloseTo(0, 12);
    expect(c.points.ys[0]).toBeCloseTo(-1, 12);
    expect(c.points.xs[1]).toBeCloseTo(0, 12);
    expect(c.points.ys[1]).toBeCloseTo(2, 12);
    c.take(scan([13, 3]));
    expect(c.points.count).toBe(1);
    expect(c.points.ys[0]).toBeCloseTo(0, 12);
    expect(c.points.xs[0]).toBeCloseTo(3, 6);
  });

  it('reuses its arrays from scan to scan', () => {
    const c = new ScanConverter('base_link');
    c.take(scan([1, 1, 1]));
    const xs = c.points.xs;
    c.take(scan([2, 2]));
    expect(c.points.xs).toBe(xs);
  });

  it('refuses a scan it cannot trust, naming why, and keeps the points it had', () => {
    const c = new ScanConverter('base_link');
    c.take(scan([1]));
    expect(c.take(scan([1], { header: { stamp: { sec: 1, nanosec: 0 }, frame_id: 'laser' } }))).toEqual({
      problem: 'wrong_frame',
    });
    expect(c.take(scan([1], { angle_increment: Number.NaN }))).toEqual({ problem: 'bad_geometry' });
    expect(c.take(scan([1], { range_max: Number.NaN }))).toEqual({ problem: 'bad_geometry' });
    expect(c.take(scan([], {}))).toEqual({ problem: 'bad_geometry' });
    expect(c.take(scan([1], { header: { stamp: { sec: 1.5, nanosec: 0 }, frame_id: 'base_link' } }))).toEqual(
      {
        problem: 'bad_stamp',
      },
    );
    expect(c.take(null as unknown as LaserScan)).toEqual({ problem: 'wrong_frame' });
    expect(c.points.count).toBe(1);
  });
});
