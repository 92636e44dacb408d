import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  composePose,
  distance,
  normalizeAngle,
  pose2dToPose,
  poseStamped,
  poseToPose2d,
  quaternionToYaw,
  relativePose,
  twist,
  yawToQuaternion,
  type Pose2D,
} from './geometry.js';
import { Time } from './time.js';

const coord = fc.double({ min: -1000, max: 1000, noNaN: true });
const angle = fc.double({ min: -20, max: 20, noNaN: true });
const pose2d = fc.record({ x: coord, y: coord, yaw: angle });

/** Angular difference folded to [0, π], so ±π count as equal. */
function angleGap(a: number, b: number): number {
  return Math.abs(normalizeAngle(a - b));
}

describe('angles and quaternions', () => {
  it('wraps angles to (-π, π]', () => {
    expect(normalizeAngle(Math.PI)).toBe(Math.PI);
    expect(normalizeAngle(-Math.PI)).toBe(Math.PI);
    expect(normalizeAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(normalizeAngle(-Math.PI / 2)).toBe(-Math.PI / 2);
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), (a) => {
        const r = normalizeAngle(a);
        expect(r).toBeGreaterThan(-Math.PI);
        expect(r).toBeLessThanOrEqual(Math.PI);
        expect(Math.abs(Math.sin(r) - Math.sin(a))).toBeLessThan(1e-9);
        expect(Math.abs(Math.cos(r) - Math.cos(a))).toBeLessThan(1e-9);
      }),
    );
  });

  it('round-trips yaw through a unit quaternion about z', () => {
    expect(yawToQuaternion(0)).toEqual({ x: 0, y: 0, z: 0, w: 1 });
    fc.assert(
      fc.property(angle, (yaw) => {
        const q = yawToQuaternion(yaw);
        expect(Math.hypot(q.x, q.y, q.z, q.w)).toBeCloseTo(1, 12);
        expect(angleGap(quaternionToYaw(q), yaw)).toBeLessThan(1e-9);
      }),
    );
  });
});

describe('planar transforms', () => {
  it('composes and relates poses by hand-checked numbers', () => {
    const a: Pose2D = { x: 1, y: 2, yaw: Math.PI / 2 };
    const b: Pose2D = { x: 3, y: 0, yaw: 0 };
    const ab = composePose(a, b);
    expect(ab.x).toBeCloseTo(1, 12);
    expect(ab.y).toBeCloseTo(5, 12);
    expect(ab.yaw).toBeCloseTo(Math.PI / 2, 12);
    const rel = relativePose(a, { x: 1, y: 5, yaw: Math.PI });
    expect(rel.x).toBeCloseTo(3, 12);
    expect(rel.y).toBeCloseTo(0, 12);
    expect(rel.yaw).toBeCloseTo(Math.PI / 2, 12);
  });

  it('inverts composition with relativePose: a ∘ (a⁻¹ ∘ b) = b', () => {
    fc.assert(
      fc.property(pose2d, pose2d, (a, b) => {
        const back = composePose(a, relativePose(a, b));
        expect(back.x).toBeCloseTo(b.x, 6);
        expect(back.y).toBeCloseTo(b.y, 6);
        expect(angleGap(back.yaw, b.yaw)).toBeLessThan(1e-9);
      }),
    );
  });

  it('keeps distances under composition (a rigid transform)', () => {
    fc.assert(
      fc.property(pose2d, pose2d, pose2d, (t, p, q) => {
        expect(distance(composePose(t, p), composePose(t, q))).toBeCloseTo(distance(p, q), 6);
      }),
    );
  });

  it('converts Pose2D to geometry_msgs Pose and back', () => {
    fc.assert(
      fc.property(pose2d, (p) => {
        const back = poseToPose2d(pose2dToPose(p));
        expect(back.x).toBe(p.x);
        expect(back.y).toBe(p.y);
        expect(angleGap(back.yaw, p.yaw)).toBeLessThan(1e-9);
      }),
    );
  });

  it('builds stamped poses and twists shaped like the ROS messages', () => {
    const ps = poseStamped('map', new Time(1_500_000_000n), { x: 1, y: 2, yaw: 0 });
    expect(ps.header).toEqual({ stamp: { sec: 1, nanosec: 500_000_000 }, frame_id: 'map' });
    expect(ps.pose.position).toEqual({ x: 1, y: 2, z: 0 });
    expect(twist(0.5, -0.2)).toEqual({ linear: { x: 0.5, y: 0, z: 0 }, angular: { x: 0, y: 0, z: -0.2 } });
  });
});
