import type { Header, Point, Pose, PoseStamped, Quaternion, Twist } from './messages.js';
import type { Time } from './time.js';

/** A planar pose in a named frame: what most of the robot reasons in. */
export interface Pose2D {
  x: number;
  y: number;
  /** Heading in radians, counter-clockwise from +x (REP-103). */
  yaw: number;
}

export function yawToQuaternion(yaw: number): Quaternion {
  return { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) };
}

export function quaternionToYaw(q: Quaternion): number {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
}

/** Wraps an angle to (-π, π]. */
export function normalizeAngle(a: number): number {
  let r = a % (2 * Math.PI);
  if (r <= -Math.PI) r += 2 * Math.PI;
  else if (r > Math.PI) r -= 2 * Math.PI;
  return r;
}

export function point(x = 0, y = 0, z = 0): Point {
  return { x, y, z };
}

export function header(frameId: string, stamp: Time): Header {
  return { stamp: stamp.toMsg(), frame_id: frameId };
}

export function pose2dToPose(p: Pose2D): Pose {
  return { position: point(p.x, p.y), orientation: yawToQuaternion(p.yaw) };
}

export function poseToPose2d(p: Pose): Pose2D {
  return { x: p.position.x, y: p.position.y, yaw: quaternionToYaw(p.orientation) };
}

export function poseStamped(frameId: string, stamp: Time, p: Pose2D): PoseStamped {
  return { header: header(frameId, stamp), pose: pose2dToPose(p) };
}

export function twist(linearX = 0, angularZ = 0): Twist {
  return { linear: point(linearX), angular: point(0, 0, angularZ) };
}

export function distance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** `b` expressed in the frame whose origin is `a` (a⁻¹ ∘ b). */
export function relativePose(a: Pose2D, b: Pose2D): Pose2D {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const c = Math.cos(a.yaw);
  const s = Math.sin(a.yaw);
  return { x: c * dx + s * dy, y: -s * dx + c * dy, yaw: normalizeAngle(b.yaw - a.yaw) };
}

/** Composes two planar transforms: a ∘ b. */
export function composePose(a: Pose2D, b: Pose2D): Pose2D {
  const c = Math.cos(a.yaw);
  const s = Math.sin(a.yaw);
  return { x: a.x + c * b.x - s * b.y, y: a.y + s * b.x + c * b.y, yaw: normalizeAngle(a.yaw + b.yaw) };
}
