import { describe, expect, it } from 'vitest';
import { Time, poseStamped, type Path } from '../ros/index.js';
import { NavError, type ServerEnding } from './errors.js';
import { GoalPlan, finalPlanFailure, pathAheadBlocked } from './planning.js';

const fail = (code: Exclude<ServerEnding, 'NONE'>) => new NavError(code, 'test', 'planning failed');
const ROBOT = { x: 1, y: 1, yaw: 0 };
const GOAL = { x: 8, y: 1, yaw: 0 };
/** A static map with a wall (254) at x ≥ 10 and inflation (253) at 9 ≤ x < 10; free elsewhere. */
const MAP = { costAtWorld: (x: number) => (x >= 10 ? 254 : x >= 9 ? 253 : 0) };

/** Poses every 0.1 m along y = 1 from x = 0 to x = 6. */
function straightPath(): Path {
  const poses = Array.from({ length: 61 }, (_, i) =>
    poseStamped('map', new Time(0n), { x: i / 10, y: 1, yaw: 0 }),
  );
  return { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, poses };
}
/** Observed obstacles: one round (x, 1), 0.05 m across. */
const obstacleAt = (ox: number) => ({
  obstacleCostAt: (x: number, y: number) => (Math.hypot(x - ox, y - 1) < 0.05 ? 254 : 0),
});
const RADIUS = 0.3;

describe('finalPlanFailure (which planning failures end the goal)', () => {
  it.each(['NO_PATH', 'INVALID_GOAL', 'CANCELLED', 'UNKNOWN'] as const)('%s is final', (code) => {
    expect(finalPlanFailure(fail(code), ROBOT, GOAL, MAP)).toBe(code);
  });

  it('BLOCKED is not final: recoveries may clear what was seen', () => {
    expect(finalPlanFailure(fail('BLOCKED'), ROBOT, GOAL, MAP)).toBeUndefined();
  });

  it('GOAL_OCCUPIED is final only when the map itself (walls and their inflation) occupies the goal', () => {
    expect(finalPlanFailure(fail('GOAL_OCCUPIED'), ROBOT, GOAL, MAP)).toBeUndefined();
    expect(finalPlanFailure(fail('GOAL_OCCUPIED'), ROBOT, { x: 9.2, y: 1, yaw: 0 }, MAP)).toBe(
      'GOAL_OCCUPIED',
    );
  });

  it('START_OCCUPIED is final only when the robot stands in a wall of the map, not in its inflation', () => {
    expect(finalPlanFailure(fail('START_OCCUPIED'), { x: 9.5, y: 1, yaw: 0 }, GOAL, MAP)).toBeUndefined();
    expect(finalPlanFailure(fail('START_OCCUPIED'), { x: 10.5, y: 1, yaw: 0 }, GOAL, MAP)).toBe(
      'START_OCCUPIED',
    );
  });
});

describe('pathAheadBlocked', () => {
  it('counts no path as blocked', () => {
    expect(pathAheadBlocked(undefined, ROBOT, 0, 3, RADIUS, obstacleAt(2))).toBe(true);
  });

  it('sees an observed obstacle within the distance checked, and not one beyond it', () => {
    const path = straightPath();
    expect(pathAheadBlocked(path, { x: 0, y: 1, yaw: 0 }, 0, 3, RADIUS, obstacleAt(2.5))).toBe(true);
    expect(pathAheadBlocked(path, { x: 0, y: 1, yaw: 0 }, 0, 3, RADIUS, obstacleAt(4.5))).toBe(false);
  });

  it('measures the distance from the pose index it starts at', () => {
    const path = straightPath();
    // From index 20 (x = 2): 3 m reaches x = 5.
    expect(pathAheadBlocked(path, { x: 2, y: 1, yaw: 0 }, 20, 3, RADIUS, obstacleAt(4.5))).toBe(true);
    // Behind the start index does not count.
    expect(pathAheadBlocked(path, { x: 2, y: 1, yaw: 0 }, 20, 3, RADIUS, obstacleAt(1.0))).toBe(false);
  });

  it('ignores what lies under the robot itself', () => {
    const path = straightPath();
    expect(pathAheadBlocked(path, { x: 2, y: 1, yaw: 0 }, 0, 6, RADIUS, obstacleAt(2.2))).toBe(false);
    expect(pathAheadBlocked(path, { x: 2, y: 1, yaw: 0 }, 0, 6, RADIUS, obstacleAt(2.4))).toBe(true);
  });
});

describe('GoalPlan (what the control tick asks of planning)', () => {
  it('hands each request to the planning timer once, and releases the hold with it', () => {
    const plan = new GoalPlan();
    expect(plan.take()).toBeUndefined();
    plan.askBlocked(5);
    expect(plan.holdForPlan).toBe(true);
    expect(plan.take()).toBe('blocked');
    expect(plan.holdForPlan).toBe(false);
    expect(plan.take()).toBeUndefined();
  });

  it('a periodic refresh does not replace a detour already asked for', () => {
    const plan = new GoalPlan();
    plan.askDetour(1);
    plan.askPeriodic();
    expect(plan.take()).toBe('ahead');
  });

  it('a detour replaces a periodic refresh but never a blocked request that holds the robot', () => {
    const plan = new GoalPlan();
    plan.askPeriodic();
    plan.askDetour(1);
    expect(plan.take()).toBe('ahead');
    plan.askBlocked(2);
    plan.askDetour(3);
    expect(plan.take()).toBe('blocked');
  });

  it('lets replans for a blocked way come only every interval of active time, from the last one asked', () => {
    const plan = new GoalPlan();
    expect(plan.blockedReplanDue(0, 0.5)).toBe(true);
    plan.askWayOut(1.0);
    expect(plan.blockedReplanDue(1.4, 0.5)).toBe(false);
    expect(plan.blockedReplanDue(1.5, 0.5)).toBe(true);
    plan.askBlocked(1.5);
    expect(plan.blockedReplanDue(1.9, 0.5)).toBe(false);
  });

  it('holds the robot after a recovery until the planner has looked, but not while a recovery looks for a way out', () => {
    const plan = new GoalPlan();
    plan.askWayOut(0);
    expect(plan.holdForPlan).toBe(false);
    expect(plan.take()).toBe('resume');
    plan.askAfterRecovery();
    expect(plan.holdForPlan).toBe(true);
    expect(plan.take()).toBe('resume_end');
  });
});
