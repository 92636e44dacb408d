/**
 * The robot's pose in the map from TF, refused when missing, stale or not finite: what every
 * navigation server needs before it moves the robot.
 */
import type { Pose2D, TransformBuffer } from '../ros/index.js';

export type RobotPoseLookup = { pose: Pose2D } | { why: string };

/** map → base_link at `nowNs`, no older than `toleranceS`; else why not (for the result message). */
export function freshRobotPose(tf: TransformBuffer, nowNs: bigint, toleranceS: number): RobotPoseLookup {
  const t = tf.lookup('map', 'base_link');
  if (!t) return { why: 'no transform map → base_link (no localisation yet)' };
  const age = Number(nowNs - t.stampNs) / 1e9;
  if (age > toleranceS) {
    return { why: `transform map → base_link is ${age.toFixed(2)} s old (tolerance ${toleranceS} s)` };
  }
  if (!Number.isFinite(t.pose.x) || !Number.isFinite(t.pose.y) || !Number.isFinite(t.pose.yaw)) {
    return { why: 'transform map → base_link is not finite' };
  }
  return { pose: t.pose };
}
