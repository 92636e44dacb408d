/**
 * Runs a scenario in lockstep: one loop steps the world, advances the clock and spins the
 * controller's node graph, so a seed gives the same run bit for bit, as fast as the CPU allows
 * (or paced to real time by the caller). The runner plays the customers: it asks on their
 * behalf, makes them follow, lag or wander off, and records what happened to each request.
 */
import { loadSite, type Site } from '../src/map/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { startRobot, type RearCameraOptions, type RunningRobot } from '../src/robot.js';
import type { DestinationStream } from 'pino';
import type { CallbackProfiler, GuideStatus, Pose2D, RosNode } from '../src/ros/index.js';
import { createLogger, nodeLogger, type LogLevel } from '../src/telemetry/index.js';
import { EmbeddedContext, SimClock, distance, nsToTimeMsg, relativePose } from '../src/ros/index.js';
import { STOP_REASONS } from '../src/safety/index.js';
import { requestExpectationFailures, round, type RequestReport, type RunReport } from './report.js';
import { Rng } from './rng.js';
import type { CustomerSpec, Outcome, Scenario, ScenarioEvent } from './scenario.js';
import { attachSimulator } from './sim-node.js';
import { SimWorld } from './world.js';

/** Physics and lockstep step: 10 ms of simulated time. */
export const STEP_NS = 10_000_000n;
const STEP_S = 0.01;
/** Yield to the event loop every N steps so promise-based actors (action results) settle. */
const YIELD_EVERY_STEPS = 5;
/** A replan this much longer than what was left of the old route shows as a detour, m. */
const DETOUR_M = 1.5;

/** What a live display shows; `t` is seconds since the scenario started. */
export type LiveEvent =
  | { t: number; kind: 'request'; index: number; text: string }
  | { t: number; kind: 'status'; status: GuideStatus }
  | { t: number; kind: 'say'; language: string; text: string; phrase: string }
  | { t: number; kind: 'event'; what: string }
  /** The safety gate started or stopped holding the robot, and why. */
  | { t: number; kind: 'safety'; reason: string; stopped: boolean }
  /** The navigator replanned onto a clearly longer route: something blocks the way. */
  | { t: number; kind: 'detour'; extraM: number; lengthM: number }
  /** Every few seconds while moving: speed and how far behind the customer is (as the robot sees it). */
  | { t: number; kind: 'progress'; state: string; destination: string; speed: number; customerGapM?: number }
  | { t: number; kind: 'done'; index: number; outcome: string; destination: string; reason: string };

export interface RunHooks {
  /** Called every few steps; the CLI paces real time here. Default: yield to the event loop. */
  pace?: (simElapsedS: number) => Promise<void>;
  onEvent?: (e: LiveEvent) => void;
  /** Stops the run early (Ctrl-C): the robot is stopped, the report covers what ran. */
  signal?: AbortSignal;
  /** Structured logs of every node (pino JSON lines stamped with simulated time). */
  log?: { level: LogLevel; destination?: DestinationStream };
  /** A site already loaded (the benchmark and the main job reuse one). */
  site?: Site;
  /** Benchmarks: times every node callback. */
  profiler?: CallbackProfiler;
  /**
   * A drive base in the loop (the emulated board with the real firmware) in place of the ideal
   * simulated base: created on the given node, stepped in lockstep; the robot then moves by its
   * wheels and localises against its encoder odometry.
   */
  driveBase?: (node: RosNode) => Promise<DriveBaseInTheLoop>;
  /**
   * A real rear camera in the loop: the robot's detector node publishes the face detections from
   * its frames, and the simulator's camera model publishes none. Frames arrive on the wall clock,
   * so a run with one is paced in real time (see `pace`); the simulated customers do not appear
   * in it, whoever stands in front of the camera does.
   */
  rearCamera?: RearCameraOptions;
  /**
   * Called once the robot's nodes are up, before the first step; the run waits for it. The CLI
   * keeps the robot here to read its rear camera's counts at the end; tests watch the graph.
   */
  onStart?: (run: { ctx: EmbeddedContext; robot: RunningRobot }) => void | Promise<void>;
}

/** What the runner needs of a drive base in the loop. */
export interface DriveBaseInTheLoop {
  /** Runs the board up to this time on the node clock. */
  advanceTo(clockNs: bigint): void;
  /** Wheel ground speeds right now, m/s. */
  wheelSpeeds(): { left: number; right: number };
  stop(): void;
}

type Phase = 'waiting' | 'asked' | 'escorting' | 'arrived' | 'finishing' | 'done';

