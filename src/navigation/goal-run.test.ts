import { describe, expect, it } from 'vitest';
import { Time, poseStamped, type PoseStamped } from '../ros/index.js';
import { GoalRun, checkGoal, type GoalHandle } from './goal-run.js';

const goalAt = (pose: PoseStamped) =>
  new GoalRun({ request: { pose } } as unknown as GoalHandle, () => {}, 1_000_000_000n);
const mapGoal = () => poseStamped('map', new Time(0n), { x: 3, y: 4, yaw: Math.PI / 2 });

describe('GoalRun', () => {
  it("is 'starting' until the first pose, then 'following', and 'recovering' only while a recovery runs", () => {
    const r = goalAt(mapGoal());
    expect(r.phase).toBe('starting');
    r.started = true;
    expect(r.phase).toBe('following');
    r.recoveries.current = { name: 'wait', plugin: {} as never };
    expect(r.phase).toBe('recovering');
    r.recoveries.current = undefined;
    expect(r.phase).toBe('following');
  });

  it('admits a well-formed goal and keeps its pose in map; refuses another frame and keeps none', () => {
    const r = goalAt(mapGoal());
    expect(r.admit()).toBeUndefined();
    expect(r.goalPose.x).toBe(3);
    expect(r.goalPose.y).toBe(4);
    expect(r.goalPose.yaw).toBeCloseTo(Math.PI / 2, 12);
    const odom = goalAt(poseStamped('odom', new Time(0n), { x: 3, y: 4, yaw: 0 }));
    expect(odom.admit()).toBe("goal.pose.header.frame_id: expected 'map', found 'odom'");
    expect(Number.isNaN(odom.goalPose.x)).toBe(true);
  });

  it('measures each control step from the previous one, the first from when the goal arrived', () => {
    const r = goalAt(mapGoal());
    expect(r.tickDt(1_050_000_000n)).toBeCloseTo(0.05, 12);
    expect(r.tickDt(1_150_000_000n)).toBeCloseTo(0.1, 12);
  });
});

describe('checkGoal', () => {
  it('names the field that is not finite', () => {
    const g = mapGoal();
    g.pose.position.y = Infinity;
    expect(checkGoal(g)).toBe('goal.pose.pose.position.y: expected a finite number, found Infinity');
  });

  it('refuses an all-zero quaternion', () => {
    const g = mapGoal();
    g.pose.orientation = { x: 0, y: 0, z: 0, w: 0 };
    expect(checkGoal(g)).toBe('goal.pose.pose.orientation: expected a quaternion, found all zeros');
  });

  it('refuses a missing goal', () => {
    expect(checkGoal(undefined)).toBe('goal.pose: missing');
  });
});
