import { describe, expect, it } from 'vitest';
import { Time, poseStamped, type Pose2D } from '../ros/index.js';
import { NavError, type NavErrorCode } from './errors.js';
import { GoalRun, type GoalHandle } from './goal-run.js';
import { RecoverySequence, type NamedRecovery } from './recovery-sequence.js';
import type { RecoveryStep } from './types.js';

const P = { max_recoveries: 6, recovery_reset_distance: 1.0, blocked_replan_interval: 0.5 };
const at = (x: number): Pose2D => ({ x, y: 0, yaw: 0 });

/** A recovery whose ticks answer with `steps` in turn (then 'running' and still). */
function fakeRecovery(name: string, steps: RecoveryStep[] = []): NamedRecovery & { begun: number } {
  const out = {
    name,
    begun: 0,
    plugin: {
      configure() {},
      activate() {},
      deactivate() {},
      cleanup() {},
      begin() {
        out.begun++;
      },
      tick: (): RecoveryStep => steps.shift() ?? { status: 'running', linear: 0, angular: 0 },
    },
  };
  return out;
}

function rig(recoveries: NamedRecovery[], params: Partial<typeof P> = {}) {
  const gh = {
    request: { pose: poseStamped('map', new Time(0n), at(10)) },
    isCancelRequested: false,
  } as unknown as GoalHandle;
  const r = new GoalRun(gh, () => {}, 0n);
  r.admit();
  r.started = true;
  const ended: Array<{ code: NavErrorCode; message: string }> = [];
  const commands: Array<[number, number]> = [];
  /** What planning answers: the next replan's failure, if any, and whether the way ahead is blocked. */
  const world = { replanFails: undefined as NavError | undefined, blockedAhead: false, final: false };
  const seq = new RecoverySequence({
    recoveries,
    params: { ...P, ...params },
    planning: {
      replan: () => world.replanFails,
      blockedAhead: () => world.blockedAhead,
      finalFailure: (e) => (world.final ? e.code : undefined),
    },
    context: (pose) => ({
      now: 0,
      pose,
      scan: undefined,
      robot: {} as never,
      path: undefined,
      clearObstacles() {},
    }),
    drive: (v, w) => commands.push([v, w]),
    end: (_r, code, message) => ended.push({ code, message }),
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  return { r, seq, ended, commands, world };
}

describe('RecoverySequence', () => {
  it('runs the recoveries in order, one per blockage, and ends BLOCKED saying why once they are used up', () => {
    const wait = fakeRecovery('wait');
    const backUp = fakeRecovery('back_up');
    const { r, seq, ended, commands } = rig([wait, backUp]);
    seq.start(r, at(0), 'an obstacle in the way');
    expect(r.phase).toBe('recovering');
    expect(r.recoveries.current?.name).toBe('wait');
    seq.start(r, at(0), 'an obstacle in the way');
    expect(r.recoveries.current?.name).toBe('back_up');
    expect([wait.begun, backUp.begun]).toEqual([1, 1]);
    seq.start(r, at(0), 'no progress for 10 s');
    expect(ended).toEqual([
      { code: 'BLOCKED', message: 'blocked: no progress for 10 s; recoveries exhausted after 2' },
    ]);
    expect(commands).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('gives up after max_recoveries even when the sequence has more', () => {
    const { r, seq, ended } = rig([fakeRecovery('wait'), fakeRecovery('back_up')], { max_recoveries: 1 });
    seq.start(r, at(0), 'blocked');
    seq.start(r, at(0), 'blocked');
    expect(ended.map((e) => e.code)).toEqual(['BLOCKED']);
    expect(r.recoveries.count).toBe(1);
  });

  it('starts the sequence afresh once the robot moves recovery_reset_distance from where a recovery ended', () => {
    const { r, seq } = rig([fakeRecovery('wait'), fakeRecovery('back_up')]);
    seq.start(r, at(0), 'blocked');
    seq.answer(r, at(0), 'resume_end'); // the way is clear: resumes
    expect(r.phase).toBe('following');
    seq.forgetAfterMoving(r, at(0.5));
    seq.start(r, at(0.5), 'blocked');
    expect(r.recoveries.current?.name).toBe('back_up'); // near where the last ended: the next one
    seq.answer(r, at(0.5), 'resume_end');
    seq.forgetAfterMoving(r, at(1.4));
    expect(r.recoveries.next).toBe(2);
    seq.forgetAfterMoving(r, at(1.5)); // 1.0 m from where back_up ended
    seq.start(r, at(1.5), 'blocked');
    expect(r.recoveries.current?.name).toBe('wait'); // a new place: from the start
    expect(r.recoveries.count).toBe(3); // the goal's count goes on (max_recoveries)
  });

  it('does not reset the sequence for moving while no recovery has ended', () => {
    const { r, seq } = rig([fakeRecovery('wait'), fakeRecovery('back_up')]);
    seq.start(r, at(0), 'blocked');
    seq.forgetAfterMoving(r, at(5));
    seq.start(r, at(5), 'blocked');
    expect(r.recoveries.current?.name).toBe('back_up');
  });

  it('after a recovery ends, recovers again while the way stays blocked; a look for a way out does not', () => {
    const wait = fakeRecovery('wait');
    const backUp = fakeRecovery('back_up');
    const { r, seq, world } = rig([wait, backUp]);
    seq.start(r, at(0), 'blocked');
    world.blockedAhead = true;
    seq.answer(r, at(0), 'resume');
    expect(r.recoveries.current?.name).toBe('wait');
    expect(backUp.begun).toBe(0);
    seq.answer(r, at(0), 'resume_end');
    expect(r.recoveries.current?.name).toBe('back_up');
    expect(r.recoveries.blockedWhy).toBe('an obstacle right ahead');
  });

  it('resumes only when the new plan is clear ahead, and restarts the progress check there', () => {
    const { r, seq, world } = rig([fakeRecovery('wait')]);
    seq.start(r, at(0), 'blocked');
    world.replanFails = new NavError('BLOCKED', 'test', 'every route blocked');
    seq.answer(r, at(0), 'resume');
    expect(r.phase).toBe('recovering');
    expect(r.recoveries.blockedWhy).toBe('test: every route blocked');
    world.replanFails = undefined;
    r.active = 42;
    seq.answer(r, at(0.2), 'resume');
    expect(r.phase).toBe('following');
    // The progress window starts at the resume: not stuck until 10 s after it.
    const p = {
      progress_required_movement: 0.3,
      progress_required_rotation: 0.5,
      progress_time_allowance: 10,
    };
    expect(r.progress.stuck(at(0.2), 51.9, p)).toBe(false);
    expect(r.progress.stuck(at(0.2), 52, p)).toBe(true);
  });

  it('ends the goal with the code of a final planning failure while resuming', () => {
    const { r, seq, world, ended } = rig([fakeRecovery('wait'), fakeRecovery('back_up')]);
    seq.start(r, at(0), 'blocked');
    world.replanFails = new NavError('NO_PATH', 'test', 'no route');
    world.final = true;
    seq.answer(r, at(0), 'resume_end');
    expect(ended).toEqual([{ code: 'NO_PATH', message: 'test: no route' }]);
  });

  it('drives what the recovery says; standing still it looks for a way out every blocked_replan_interval', () => {
    const backUp = fakeRecovery('back_up', [
      { status: 'running', linear: -0.1, angular: 0 },
      { status: 'running', linear: 0, angular: 0 },
      { status: 'running', linear: 0, angular: 0 },
      { status: 'running', linear: 0, angular: 0 },
    ]);
    const { r, seq, commands } = rig([backUp]);
    seq.start(r, at(0), 'blocked');
    r.active = 1.0;
    seq.tick(r, at(0));
    expect(commands.at(-1)).toEqual([-0.1, 0]);
    expect(r.plan.take()).toBeUndefined(); // moving: no look yet
    seq.tick(r, at(0));
    expect(r.plan.take()).toBe('resume');
    r.active = 1.4;
    seq.tick(r, at(0));
    expect(r.plan.take()).toBeUndefined();
    r.active = 1.5;
    seq.tick(r, at(0));
    expect(r.plan.take()).toBe('resume');
  });

  it('when a recovery ends, stops the robot and holds it until the planner has answered', () => {
    const wait = fakeRecovery('wait', [{ status: 'done', linear: 0, angular: 0, note: 'waited 3 s' }]);
    const { r, seq, commands } = rig([wait]);
    seq.start(r, at(0), 'blocked');
    seq.tick(r, at(0));
    expect(commands.at(-1)).toEqual([0, 0]);
    expect(r.plan.holdForPlan).toBe(true);
    expect(r.plan.take()).toBe('resume_end');
  });
});
