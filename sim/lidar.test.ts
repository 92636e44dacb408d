import { describe, expect, it } from 'vitest';
import { distanceTransform, type GridMap } from '../src/map/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { Lidar, MapRayCaster } from './lidar.js';
import { Rng } from './rng.js';
import { fillRect, randomClutterMap, roomMap } from './test-support.js';

const SPEC = DEFAULT_ROBOT.lidar;
const EMPTY = { discs: [], boxes: [] };

function caster(map: GridMap): MapRayCaster {
  return new MapRayCaster(map, distanceTransform(map));
}

/**
 * The reference: walk every cell the ray crosses (Amanatides–Woo) from the origin and stop at
 * the first occupied or unknown cell, or at the map's edge. No distance field involved.
 */
function marchCells(map: GridMap, ox: number, oy: number, dx: number, dy: number, maxRange: number): number {
  const blocks = (c: number, r: number) => {
    if (!map.inBounds(c, r)) return true;
    const v = map.data[r * map.width + c]!;
    return v < 0 || v >= 100;
  };
  let col = map.col(ox);
  let row = map.row(oy);
  let t = 0;
  const res = map.resolution;
  for (;;) {
    if (t > maxRange) return Infinity;
    if (blocks(col, row)) return t;
    const bx = map.originX + (dx > 0 ? col + 1 : col) * res;
    const by = map.originY + (dy > 0 ? row + 1 : row) * res;
    const tx = dx !== 0 ? (bx - ox) / dx : Infinity;
    const ty = dy !== 0 ? (by - oy) / dy : Infinity;
    if (tx < ty) {
      t = tx;
      col += dx > 0 ? 1 : -1;
    } else {
      t = ty;
      row += dy > 0 ? 1 : -1;
    }
  }
}

/** Where a ray from inside leaves the open rectangle [x0, x1] × [y0, y1]. */
function rectExit(
  ox: number,
  oy: number,
  dx: number,
  dy: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
) {
  const tx = dx > 0 ? (x1 - ox) / dx : dx < 0 ? (x0 - ox) / dx : Infinity;
  const ty = dy > 0 ? (y1 - oy) / dy : dy < 0 ? (y0 - oy) / dy : Infinity;
  return Math.min(tx, ty);
}

