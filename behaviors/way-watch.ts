/**
 * "Someone stands where I must pass": the robot, escorting, has not got anywhere for a while and
 * a person stands in front of it, inside the lane its body sweeps. In open space the planner goes
 * round people and the robot never stalls in front of one; in a tight place (a corridor, a door)
 * it cannot, and the mission asks them to step aside (behaviors/guide-mission.ts, `makingRoom`).
 * "In front" means along the way the robot has to go (its plan), not where it happens to face:
 * turned round to look for a customer who fell behind, it faces the customer, who stands where
 * it came from, not where it must pass.
 * The checks are pure; the node part reads /people and /plan (map frame) and TF map → base_link
 * on a timer and tells the mission only when the answer changes.
 */
import type { Path, People, Pose2D, RosNode, Timer, TransformBuffer } from '../src/ros/index.js';

export interface WayParams {
  /** A person whose centre is at most this far ahead of the robot's centre is in the way, m. */
  aheadM: number;
  /** ... and at most this far to either side of its heading (robot radius + person + margin), m. */
  halfLaneM: number;
  /**
   * Once asked to step aside, the person is out of the way when they stand at least this far to
   * the side (robot radius + person + a hand's breadth): in a corridor too narrow to leave the
   * full lane, someone pressed flat against its wall lets the robot squeeze by, at crawl speed.
   */
  clearLaneM: number;
  /** The robot counts as stalled when it moved less than this ... , m */
  stallMoveM: number;
  /** ... in this long, s. */
  stallS: number;
  /** How often the way is checked, s. */
  periodS: number;
  /** The way's direction is towards the plan's point this far on from the robot's nearest, m. */
  planLookaheadM: number;
}

export const DEFAULT_WAY_PARAMS: WayParams = {
  aheadM: 2.2,
  halfLaneM: 0.75,
  clearLaneM: 0.62,
  stallMoveM: 0.15,
  stallS: 3,
  periodS: 0.25,
  planLookaheadM: 1.0,
};

type Point = { x: number; y: number };

/**
 * The direction the robot has to go, rad: towards the point `lookaheadM` along `plan` beyond the
 * plan point nearest the robot. Without a plan, or at its end, the robot's own heading.
 */
export function wayHeading(robot: Pose2D, plan: ReadonlyArray<Point>, lookaheadM: number): number {
  if (plan.length < 2) return robot.yaw;
  let nearest = 0;
  let best = Infinity;
  plan.forEach((q, i) => {
    const d = Math.hypot(q.x - robot.x, q.y - robot.y);
    if (d < best) [best, nearest] = [d, i];
  });
  let left = lookaheadM;
  let target = plan[nearest]!;
  for (let i = nearest + 1; i < plan.length && left > 1e-9; i++) {
    left -= Math.hypot(plan[i]!.x - plan[i - 1]!.x, plan[i]!.y - plan[i - 1]!.y);
    target = plan[i]!;
  }
  // Too close to tell a direction (the plan's end is here): the robot faces its goal by now.
  if (Math.hypot(target.x - robot.x, target.y - robot.y) < 0.2) return robot.yaw;
  return Math.atan2(target.y - robot.y, target.x - robot.x);
}

/** True when one of `people` stands in the lane ahead of `robot` along `robot.yaw` (see WayParams). */
export function someoneAhead(
  robot: Pose2D,
  people: ReadonlyArray<{ x: number; y: number }>,
  p: Pick<WayParams, 'aheadM' | 'halfLaneM'>,
): boolean {
  const hx = Math.cos(robot.yaw);
  const hy = Math.sin(robot.yaw);
  return people.some((q) => {
    const dx = q.x - robot.x;
    const dy = q.y - robot.y;
    const along = dx * hx + dy * hy;
    const lateral = Math.abs(hx * dy - hy * dx);
    return along > 0 && along <= p.aheadM && lateral <= p.halfLaneM;
  });
}

/** Mission states in which the robot means to move on with a customer. */
const WATCHED_STATES = new Set(['escorting', 'waiting_for_customer']);

/**
 * Checks the way every `periodS` while the mission escorts, and calls `tell` when it becomes
 * blocked or clear again (a stall means the robot moved less than `stallMoveM` in `stallS`).
 */
export function watchTheWay(
  node: RosNode,
  /** The node's transform listener (map → base_link), shared with its other watchers. */
  tf: TransformBuffer,
  missionState: () => string,
  tell: (blocked: boolean) => void,
  params: WayParams = DEFAULT_WAY_PARAMS,
): { stop(): void } {
  let people: Point[] = [];
  node.createSubscription('people_msgs/msg/People', '/people', (msg: People) => {
    if (msg?.header?.frame_id !== 'map' || !Array.isArray(msg.people)) return;
    people = finitePoints(msg.people.map((q) => q?.position));
  });
  // The newest plan stays the way while the robot stands waiting (waiting cancels navigation).
  let plan: Point[] = [];
  node.createSubscription('nav_msgs/msg/Path', '/plan', (msg: Path) => {
    if (msg?.header?.frame_id !== 'map' || !Array.isArray(msg.poses)) return;
    plan = finitePoints(msg.poses.map((q) => q?.pose?.position));
  });
  /** Recent poses (node time s), the oldest first, spanning about stallS. */
  const trail: Array<{ t: number; pose: Pose2D }> = [];
  let blocked = false;
  const periodNs = BigInt(Math.round(params.periodS * 1e9));
  const timer: Timer = node.createTimer(periodNs, () => {
    const watched = WATCHED_STATES.has(missionState());
    const t = tf.lookup('map', 'base_link');
    const now = Number(node.now().nanoseconds) / 1e9;
    if (!watched || !t) {
      trail.length = 0;
      if (blocked) tell((blocked = false));
      return;
    }
    trail.push({ t: now, pose: t.pose });
    const way = { ...t.pose, yaw: wayHeading(t.pose, plan, params.planLookaheadM) };
    while (trail.length > 1 && trail[1]!.t <= now - params.stallS) trail.shift();
    const oldest = trail[0]!;
    const stalled =
      now - oldest.t >= params.stallS - 1e-6 &&
      Math.hypot(t.pose.x - oldest.pose.x, t.pose.y - oldest.pose.y) < params.stallMoveM;
    // Blocked needs a stall; clear needs only the narrower squeeze lane to be empty (the robot
    // waits, so it stalls; and the wider lane may not fit in the corridor at all).
    const next = blocked
      ? someoneAhead(way, people, { aheadM: params.aheadM, halfLaneM: params.clearLaneM })
      : stalled && someoneAhead(way, people, params);
    // Cleared, the robot gets a fresh stall window to get going in: its standing still while it
    // waited is no stall, and the wider lane would otherwise find the person again at once.
    if (blocked && !next) trail.length = 0;
    if (next !== blocked) tell((blocked = next));
  });
  return { stop: () => timer.cancel() };
}

function finitePoints(points: ReadonlyArray<{ x?: unknown; y?: unknown } | undefined>): Point[] {
  return points
    .map((q) => ({ x: q?.x, y: q?.y }))
    .filter((q): q is Point => Number.isFinite(q.x) && Number.isFinite(q.y));
}
