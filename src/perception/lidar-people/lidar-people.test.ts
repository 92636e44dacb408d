import { describe, expect, it } from 'vitest';
import { CELL_FREE, CELL_OCCUPIED, GridMap } from '../../map/index.js';
import type { LaserScan } from '../../ros/index.js';
import { personCandidates, type ClusterFeatures } from './classify.js';
import { LidarPeopleDetector } from './detector.js';
import { StaticMapMask } from './map-mask.js';
import { LIDAR_PEOPLE_DEFAULTS } from './params.js';
import { PeopleTracker } from './people-tracker.js';
import { ScanPointBuffer } from './scan-points.js';
import { segmentScan } from './segment.js';

const BEAMS = 360;
const INC = (2 * Math.PI) / BEAMS;
const P = LIDAR_PEOPLE_DEFAULTS;

/** An empty 20 m × 20 m room (walls one cell thick at the edges), origin (-10, -10). */
function room(): GridMap {
  const res = 0.05;
  const n = 400;
  const data = new Int8Array(n * n).fill(CELL_FREE);
  for (let i = 0; i < n; i++) {
    data[i] = CELL_OCCUPIED;
    data[(n - 1) * n + i] = CELL_OCCUPIED;
    data[i * n] = CELL_OCCUPIED;
    data[i * n + n - 1] = CELL_OCCUPIED;
  }
  return new GridMap(n, n, res, -10, -10, data);
}

type Disc = { x: number; y: number; r: number };

/** A 360-beam scan from the origin (facing +x) of discs in an empty world, exact ranges. */
function scanOf(discs: Disc[], stampS = 0, fill = Infinity): LaserScan {
  const ranges = new Float32Array(BEAMS).fill(fill);
  for (let i = 0; i < BEAMS; i++) {
    const a = -Math.PI + i * INC;
    const dx = Math.cos(a);
    const dy = Math.sin(a);
    for (const d of discs) {
      const along = d.x * dx + d.y * dy;
      const c = d.x * d.x + d.y * d.y - d.r * d.r;
      const disc2 = along * along - c;
      if (along > 0 && disc2 >= 0) ranges[i] = Math.min(ranges[i]!, along - Math.sqrt(disc2));
    }
  }
  const sec = Math.floor(stampS);
  return {
    header: { stamp: { sec, nanosec: Math.round((stampS - sec) * 1e9) }, frame_id: 'base_link' },
    angle_min: -Math.PI,
    angle_max: Math.PI - INC,
    angle_increment: INC,
    time_increment: 0,
    scan_time: 0.1,
    range_min: 0.05,
    range_max: 12,
    ranges,
    intensities: new Float32Array(0),
  };
}

/** A person's two legs, 0.2 m apart side by side (across the beam from the origin). */
function legs(x: number, y: number): Disc[] {
  const d = Math.hypot(x, y);
  const ux = -y / d;
  const uy = x / d;
  return [
    { x: x + ux * 0.1, y: y + uy * 0.1, r: 0.06 },
    { x: x - ux * 0.1, y: y - uy * 0.1, r: 0.06 },
  ];
}

const ORIGIN = { x: 0, y: 0, yaw: 0 };

describe('scan points', () => {
  it('drops NaN, ±Infinity and out-of-range returns, and refuses a scan with no geometry', () => {
    const s = scanOf([]);
    s.ranges[0] = NaN;
    s.ranges[1] = -Infinity;
    s.ranges[2] = 0.01; // below range_min
    s.ranges[3] = 20; // beyond range_max
    s.ranges[4] = 2;
    const buf = new ScanPointBuffer(P.min_range, P.max_range);
    const got = buf.take(s);
    if (typeof got === 'string') throw new Error(got);
    expect(got.count).toBe(1);
    expect(got.beams[0]).toBe(4);
    expect(got.wraps).toBe(true);
    expect(buf.take({ ...s, angle_increment: NaN })).toBe('bad_geometry');
    expect(buf.take({ ...s, ranges: undefined } as never)).toBe('bad_geometry');
  });
});

