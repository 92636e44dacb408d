/**
 * The docking behaviour on the simulated sample floor (maps/iso-omena), localised by the robot's
 * own AMCL, every command through the safety gate, in lockstep on simulated time. The robot
 * starts where a trip home ends, within the navigator's ordinary goal tolerance of the dock pose
 * (or is driven home by the navigator first); what is judged is its TRUE pose against the
 * charging contacts' tolerance (0.05 m, 0.10 rad).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatorWorld } from '../../sim/simulator-world.js';
import { AMCL_DEFAULTS, LikelihoodField, startAmcl } from '../localization/index.js';
import { DEFAULT_INFLATION, buildCostmap, loadSite, type Costmap, type Site } from '../map/index.js';
import {
  EmbeddedContext,
  GoalStatus,
  composePose,
  poseStamped,
  type DockRobotFeedback,
  type DockRobotGoal,
  type DockRobotResult,
  type Pose2D,
} from '../ros/index.js';
import { DEFAULT_ROBOT } from '../robot-description.js';
import { createSafetyGate, safetyParamsFromRobot } from '../safety/index.js';
import { createDockServer } from './dock-behavior.js';
import { DOCK_STATES } from './dock-errors.js';
import { dockError } from './dock-geometry.js';
import { NAV2_ERROR_CODES } from './nav2-error-codes.js';
import { createNavigator } from './navigator.js';

const { DockRobot } = NAV2_ERROR_CODES;
const SITE_DIR = path.resolve(import.meta.dirname, '../../maps/iso-omena');
const START_NS = 1_795_000_000_000_000_000n;
/** The simulated charging contacts engage within this of the dock pose (the battery's model). */
const CONTACT_XY_M = 0.05;
const CONTACT_YAW_RAD = 0.1;

let site: Site;
let costmap: Costmap;
/** Built once for every robot here: AMCL's model of the map takes most of a robot's start-up. */
let field: LikelihoodField;
beforeAll(async () => {
  site = await loadSite(SITE_DIR);
  field = new LikelihoodField(site.map, AMCL_DEFAULTS.laser_likelihood_max_dist);
  costmap = buildCostmap(site.map, site.zones, {
    ...DEFAULT_INFLATION,
    inscribed_radius: DEFAULT_ROBOT.radius,
  });
});

type Outcome = { status: number; result: DockRobotResult };

/**
 * The robot's parts that take it onto the dock (AMCL, the safety gate, the behaviour server's
 * docking) and, with `navigator`, home first, on the simulated floor with the robot truly at `start`.
 */
