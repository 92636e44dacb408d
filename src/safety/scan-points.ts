import { timeMsgToNs, type LaserScan } from '../ros/index.js';

/** Scan returns as points in the scan's frame (base_link), in reused typed arrays. */
export interface ScanPoints {
  xs: Float64Array;
  ys: Float64Array;
  /** How many entries of xs/ys are valid points. */
  count: number;
}

export type ScanProblem = 'wrong_frame' | 'bad_geometry' | 'bad_stamp';

/**
 * Converts LaserScans into points, reusing one pair of arrays (10 Hz × 360 beams: no garbage
 * per scan). A scan the gate cannot trust is refused as a whole with the reason, so the gate
 * keeps its last good scan, which then goes stale and stops the robot: a malformed scan must
 * never read as an empty room.
 */
export class ScanConverter {
  readonly points: ScanPoints = { xs: new Float64Array(0), ys: new Float64Array(0), count: 0 };

  constructor(private readonly baseFrame: string) {}

  /** Fills `points` and returns the scan's stamp (ns), or the reason it was refused. */
  take(scan: LaserScan): { stampNs: bigint } | { problem: ScanProblem } {
    if (scan?.header?.frame_id !== this.baseFrame) return { problem: 'wrong_frame' };
    const { angle_min: a0, angle_increment: da, range_min: rMin, range_max: rMax, ranges } = scan;
    const geometryOk =
      Number.isFinite(a0) &&
      Number.isFinite(da) &&
      Number.isFinite(rMin) &&
      Number.isFinite(rMax) &&
      rMin >= 0 &&
      rMax > rMin &&
      ranges !== undefined &&
      typeof ranges.length === 'number' &&
      ranges.length > 0;
    if (!geometryOk) return { problem: 'bad_geometry' };
    const { sec, nanosec } = scan.header.stamp ?? {};
    if (!Number.isSafeInteger(sec) || !Number.isSafeInteger(nanosec) || nanosec! < 0 || nanosec! >= 1e9) {
      return { problem: 'bad_stamp' };
    }

    const n = ranges.length;
    if (this.points.xs.length < n) {
      this.points.xs = new Float64Array(n);
      this.points.ys = new Float64Array(n);
    }
    const { xs, ys } = this.points;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const r = ranges[i]!;
      // NaN and out-of-range (incl. Infinity) mean "no return" in sensor_msgs/LaserScan.
      if (!(r >= rMin && r <= rMax)) continue;
      const a = a0 + i * da;
      xs[count] = r * Math.cos(a);
      ys[count] = r * Math.sin(a);
      count++;
    }
    this.points.count = count;
    return { stampNs: timeMsgToNs({ sec: sec!, nanosec: nanosec! }) };
  }
}
