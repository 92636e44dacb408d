import { describe, expect, it } from 'vitest';
import { buildCostmap, DEFAULT_INFLATION } from '../map/index.js';
import {
  EmbeddedContext,
  GoalStatus,
  SimClock,
  poseStamped,
  quaternionToYaw,
  normalizeAngle,
  type NavigateToPoseFeedback,
  type Path,
  type Pose2D,
} from '../ros/index.js';
import { DEFAULT_ROBOT } from '../robot-description.js';
import { NAV2_ERROR_CODES, NAV2_NONE } from './nav2-error-codes.js';

// Nav2's codes, by Nav2's names: a client cannot tell this navigator from Nav2's bt_navigator.
const { NavigateToPose, ComputePathToPose, FollowPath } = NAV2_ERROR_CODES;
import { createNavigator } from './navigator.js';
import { TestPlant, gridFromText } from './test-plant.js';

const STEP_NS = 10_000_000n; // 100 Hz plant and executor

// 13 m × 5 m: two corridors (south y 0.5..2, north y 3..4.5) joined at both ends round a block.
const LOOP = [
  '##########################',
  '#........................#',
  '#........................#',
  '#........................#',
  '#...##################...#',
  '#...##################...#',
  '#........................#',
  '#........................#',
  '#........................#',
  '##########################',
];
// One straight corridor, 13 m × 2 m inside.
const CORRIDOR = [
  '##########################',
  '#........................#',
  '#........................#',
  '#........................#',
  '#........................#',
  '##########################',
];
// A room cut in two by a wall.
const SPLIT = ['##########', '#...#....#', '#...#....#', '#...#....#', '##########'];

function world(rows: string[], start: Pose2D, params: Record<string, number | boolean | string> = {}) {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const grid = gridFromText(rows, 0.5);
  const costmap = buildCostmap(grid, [], { ...DEFAULT_INFLATION, inscribed_radius: DEFAULT_ROBOT.radius });
  const plant = new TestPlant(ctx.createNode('test_plant'), grid, start);
  const nav = createNavigator(ctx.createNode('navigator'), { costmap, robot: DEFAULT_ROBOT, params });
  const probe = ctx.createNode('probe');
  const client = probe.createActionClient('nav2_msgs/action/NavigateToPose', '/navigate_to_pose');
  const safety = probe.createPublisher('medhjalparen_msgs/msg/SafetyState', '/safety/state');
  const speedLimit = probe.createPublisher('nav2_msgs/msg/SpeedLimit', '/speed_limit');
  const plans: Path[] = [];
  probe.createSubscription('nav_msgs/msg/Path', '/plan', (p) => plans.push(p));
  const feedback: NavigateToPoseFeedback[] = [];
  const trail: Pose2D[] = [];
  let t = 0n;
  const step = () => {
    t += STEP_NS;
    clock.advanceTo(t);
    plant.step();
    ctx.spinSome();
    trail.push(plant.pose);
  };
  step(); // tf and a scan before any goal
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    ctx,
    plant,
    nav,
    plans,
    feedback,
    trail,
    step,
    now: () => Number(t) / 1e9,
    async send(goal: Pose2D, frame = 'map') {
      const handle = await client.sendGoal(
        { pose: poseStamped(frame, probe.now(), goal), behavior_tree: '' },
        (f) => feedback.push(f),
      );
      let outcome: Awaited<ReturnType<typeof handle.getResult>> | undefined;
      void handle.getResult().then((r) => (outcome = r));
      return { handle, result: () => outcome };
    },
    /** Steps simulated time until `done()` or `seconds` pass, letting promises settle. */
    async run(seconds: number, done: () => boolean = () => false) {
      const end = t + BigInt(Math.round(seconds * 1e9));
      while (t < end && !done()) {
        for (let i = 0; i < 10; i++) step();
        await settle();
      }
    },
    estop(latched: boolean) {
      safety.publish({
        header: { stamp: probe.now().toMsg(), frame_id: '' },
        estop_latched: latched,
        reason: '',
        source: 'test',
      });
    },
    limitSpeed(mps: number) {
      speedLimit.publish({
        header: { stamp: probe.now().toMsg(), frame_id: '' },
        percentage: false,
        speed_limit: mps,
      });
    },
  };
}