describe('Lidar in a known room', () => {
  // 10 m × 6 m, walls' inner faces at 0.05 and 9.95 (x), 0.05 and 5.95 (y).
  const room = roomMap(10, 6);
  const rays = caster(room);

  it('measures the distance to each wall, noise within a few sigma', () => {
    const lidar = new Lidar(rays, SPEC, new Rng(5).fork('lidar'));
    const pose = { x: 3.02, y: 2.01, yaw: 0 };
    const ranges = lidar.scan(pose, EMPTY);
    expect(ranges).toHaveLength(360);
    const sigma = lidar.params.rangeNoiseSd;
    // Beam 0 looks backwards (-π), 90 right (-π/2), 180 ahead, 270 left.
    expect(Math.abs(ranges[0]! - 2.97)).toBeLessThan(4 * sigma);
    expect(Math.abs(ranges[90]! - 1.96)).toBeLessThan(4 * sigma);
    expect(Math.abs(ranges[180]! - 6.93)).toBeLessThan(4 * sigma);
    expect(Math.abs(ranges[270]! - 3.94)).toBeLessThan(4 * sigma);
    // The noise is there, and has the asked spread over all beams.
    let sq = 0;
    for (let i = 0; i < 360; i++) {
      const a = lidar.angleMin + i * lidar.angleIncrement;
      const truth = rectExit(pose.x, pose.y, Math.cos(a), Math.sin(a), 0.05, 0.05, 9.95, 5.95);
      sq += (ranges[i]! - truth) ** 2;
    }
    const sd = Math.sqrt(sq / 360);
    expect(sd).toBeGreaterThan(0.6 * sigma);
    expect(sd).toBeLessThan(1.5 * sigma);
  });

  it('agrees with the room geometry on every beam, in the robot frame, when noiseless', () => {
    const lidar = new Lidar(rays, SPEC, undefined);
    const pose = { x: 6.3, y: 4.4, yaw: 2.1 };
    const ranges = lidar.scan(pose, EMPTY);
    for (let i = 0; i < 360; i++) {
      const a = pose.yaw + lidar.angleMin + i * lidar.angleIncrement;
      const truth = rectExit(pose.x, pose.y, Math.cos(a), Math.sin(a), 0.05, 0.05, 9.95, 5.95);
      expect(ranges[i]).toBeCloseTo(truth, 5);
    }
  });

  it('reports Infinity beyond the maximum range', () => {
    const hall = roomMap(30, 4, 0.1);
    const lidar = new Lidar(caster(hall), SPEC, new Rng(1));
    const ranges = lidar.scan({ x: 2, y: 2, yaw: 0 }, EMPTY);
    expect(ranges[180]).toBe(Infinity); // 27.9 m ahead
    expect(Math.abs(ranges[0]! - 1.9)).toBeLessThan(0.05);
  });

  it('sees people and obstacles in front of the walls, and not behind them', () => {
    const lidar = new Lidar(rays, SPEC, undefined);
    const pose = { x: 2, y: 3, yaw: 0 };
    const scene = {
      discs: [
        { x: 4, y: 3, radius: 0.25 }, // ahead: occludes the east wall
        { x: 2, y: 7, radius: 0.25 }, // beyond the north wall: hidden
      ],
      boxes: [{ minX: 1.0, minY: 1.0, maxX: 3.0, maxY: 1.5 }], // a counter to the right
    };
    const ranges = lidar.scan(pose, scene);
    expect(ranges[180]).toBeCloseTo(1.75, 6);
    expect(ranges[270]).toBeCloseTo(2.95, 6); // north wall at 5.95
    expect(ranges[90]).toBeCloseTo(1.5, 6); // the box's top face at y = 1.5
    // A disc occludes only the beams that hit it: 0.25 m at 2 m is about ±7°.
    expect(ranges[180 + 10]!).toBeGreaterThan(7);
    expect(ranges[180 + 6]!).toBeLessThan(2);
  });

  it('ends a ray that starts on a cell edge and runs along it (it once looped for ever)', () => {
    // The robot exactly on a cell edge (y = 3.0 = 60 cells), looking back along it: cos(π) and
    // sin(π) make a ray that runs down the edge, crossing it at t ≈ 0.
    const lidar = new Lidar(rays, SPEC, undefined);
    const ranges = lidar.scan({ x: 1, y: 3, yaw: 0 }, EMPTY);
    expect(ranges[0]).toBeCloseTo(0.95, 6);
    const dy = Math.sin(-Math.PI);
    expect(rays.cast(1, 3, -1, dy, 12)).toBeCloseTo(marchCells(room, 1, 3, -1, dy, 12), 6);
  });

  it('refuses a distance field of the wrong size', () => {
    expect(() => new MapRayCaster(room, new Float32Array(10))).toThrow(
      /expected 200×120 distances, found 10/,
    );
  });
});

