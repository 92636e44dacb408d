import { describe, expect, it } from 'vitest';
import { scanNode } from './index.js';
import { ScanStream } from './scan-stream.js';

const MS = 1_000_000n;
const GEOMETRY = {
  beams: 360,
  rangeMin: 0.15,
  rangeMax: 12,
  mountX: 0,
  mountY: 0,
  mountYaw: 0,
  frameId: 'base_link',
};

describe('ScanStream', () => {
  it('gives one scan per turn, stamped at the turn’s first node, and says how long the line has been quiet', () => {
    const s = new ScanStream(GEOMETRY);
    expect(s.take(scanNode(0, 1000, 15, true), 1_000n * MS)).toBeUndefined();
    expect(s.take(scanNode(180, 1000, 15), 1_090n * MS)).toBeUndefined();
    const scan = s.take(scanNode(0.5, 1000, 15, true), 1_200n * MS);
    expect(scan?.header.stamp).toEqual({ sec: 1, nanosec: 0 });
    expect(scan?.scan_time).toBeCloseTo(0.2, 12);
    expect(s.quietForNs(1_450n * MS)).toBe(250n * MS);
    expect(s.stats()).toEqual({ scans: 1, revolutions: 1, rotationHz: 5, nodesPerRevolution: 2 });
  });

  it('forgets the turn in progress and the last node on reset', () => {
    const s = new ScanStream(GEOMETRY);
    s.take(scanNode(0, 1000, 15, true), 0n);
    s.take(scanNode(90, 1000, 15), 50n * MS);
    s.reset();
    expect(s.quietForNs(900n * MS)).toBeUndefined();
    expect(s.take(scanNode(0, 1000, 15, true), 1_000n * MS)).toBeUndefined(); // no turn was open to finish
    expect(s.stats().scans).toBe(0);
  });
});