async function rig(start: Pose2D, seed: number, options: { navigator?: boolean } = {}) {
  const world = new SimulatorWorld({
    site,
    robot: DEFAULT_ROBOT,
    seed,
    robotStart: start,
    startNs: START_NS,
  });
  const graph = new EmbeddedContext({ clock: world.clock });
  await world.start(graph);
  const robot = DEFAULT_ROBOT;
  startAmcl(graph.createNode('amcl'), { map: site.map, initialPose: start, seed, field });
  createSafetyGate(graph.createNode('safety_gate'), { ...safetyParamsFromRobot(robot), require_scan: true });
  if (options.navigator)
    createNavigator(graph.createNode('navigator'), { costmap, robot, zones: site.zones });
  createDockServer(graph.createNode('behavior_server'), { robot, costmap });
  const probe = graph.createNode('probe');
  const docking = probe.createActionClient('nav2_msgs/action/DockRobot', '/dock_robot');
  const navigating = probe.createActionClient('nav2_msgs/action/NavigateToPose', '/navigate_to_pose');
  const estop = probe.createClient('std_srvs/srv/SetBool', '/safety/estop');
  /** Every linear command that reached the wheels, m/s. */
  const wheels: number[] = [];
  probe.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel', (t) => wheels.push(t.linear.x));
  let steps = 0;
  const step = () => {
    world.step();
    graph.spinSome();
    steps++;
  };
  const sim = {
    world,
    wheels,
    seconds: () => steps / 100,
    now: () => probe.now(),
    truth: () => world.physics.robotPose(),
    async run(seconds: number, done: () => boolean = () => false) {
      const end = steps + Math.round(seconds * 100);
      while (steps < end && !done()) {
        for (let i = 0; i < 10; i++) step();
        await new Promise((r) => setImmediate(r));
      }
    },
    /** Drives home with the navigator (the ordinary trip home); resolves with its error code. */
    async goHome(): Promise<number | undefined> {
      const handle = await navigating.sendGoal({
        pose: poseStamped('map', probe.now(), site.dock),
        behavior_tree: '',
      });
      let code: number | undefined;
      void handle.getResult().then((r) => (code = r.result.error_code));
      await sim.run(90, () => code !== undefined);
      return code;
    },
    async dock(goal: Partial<DockRobotGoal> = {}) {
      const feedback: DockRobotFeedback[] = [];
      const handle = await docking.sendGoal(
        {
          use_dock_id: false,
          dock_id: '',
          dock_pose: poseStamped('map', probe.now(), site.dock),
          dock_type: '',
          max_staging_time: 60,
          navigate_to_staging_pose: true,
          ...goal,
        },
        (f) => feedback.push(f),
      );
      let outcome: Outcome | undefined;
      void handle.getResult().then((r) => (outcome = r));
      return { handle, feedback, outcome: () => outcome };
    },
    /** Docks and runs until the goal ends (at most `seconds`). */
    async docked(goal: Partial<DockRobotGoal> = {}, seconds = 60) {
      const run = await sim.dock(goal);
      await sim.run(seconds, () => run.outcome() !== undefined);
      return { outcome: run.outcome(), feedback: run.feedback };
    },
    latchEstop() {
      estop.sendRequest({ data: true }, () => {});
      graph.spinSome();
    },
  };
  await sim.run(1);
  return sim;
}

type Sim = Awaited<ReturnType<typeof rig>>;

/** A pose off the dock pose by `offset`, in the dock's frame (x along the dock yaw). */
const offDock = (offset: Pose2D) => composePose(site.dock, offset);

/** Standing still: the last commands that reached the wheels were zero, and the plant is at rest. */
function expectStopped(sim: Sim): void {
  expect(sim.wheels.slice(-5)).toEqual([0, 0, 0, 0, 0]);
  const v = sim.world.physics.robotVelocity();
  expect(Math.abs(v.v)).toBeLessThan(1e-3);
}