describe('jump-distance segmentation', () => {
  it('splits at jumps, keeps a leg whole at 1 m and at 6 m, and joins clusters across the seam', () => {
    const buf = new ScanPointBuffer(P.min_range, P.max_range);
    // A leg at 1 m ahead, one at 6 m to the left, one straight behind (on the seam at ±π).
    const pts = buf.take(
      scanOf([
        { x: 1, y: 0, r: 0.06 },
        { x: 0, y: 6, r: 0.06 },
        { x: -2, y: 0, r: 0.06 },
      ]),
    );
    if (typeof pts === 'string') throw new Error(pts);
    const clusters = segmentScan(pts, P);
    expect(clusters).toHaveLength(3);
    const beamsOf = clusters.map((c) => c.map((i) => pts.beams[i]!));
    // The seam cluster runs from the last beams into the first ones.
    const seam = beamsOf.find((b) => b.includes(0))!;
    expect(seam.includes(BEAMS - 1)).toBe(true);
    expect(seam[0]).toBeGreaterThan(seam[seam.length - 1]!);
  });

  it('keeps two legs apart when beams pass between them', () => {
    const buf = new ScanPointBuffer(P.min_range, P.max_range);
    const pts = buf.take(scanOf(legs(2, 0)));
    if (typeof pts === 'string') throw new Error(pts);
    expect(segmentScan(pts, P)).toHaveLength(2);
  });
});

describe('leg pairing', () => {
  const leg = (x: number, y: number): ClusterFeatures => ({
    kind: 'leg',
    points: 2,
    width: 0.1,
    bulge: 0,
    x,
    y,
  });
  it('pairs the nearest legs within a stride into one person, and leaves far legs alone', () => {
    const got = personCandidates([leg(0, 0), leg(0.25, 0), leg(3, 0), leg(3.3, 0.05), leg(6, 0)], {
      ...P,
      single_leg_candidates: true,
    });
    const pairs = got.filter((c) => c.kind === 'legs');
    expect(pairs.map((c) => [c.x, c.y])).toEqual([
      [0.125, 0],
      [3.15, 0.025],
    ]);
    expect(got.filter((c) => c.kind === 'leg').map((c) => c.x)).toEqual([6]);
    expect(personCandidates([leg(0, 0), leg(0.8, 0)], { ...P, single_leg_candidates: false })).toEqual([]);
  });

  it('merges a lone leg into the pair it belongs with (one person, not two)', () => {
    const got = personCandidates([leg(0, 0), leg(0.2, 0), leg(0.3, 0.1)], P);
    expect(got).toHaveLength(1);
    expect(got[0]!.kind).toBe('legs');
  });
});

describe('the static map mask', () => {
  it('drops returns on the walls and off the map, keeps those in the room', () => {
    const mask = new StaticMapMask(room(), P.map_mask_distance);
    expect(mask.isStatic(-9.97, 0)).toBe(true); // on the west wall
    expect(mask.isStatic(-9.85, 0)).toBe(true); // within the mask distance of it
    expect(mask.isStatic(-9.5, 0)).toBe(false);
    expect(mask.isStatic(0, 0)).toBe(false);
    expect(mask.isStatic(30, 0)).toBe(true); // off the map
  });

  it('never reports a wall as a person: legs against the room are found, the walls are not', () => {
    const det = new LidarPeopleDetector({ map: room() });
    // The walls as a scan would see them from the origin, plus one person at (2, 1).
    const scanAt = (t: number) => {
      const s = scanOf(legs(2, 1), t);
      for (let i = 0; i < BEAMS; i++) {
        const a = -Math.PI + i * INC;
        const wall = Math.min(Math.abs(9.95 / Math.cos(a)), Math.abs(9.95 / Math.sin(a)));
        s.ranges[i] = Math.min(s.ranges[i]!, wall);
      }
      return s;
    };
    let people: { x: number; y: number }[] = [];
    for (let k = 0; k < 5; k++) {
      const got = det.process(scanAt(k * 0.1), ORIGIN);
      if (typeof got === 'string') throw new Error(got);
      people = got.people;
    }
    expect(people).toHaveLength(1);
    expect(Math.hypot(people[0]!.x - 2, people[0]!.y - 1)).toBeLessThan(0.1);
  });
});

