import { describe, expect, it } from 'vitest';
import {
  EmbeddedContext,
  GoalStatus,
  SimClock,
  durationMsg,
  durationMsgToSeconds,
  type SpinFeedback,
  type SpinGoal,
} from '../ros/index.js';
import { DEFAULT_ROBOT } from '../robot-description.js';
import { NAV2_ERROR_CODES, NAV2_NONE } from './nav2-error-codes.js';

// Nav2 behavior_server's codes, by name: the mission cannot tell this server from Nav2's.
const { Spin } = NAV2_ERROR_CODES;
import { SPIN_DEFAULTS, createSpinServer } from './spin-behavior.js';
import { TestPlant, gridFromText } from './test-plant.js';

const STEP_NS = 10_000_000n;
const ROOM = ['########', '#......#', '#......#', '#......#', '########'];

function rig(startYaw = 0) {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const plant = new TestPlant(ctx.createNode('test_plant'), gridFromText(ROOM, 0.5), {
    x: 2,
    y: 1.25,
    yaw: startYaw,
  });
  const server = createSpinServer(ctx.createNode('behavior_server'), { robot: DEFAULT_ROBOT });
  const probe = ctx.createNode('probe');
  const client = probe.createActionClient('nav2_msgs/action/Spin', '/spin');
  const safety = probe.createPublisher('medhjalparen_msgs/msg/SafetyState', '/safety/state', {
    qos: { durability: 'transient_local' },
  });
  let t = 0n;
  /** Unwrapped yaw of the plant, integrated from its steps. */
  let unwrapped = startYaw;
  let lastYaw = startYaw;
  const step = () => {
    t += STEP_NS;
    clock.advanceTo(t);
    plant.step();
    ctx.spinSome();
    unwrapped += Math.atan2(Math.sin(plant.pose.yaw - lastYaw), Math.cos(plant.pose.yaw - lastYaw));
    lastYaw = plant.pose.yaw;
  };
  step();
  return {
    plant,
    server,
    now: () => Number(t) / 1e9,
    turned: () => unwrapped - startYaw,
    async spin(goal: Partial<SpinGoal>) {
      const feedback: SpinFeedback[] = [];
      const handle = await client.sendGoal(
        { target_yaw: 0, time_allowance: durationMsg(0), disable_collision_checks: false, ...goal },
        (f) => feedback.push(f),
      );
      let outcome: Awaited<ReturnType<typeof handle.getResult>> | undefined;
      void handle.getResult().then((r) => (outcome = r));
      return { handle, feedback, result: () => outcome };
    },
    async run(seconds: number, done: () => boolean = () => false) {
      const end = t + BigInt(Math.round(seconds * 1e9));
      while (t < end && !done()) {
        for (let i = 0; i < 10; i++) step();
        await new Promise((r) => setImmediate(r));
      }
    },
    estop() {
      safety.publish({
        header: { stamp: probe.now().toMsg(), frame_id: '' },
        estop_latched: true,
        reason: 'estop',
        source: 'test',
      });
    },
  };
}

