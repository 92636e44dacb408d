/**
 * The navigator node: a nav2_msgs/action/NavigateToPose server on /navigate_to_pose that plans
 * (global planner plugin), follows at `controller_frequency` on a node timer (path follower
 * plugin, /cmd_vel_nav), keeps a local obstacle layer from /scan, replans periodically and when
 * the way ahead is blocked, and runs recoveries (wait → back up → clear and replan) before it
 * gives up. One goal at a time: a new goal preempts the old one, which ends CANCELED.
 *
 * Every ending publishes a zero command and a result with a code from errors.ts and a reason a
 * person can read. Time spent at a ~0 speed limit (the mission waiting for its customer) counts
 * neither towards the goal's timeout nor towards progress and blocked checks.
 */
import type { Costmap, Zone } from '../map/index.js';
import type {
  NavigateToPoseResult,
  Path,
  Pose2D,
  PoseStamped,
  Publisher,
  RosNode,
  ServerGoalHandle,
} from '../ros/index.js';
import {
  TransformBuffer,
  declareParams,
  distance,
  durationMsg,
  poseStamped,
  quaternionToYaw,
  twist,
} from '../ros/index.js';
import type { RobotDescription } from '../robot-description.js';
import { NAV_ERROR_CODES, NavError, type NavErrorCode } from './errors.js';
import { NAVIGATOR_DEFAULTS, NAV_PARAM_PREFIXES, loadPlugin, seedParams } from './navigator-params.js';
import { OBSTACLE_LAYER_DEFAULTS, ObstacleLayer } from './obstacle-layer.js';
import { FOLLOWERS, PLANNERS, RECOVERIES } from './plugins.js';
import { NavInputs } from './inputs.js';
import { freshRobotPose, type RobotPoseLookup } from './robot-pose.js';
import { NO_SPEED_LIMIT, isPausedBy, zoneSpeedLimits, type SpeedLimitAt } from './speed-limits.js';
import type { FollowerOutput, GlobalPlanner, PathFollower, Recovery, RecoveryContext } from './types.js';
import { warnOnceTo } from './warn-once.js';

export interface NavigatorDeps {
  /** The static costmap (inflated map). The navigator never writes to it. */
  costmap: Costmap;
  robot: RobotDescription;
  /** Site slow zones (a site's zones, or any speed cap at a map point, see zoneSpeedLimits). */
  zones?: readonly Zone[] | SpeedLimitAt;
  /**
   * Parameter overrides by full ROS name, e.g. { timeout: 300, 'planner.cost_weight': 2,
   * 'follower.xy_goal_tolerance': 0.2, 'obstacle_layer.obstacle_persistence': 2, 'wait.duration': 5 }.
   * Launch-file overrides on the node still win.
   */
  params?: Record<string, number | boolean | string>;
}

export type NavigatorPhase = 'idle' | 'starting' | 'following' | 'recovering';

export interface NavigatorStatus {
  phase: NavigatorPhase;
  /** Recovery running, if any. */
  recovery?: string;
  /** Why the forward speed is what it is (following only). */
  limitedBy?: FollowerOutput['limitedBy'];
  distanceRemaining: number;
  numberOfRecoveries: number;
}

export interface Navigator {
  /** What the robot plans on: the static costmap plus observed obstacles. */
  readonly costmap: Costmap;
  status(): NavigatorStatus;
  /** Ends any goal (CANCELLED), publishes a zero command and stops the control timer. */
  stop(): void;
}

type Result = NavigateToPoseResult;
/** After a recovery, resume only if this much of the new path is free of observed obstacles, m. */
const RESUME_CLEAR_DISTANCE = 1.0;
type Handle = ServerGoalHandle<'nav2_msgs/action/NavigateToPose'>;

