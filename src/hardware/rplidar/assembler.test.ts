import { describe, expect, it } from 'vitest';
import {
  RevolutionAssembler,
  revolutionToScan,
  scanNode,
  type Revolution,
  type ScanGeometry,
} from './index.js';

const MS = 1_000_000n;
const CENTRED: ScanGeometry = {
  beams: 360,
  rangeMin: 0.15,
  rangeMax: 12,
  mountX: 0,
  mountY: 0,
  mountYaw: 0,
  frameId: 'base_link',
};
const STAMP = { sec: 12, nanosec: 500_000_000 };

/** A revolution of returns given as [device angle °, distance mm, quality]. */
function revolution(returns: Array<[number, number, number]>, durationMs = 180): Revolution {
  return {
    startNs: 1000n * MS,
    endNs: (1000n + BigInt(durationMs)) * MS,
    angleDeg: Float64Array.from(returns.map((r) => r[0])),
    distanceMm: Float64Array.from(returns.map((r) => r[1])),
    quality: Uint8Array.from(returns.map((r) => r[2])),
  };
}
/** Bin of angle `a` (rad) on a 360-beam grid from -π. */
const bin = (a: number) => Math.round((a + Math.PI) / ((2 * Math.PI) / 360));

describe('RevolutionAssembler', () => {
  it('splits nodes into revolutions at the start flags, dropping the partial turn before the first', () => {
    const a = new RevolutionAssembler();
    expect(a.push(scanNode(350, 500, 15), 0n)).toBeUndefined(); // before any start flag: dropped
    expect(a.push(scanNode(0.2, 1000, 15, true), 10n * MS)).toBeUndefined();
    expect(a.push(scanNode(180, 2000, 15), 100n * MS)).toBeUndefined();
    const first = a.push(scanNode(0.4, 1100, 15, true), 190n * MS);
    expect(first).toMatchObject({ startNs: 10n * MS, endNs: 190n * MS });
    expect([...first!.angleDeg]).toEqual([0.203125, 180]); // 13/64°, as the wire rounds 0.2°
    expect([...first!.distanceMm]).toEqual([1000, 2000]);
    expect(a.stats()).toMatchObject({ revolutions: 1, nodesDropped: 1 });
    expect(a.pending).toBe(1);
  });

  it('forgets the turn in progress on reset, so nodes after a silence never join older ones', () => {
    const a = new RevolutionAssembler();
    a.push(scanNode(0, 1000, 15, true), 0n);
    a.push(scanNode(90, 1000, 15), 40n * MS);
    a.reset();
    expect(a.push(scanNode(180, 1000, 15), 900n * MS)).toBeUndefined();
    expect(a.push(scanNode(0, 1000, 15, true), 950n * MS)).toBeUndefined(); // no turn was open
    expect(a.stats()).toMatchObject({ revolutions: 0, nodesDropped: 3 });
  });
});