describe('spin behaviour (nav2_msgs/action/Spin on /spin)', () => {
  it('turns a full circle counter-clockwise within the rate limits and stops with a zero command', async () => {
    const r = rig(0.3);
    const g = await r.spin({ target_yaw: 2 * Math.PI });
    await r.run(30, () => g.result() !== undefined);
    const out = g.result()!;
    expect(out.status).toBe(GoalStatus.STATUS_SUCCEEDED);
    expect(out.result.error_code).toBe(NAV2_NONE);
    expect(r.turned()).toBeGreaterThan(2 * Math.PI - 0.05);
    expect(r.turned()).toBeLessThan(2 * Math.PI + 0.1);
    const rates = r.plant.commands.map((c) => c.angular.z);
    expect(Math.max(...rates)).toBeLessThanOrEqual(SPIN_DEFAULTS.max_rotational_vel + 1e-9);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0);
    expect(r.plant.commands.every((c) => c.linear.x === 0)).toBe(true);
    expect(r.plant.lastCommand?.angular.z).toBe(0);
    // 2π at ≤ 0.8 rad/s takes at least 7.85 s; the ramps add a little.
    const elapsed = durationMsgToSeconds(out.result.total_elapsed_time);
    expect(elapsed).toBeGreaterThan(7.8);
    expect(elapsed).toBeLessThan(10);
    expect(g.feedback.length).toBeGreaterThan(100);
    expect(g.feedback.at(-1)!.angular_distance_traveled).toBeGreaterThan(6);
  });

  it('turns clockwise for a negative target, across the ±π wrap', async () => {
    const r = rig(-3.0);
    const g = await r.spin({ target_yaw: -1.5 });
    await r.run(10, () => g.result() !== undefined);
    expect(g.result()!.result.error_code).toBe(NAV2_NONE);
    expect(r.turned()).toBeCloseTo(-1.5, 1);
    expect(Math.max(...r.plant.commands.map((c) => c.angular.z))).toBeLessThanOrEqual(0);
  });

  it('stops at once when cancelled and says so', async () => {
    const r = rig();
    const g = await r.spin({ target_yaw: 2 * Math.PI });
    await r.run(2);
    void g.handle.cancelGoal();
    await r.run(1, () => g.result() !== undefined);
    expect(g.result()!.status).toBe(GoalStatus.STATUS_CANCELED);
    expect(g.result()!.result.error_code).toBe(NAV2_NONE);
    expect(r.plant.lastCommand?.angular.z).toBe(0);
    expect(r.server.busy()).toBe(false);
    expect(r.turned()).toBeLessThan(2);
  });

  it('times out when the turn cannot finish in its time allowance', async () => {
    const r = rig();
    const g = await r.spin({ target_yaw: 2 * Math.PI, time_allowance: durationMsg(3) });
    await r.run(6, () => g.result() !== undefined);
    expect(g.result()!.status).toBe(GoalStatus.STATUS_ABORTED);
    expect(g.result()!.result.error_code).toBe(Spin.TIMEOUT);
    expect(r.plant.lastCommand?.angular.z).toBe(0);
  });

  it('ends STOPPED when the e-stop latches mid-turn, and refuses new turns while it stays latched', async () => {
    const r = rig();
    const g = await r.spin({ target_yaw: 3 });
    await r.run(1);
    r.estop();
    await r.run(1, () => g.result() !== undefined);
    // Held still by the gate, Nav2's spin would time out: the same code, the gate's reason in words.
    expect(g.result()!.result).toMatchObject({
      error_code: Spin.TIMEOUT,
      error_msg: expect.stringMatching(/e-stop latched/),
    });
    expect(r.plant.lastCommand?.angular.z).toBe(0);
    const again = await r.spin({ target_yaw: 1 });
    await r.run(1, () => again.result() !== undefined);
    expect(again.result()!.result.error_code).toBe(Spin.TIMEOUT);
  });

  it('rejects a target that is not a finite number, naming the field', async () => {
    const r = rig();
    const g = await r.spin({ target_yaw: Number.NaN });
    await r.run(1, () => g.result() !== undefined);
    expect(g.result()!.result.error_code).toBe(Spin.UNKNOWN);
    expect(g.result()!.result.error_msg).toMatch(/goal\.target_yaw/);
    expect(r.plant.commands.every((c) => c.angular.z === 0)).toBe(true);
  });

  it('ends NO_POSE when localisation is lost mid-turn', async () => {
    const r = rig();
    const g = await r.spin({ target_yaw: 3 });
    await r.run(1);
    r.plant.publishTf = false;
    await r.run(2, () => g.result() !== undefined);
    expect(g.result()!.result.error_code).toBe(Spin.TF_ERROR);
    expect(r.plant.lastCommand?.angular.z).toBe(0);
  });
});
