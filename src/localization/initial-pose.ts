/**
 * An operator's (or RViz's) /initialpose, as every localiser here reads it: a finite pose in the
 * localiser's global frame, or nothing (and one warning naming the frame it came in).
 */
import { poseToPose2d, type Pose2D, type PoseWithCovarianceStamped, type RosNode } from '../ros/index.js';

export function initialPoseIn(
  msg: PoseWithCovarianceStamped,
  frame: string,
  log: ReturnType<RosNode['getLogger']>,
): Pose2D | undefined {
  const pose = msg?.pose?.pose ? poseToPose2d(msg.pose.pose) : undefined;
  if (msg?.header?.frame_id === frame && pose && [pose.x, pose.y, pose.yaw].every(Number.isFinite))
    return pose;
  log.warn(`ignoring an /initialpose that is not a finite pose in the ${frame} frame`, {
    frame: String(msg?.header?.frame_id),
  });
  return undefined;
}
