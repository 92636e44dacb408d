/**
 * Rigid transforms in 3D for SDFormat poses: `<pose>x y z roll pitch yaw</pose>` means a rotation
 * R = Rz(yaw)·Ry(pitch)·Rx(roll) (fixed axes X, Y, Z) and a translation, and a child's pose in the
 * world is the parent's composed with the child's (world ← model ← link ← collision).
 */

/** A rotation (row-major 3×3) and a translation. */
export interface Pose3 {
  readonly r: readonly number[];
  readonly t: readonly [number, number, number];
}

export const IDENTITY: Pose3 = { r: [1, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 0] };

/** The pose x y z roll pitch yaw (metres, radians). */
export function fromXyzRpy(x: number, y: number, z: number, roll: number, pitch: number, yaw: number): Pose3 {
  const [cr, sr] = [Math.cos(roll), Math.sin(roll)];
  const [cp, sp] = [Math.cos(pitch), Math.sin(pitch)];
  const [cy, sy] = [Math.cos(yaw), Math.sin(yaw)];
  return {
    r: [
      cy * cp,
      cy * sp * sr - sy * cr,
      cy * sp * cr + sy * sr,
      sy * cp,
      sy * sp * sr + cy * cr,
      sy * sp * cr - cy * sr,
      -sp,
      cp * sr,
      cp * cr,
    ],
    t: [x, y, z],
  };
}

/** The pose x y z with the unit quaternion (qx, qy, qz, qw); normalised, as sdformat does. */
export function fromXyzQuat(
  x: number,
  y: number,
  z: number,
  qx: number,
  qy: number,
  qz: number,
  qw: number,
): Pose3 {
  const n = Math.hypot(qx, qy, qz, qw);
  const [a, b, c, d] = [qw / n, qx / n, qy / n, qz / n];
  return {
    r: [
      1 - 2 * (c * c + d * d),
      2 * (b * c - a * d),
      2 * (b * d + a * c),
      2 * (b * c + a * d),
      1 - 2 * (b * b + d * d),
      2 * (c * d - a * b),
      2 * (b * d - a * c),
      2 * (c * d + a * b),
      1 - 2 * (b * b + c * c),
    ],
    t: [x, y, z],
  };
}

/** `parent` ∘ `child`: the child's pose (given in the parent's frame) in the parent's parent frame. */
export function compose(parent: Pose3, child: Pose3): Pose3 {
  const a = parent.r;
  const b = child.r;
  const r: number[] = [];
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      r.push(a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!);
  return { r, t: apply(parent, child.t[0], child.t[1], child.t[2]) };
}

/** A point of the pose's frame in the parent frame. */
export function apply(p: Pose3, x: number, y: number, z: number): [number, number, number] {
  const r = p.r;
  return [
    r[0]! * x + r[1]! * y + r[2]! * z + p.t[0],
    r[3]! * x + r[4]! * y + r[5]! * z + p.t[1],
    r[6]! * x + r[7]! * y + r[8]! * z + p.t[2],
  ];
}

/** A point of the parent frame in the pose's own frame (the inverse of apply). */
export function applyInverse(p: Pose3, x: number, y: number, z: number): [number, number, number] {
  const r = p.r;
  const [dx, dy, dz] = [x - p.t[0], y - p.t[1], z - p.t[2]];
  return [
    r[0]! * dx + r[3]! * dy + r[6]! * dz,
    r[1]! * dx + r[4]! * dy + r[7]! * dz,
    r[2]! * dx + r[5]! * dy + r[8]! * dz,
  ];
}