describe('docking on the sample floor, by AMCL', () => {
  // docs/navigation.md ("Docking") quotes the worst over these runs: 0.011 m, 0.015 rad, 9.6 s.
  it('ends on the charging contacts from 0.2 m and 0.2 rad off the dock pose, over several seeds', async () => {
    const starts: Pose2D[] = [
      { x: 0.2, y: 0, yaw: 0.2 },
      { x: 0, y: 0.2, yaw: -0.2 },
      { x: -0.14, y: -0.14, yaw: 0.2 },
      { x: 0.14, y: 0.14, yaw: -0.2 },
      { x: -0.2, y: 0, yaw: -0.2 },
    ];
    for (const [i, offset] of starts.entries()) {
      const seed = 11 + i;
      const sim = await rig(offDock(offset), seed);
      const t0 = sim.seconds();
      const { outcome, feedback } = await sim.docked();
      expect(outcome?.result.error_msg, `seed ${seed}`).toMatch(/^docked /);
      expect(outcome?.status).toBe(GoalStatus.STATUS_SUCCEEDED);
      expect(outcome?.result).toMatchObject({ success: true, error_code: 0 });
      // Staged, then the controlled approach, as opennav_docking reports it.
      const states = feedback.map((f) => f.state).filter((s, k, all) => s !== all[k - 1]);
      expect(states).toEqual([DOCK_STATES.NAV_TO_STAGING_POSE, DOCK_STATES.CONTROLLING]);
      const truth = dockError(sim.truth(), site.dock);
      expect(truth.xy, `seed ${seed}`).toBeLessThan(CONTACT_XY_M);
      expect(truth.yaw, `seed ${seed}`).toBeLessThan(CONTACT_YAW_RAD);
      // Backed onto the contacts slowly: nothing faster than 0.1 m/s in reverse reached the wheels.
      expect(Math.min(...sim.wheels)).toBeGreaterThanOrEqual(-0.1 - 1e-9);
      expect(sim.world.physics.metrics().collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
      expectStopped(sim);
      expect(sim.seconds() - t0).toBeLessThan(20);
    }
  });

  it('ends on the contacts after a real trip home by the navigator, which alone does not', async () => {
    const starts: Pose2D[] = [
      { x: 57.5, y: 4.5, yaw: Math.PI },
      { x: 55.0, y: 5.5, yaw: -Math.PI / 2 },
      { x: 53.2, y: 3.8, yaw: 0 },
    ];
    let homeMissedContacts = 0;
    for (const [i, start] of starts.entries()) {
      const seed = 21 + i;
      const sim = await rig(start, seed, { navigator: true });
      expect(await sim.goHome(), `seed ${seed}`).toBe(0);
      const home = dockError(sim.truth(), site.dock);
      if (home.xy >= CONTACT_XY_M || home.yaw >= CONTACT_YAW_RAD) homeMissedContacts++;
      const t0 = sim.seconds();
      const { outcome } = await sim.docked();
      expect(outcome?.result.error_msg, `seed ${seed}`).toMatch(/^docked /);
      const truth = dockError(sim.truth(), site.dock);
      expect(truth.xy, `seed ${seed}`).toBeLessThan(CONTACT_XY_M);
      expect(truth.yaw, `seed ${seed}`).toBeLessThan(CONTACT_YAW_RAD);
      expect(sim.world.physics.metrics().collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
      expect(sim.seconds() - t0).toBeLessThan(20);
    }
    // The ordinary goal tolerance (0.25 m, 0.35 rad) is why docking exists.
    expect(homeMissedContacts).toBeGreaterThan(0);
  });
});

describe('docking that must not happen', () => {
  it('fails clearly on a dock with a box on it, stopped and never touching the box', async () => {
    const sim = await rig(offDock({ x: 0.8, y: 0, yaw: 0 }), 31);
    sim.world.physics.addObstacle({
      id: 'box',
      kind: 'box',
      x: site.dock.x,
      y: site.dock.y,
      width: 0.4,
      height: 0.4,
    });
    const start = sim.truth();
    const { outcome, feedback } = await sim.docked();
    expect(outcome?.status).toBe(GoalStatus.STATUS_ABORTED);
    expect(outcome?.result).toMatchObject({
      success: false,
      error_code: DockRobot.FAILED_TO_CONTROL,
      num_retries: 2,
    });
    expect(outcome?.result.error_msg).toMatch(
      /^the dock is blocked: an obstacle 0\.\d\d m from the dock pose \(3 attempts\)$/,
    );
    expect(feedback.map((f) => f.state)).toContain(DOCK_STATES.RETRY);
    // It never drove at the box: it stood where it was, and stands still.
    expect(Math.hypot(sim.truth().x - start.x, sim.truth().y - start.y)).toBeLessThan(0.02);
    expect(sim.world.physics.obstacleClearance(sim.truth().x, sim.truth().y)).toBeGreaterThan(0.1);
    expect(sim.world.physics.metrics().collisions.obstacle).toBe(0);
    expectStopped(sim);
  });

  it('stops short of a box that appears on the dock during the final approach', async () => {
    const sim = await rig(offDock({ x: 0.15, y: 0.05, yaw: 0.1 }), 32);
    const run = await sim.dock();
    await sim.run(30, () => run.feedback.at(-1)?.state === DOCK_STATES.CONTROLLING);
    // Just beyond the dock pose, where the robot's back is going: 0.15 m from it now.
    const behind = composePose(site.dock, { x: -0.1, y: 0, yaw: 0 });
    sim.world.physics.addObstacle({
      id: 'bag',
      kind: 'box',
      x: behind.x,
      y: behind.y,
      width: 0.1,
      height: 0.1,
    });
    await sim.run(30, () => run.outcome() !== undefined);
    expect(run.outcome()?.result.error_code).toBe(DockRobot.FAILED_TO_CONTROL);
    expect(run.outcome()?.result.error_msg).toMatch(/blocked/);
    expect(sim.world.physics.obstacleClearance(sim.truth().x, sim.truth().y)).toBeGreaterThan(0.05);
    expect(sim.world.physics.metrics().collisions.obstacle).toBe(0);
    expectStopped(sim);
  });

  it('retries once the way is clear again, re-staging', async () => {
    const sim = await rig(offDock({ x: 0.7, y: 0, yaw: 0 }), 33);
    sim.world.physics.addObstacle({
      id: 'person',
      kind: 'box',
      x: site.dock.x,
      y: site.dock.y,
      width: 0.3,
      height: 0.3,
    });
    const run = await sim.dock();
    await sim.run(10, () => run.feedback.at(-1)?.state === DOCK_STATES.RETRY);
    sim.world.physics.removeObstacle('person');
    await sim.run(60, () => run.outcome() !== undefined);
    expect(run.outcome()?.result).toMatchObject({ success: true, num_retries: 1 });
    expect(dockError(sim.truth(), site.dock).xy).toBeLessThan(CONTACT_XY_M);
  });

  it('stops when cancelled', async () => {
    const sim = await rig(offDock({ x: 0.2, y: 0.1, yaw: 0.2 }), 34);
    const run = await sim.dock();
    await sim.run(2);
    await run.handle.cancelGoal();
    await sim.run(1, () => run.outcome() !== undefined);
    expect(run.outcome()?.status).toBe(GoalStatus.STATUS_CANCELED);
    const at = sim.truth();
    await sim.run(1);
    expect(Math.hypot(sim.truth().x - at.x, sim.truth().y - at.y)).toBeLessThan(0.01);
    expectStopped(sim);
  });

  it('stops at once when the e-stop latches', async () => {
    const sim = await rig(offDock({ x: 0.2, y: -0.1, yaw: -0.2 }), 35);
    const run = await sim.dock();
    await sim.run(3);
    sim.latchEstop();
    await sim.run(1, () => run.outcome() !== undefined);
    expect(run.outcome()?.result).toMatchObject({ success: false, error_code: DockRobot.FAILED_TO_CONTROL });
    expect(run.outcome()?.result.error_msg).toMatch(/e-stop latched/);
    await sim.run(1);
    expectStopped(sim);
  });

  it('refuses a goal it cannot use, saying which field, without moving', async () => {
    const sim = await rig(offDock({ x: 0.2, y: 0, yaw: 0 }), 36);
    const start = sim.truth();
    const inWall = poseStamped('map', sim.now(), { x: site.dock.x, y: 0.5, yaw: Math.PI / 2 });
    const nanPose = poseStamped('map', sim.now(), site.dock);
    nanPose.pose.position.x = Number.NaN;
    const odomPose = poseStamped('odom', sim.now(), site.dock);
    const cases: [Partial<DockRobotGoal>, number, RegExp][] = [
      [
        { dock_pose: nanPose },
        DockRobot.DOCK_NOT_VALID,
        /^goal\.dock_pose\.pose\.position\.x: expected a finite number, found NaN$/,
      ],
      [
        { dock_pose: inWall },
        DockRobot.DOCK_NOT_VALID,
        /^goal\.dock_pose: the robot cannot stand at \(54\.80, 0\.50\)/,
      ],
      [
        { dock_pose: odomPose },
        DockRobot.DOCK_NOT_VALID,
        /^goal\.dock_pose\.header\.frame_id: expected 'map', found 'odom'$/,
      ],
      [
        { use_dock_id: true, dock_id: 'home' },
        DockRobot.DOCK_NOT_IN_DB,
        /^goal\.use_dock_id: .*no dock database/,
      ],
      [
        { dock_pose: poseStamped('map', sim.now(), { x: 57.5, y: 4.5, yaw: 0 }) },
        DockRobot.FAILED_TO_STAGE,
        /^the robot is \d+\.\d\d m from the staging pose, over docking\.max_staging_distance/,
      ],
    ];
    for (const [goal, code, message] of cases) {
      const { outcome } = await sim.docked(goal, 1);
      expect(outcome?.status).toBe(GoalStatus.STATUS_ABORTED);
      expect(outcome?.result.error_code).toBe(code);
      expect(outcome?.result.error_msg).toMatch(message);
    }
    expect(Math.hypot(sim.truth().x - start.x, sim.truth().y - start.y)).toBeLessThan(0.005);
  });
});