const isZero = (c: { linear: { x: number }; angular: { z: number } } | undefined) =>
  c !== undefined && c.linear.x === 0 && c.angular.z === 0;

describe('navigator (NavigateToPose on a test floor)', () => {
  it('drives to the goal and stops within the xy and yaw tolerances, with feedback and a plan', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    const goal = { x: 12.0, y: 1.25, yaw: Math.PI / 2 };
    const g = await w.send(goal);
    await w.run(60, () => g.result() !== undefined);
    const r = g.result()!;
    expect(r.result).toEqual({ error_code: NAV2_NONE, error_msg: '' });
    expect(r.status).toBe(GoalStatus.STATUS_SUCCEEDED);
    expect(Math.hypot(w.plant.pose.x - goal.x, w.plant.pose.y - goal.y)).toBeLessThanOrEqual(0.25);
    expect(Math.abs(normalizeAngle(w.plant.pose.yaw - goal.yaw))).toBeLessThanOrEqual(0.35);
    expect(isZero(w.plant.lastCommand)).toBe(true);
    expect(w.plans.length).toBeGreaterThan(0);
    const plan = w.plans[0]!;
    expect(quaternionToYaw(plan.poses[plan.poses.length - 1]!.pose.orientation)).toBeCloseTo(goal.yaw, 9);
    // Straight down the south corridor, in about the time a 1 m/s robot needs.
    expect(Math.max(...w.trail.map((p) => p.y))).toBeLessThan(2.0);
    expect(w.now()).toBeLessThan(20);
    const first = w.feedback[0]!;
    const last = w.feedback[w.feedback.length - 1]!;
    expect(first.distance_remaining).toBeGreaterThan(10.5);
    expect(last.distance_remaining).toBeLessThan(0.3);
    expect(first.estimated_time_remaining.sec).toBeGreaterThanOrEqual(10);
    expect(last.number_of_recoveries).toBe(0);
    expect(last.current_pose.header.frame_id).toBe('map');
    expect(last.navigation_time.sec).toBeGreaterThan(5);
  });

  it('answers NO_PATH at once when the map walls the goal off', async () => {
    const w = world(SPLIT, { x: 1.0, y: 1.25, yaw: 0 });
    const g = await w.send({ x: 3.5, y: 1.25, yaw: 0 });
    await w.run(1, () => g.result() !== undefined);
    expect(g.result()!.status).toBe(GoalStatus.STATUS_ABORTED);
    expect(g.result()!.result.error_code).toBe(ComputePathToPose.NO_VALID_PATH);
    expect(g.result()!.result.error_msg).toMatch(
      /no traversable route from \(1\.00, 1\.25\) to \(3\.50, 1\.25\)/,
    );
    expect(isZero(w.plant.lastCommand)).toBe(true);
  });

  it('detours by the other corridor when the scan shows the way blocked', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    // Something across the south corridor the map does not know about.
    w.plant.boxes.push({ minX: 6.0, minY: 0.5, maxX: 6.3, maxY: 2.0 });
    const goal = { x: 12.0, y: 1.25, yaw: 0 };
    const g = await w.send(goal);
    await w.run(90, () => g.result() !== undefined);
    expect(g.result()!.result).toEqual({ error_code: NAV2_NONE, error_msg: '' });
    expect(Math.hypot(w.plant.pose.x - goal.x, w.plant.pose.y - goal.y)).toBeLessThanOrEqual(0.25);
    expect(Math.max(...w.trail.map((p) => p.y))).toBeGreaterThan(3.0); // went round by the north corridor
    expect(w.trail.every((p) => p.x < 6.0 - 0.3 || p.x > 6.3 + 0.3 || p.y > 2.0 + 0.3)).toBe(true); // never into the box
    expect(w.plans.length).toBeGreaterThan(1);
  });

  it('waits for an obstacle that moves away, then carries on (a recovery, counted)', async () => {
    const w = world(CORRIDOR, { x: 1.0, y: 1.5, yaw: 0 });
    const person = { x: 4.0, y: 1.5, r: 0.45 }; // too wide to pass in a 2 m corridor
    w.plant.discs.push(person);
    const g = await w.send({ x: 11.5, y: 1.5, yaw: 0 });
    await w.run(8, () => w.nav.status().phase === 'recovering');
    expect(w.nav.status()).toMatchObject({ phase: 'recovering', recovery: 'wait' });
    expect(w.plant.pose.x).toBeLessThan(person.x - person.r - DEFAULT_ROBOT.radius);
    w.plant.discs.length = 0; // the person walks away
    await w.run(40, () => g.result() !== undefined);
    expect(g.result()!.result.error_code).toBe(NAV2_NONE);
    expect(w.feedback[w.feedback.length - 1]!.number_of_recoveries).toBeGreaterThanOrEqual(1);
  });

  it('gives up BLOCKED when nothing clears the way, and says why', async () => {
    const w = world(CORRIDOR, { x: 1.0, y: 1.5, yaw: 0 });
    w.plant.boxes.push({ minX: 4.0, minY: 0.5, maxX: 4.3, maxY: 2.5 });
    const g = await w.send({ x: 11.5, y: 1.5, yaw: 0 });
    await w.run(60, () => g.result() !== undefined);
    const r = g.result()!;
    expect(r.status).toBe(GoalStatus.STATUS_ABORTED);
    expect(r.result.error_code).toBe(FollowPath.FAILED_TO_MAKE_PROGRESS);
    expect(r.result.error_msg).toMatch(/^blocked: .*recoveries exhausted after 4/);
    expect(isZero(w.plant.lastCommand)).toBe(true);
    expect(w.plant.pose.x).toBeLessThan(4.0 - DEFAULT_ROBOT.radius);
  });

  it('cancels on request: CANCELED, and a zero command', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    const g = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(2);
    expect(w.plant.lastCommand!.linear.x).toBeGreaterThan(0.3);
    await g.handle.cancelGoal();
    await w.run(1, () => g.result() !== undefined);
    expect(g.result()!.status).toBe(GoalStatus.STATUS_CANCELED);
    expect(g.result()!.result.error_code).toBe(NAV2_NONE);
    expect(isZero(w.plant.lastCommand)).toBe(true);
    const x = w.plant.pose.x;
    await w.run(1);
    expect(w.plant.pose.x).toBe(x);
  });

  it('stops at once with STOPPED when the safety gate latches the e-stop, and refuses goals while it is latched', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    const g = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(2);
    w.estop(true);
    w.step();
    expect(isZero(w.plant.lastCommand)).toBe(true); // in the same step
    await w.run(0.5, () => g.result() !== undefined);
    expect(g.result()!.status).toBe(GoalStatus.STATUS_ABORTED);
    expect(g.result()!.result).toEqual({
      error_code: FollowPath.FAILED_TO_MAKE_PROGRESS,
      error_msg: 'stopped: the safety gate reports the e-stop latched',
    });
    expect(isZero(w.plant.lastCommand)).toBe(true);
    const again = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(0.2, () => again.result() !== undefined);
    expect(again.result()!.result.error_code).toBe(FollowPath.FAILED_TO_MAKE_PROGRESS);
  });

  it('preempts: a new goal ends the old one CANCELED and is followed instead', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    const first = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(1);
    const second = await w.send({ x: 3.0, y: 1.25, yaw: Math.PI });
    await w.run(30, () => second.result() !== undefined);
    expect(first.result()!.status).toBe(GoalStatus.STATUS_CANCELED);
    expect(first.result()!.result.error_msg).toBe('preempted by a newer goal');
    expect(second.result()!.result.error_code).toBe(NAV2_NONE);
    expect(Math.abs(w.plant.pose.x - 3.0)).toBeLessThanOrEqual(0.25);
  });

  it('rejects malformed goals with INVALID_GOAL and a reason, and keeps serving', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    const nan = await w.send({ x: NaN, y: 1, yaw: 0 });
    await w.run(0.2, () => nan.result() !== undefined);
    expect(nan.result()!.result).toEqual({
      error_code: ComputePathToPose.GOAL_OUTSIDE_MAP,
      error_msg: 'goal.pose.pose.position.x: expected a finite number, found NaN',
    });
    const odom = await w.send({ x: 3, y: 1.25, yaw: 0 }, 'odom');
    await w.run(0.2, () => odom.result() !== undefined);
    expect(odom.result()!.result.error_msg).toBe("goal.pose.header.frame_id: expected 'map', found 'odom'");
    const wall = await w.send({ x: 6, y: 2.5, yaw: 0 });
    await w.run(0.2, () => wall.result() !== undefined);
    expect(wall.result()!.result.error_code).toBe(ComputePathToPose.GOAL_OCCUPIED);
    const good = await w.send({ x: 3, y: 1.25, yaw: 0 });
    await w.run(20, () => good.result() !== undefined);
    expect(good.result()!.result.error_code).toBe(NAV2_NONE);
  });

  it('answers NO_POSE when localisation does not come within pose_wait_timeout, or stays stale that long mid-way', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    w.plant.publishTf = false;
    await w.run(1);
    const g = await w.send({ x: 5, y: 1.25, yaw: 0 });
    await w.run(1.5);
    expect(g.result()).toBeUndefined(); // still waiting for a pose, standing still
    expect(isZero(w.plant.lastCommand)).toBe(true);
    await w.run(1, () => g.result() !== undefined);
    expect(g.result()!.result.error_code).toBe(ComputePathToPose.TF_ERROR);
    expect(g.result()!.result.error_msg).toMatch(/transform map → base_link is 3\.\d\d s old/);

    // A goal sent before localisation starts once the pose arrives (issue 3: goals at start-up).
    const early = await w.send({ x: 3, y: 1.25, yaw: 0 });
    await w.run(0.5);
    w.plant.publishTf = true;
    await w.run(20, () => early.result() !== undefined);
    expect(early.result()!.result.error_code).toBe(NAV2_NONE);

    // Stale for a moment mid-way (a late transform): it stands still and goes on.
    const h = await w.send({ x: 12, y: 1.25, yaw: 0 });
    await w.run(1);
    w.plant.publishTf = false;
    await w.run(1.5);
    expect(h.result()).toBeUndefined();
    expect(isZero(w.plant.lastCommand)).toBe(true);
    w.plant.publishTf = true;
    await w.run(1);
    expect(h.result()).toBeUndefined();
    expect(w.plant.lastCommand!.linear.x).toBeGreaterThan(0);
    // Stale for longer than pose_wait_timeout: NO_POSE, stopped.
    w.plant.publishTf = false;
    await w.run(4, () => h.result() !== undefined);
    expect(h.result()!.result.error_code).toBe(ComputePathToPose.TF_ERROR);
    expect(isZero(w.plant.lastCommand)).toBe(true);
  });

  it('stands still at a ~0 speed limit without that time counting towards the timeout', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 }, { timeout: 20 });
    const g = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(3);
    w.limitSpeed(0.001); // the mission waits for its customer
    await w.run(0.5);
    const x = w.plant.pose.x;
    await w.run(60);
    expect(g.result()).toBeUndefined();
    expect(w.plant.pose.x).toBe(x);
    expect(isZero(w.plant.lastCommand)).toBe(true);
    w.limitSpeed(0); // no limit
    await w.run(30, () => g.result() !== undefined);
    expect(g.result()!.result.error_code).toBe(NAV2_NONE);
  });

  it('holds still while the drive base is lost, without the time counting, and goes on after (issue 4)', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 }, { timeout: 20 });
    const base = w.ctx
      .createNode('base_driver')
      .createPublisher('medhjalparen_msgs/msg/BaseState', '/base/state');
    const say = (connected: boolean) =>
      base.publish({
        header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
        connected,
        stop_latched: false,
        fault: '',
      });
    const g = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(3);
    say(false);
    await w.run(0.5);
    const x = w.plant.pose.x;
    await w.run(40); // longer than the goal timeout and the progress check: neither may fire
    expect(g.result()).toBeUndefined();
    expect(w.plant.pose.x).toBe(x);
    expect(w.nav.status().numberOfRecoveries).toBe(0);
    say(true);
    await w.run(30, () => g.result() !== undefined);
    expect(g.result()!.result.error_code).toBe(NAV2_NONE);
  });

  it('times out after the goal timeout of moving time', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 }, { timeout: 4 });
    const g = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(6, () => g.result() !== undefined);
    expect(g.result()!.result).toEqual({
      error_code: NavigateToPose.TIMEOUT,
      error_msg: 'timed out after 4 s of navigation',
    });
    expect(w.now()).toBeGreaterThan(4);
    expect(w.now()).toBeLessThan(4.3);
  });

  it('obeys /speed_limit while driving', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    w.limitSpeed(0.3);
    const g = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(5);
    expect(w.nav.status().limitedBy).toBe('speed_limit');
    expect(Math.max(...w.plant.commands.map((c) => c.linear.x))).toBeLessThanOrEqual(0.3 + 1e-12);
    await g.handle.cancelGoal();
    await w.run(0.2);
  });

  it('slows for a person ahead on /people, and shrugs off malformed inputs', async () => {
    const w = world(LOOP, { x: 1.0, y: 1.25, yaw: 0 });
    const probe = w.ctx.createNode('inputs');
    const people = probe.createPublisher('people_msgs/msg/People', '/people');
    const limit = probe.createPublisher('nav2_msgs/msg/SpeedLimit', '/speed_limit');
    const scan = probe.createPublisher('sensor_msgs/msg/LaserScan', '/scan');
    const header = () => ({ stamp: probe.now().toMsg(), frame_id: 'map' });
    const g = await w.send({ x: 12.0, y: 1.25, yaw: 0 });
    await w.run(3);
    // Someone ahead of the robot, beside its way (perception says so; the scan does not see them).
    const ahead = { x: w.plant.pose.x + 0.8, y: 1.25 + 0.7, z: 0 };
    people.publish({
      header: header(),
      people: [
        {
          name: 'p1',
          position: ahead,
          velocity: { x: 0, y: 0, z: 0 },
          reliability: 1,
          tagnames: [],
          tags: [],
        },
      ],
    });
    for (let i = 0; i < 6; i++) w.step(); // one control tick or more
    expect(w.nav.status().limitedBy).toBe('people');
    expect(w.plant.lastCommand!.linear.x).toBeLessThan(0.7);
    // Garbage on every input: dropped with a warning, navigation carries on.
    people.publish({ header: header(), people: undefined } as never);
    limit.publish({ header: header(), percentage: false, speed_limit: NaN });
    scan.publish({ ...w.plant.scan(), angle_increment: 0, ranges: new Float32Array(360).fill(NaN) });
    await w.run(30, () => g.result() !== undefined);
    expect(g.result()!.result.error_code).toBe(NAV2_NONE);
  });

  it('refuses unknown parameters and plugin names', () => {
    const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
    const costmap = buildCostmap(gridFromText(SPLIT, 0.5), [], DEFAULT_INFLATION);
    expect(() =>
      createNavigator(ctx.createNode('a'), { costmap, robot: DEFAULT_ROBOT, params: { timeoutt: 3 } }),
    ).toThrow(/unknown parameter 'timeoutt'/);
    expect(() =>
      createNavigator(ctx.createNode('b'), { costmap, robot: DEFAULT_ROBOT, params: { timeout: 'soon' } }),
    ).toThrow(/expects a number/);
    expect(() =>
      createNavigator(ctx.createNode('c'), {
        costmap,
        robot: DEFAULT_ROBOT,
        params: { planner_plugin: 'teleport' },
      }),
    ).toThrow(/unknown planner_plugin 'teleport' \(known: grid_astar\)/);
  });
});