describe('a robot standing still (its walls seen once)', () => {
  it('scans exactly as afresh, whoever walks past, until it moves, on random maps', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const map = randomClutterMap(seed);
      const rays = caster(map);
      const rng = new Rng(seed).fork('standing');
      const place = () => ({
        x: map.originX + rng.uniform(0.5, map.widthM - 0.5),
        y: map.originY + rng.uniform(0.5, map.heightM - 0.5),
      });
      const scene = () => ({
        discs: Array.from({ length: rng.int(6) }, () => ({ ...place(), radius: rng.uniform(0.03, 0.3) })),
        boxes: Array.from({ length: rng.int(3) }, () => {
          const p = place();
          return { minX: p.x, minY: p.y, maxX: p.x + rng.uniform(0.1, 1), maxY: p.y + rng.uniform(0.1, 1) };
        }),
      });
      const standing = new Lidar(rays, SPEC, undefined);
      let pose = { ...place(), yaw: rng.uniform(-Math.PI, Math.PI) };
      for (let k = 0; k < 9; k++) {
        // It moves on: turns on the spot, or slides along x or along y.
        const p = place();
        if (k % 3 === 0) pose = { ...pose, yaw: rng.uniform(-Math.PI, Math.PI) };
        else if (k % 3 === 1) pose = { ...pose, x: p.x };
        else pose = { ...pose, y: p.y };
        // The first scan from a pose, the second (walls cast and kept), and later ones (kept walls).
        for (let again = 0; again < 3; again++) {
          const s = scene();
          const afresh = new Lidar(rays, SPEC, undefined).scan(pose, s);
          expect(standing.scan(pose, s), `seed ${seed}, pose ${k}, scan ${again}`).toEqual(afresh);
        }
      }
    }
  });
});

describe('sphere tracing on the distance field', () => {
  it('finds the same first blocked cell as a cell-by-cell march, on random maps', () => {
    let checked = 0;
    const mismatches: object[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const map = randomClutterMap(seed);
      const rays = caster(map);
      const rng = new Rng(seed).fork('rays');
      for (let k = 0; k < 40; k++) {
        const ox = map.originX + rng.uniform(0, map.widthM);
        const oy = map.originY + rng.uniform(0, map.heightM);
        for (let b = 0; b < 90; b++) {
          const a = rng.uniform(-Math.PI, Math.PI);
          const dx = Math.cos(a);
          const dy = Math.sin(a);
          const maxRange = rng.chance(0.5) ? 12 : rng.uniform(0.2, 3);
          const expected = marchCells(map, ox, oy, dx, dy, maxRange);
          const got = rays.cast(ox, oy, dx, dy, maxRange);
          const same = expected === Infinity ? got === Infinity : Math.abs(got - expected) < 1e-9;
          if (!same) mismatches.push({ seed, ox, oy, a, maxRange, expected, got });
          checked++;
        }
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(checked).toBe(12 * 40 * 90);
  });

  it('treats unknown cells and the map edge as walls, and stops at 0 inside one', () => {
    const map = roomMap(6, 6);
    fillRect(map, 3, 0, 3.5, 6, -1); // an unknown band across the room
    const rays = caster(map);
    expect(rays.cast(1, 3, 1, 0, 12)).toBeCloseTo(2, 9);
    expect(rays.cast(3.2, 3, 1, 0, 12)).toBe(0);
    expect(rays.cast(-1, 3, 1, 0, 12)).toBe(0);
    const open = roomMap(6, 6);
    fillRect(open, 5.9, 0, 6, 6, 0); // knock out the east wall: the edge of the map still blocks
    expect(caster(open).cast(1, 3, 1, 0, 12)).toBeCloseTo(5, 9);
  });

  it('ends a ray that runs along a cell boundary with a rounding-size sideways part (cos π, sin π)', () => {
    // From a point exactly on a row boundary, straight west: sin(π) is 1.2e-16, not 0. This used
    // to flip between two rows for ever (a robot docked at y = 5.0 m hung the simulator).
    const rays = caster(roomMap(6, 10));
    for (const [dx, dy] of [
      [Math.cos(Math.PI), Math.sin(-Math.PI)],
      [Math.cos(Math.PI), Math.sin(Math.PI)],
      [Math.sin(Math.PI), Math.cos(Math.PI)],
      [Math.sin(-Math.PI), Math.cos(0)],
    ] as const) {
      const t = rays.cast(1.2, 5.0, dx, dy, 12);
      expect(t, `${dx}, ${dy}`).toBeCloseTo(dx < -0.5 ? 1.15 : dy < -0.5 ? 4.95 : 4.95, 9);
    }
  });
});