interface CustomerRun {
  spec: CustomerSpec;
  index: number;
  requestId: string;
  personId: string;
  phase: Phase;
  askedAtS: number;
  escortStartS?: number;
  endS?: number;
  seenOwnStatus: boolean;
  destination: string;
  reasons: string[];
  states: string[];
  said: string[];
  pathLengthM: number;
  lastPose?: Pose2D;
  minPersonDistanceM: number;
  behaviourApplied: boolean;
  /** Stepped aside (steps_aside) and waits to be asked back. */
  awayUntilAsked: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runScenario(scenario: Scenario, hooks: RunHooks = {}): Promise<RunReport> {
  const site = hooks.site ?? (await loadSite(scenario.siteDir));
  const startNs = BigInt(scenario.startEpochMs) * 1_000_000n;
  const clock = new SimClock(startNs);
  const log = hooks.log;
  const root = log
    ? createLogger({ level: log.level, clock, ...(log.destination ? { destination: log.destination } : {}) })
    : undefined;
  const ctx = new EmbeddedContext({
    clock,
    ...(root ? { logger: (name: string) => nodeLogger(root, name) } : {}),
    ...(hooks.profiler ? { profiler: hooks.profiler } : {}),
  });
  const rng = new Rng(scenario.seed).fork('scenario');

  const robotStart = scenario.robotStart === 'dock' ? site.dock : scenario.robotStart;
  const world = new SimWorld({ site, robot: DEFAULT_ROBOT, seed: scenario.seed, robotStart });
  const hil = hooks.driveBase ? await hooks.driveBase(ctx.createNode('drive_base')) : undefined;
  if (hil) world.plant.useWheelSpeeds(() => hil.wheelSpeeds());
  const sim = attachSimulator(ctx.createNode('simulator'), world, {
    ...(hil ? { odometry: 'external' } : {}),
    ...(hooks.rearCamera ? { customerSignal: 'external' } : {}),
  });
  const robot = startRobot(ctx, site, hooks.rearCamera ? { rearCamera: hooks.rearCamera } : {});

  const node = ctx.createNode('scenario');
  const requests = node.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
  const clockPub = node.createPublisher('rosgraph_msgs/msg/Clock', '/clock');
  const estop = node.createClient('std_srvs/srv/SetBool', '/safety/estop');
  const cancel = node.createClient('std_srvs/srv/Trigger', '/guide/cancel');

  let t = 0;
  const emit = (e: LiveEvent) => hooks.onEvent?.(e);
  const runs: CustomerRun[] = scenario.customers.map((spec, index) => ({
    spec,
    index,
    requestId: `req-${index}`,
    personId: `customer-${index}`,
    phase: 'waiting',
    askedAtS: 0,
    seenOwnStatus: false,
    destination: '',
    reasons: [],
    states: [],
    said: [],
    pathLengthM: 0,
    minPersonDistanceM: Infinity,
    behaviourApplied: false,
    awayUntilAsked: false,
  }));
  let current: CustomerRun | undefined;
  let missionState = 'idle';
  let overallMinPersonM = Infinity;

  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (status) => {
    if (status.state !== missionState) emit({ t, kind: 'status', status });
    missionState = status.state;
    if (current && status.request_id === current.requestId) onOwnStatus(current, status);
    else if (current?.seenOwnStatus && (status.state === 'idle' || status.state === 'stopped_safe')) {
      finish(current);
    }
  });
  // For the live display: the gate's stop reasons as they change, the customer as the robot sees them.
  let gateStopReason = '';
  node.createSubscription('medhjalparen_msgs/msg/SafetyState', '/safety/state', (state) => {
    // No command (cmd_timeout) is the gate's resting state whenever nobody drives: not news.
    const reason =
      STOP_REASONS.has(state.reason as never) && state.reason !== 'cmd_timeout' ? state.reason : '';
    if (reason !== gateStopReason)
      emit({ t, kind: 'safety', reason: reason || gateStopReason, stopped: reason !== '' });
    gateStopReason = reason;
  });
  let customerGapM: number | undefined;
  node.createSubscription('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer', (c) => {
    customerGapM = c.bound && c.visible ? c.distance_behind : undefined;
  });
  // A new plan clearly longer than what was left of the old one is a detour worth showing.
  let planLeftM = 0;
  let odometerAtPlan = 0;
  let odometer = 0;
  let lastOdomPose = world.robotPose();
  let planGoal: { x: number; y: number } | undefined;
  node.createSubscription('nav_msgs/msg/Path', '/plan', (path) => {
    let length = 0;
    for (let i = 1; i < path.poses.length; i++) {
      length += distance(path.poses[i]!.pose.position, path.poses[i - 1]!.pose.position);
    }
    const goal = path.poses.at(-1)?.pose.position;
    const sameGoal = goal !== undefined && planGoal !== undefined && distance(goal, planGoal) < 0.01;
    planGoal = goal;
    const expectedLeft = planLeftM - (odometer - odometerAtPlan);
    if (sameGoal && length > expectedLeft + DETOUR_M) {
      emit({ t, kind: 'detour', extraM: length - expectedLeft, lengthM: length });
    }
    planLeftM = length;
    odometerAtPlan = odometer;
  });
  let lastStatus: GuideStatus | undefined;
  node.createSubscription(
    'medhjalparen_msgs/msg/GuideStatus',
    '/guide/status',
    (status) => (lastStatus = status),
  );
  node.createTimer(10_000_000_000n, () => {
    if (!lastStatus || lastStatus.state === 'idle') return;
    const { v } = world.robotVelocity();
    emit({
      t,
      kind: 'progress',
      state: lastStatus.state,
      destination: lastStatus.destination_id,
      speed: v,
      ...(customerGapM !== undefined ? { customerGapM } : {}),
    });
  });
  node.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u) => {
    emit({ t, kind: 'say', language: u.language, text: u.text, phrase: u.kind });
    if (current && (u.request_id === current.requestId || u.request_id === '')) {
      current.said.push(u.kind);
      // A customer who stepped aside comes back when the robot asks for them.
      if (u.kind === 'escort.ask' && current.awayUntilAsked) {
        current.awayUntilAsked = false;
        world.person(current.personId)?.follow(() => world.robotPose());
        emit({ t, kind: 'event', what: `customer ${current.index} heard the robot and comes back` });
      }
    }
  });

  function onOwnStatus(c: CustomerRun, status: GuideStatus): void {
    c.seenOwnStatus = true;
    if (status.destination_id) c.destination = status.destination_id;
    if (status.reason && c.reasons.at(-1) !== status.reason) c.reasons.push(status.reason);
    if (c.states.at(-1) !== status.state) c.states.push(status.state);
    if (status.state === 'escorting' && c.phase === 'asked') {
      c.phase = 'escorting';
      c.escortStartS = t;
      c.lastPose = world.robotPose();
      sim.bindCustomer(c.personId);
      world.person(c.personId)?.follow(() => world.robotPose());
    } else if (status.state === 'arrived' && c.phase !== 'arrived') {
      c.phase = 'arrived';
      c.endS = t;
      world.person(c.personId)?.stand();
    } else if (status.state === 'returning' && c.phase === 'arrived') {
      // The customer is at the desk; the robot's job with them is done.
      c.phase = 'finishing';
      sim.bindCustomer(undefined);
      world.removePerson(c.personId);
    }
    if (status.state === 'idle' || status.state === 'stopped_safe') finish(c);
  }

  function finish(c: CustomerRun): void {
    if (c.phase === 'done') return;
    c.endS ??= t;
    c.phase = 'done';
    c.minPersonDistanceM = Math.min(c.minPersonDistanceM, world.metrics().minPersonDistanceM);
    sim.bindCustomer(undefined);
    if (world.person(c.personId)) world.removePerson(c.personId);
    current = undefined;
    const outcome = outcomeOf(c);
    emit({
      t,
      kind: 'done',
      index: c.index,
      outcome,
      destination: c.destination,
      reason: c.reasons.at(-1) ?? '',
    });
  }

  function ask(c: CustomerRun): void {
    overallMinPersonM = Math.min(overallMinPersonM, world.metrics().minPersonDistanceM);
    const robotPose = world.robotPose();
    // The customer walks up and stands about 1.2 m in front of the robot, facing it.
    const pose: Pose2D = {
      x: robotPose.x + 1.2 * Math.cos(robotPose.yaw),
      y: robotPose.y + 1.2 * Math.sin(robotPose.yaw),
      yaw: robotPose.yaw + Math.PI,
    };
    world.addPerson({ id: c.personId, pose, role: 'customer' });
    // Measured per request from here on, the customer standing in front of the robot included.
    world.resetMinPersonDistance();
    c.phase = 'asked';
    c.askedAtS = t;
    current = c;
    emit({ t, kind: 'request', index: c.index, text: c.spec.ask });
    requests.publish({ request_id: c.requestId, text: c.spec.ask, language: c.spec.language });
  }

  function applyBehaviour(c: CustomerRun): void {
    const b = c.spec.behaviour;
    if (c.behaviourApplied || c.phase !== 'escorting' || c.escortStartS === undefined || b.kind === 'follow')
      return;
    if (t - c.escortStartS < b.after) return;
    c.behaviourApplied = true;
    const person = world.person(c.personId);
    if (!person) return;
    if (b.kind === 'fall_behind') {
      person.stopFollowingFor(b.for);
      emit({ t, kind: 'event', what: `customer ${c.index} stops for ${round(b.for, 1)} s` });
    } else if (b.kind === 'steps_aside') {
      const spot = asideSpot(world, person, b.distance);
      person.stepAsideTo(spot.x, spot.y, () => world.robotPose());
      c.awayUntilAsked = true;
      emit({ t, kind: 'event', what: `customer ${c.index} steps ${b.distance} m aside` });
    } else {
      person.wander(rng.fork(`lost-${c.index}`));
      emit({ t, kind: 'event', what: `customer ${c.index} wanders off` });
    }
  }

  const pending = scenario.events.map((e) => ({ e, fired: false }));
  const obstacleExpiry: Array<{ id: string; atS: number }> = [];
  function fireEvents(): void {
    for (const p of pending) {
      if (p.fired || !isDue(p.e)) continue;
      p.fired = true;
      fire(p.e);
    }
    for (let i = obstacleExpiry.length - 1; i >= 0; i--) {
      if (obstacleExpiry[i]!.atS <= t) {
        world.removeObstacle(obstacleExpiry[i]!.id);
        emit({ t, kind: 'event', what: `obstacle ${obstacleExpiry[i]!.id} removed` });
        obstacleExpiry.splice(i, 1);
      }
    }
  }
  function isDue(e: ScenarioEvent): boolean {
    if ('at' in e.time) return t >= e.time.at;
    const c = runs[e.time.request];
    return c?.escortStartS !== undefined && t >= c.escortStartS + e.time.after;
  }
  function fire(e: ScenarioEvent): void {
    switch (e.kind) {
      case 'obstacle':
        world.addObstacle(e.obstacle);
        if (e.durationS !== undefined) obstacleExpiry.push({ id: e.obstacle.id, atS: t + e.durationS });
        emit({
          t,
          kind: 'event',
          what: `obstacle ${e.obstacle.id} appears at (${e.obstacle.x}, ${e.obstacle.y})`,
        });
        break;
      case 'estop':
        estop.sendRequest({ data: e.action === 'press' }, () => {});
        emit({ t, kind: 'event', what: `e-stop ${e.action === 'press' ? 'pressed' : 'released'}` });
        break;
      case 'cancel':
        cancel.sendRequest({}, () => {});
        emit({ t, kind: 'event', what: 'operator cancels the mission' });
        break;
    }
  }

  const allDone = () => runs.every((c) => c.phase === 'done');
  let step = 0;
  let settleS = 0;
  try {
    await hooks.onStart?.({ ctx, robot });
    while (t < scenario.timeLimitS) {
      world.step(STEP_S);
      step++;
      t = step * STEP_S;
      clock.advanceTo(startNs + BigInt(step) * STEP_NS);
      hil?.advanceTo(clock.nowNs());
      clockPub.publish({ clock: nsToTimeMsg(clock.nowNs()) });

      if (!current) {
        const next = runs.find((c) => c.phase === 'waiting');
        if (next && next.spec.at <= t && missionState === 'idle' && atDock(world.robotPose(), site.dock))
          ask(next);
      }
      const pose = world.robotPose();
      odometer += distance(pose, lastOdomPose);
      lastOdomPose = pose;
      if (current?.phase === 'escorting') {
        const pose = world.robotPose();
        current.pathLengthM += distance(pose, current.lastPose ?? pose);
        current.lastPose = pose;
        applyBehaviour(current);
      }
      fireEvents();
      ctx.spinSome();

      // With a board in the loop its bytes reach firmata.js through stream events: let them
      // flow every step, so the serial link is not held up by the lockstep loop.
      if (step % YIELD_EVERY_STEPS === 0) {
        await (hooks.pace ? hooks.pace(t) : yieldToEventLoop());
        if (hooks.signal?.aborted) break;
      } else if (hil) await yieldToEventLoop();
      // Done when every customer is served and the robot has settled back at its dock.
      if (allDone() && missionState === 'idle' && pending.every((p) => p.fired || !('request' in p.e.time))) {
        settleS += STEP_S;
        if (settleS >= 1) break;
      }
    }
  } finally {
    // The control nodes stop at once (before the board); the rear camera's source closes after.
    const robotStopped = robot.stop();
    hil?.stop();
    await robotStopped;
  }

  overallMinPersonM = Math.min(overallMinPersonM, world.metrics().minPersonDistanceM);
  return buildReport(scenario, site, runs, world, t, overallMinPersonM, pending);
}