describe('revolutionToScan (REP-103)', () => {
  it('puts a return at device angle 90° clockwise at -π/2 (the robot’s right) in ROS', () => {
    const scan = revolutionToScan(revolution([[90, 2000, 15]]), CENTRED, STAMP);
    const i = bin(-Math.PI / 2);
    expect(i).toBe(90);
    expect(scan.angle_min + i * scan.angle_increment).toBeCloseTo(-Math.PI / 2, 12);
    expect(scan.ranges[i]).toBe(2);
    expect(scan.intensities[i]).toBe(15);
    expect(scan.ranges.filter((r) => Number.isFinite(r))).toHaveLength(1);
  });

  it('leaves a bin no measurement fell in as NaN (unmeasured), never +Infinity (which says free)', () => {
    const scan = revolutionToScan(revolution([[90, 2000, 15]]), CENTRED, STAMP);
    expect(Number.isNaN(scan.ranges[bin(Math.PI / 2)]!)).toBe(true);
    expect(scan.ranges.filter((r) => Number.isNaN(r))).toHaveLength(359);
  });

  it('puts device 0° ahead (0 rad), 270° clockwise at +π/2 (left) and 180° behind (±π, bin 0)', () => {
    const scan = revolutionToScan(
      revolution([
        [0, 1000, 10],
        [270, 3000, 11],
        [180, 4000, 12],
      ]),
      CENTRED,
      STAMP,
    );
    expect(scan.ranges[bin(0)]).toBe(1);
    expect(scan.ranges[bin(Math.PI / 2)]).toBe(3);
    expect(scan.ranges[0]).toBe(4);
  });

  it('reads zero distance, or beyond range_max, as measured and nothing there: +Infinity', () => {
    const scan = revolutionToScan(
      revolution([
        [45, 0, 0], // no return
        [135, 13_000, 3], // beyond the A1's 12 m
      ]),
      CENTRED,
      STAMP,
    );
    expect(scan.ranges[bin((-45 * Math.PI) / 180)]).toBe(Infinity);
    expect(scan.ranges[bin((-135 * Math.PI) / 180)]).toBe(Infinity);
    expect(scan.intensities.every((q) => q === 0)).toBe(true);
  });

  it('keeps the nearest return per bin, and ignores returns outside the device’s limits', () => {
    const scan = revolutionToScan(
      revolution([
        [10, 3000, 5],
        [10.2, 1500, 9], // same bin, nearer: wins
        [10.1, 100, 20], // below range_min: not a measurement, must not hide the 1.5 m
        [10.3, 13_000, 20], // beyond range_max: no return, must not hide it either
      ]),
      CENTRED,
      STAMP,
    );
    expect(scan.ranges[bin((-10 * Math.PI) / 180)]).toBe(1.5);
    expect(scan.intensities[bin((-10 * Math.PI) / 180)]).toBe(9);
  });

  it('describes the grid, the timing and the frame: 360 beams from -π, scan_time from the turn', () => {
    const scan = revolutionToScan(revolution([[0, 1000, 15]], 180), CENTRED, STAMP);
    expect(scan).toMatchObject({
      header: { stamp: STAMP, frame_id: 'base_link' },
      angle_min: -Math.PI,
      range_min: 0.15,
      range_max: 12,
    });
    expect(scan.angle_increment).toBeCloseTo((2 * Math.PI) / 360, 15);
    expect(scan.angle_max).toBeCloseTo(Math.PI - (2 * Math.PI) / 360, 12);
    expect(scan.scan_time).toBeCloseTo(0.18, 12);
    expect(scan.time_increment).toBeCloseTo(0.18 / 360, 15);
    expect(scan.ranges).toHaveLength(360);
  });

  it('turns the scan with a yawed mount: a lidar facing backwards sees its front behind the robot', () => {
    const back = { ...CENTRED, mountYaw: Math.PI };
    const scan = revolutionToScan(revolution([[0, 2000, 15]]), back, STAMP);
    expect(scan.ranges[0]).toBeCloseTo(2, 6); // -π: straight behind
    expect(Number.isNaN(scan.ranges[bin(0)]!)).toBe(true);
  });

  it('re-bins an off-centre lidar from its mount pose, widening the range limits by the offset', () => {
    const front = { ...CENTRED, mountX: 0.2, beams: 720 };
    // Device 90° clockwise: 1 m to the lidar's right, i.e. at (0.2, -1) on the robot.
    const scan = revolutionToScan(revolution([[90, 1000, 15]]), front, STAMP);
    const bearing = Math.atan2(-1, 0.2);
    const i = Math.round((bearing + Math.PI) / ((2 * Math.PI) / 720));
    expect(scan.ranges[i]).toBeCloseTo(Math.hypot(0.2, 1), 6);
    expect(scan.range_min).toBeCloseTo(0, 12); // 0.15 m − 0.2 m, floored at 0
    expect(scan.range_max).toBeCloseTo(12.2, 12);
  });
});
