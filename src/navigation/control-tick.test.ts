import { describe, expect, it } from 'vitest';
import { Time, poseStamped, type Pose2D } from '../ros/index.js';
import { DEFAULT_ROBOT } from '../robot-description.js';
import { ControlTick } from './control-tick.js';
import type { NavErrorCode } from './errors.js';
import { GoalRun, type GoalHandle } from './goal-run.js';
import { NO_SPEED_LIMIT } from './speed-limits.js';
import type { FollowerInput, FollowerOutput } from './types.js';

const TICK_NS = 50_000_000n; // 20 Hz
const HERE: Pose2D = { x: 1, y: 1, yaw: 0 };

const following = (linear: number, state: FollowerOutput['state'] = 'following'): FollowerOutput => ({
  linear,
  angular: 0,
  state,
  limitedBy: 'desired',
  distanceRemaining: 5,
  nextIndex: 0,
  offPath: 0,
});

/** A started goal, the tick with fake parts, and what the tick did to them. */
function rig(params: { timeout?: number } = {}) {
  let nowNs = 0n;
  const gh = {
    request: { pose: poseStamped('map', new Time(0n), { x: 6, y: 1, yaw: 0 }) },
    isCancelRequested: false,
    publishFeedback() {},
  };
  const r = new GoalRun(gh as unknown as GoalHandle, () => {}, 0n);
  r.admit();
  r.started = true;
  const ended: Array<{ code: NavErrorCode; message: string }> = [];
  const commands: Array<[number, number]> = [];
  const recoveriesStarted: string[] = [];
  const followerInputs: FollowerInput[] = [];
  const inputs = {
    estopLatched: false,
    baseConnected: true,
    speedCap: Infinity,
    odomSpeed: (): number | undefined => undefined,
    people: () => [],
  };
  const follower = { answer: following(0.5) };
  const tick = new ControlTick({
    node: { now: () => new Time(nowNs) },
    params: {
      timeout: params.timeout ?? 900,
      pose_wait_timeout: 2,
      paused_speed: 0.02,
      progress_required_movement: 0.3,
      progress_required_rotation: 0.5,
      progress_time_allowance: 10,
    },
    robot: DEFAULT_ROBOT,
    zones: NO_SPEED_LIMIT,
    inputs,
    follower: {
      computeVelocity: (input) => {
        followerInputs.push(input);
        return follower.answer;
      },
    },
    planning: { askWhileFollowing() {} },
    recovery: {
      tick() {},
      start: (_r, _pose, why) => recoveriesStarted.push(why),
      forgetAfterMoving() {},
    },
    robotPose: () => ({ pose: HERE }),
    begin() {},
    drive: (v, w) => commands.push([v, w]),
    end: (goal, code, message) => {
      goal.ended = true;
      ended.push({ code, message });
    },
  });
  return {
    r,
    gh,
    inputs,
    follower,
    ended,
    commands,
    recoveriesStarted,
    followerInputs,
    /** Advances the clock one control period and ticks. */
    step(n = 1) {
      for (let i = 0; i < n; i++) {
        nowNs += TICK_NS;
        if (!r.ended) tick.tick(r);
      }
    },
  };
}

describe('ControlTick', () => {
  it('drives what the follower says and counts the time towards the goal', () => {
    const t = rig();
    t.step(4);
    expect(t.commands).toEqual(Array(4).fill([0.5, 0]));
    expect(t.r.active).toBeCloseTo(0.2, 12);
  });

  it('holds still at a ~0 speed limit without the time counting, and times out on moving time only', () => {
    const t = rig({ timeout: 1.02 });
    t.inputs.speedCap = 0.01; // below paused_speed: waiting for the customer
    t.step(100);
    expect(t.r.active).toBe(0);
    expect(t.commands.every(([v, w]) => v === 0 && w === 0)).toBe(true);
    expect(t.ended).toEqual([]);
    t.inputs.speedCap = Infinity;
    t.step(20); // 1.0 s of moving time
    expect(t.ended).toEqual([]);
    t.step(1);
    expect(t.ended).toEqual([{ code: 'TIMED_OUT', message: 'timed out after 1.02 s of navigation' }]);
  });

  it('holds still without the time counting while the drive base is lost', () => {
    const t = rig();
    t.inputs.baseConnected = false;
    t.step(10);
    expect(t.r.active).toBe(0);
    expect(t.followerInputs).toEqual([]);
  });

  it('checks cancel and the e-stop before anything else', () => {
    const t = rig();
    t.inputs.estopLatched = true;
    t.gh.isCancelRequested = true;
    t.step();
    expect(t.ended).toEqual([{ code: 'CANCELLED', message: 'cancelled by the client' }]);
    const u = rig();
    u.inputs.estopLatched = true;
    u.step();
    expect(u.ended.map((e) => e.code)).toEqual(['STOPPED']);
    expect(u.followerInputs).toEqual([]);
  });

  it('blocked right in front: stops and asks for a detour first, and recovers if still blocked after it', () => {
    const t = rig();
    t.follower.answer = following(0, 'blocked');
    t.step();
    expect(t.commands.at(-1)).toEqual([0, 0]);
    expect(t.r.plan.holdForPlan).toBe(true);
    expect(t.recoveriesStarted).toEqual([]);
    t.step(); // held: the follower is not asked until the planner has answered
    expect(t.followerInputs).toHaveLength(1);
    expect(t.r.plan.take()).toBe('blocked');
    t.r.plan.detourTried = true; // what the planning timer records after trying
    t.step();
    expect(t.recoveriesStarted).toEqual(['an obstacle in the way']);
    expect(t.r.plan.detourTried).toBe(false);
  });

  it('ends the goal NONE on arrival, without a command of its own', () => {
    const t = rig();
    t.follower.answer = following(0, 'arrived');
    t.step();
    expect(t.ended).toEqual([{ code: 'NONE', message: '' }]);
    expect(t.commands).toEqual([]);
  });

  it('gives the follower fresh odometry, or its own last command when odometry is stale', () => {
    const t = rig();
    t.step(); // no odometry, no last answer: 0
    t.step(); // no odometry: the last command, 0.5
    t.inputs.odomSpeed = () => 0.42;
    t.step();
    expect(t.followerInputs.map((i) => i.speed)).toEqual([0, 0.5, 0.42]);
  });

  it('starts a recovery when the robot makes no progress for progress_time_allowance', () => {
    const t = rig();
    t.r.progress.restart(HERE, 0);
    t.step(199); // 9.95 s, still at HERE
    expect(t.recoveriesStarted).toEqual([]);
    t.step();
    expect(t.recoveriesStarted).toEqual(['no progress for 10 s']);
  });
});
