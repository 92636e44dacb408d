/**
 * Where docking happens: the staging pose on the dock's axis, the robot's pose in the dock's
 * frame, and the checks that refuse a dock pose the robot cannot use (malformed, not in `map`, or
 * in a wall on the costmap), each saying which field is wrong. Pure functions, apart so the
 * behaviour server only sequences them.
 *
 * The dock frame: origin at the dock pose, x along the dock yaw (the robot's heading when docked),
 * y to its left. A robot that backs onto its contacts stages at +staging_offset on x and drives
 * towards −x; one that docks forwards stages at −staging_offset and drives towards +x.
 */
import { COST_INSCRIBED, type Costmap } from '../map/index.js';
import type { Pose2D, PoseStamped } from '../ros/index.js';
import { quaternionToYaw, relativePose } from '../ros/index.js';

/** +1: the robot drives forwards onto the dock; −1: it backs onto it. */
export type ApproachDirection = 1 | -1;

export function approachDirection(backwards: boolean): ApproachDirection {
  return backwards ? -1 : 1;
}

/** The staging pose: `offset` from the dock pose along its axis, on the side the robot comes from. */
export function stagingPose(dock: Pose2D, offset: number, dir: ApproachDirection): Pose2D {
  const d = -dir * offset;
  return { x: dock.x + d * Math.cos(dock.yaw), y: dock.y + d * Math.sin(dock.yaw), yaw: dock.yaw };
}

/** The robot's pose in the dock frame (x along the axis, y lateral, yaw relative to the dock's). */
export function inDockFrame(robot: Pose2D, dock: Pose2D): Pose2D {
  return relativePose(dock, robot);
}

/** Distance still to drive along the axis onto the dock pose (negative once past it), m. */
export function remainingOnAxis(inDock: Pose2D, dir: ApproachDirection): number {
  return -dir * inDock.x;
}

/** How far the robot is from the dock pose, m and rad (absolute). */
export function dockError(robot: Pose2D, dock: Pose2D): { xy: number; yaw: number } {
  const rel = inDockFrame(robot, dock);
  return { xy: Math.hypot(rel.x, rel.y), yaw: Math.abs(rel.yaw) };
}

/** The dock pose of a DockRobot goal, or why it cannot be used (naming the field). */
export function dockPoseOf(stamped: PoseStamped | undefined): Pose2D | string {
  if (!stamped || !stamped.header || !stamped.pose) return 'goal.dock_pose: missing';
  if (stamped.header.frame_id !== 'map') {
    return `goal.dock_pose.header.frame_id: expected 'map', found '${String(stamped.header.frame_id).slice(0, 40)}'`;
  }
  const { position: q, orientation: o } = stamped.pose;
  if (!q || !o) return 'goal.dock_pose.pose: missing position or orientation';
  const fields = { 'position.x': q.x, 'position.y': q.y, 'position.z': q.z };
  const angles = { 'orientation.x': o.x, 'orientation.y': o.y, 'orientation.z': o.z, 'orientation.w': o.w };
  for (const [k, v] of Object.entries({ ...fields, ...angles })) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return `goal.dock_pose.pose.${k}: expected a finite number, found ${String(v)}`;
    }
  }
  if (Math.hypot(o.x, o.y, o.z, o.w) < 1e-6) {
    return 'goal.dock_pose.pose.orientation: expected a quaternion, found all zeros';
  }
  return { x: q.x, y: q.y, yaw: quaternionToYaw(o) };
}

/**
 * Why the robot cannot stand at the dock pose, at the staging pose, or anywhere on the straight
 * lane between them by the static costmap (the footprint would overlap a wall, or it is off the
 * map); undefined when it can.
 */
export function dockLaneProblem(costmap: Costmap, dock: Pose2D, staging: Pose2D): string | undefined {
  const at = (p: Pose2D) => costmap.costAtWorld(p.x, p.y);
  const where = (p: Pose2D) => `(${p.x.toFixed(2)}, ${p.y.toFixed(2)})`;
  if (at(dock) >= COST_INSCRIBED) {
    return `goal.dock_pose: the robot cannot stand at ${where(dock)}: it is in a wall, within the robot's radius of one, or off the map`;
  }
  const length = Math.hypot(staging.x - dock.x, staging.y - dock.y);
  const steps = Math.max(1, Math.ceil(length / (costmap.resolution / 2)));
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const p = { x: dock.x + t * (staging.x - dock.x), y: dock.y + t * (staging.y - dock.y), yaw: dock.yaw };
    if (at(p) >= COST_INSCRIBED) {
      return `goal.dock_pose: the way from the staging pose ${where(staging)} onto the dock ${where(dock)} runs into a wall at ${where(p)} (docking.staging_offset ${length.toFixed(2)} m)`;
    }
  }
  return undefined;
}
