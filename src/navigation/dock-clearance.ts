/**
 * Whether the docking behaviour's next straight move is clear, by the latest scan: the round
 * footprint, widened by a margin, swept along the segment from the robot to where it is going.
 * A scan point in that sweep blocks the move when the move brings the robot closer to it; one
 * beside the robot that the move runs past (a wall the robot stands near) does not, the same rule
 * as the safety gate's. The behaviour stops and fails rather than let the gate hold it against
 * something: a dock with a box on it is a clear failure, never a push.
 */
import type { ScanPoints } from '../safety/index.js';

/** A point closer to the move's end than to the robot by less than this is not "coming closer", m. */
const CLOSER_EPS_M = 1e-3;

export interface Blocker {
  /** The scan point, in the frame of the points given. */
  x: number;
  y: number;
  /** Its distance from the robot's centre, m. */
  fromRobot: number;
}

/**
 * The nearest scan point that blocks a straight move of a disc of `radius` from (0, 0), where the
 * points are (the robot frame), to `to`; undefined when the way is clear.
 */
export function blockerOnMove(
  scan: ScanPoints,
  to: { x: number; y: number },
  radius: number,
): Blocker | undefined {
  let found: Blocker | undefined;
  const length2 = to.x * to.x + to.y * to.y;
  for (let i = 0; i < scan.count; i++) {
    const x = scan.xs[i]!;
    const y = scan.ys[i]!;
    const fromRobot = Math.hypot(x, y);
    if (fromRobot > Math.sqrt(length2) + radius) continue;
    const t = length2 > 0 ? Math.max(0, Math.min(1, (x * to.x + y * to.y) / length2)) : 0;
    const fromPath = Math.hypot(x - t * to.x, y - t * to.y);
    if (fromPath >= radius || fromRobot - fromPath <= CLOSER_EPS_M) continue;
    if (!found || fromRobot < found.fromRobot) found = { x, y, fromRobot };
  }
  return found;
}

/**
 * The nearest scan point in the lane a disc of `radius` sweeps from `a` to `b` (both in the
 * robot frame, like the points): what stands on the dock or in front of it, wherever the robot
 * is now. Undefined when the lane is clear.
 */
export function blockerInLane(
  scan: ScanPoints,
  a: { x: number; y: number },
  b: { x: number; y: number },
  radius: number,
): Blocker | undefined {
  let found: Blocker | undefined;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  for (let i = 0; i < scan.count; i++) {
    const x = scan.xs[i]!;
    const y = scan.ys[i]!;
    const t = length2 > 0 ? Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / length2)) : 0;
    if (Math.hypot(x - a.x - t * dx, y - a.y - t * dy) >= radius) continue;
    const fromRobot = Math.hypot(x, y);
    if (!found || fromRobot < found.fromRobot) found = { x, y, fromRobot };
  }
  return found;
}
