/**
 * A LaserScan's usable returns as points in the scan's own frame, with their beam index and
 * range, in reused typed arrays. NaN, ±Infinity and anything outside [range_min, range_max] (and
 * the detector's own range window) mean "no return" (sensor_msgs/LaserScan) and are dropped; a
 * scan whose geometry is not finite is refused as a whole with the reason.
 */
import type { LaserScan } from '../../ros/index.js';

export interface ScanPoints {
  /** Position in the scan's frame, m. */
  xs: Float64Array;
  ys: Float64Array;
  ranges: Float64Array;
  /** Beam index in the scan, ascending. */
  beams: Int32Array;
  count: number;
  /** Beams in the scan (valid or not). */
  beamCount: number;
  /** rad between beams. */
  angleIncrement: number;
  /** True when the last beam neighbours the first (a full turn). */
  wraps: boolean;
}

export type ScanRefusal = 'bad_geometry';

export class ScanPointBuffer {
  readonly points: ScanPoints = {
    xs: new Float64Array(0),
    ys: new Float64Array(0),
    ranges: new Float64Array(0),
    beams: new Int32Array(0),
    count: 0,
    beamCount: 0,
    angleIncrement: 0,
    wraps: false,
  };

  constructor(
    private readonly minRange: number,
    private readonly maxRange: number,
  ) {}

  /** Fills `points` from the scan, or says why the scan cannot be used. */
  take(scan: LaserScan): ScanPoints | ScanRefusal {
    const a0 = scan?.angle_min;
    const da = scan?.angle_increment;
    const ranges = scan?.ranges;
    const ok =
      Number.isFinite(a0) &&
      Number.isFinite(da) &&
      da !== 0 &&
      ranges !== undefined &&
      ranges !== null &&
      typeof ranges.length === 'number';
    if (!ok) return 'bad_geometry';
    const lo = Math.max(this.minRange, Number.isFinite(scan.range_min) ? scan.range_min : 0);
    const hi = Math.min(this.maxRange, Number.isFinite(scan.range_max) ? scan.range_max : Infinity);
    const n = ranges.length;
    const p = this.points;
    if (p.xs.length < n) {
      p.xs = new Float64Array(n);
      p.ys = new Float64Array(n);
      p.ranges = new Float64Array(n);
      p.beams = new Int32Array(n);
    }
    let count = 0;
    for (let i = 0; i < n; i++) {
      const r = ranges[i]!;
      // Written so that NaN fails too.
      if (!(r >= lo && r <= hi)) continue;
      const a = a0 + i * da;
      p.xs[count] = r * Math.cos(a);
      p.ys[count] = r * Math.sin(a);
      p.ranges[count] = r;
      p.beams[count] = i;
      count++;
    }
    p.count = count;
    p.beamCount = n;
    p.angleIncrement = Math.abs(da);
    // A full turn: n beams cover 2π within half a beam.
    p.wraps = n > 1 && Math.abs(n * Math.abs(da) - 2 * Math.PI) < Math.abs(da) / 2;
    return p;
  }
}