interface GoalRun {
  gh: Handle;
  resolve: (r: Result) => void;
  goal: PoseStamped;
  goalPose: Pose2D;
  startNs: bigint;
  lastTickNs: bigint;
  /** Seconds of time that count (not paused at a ~0 speed limit). */
  active: number;
  path: Path | undefined;
  lastPlanAt: number;
  /** `layerVersion` the current path was planned on. */
  planVersion: number;
  lastBlockedReplanAt: number;
  /** 'starting' until the first robot pose is known (a goal may come before localisation). */
  phase: 'starting' | 'following' | 'recovering';
  recovery?: { name: string; plugin: Recovery };
  recoveries: number;
  /** Next recovery in the sequence. */
  nextRecovery: number;
  /** Where the last recovery ended (moving far from it resets the sequence). */
  recoveredAt?: { x: number; y: number };
  progressFrom: { x: number; y: number };
  progressSince: number;
  blockedWhy: string;
  last?: FollowerOutput;
  /**
   * Planning the control tick asked for; the planner callback does it (Nav2 keeps planner and
   * controller apart, so a replan never lengthens a control cycle).
   */
  planRequest?: PlanRequest;
  /** The control tick holds the robot still until the planner has answered. */
  holdForPlan: boolean;
  /** A replan was tried since the follower last reported the way blocked. */
  blockedReplanTried: boolean;
}

/**
 * Why the control tick wants a plan: a periodic refresh, an obstacle on the path ahead, the
 * way blocked right in front (hold still), a look for a way out while recovering, or the end
 * of a recovery (hold still; recover again if still blocked).
 */
type PlanRequest = 'periodic' | 'ahead' | 'blocked' | 'resume' | 'resume_end';