describe('tracking', () => {
  it('confirms after N hits, estimates velocity, keeps its id, and drops a track after misses', () => {
    const tracker = new PeopleTracker(P);
    const at = (k: number) => BigInt(k) * 100_000_000n;
    // Walking +x at 1.2 m/s, measured every 0.1 s.
    for (let k = 0; k < 2; k++)
      tracker.update([{ x: k * 0.12, y: 1, kind: 'legs', reliability: 0.9 }], at(k));
    expect(tracker.people()).toEqual([]);
    for (let k = 2; k < 30; k++)
      tracker.update([{ x: k * 0.12, y: 1, kind: 'legs', reliability: 0.9 }], at(k));
    const [p] = tracker.people();
    expect(p!.id).toBe(1);
    expect(p!.vx).toBeCloseTo(1.2, 1);
    expect(Math.abs(p!.vy)).toBeLessThan(0.05);
    // It coasts through misses, then is dropped.
    for (let k = 30; k < 30 + P.max_misses - 1; k++) tracker.update([], at(k));
    expect(tracker.people().map((t) => t.id)).toEqual([1]);
    expect(tracker.people()[0]!.x).toBeGreaterThan(29 * 0.12);
    tracker.update([], at(40));
    expect(tracker.people()).toEqual([]);
  });

  it('keeps two people apart as they pass (ids stay with their people)', () => {
    const tracker = new PeopleTracker(P);
    for (let k = 0; k < 40; k++) {
      const x = -2 + k * 0.1;
      tracker.update(
        [
          { x, y: 0.35, kind: 'legs', reliability: 0.9 },
          { x: -x, y: -0.35, kind: 'legs', reliability: 0.9 },
        ],
        BigInt(k) * 100_000_000n,
      );
    }
    const [a, b] = tracker.people();
    expect(a!.vx).toBeGreaterThan(0.8);
    expect(b!.vx).toBeLessThan(-0.8);
    expect(a!.y).toBeGreaterThan(0);
  });

  it('ignores a scan that is not newer and starts afresh after a long gap', () => {
    const tracker = new PeopleTracker(P);
    const c = [{ x: 1, y: 1, kind: 'legs' as const, reliability: 0.9 }];
    for (let k = 1; k <= 3; k++) tracker.update(c, BigInt(k) * 100_000_000n);
    expect(tracker.update(c, 300_000_000n)).toBe(false);
    expect(tracker.people()).toHaveLength(1);
    tracker.update(c, 5_000_000_000n);
    expect(tracker.people()).toEqual([]);
  });
});

describe('the detector on bad scans', () => {
  it('survives scans full of NaN and infinities, finding nobody and keeping its tracks safe', () => {
    const det = new LidarPeopleDetector({ map: room() });
    for (let k = 0; k < 4; k++) det.process(scanOf(legs(1.5, -1), k * 0.1), ORIGIN);
    [NaN, Infinity, -Infinity].forEach((fill, k) => {
      const got = det.process(scanOf([], 0.4 + k * 0.1, fill), ORIGIN);
      if (typeof got === 'string') throw new Error(got);
      expect(got.clusters).toEqual([]);
      // The person seen before coasts on its track through a few empty scans.
      expect(got.people).toHaveLength(1);
    });
    expect(det.process({ ...scanOf([], 2), angle_min: Infinity }, ORIGIN)).toBe('bad_geometry');
  });

  it('refuses parameters that make no sense, naming them', () => {
    expect(() => new LidarPeopleDetector({ map: room(), params: { gate_distance: -1 } })).toThrow(
      /gate_distance/,
    );
    expect(() => new LidarPeopleDetector({ map: room(), params: { min_range: 9 } })).toThrow(/min_range/);
  });
});