/** The robot counts as home within 0.5 m of its dock. */
function atDock(pose: Pose2D, dock: Pose2D): boolean {
  const rel = relativePose(dock, pose);
  return Math.hypot(rel.x, rel.y) < 0.5;
}

/** Reads what happened to a request from the mission's states and reason codes. */
export function outcomeOf(c: Pick<CustomerRun, 'states' | 'reasons' | 'phase'>): Outcome | 'unfinished' {
  if (c.states.includes('estopped')) return 'estopped';
  if (c.states.includes('arrived')) return 'arrived';
  const reasons = c.reasons.join(' ');
  if (/cancel/.test(reasons)) return 'cancelled';
  if (/lost/.test(reasons)) return 'lost';
  if (/ambiguous/.test(reasons)) return 'ambiguous';
  if (/closed/.test(reasons)) return 'closed';
  if (/unknown/.test(reasons)) return 'unknown';
  if (/nav|no_path|blocked|timed_out|timeout|goal/.test(reasons)) return 'nav_failed';
  return c.phase === 'done' ? 'unknown' : 'unfinished';
}

function buildReport(
  scenario: Scenario,
  site: Site,
  runs: CustomerRun[],
  world: SimWorld,
  t: number,
  overallMinPersonM: number,
  pending: Array<{ e: ScenarioEvent; fired: boolean }>,
): RunReport {
  const requests: RequestReport[] = runs.map((c) => {
    const outcome = c.phase === 'done' ? outcomeOf(c) : 'unfinished';
    const base = { outcome, destination: c.destination, said: c.said };
    const failures = requestExpectationFailures(c.spec.expect, base);
    if (outcome === 'unfinished') failures.push(`unfinished at the time limit (${scenario.timeLimitS} s)`);
    return {
      index: c.index,
      text: c.spec.ask,
      language: c.spec.language,
      destination: c.destination,
      outcome,
      success: outcome === 'arrived',
      duration_s: round(((c.endS ?? t) - c.askedAtS) * (c.phase === 'waiting' ? 0 : 1), 2),
      path_length_m: round(c.pathLengthM, 2),
      min_person_distance_m: round(c.minPersonDistanceM, 3),
      reason: outcome === 'arrived' ? '' : (c.reasons.at(-1) ?? ''),
      said: c.said,
      expectation_failures: failures,
    };
  });
  const m = world.metrics();
  const failures: string[] = [];
  const collisions = m.collisions.wall + m.collisions.obstacle + m.collisions.person;
  const maxCollisions = scenario.expect.collisions ?? 0;
  if (collisions > maxCollisions) failures.push(`collisions: expected ≤ ${maxCollisions}, got ${collisions}`);
  if (
    scenario.expect.minPersonDistanceM !== undefined &&
    overallMinPersonM < scenario.expect.minPersonDistanceM
  ) {
    failures.push(
      `min person distance: expected ≥ ${scenario.expect.minPersonDistanceM} m, got ${round(overallMinPersonM)}`,
    );
  }
  for (const p of pending) if (!p.fired) failures.push(`${p.e.where}: event never happened`);
  const home = relativePose(site.dock, world.robotPose());
  if (Math.hypot(home.x, home.y) > 0.5)
    failures.push(`robot ended ${round(Math.hypot(home.x, home.y), 2)} m from its dock`);
  return {
    scenario: scenario.name,
    file: scenario.file,
    site: site.id,
    seed: scenario.seed,
    sim_time_s: round(t, 2),
    collisions: m.collisions,
    min_person_distance_m: round(overallMinPersonM, 3),
    requests,
    expectation_failures: failures,
    ok: failures.length === 0 && requests.every((r) => r.expectation_failures.length === 0),
  };
}

/**
 * Where a customer who steps `distance` m aside goes: square to the robot's heading from where
 * they stand, on whichever side has more room (a notice board on the wall, a friend met).
 */
function asideSpot(
  world: SimWorld,
  person: { x: number; y: number },
  distance: number,
): { x: number; y: number } {
  const heading = world.robotPose().yaw;
  const room = (side: number) => {
    const x = person.x + side * distance * -Math.sin(heading);
    const y = person.y + side * distance * Math.cos(heading);
    return { x, y, clearance: world.caster.freeDistanceAt(x, y) };
  };
  const left = room(1);
  const right = room(-1);
  return left.clearance >= right.clearance ? left : right;
}