export function createNavigator(node: RosNode, deps: NavigatorDeps): Navigator {
  seedParams(node, deps.params ?? {});
  const p = declareParams(node, '', NAVIGATOR_DEFAULTS);
  const robot = deps.robot;
  const log = node.getLogger();
  const obstacleParams = declareParams(node, NAV_PARAM_PREFIXES.obstacleLayer, OBSTACLE_LAYER_DEFAULTS);
  const layer = new ObstacleLayer(deps.costmap, obstacleParams, robot.radius);
  const staticMap = deps.costmap;
  const zones: SpeedLimitAt =
    typeof deps.zones === 'function' ? deps.zones : deps.zones ? zoneSpeedLimits(deps.zones) : NO_SPEED_LIMIT;

  const planner: GlobalPlanner = loadPlugin(PLANNERS, p.planner_plugin, 'planner_plugin');
  planner.configure(node, NAV_PARAM_PREFIXES.planner, layer.master);
  planner.activate();
  const follower: PathFollower = loadPlugin(FOLLOWERS, p.follower_plugin, 'follower_plugin');
  follower.configure(node, NAV_PARAM_PREFIXES.follower, {
    robot,
    costmap: layer.master,
    obstacleCost: (x, y) => (staticMap.costAtWorld(x, y) >= 254 ? 254 : layer.obstacleCostAt(x, y)),
    zoneSpeedLimit: zones,
  });
  follower.activate();
  const recoveryNames = p.recovery_plugins
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const recoveries = recoveryNames.map((name) => {
    const r = loadPlugin(RECOVERIES, name, 'recovery plugin');
    r.configure(node, name);
    r.activate();
    return { name, plugin: r };
  });

  const tf = TransformBuffer.listen(node);
  const cmdPub: Publisher<'geometry_msgs/msg/Twist'> = node.createPublisher(
    'geometry_msgs/msg/Twist',
    '/cmd_vel_nav',
  );
  const planPub: Publisher<'nav_msgs/msg/Path'> = node.createPublisher('nav_msgs/msg/Path', '/plan');

  let run: GoalRun | undefined;
  /** Bumped whenever observed obstacles change the costmap (a replan could find something new). */
  let layerVersion = 0;
  const warnOnce = warnOnceTo(log);
  const nowS = () => Number(node.now().nanoseconds) / 1e9;
  const inputs = new NavInputs(node, {
    maxLinear: robot.maxLinear,
    inputTimeoutS: p.input_timeout,
    warnOnce,
    onScan: (msg) => {
      const at = tf.lookup('map', msg.header.frame_id);
      if (!at) return;
      const bounds = layer.update(msg, at.pose, nowS());
      if (bounds) {
        planner.costmapChanged(bounds);
        layerVersion++;
      }
    },
    onEstopLatched: () => {
      if (run) finish(run, 'STOPPED', 'stopped: the safety gate reports the e-stop latched');
    },
  });

  const publishCmd = (linear: number, angular: number) => cmdPub.publish(twist(linear, angular));

  function finish(r: GoalRun, code: NavErrorCode, message: string, options: { zero?: boolean } = {}): void {
    if (run !== r) return;
    run = undefined;
    if (options.zero !== false) publishCmd(0, 0);
    if (code === 'NONE') r.gh.succeed();
    else if (code === 'CANCELLED') r.gh.canceled();
    else r.gh.abort();
    log.info('navigation finished', { code, reason: message, recoveries: r.recoveries });
    r.resolve({ error_code: NAV_ERROR_CODES[code], error_msg: message });
  }

  /** Robot pose in map, or why there is none. */
  const robotPose = (): RobotPoseLookup => freshRobotPose(tf, node.now().nanoseconds, p.transform_tolerance);

  /** Plans from `pose`; on success follows the new path. Returns the failure code, or undefined. */
  function replan(r: GoalRun, pose: Pose2D): NavError | undefined {
    try {
      const path = planner.plan(
        poseStamped('map', node.now(), pose),
        r.goal,
        () => r.gh.isCancelRequested || run !== r,
      );
      follower.setPath(path, r.path !== undefined);
      r.path = path;
      r.lastPlanAt = r.active;
      r.planVersion = layerVersion;
      planPub.publish(path);
      return undefined;
    } catch (e) {
      if (e instanceof NavError) return e;
      throw e;
    }
  }

  /** Is the first stretch of the current path free of observed obstacles (beyond the robot's own footprint)? */
  function pathAheadBlocked(r: GoalRun, pose: Pose2D, from: number, length: number): boolean {
    const path = r.path;
    if (!path) return true;
    let travelled = 0;
    let prev = path.poses[from]?.pose.position;
    for (let i = from; i < path.poses.length && travelled <= length; i++) {
      const q = path.poses[i]!.pose.position;
      if (prev) travelled += Math.hypot(q.x - prev.x, q.y - prev.y);
      prev = q;
      if (Math.hypot(q.x - pose.x, q.y - pose.y) <= robot.radius) continue;
      if (layer.obstacleCostAt(q.x, q.y) >= 253) return true;
    }
    return false;
  }

  /** Whether a planning failure is final, and with what code. */
  function finalPlanFailure(e: NavError, pose: Pose2D): NavErrorCode | undefined {
    switch (e.code) {
      case 'NO_PATH':
      case 'INVALID_GOAL':
      case 'CANCELLED':
      case 'UNKNOWN':
        return e.code;
      case 'GOAL_OCCUPIED': {
        // Occupied in the map itself: final. Occupied by something seen: it may move.
        const g = run?.goalPose;
        return g && staticMap.costAtWorld(g.x, g.y) >= 253 ? 'GOAL_OCCUPIED' : undefined;
      }
      case 'START_OCCUPIED':
        return staticMap.costAtWorld(pose.x, pose.y) >= 254 ? 'START_OCCUPIED' : undefined;
      default:
        return undefined; // BLOCKED and the rest: recoveries may help
    }
  }

  function recoveryContext(pose: Pose2D): RecoveryContext {
    return {
      now: nowS(),
      pose,
      scan: inputs.scan(node.now().nanoseconds),
      robot,
      clearObstacles: () => {
        const b = layer.clear();
        if (b) {
          planner.costmapChanged(b);
          layerVersion++;
        }
      },
    };
  }

  function startRecovery(r: GoalRun, pose: Pose2D, why: string): void {
    r.blockedWhy = why;
    publishCmd(0, 0);
    if (r.recoveries >= p.max_recoveries || r.nextRecovery >= recoveries.length) {
      finish(r, 'BLOCKED', `blocked: ${why}; recoveries exhausted after ${r.recoveries}`);
      return;
    }
    const next = recoveries[r.nextRecovery++]!;
    r.recoveries++;
    r.phase = 'recovering';
    r.recovery = next;
    log.info('recovery', { name: next.name, reason: why, number: r.recoveries });
    next.plugin.begin(recoveryContext(pose));
  }

  /** After a recovery (or a wait check): plan again and resume if the way is clear. */
  function tryResume(r: GoalRun, pose: Pose2D): 'resumed' | 'still_blocked' | 'final' {
    const err = replan(r, pose);
    if (err) {
      const final = finalPlanFailure(err, pose);
      if (final) {
        finish(r, final, err.message);
        return 'final';
      }
      r.blockedWhy = err.message;
      return 'still_blocked';
    }
    if (pathAheadBlocked(r, pose, 0, RESUME_CLEAR_DISTANCE)) {
      r.blockedWhy = 'an obstacle right ahead';
      return 'still_blocked';
    }
    r.phase = 'following';
    r.recoveredAt = { x: pose.x, y: pose.y };
    r.recovery = undefined;
    r.progressFrom = { x: pose.x, y: pose.y };
    r.progressSince = r.active;
    return 'resumed';
  }

  function recoverTick(r: GoalRun, pose: Pose2D): void {
    const rec = r.recovery!;
    const step = rec.plugin.tick(recoveryContext(pose));
    if (step.status === 'running') {
      publishCmd(step.linear, step.angular);
      // While standing still, look for a way out every blocked_replan_interval.
      if (
        step.linear === 0 &&
        step.angular === 0 &&
        r.active - r.lastBlockedReplanAt >= p.blocked_replan_interval
      ) {
        r.lastBlockedReplanAt = r.active;
        r.planRequest = 'resume';
      }
      return;
    }
    publishCmd(0, 0);
    if (step.note) log.info('recovery ended', { name: rec.name, status: step.status, note: step.note });
    r.planRequest = 'resume_end';
    r.holdForPlan = true;
  }

  /** The planner's callback: does what the control tick asked for, outside the control cycle. */
  function planTick(): void {
    const r = run;
    const why = r?.planRequest;
    if (!r || !why) return;
    r.planRequest = undefined;
    r.holdForPlan = false;
    const got = robotPose();
    if (!('pose' in got)) return; // the control tick reports NO_POSE
    const pose = got.pose;
    if (why === 'resume' || why === 'resume_end') {
      if (r.phase !== 'recovering') return;
      const outcome = tryResume(r, pose);
      if (why === 'resume_end' && outcome === 'still_blocked') startRecovery(r, pose, r.blockedWhy);
      return;
    }
    if (r.phase !== 'following') return;
    const err = replan(r, pose);
    if (why === 'blocked') r.blockedReplanTried = true;
    if (why === 'periodic' && err) {
      r.lastPlanAt = r.active; // keep the old path; try again next period
      warnOnce(`replan:${err.code}`, 'periodic replan failed; keeping the current path', { code: err.code });
    }
  }

  function followTick(r: GoalRun, pose: Pose2D, dt: number, now: bigint): void {
    if (r.recoveredAt && distance(r.recoveredAt, pose) >= p.recovery_reset_distance) {
      r.recoveredAt = undefined;
      r.nextRecovery = 0;
    }
    // Periodic replans only when they could find something new: the costmap changed, or the
    // robot has strayed from its path (an unchanged map gives the same path again).
    const stale = r.planVersion !== layerVersion || (r.last?.offPath ?? 0) > p.max_path_deviation;
    if (stale && r.active - r.lastPlanAt >= p.replan_period) r.planRequest ??= 'periodic';
    const ahead = r.last?.nextIndex ?? 0;
    if (
      pathAheadBlocked(r, pose, ahead, p.path_check_distance) &&
      r.active - r.lastBlockedReplanAt >= p.blocked_replan_interval
    ) {
      r.lastBlockedReplanAt = r.active;
      // A detour if there is one; meanwhile drive on until the arc check stops us.
      if (r.planRequest !== 'blocked') r.planRequest = 'ahead';
    }
    const input = {
      pose,
      speed: inputs.odomSpeed(now) ?? r.last?.linear ?? 0,
      speedLimit: inputs.speedCap,
      people: inputs.people(now),
      dt,
    };
    const out = follower.computeVelocity(input);
    if (out.state === 'blocked') {
      r.last = out;
      if (!r.blockedReplanTried) {
        // Right in front of us: stop and ask for a detour at once; recover if there is none.
        r.lastBlockedReplanAt = r.active;
        r.planRequest = 'blocked';
        r.holdForPlan = true;
        publishCmd(0, 0);
        return;
      }
      r.blockedReplanTried = false;
      startRecovery(r, pose, 'an obstacle in the way');
      return;
    }
    r.blockedReplanTried = false;
    r.last = out;
    if (out.state === 'arrived') {
      finish(r, 'NONE', '');
      return;
    }
    publishCmd(out.linear, out.angular);
    if (out.state !== 'following' || distance(r.progressFrom, pose) >= p.progress_required_movement) {
      r.progressFrom = { x: pose.x, y: pose.y };
      r.progressSince = r.active;
    } else if (r.active - r.progressSince >= p.progress_time_allowance) {
      r.progressFrom = { x: pose.x, y: pose.y };
      r.progressSince = r.active;
      startRecovery(r, pose, `no progress for ${p.progress_time_allowance} s`);
    }
  }

  function feedback(r: GoalRun, pose: Pose2D, now: bigint): void {
    const left = r.phase === 'following' && r.last ? r.last.distanceRemaining : distance(pose, r.goalPose);
    const cruise = Math.max(0.1, Math.min(robot.maxLinear, inputs.speedCap, zones(pose.x, pose.y)));
    r.gh.publishFeedback({
      current_pose: poseStamped('map', node.now(), pose),
      navigation_time: durationMsg(Number(now - r.startNs) / 1e9),
      estimated_time_remaining: durationMsg(left / cruise),
      number_of_recoveries: r.recoveries,
      distance_remaining: left,
    });
  }

  function tick(): void {
    const r = run;
    if (!r) return;
    const now = node.now().nanoseconds;
    const dt = Number(now - r.lastTickNs) / 1e9;
    r.lastTickNs = now;
    if (r.gh.isCancelRequested) return finish(r, 'CANCELLED', 'cancelled by the client');
    if (inputs.estopLatched)
      return finish(r, 'STOPPED', 'stopped: the safety gate reports the e-stop latched');
    const got = robotPose();
    if (r.phase === 'starting') {
      if ('pose' in got) return begin(r, got.pose);
      if (Number(now - r.startNs) / 1e9 > p.pose_wait_timeout) {
        return finish(r, 'NO_POSE', `no robot pose: ${got.why}`);
      }
      return publishCmd(0, 0);
    }
    if (!('pose' in got)) return finish(r, 'NO_POSE', `no robot pose: ${got.why}`);
    const pose = got.pose;
    // Waiting for the customer (a ~0 speed limit) or for a lost drive base to come back: the
    // robot holds still and neither the timeout nor the progress check runs.
    const paused =
      !inputs.baseConnected || isPausedBy(Math.min(inputs.speedCap, zones(pose.x, pose.y)), p.paused_speed);
    if (!paused) r.active += Math.max(0, dt);
    if (r.active > p.timeout) return finish(r, 'TIMED_OUT', `timed out after ${p.timeout} s of navigation`);
    if (paused || r.holdForPlan) {
      // Waiting (for the customer, or for the planner's answer): hold still; while waiting for
      // the customer the clock for timeouts and progress stands still too.
      publishCmd(0, 0);
    } else if (r.phase === 'recovering') recoverTick(r, pose);
    else followTick(r, pose, dt, now);
    if (run === r) feedback(r, pose, now);
  }

  /** A bug in a tick ends the goal (UNKNOWN) with the robot stopped; it never stops the node. */
  function guardedRun(what: string, work: () => void): void {
    try {
      work();
    } catch (e) {
      const r = run;
      log.error(`navigation ${what} failed`, { error: e instanceof Error ? e.message : String(e) });
      if (r) finish(r, 'UNKNOWN', `internal error: ${e instanceof Error ? e.message : String(e)}`);
      else publishCmd(0, 0);
    }
  }
  const safeTick = () => guardedRun('tick', tick);

  function start(gh: Handle, resolve: (r: Result) => void): void {
    if (run) finish(run, 'CANCELLED', 'preempted by a newer goal', { zero: false });
    const now = node.now().nanoseconds;
    const goal = gh.request.pose;
    const r: GoalRun = {
      gh,
      resolve,
      goal,
      goalPose: { x: NaN, y: NaN, yaw: NaN },
      startNs: now,
      lastTickNs: now,
      active: 0,
      path: undefined,
      lastPlanAt: 0,
      planVersion: -1,
      lastBlockedReplanAt: -Infinity,
      phase: 'starting',
      recoveries: 0,
      nextRecovery: 0,
      progressFrom: { x: 0, y: 0 },
      progressSince: 0,
      blockedWhy: '',
      holdForPlan: false,
      blockedReplanTried: false,
    };
    run = r;
    const bad = checkGoal(goal);
    if (bad) return finish(r, 'INVALID_GOAL', bad);
    r.goalPose = {
      x: goal.pose.position.x,
      y: goal.pose.position.y,
      yaw: quaternionToYaw(goal.pose.orientation),
    };
    if (inputs.estopLatched)
      return finish(r, 'STOPPED', 'stopped: the safety gate reports the e-stop latched');
    const got = robotPose();
    // No pose yet (localisation still starting): the tick waits for one, up to pose_wait_timeout.
    if ('pose' in got) begin(r, got.pose);
  }

  /** Plans the first path once the robot's pose is known. */
  function begin(r: GoalRun, pose: Pose2D): void {
    r.phase = 'following';
    r.progressFrom = { x: pose.x, y: pose.y };
    const err = replan(r, pose);
    if (err) {
      const final = finalPlanFailure(err, pose);
      if (final) return finish(r, final, err.message);
      startRecovery(r, pose, err.message);
    }
  }

  const actionServer = node.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
    execute: (gh) =>
      new Promise<Result>((resolve) => {
        try {
          start(gh, resolve);
        } catch (e) {
          log.error('navigation goal failed to start', { error: e instanceof Error ? e.message : String(e) });
          if (run?.gh === gh)
            finish(run, 'UNKNOWN', `internal error: ${e instanceof Error ? e.message : String(e)}`);
          else {
            publishCmd(0, 0);
            gh.abort();
            resolve({ error_code: NAV_ERROR_CODES.UNKNOWN, error_msg: 'internal error' });
          }
        }
      }),
  });
  const periodNs = BigInt(Math.round(1e9 / p.controller_frequency));
  const timer = node.createTimer(periodNs, safeTick);
  // Created after the control timer: at equal times it runs after the tick that asked for a plan.
  const planningTick = () => guardedRun('planning', planTick);
  const planTimer = node.createTimer(periodNs, planningTick);

  return {
    costmap: layer.master,
    status(): NavigatorStatus {
      const r = run;
      if (!r) return { phase: 'idle', distanceRemaining: 0, numberOfRecoveries: 0 };
      return {
        phase: r.phase,
        ...(r.recovery ? { recovery: r.recovery.name } : {}),
        ...(r.phase === 'following' && r.last ? { limitedBy: r.last.limitedBy } : {}),
        distanceRemaining: r.last?.distanceRemaining ?? 0,
        numberOfRecoveries: r.recoveries,
      };
    },
    stop(): void {
      if (run) finish(run, 'CANCELLED', 'the navigator shut down');
      else publishCmd(0, 0);
      timer.cancel();
      planTimer.cancel();
      actionServer.destroy();
      follower.deactivate();
      planner.deactivate();
      for (const rec of recoveries) rec.plugin.deactivate();
    },
  };
}

/** Why a goal cannot be navigated to, or undefined when it is well-formed. */
export function checkGoal(goal: PoseStamped | undefined): string | undefined {
  if (!goal || !goal.pose || !goal.header) return 'goal.pose: missing';
  if (goal.header.frame_id !== 'map') {
    return `goal.pose.header.frame_id: expected 'map', found '${String(goal.header.frame_id)}'`;
  }
  const { position: q, orientation: o } = goal.pose;
  if (!q || !o) return 'goal.pose.pose: missing position or orientation';
  for (const [k, v] of Object.entries({ x: q.x, y: q.y, z: q.z })) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      return `goal.pose.pose.position.${k}: expected a finite number, found ${String(v)}`;
  }
  for (const [k, v] of Object.entries({ x: o.x, y: o.y, z: o.z, w: o.w })) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return `goal.pose.pose.orientation.${k}: expected a finite number, found ${String(v)}`;
    }
  }
  if (Math.hypot(o.x, o.y, o.z, o.w) < 1e-6)
    return 'goal.pose.pose.orientation: expected a quaternion, found all zeros';
  return undefined;
}
