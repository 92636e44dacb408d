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
import type { NavigateToPoseResult, Pose2D, Publisher, RosNode } from '../ros/index.js';
import { TransformBuffer, declareParams, distance, durationMsg, poseStamped, twist } from '../ros/index.js';
import type { RobotDescription } from '../robot-description.js';
import { NAV_ERROR_CODES, type NavErrorCode } from './errors.js';
import { GoalRun, type GoalHandle } from './goal-run.js';
import { NavInputs } from './inputs.js';
import { NAVIGATOR_DEFAULTS, NAV_PARAM_PREFIXES, loadPlugin, seedParams } from './navigator-params.js';
import { OBSTACLE_LAYER_DEFAULTS, ObstacleLayer } from './obstacle-layer.js';
import { Planning } from './planning.js';
import { RecoverySequence } from './recovery-sequence.js';
import { FOLLOWERS, PLANNERS, RECOVERIES } from './plugins.js';
import { freshRobotPose, type RobotPoseLookup } from './robot-pose.js';
import { NO_SPEED_LIMIT, isPausedBy, zoneSpeedLimits, type SpeedLimitAt } from './speed-limits.js';
import type { FollowerOutput, GlobalPlanner, PathFollower, RecoveryContext } from './types.js';
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
  const warnOnce = warnOnceTo(log);
  const planning = new Planning({
    node,
    planner,
    follower,
    layer,
    staticMap,
    robotRadius: robot.radius,
    planPub,
    params: p,
    warnOnce,
  });
  const nowS = () => Number(node.now().nanoseconds) / 1e9;
  const inputs = new NavInputs(node, {
    maxLinear: robot.maxLinear,
    inputTimeoutS: p.input_timeout,
    warnOnce,
    onScan: (msg) => {
      const at = tf.lookup('map', msg.header.frame_id);
      if (at) planning.observe(msg, at.pose, nowS());
    },
    onEstopLatched: () => {
      if (run) finish(run, 'STOPPED', 'stopped: the safety gate reports the e-stop latched');
    },
  });

  const publishCmd = (linear: number, angular: number) => cmdPub.publish(twist(linear, angular));

  function finish(r: GoalRun, code: NavErrorCode, message: string, options: { zero?: boolean } = {}): void {
    if (run !== r) return;
    run = undefined;
    r.ended = true;
    if (options.zero !== false) publishCmd(0, 0);
    if (code === 'NONE') r.gh.succeed();
    else if (code === 'CANCELLED') r.gh.canceled();
    else r.gh.abort();
    log.info('navigation finished', { code, reason: message, recoveries: r.recoveries.count });
    r.resolve({ error_code: NAV_ERROR_CODES[code], error_msg: message });
  }

  /** Robot pose in map, or why there is none. */
  const robotPose = (): RobotPoseLookup => freshRobotPose(tf, node.now().nanoseconds, p.transform_tolerance);

  function recoveryContext(pose: Pose2D): RecoveryContext {
    return {
      now: nowS(),
      pose,
      scan: inputs.scan(node.now().nanoseconds),
      robot,
      clearObstacles: () => planning.clearObstacles(),
    };
  }
  const recovery = new RecoverySequence({
    recoveries,
    params: p,
    planning,
    context: recoveryContext,
    drive: publishCmd,
    end: finish,
    log,
  });

  /** The planner's callback: does what the control tick asked for, outside the control cycle. */
  function planTick(): void {
    const r = run;
    const why = r?.plan.take();
    if (!r || !why) return;
    const got = robotPose();
    if (!('pose' in got)) return; // the control tick reports NO_POSE
    const pose = got.pose;
    if (why === 'resume' || why === 'resume_end') recovery.answer(r, pose, why);
    else if (r.phase === 'following') planning.answer(r, pose, why);
  }

  function followTick(r: GoalRun, pose: Pose2D, dt: number, now: bigint): void {
    recovery.forgetAfterMoving(r, pose);
    planning.askWhileFollowing(r, pose);
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
      if (!r.plan.detourTried) {
        // Right in front of us: stop and ask for a detour at once; recover if there is none.
        r.plan.askBlocked(r.active);
        publishCmd(0, 0);
        return;
      }
      r.plan.detourTried = false;
      recovery.start(r, pose, 'an obstacle in the way');
      return;
    }
    r.plan.detourTried = false;
    r.last = out;
    if (out.state === 'arrived') {
      finish(r, 'NONE', '');
      return;
    }
    publishCmd(out.linear, out.angular);
    if (r.progress.stuck(pose, r.active, out.state === 'following', p)) {
      recovery.start(r, pose, `no progress for ${p.progress_time_allowance} s`);
    }
  }

  function feedback(r: GoalRun, pose: Pose2D, now: bigint): void {
    const left = r.phase === 'following' && r.last ? r.last.distanceRemaining : distance(pose, r.goalPose);
    const cruise = Math.max(0.1, Math.min(robot.maxLinear, inputs.speedCap, zones(pose.x, pose.y)));
    r.gh.publishFeedback({
      current_pose: poseStamped('map', node.now(), pose),
      navigation_time: durationMsg(Number(now - r.startNs) / 1e9),
      estimated_time_remaining: durationMsg(left / cruise),
      number_of_recoveries: r.recoveries.count,
      distance_remaining: left,
    });
  }

  function tick(): void {
    const r = run;
    if (!r) return;
    const now = node.now().nanoseconds;
    const dt = r.tickDt(now);
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
    if (paused || r.plan.holdForPlan) {
      // Waiting (for the customer, or for the planner's answer): hold still; while waiting for
      // the customer the clock for timeouts and progress stands still too.
      publishCmd(0, 0);
    } else if (r.phase === 'recovering') recovery.tick(r, pose);
    else followTick(r, pose, dt, now);
    if (!r.ended) feedback(r, pose, now);
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

  function start(gh: GoalHandle, resolve: (r: Result) => void): void {
    if (run) finish(run, 'CANCELLED', 'preempted by a newer goal', { zero: false });
    const r = new GoalRun(gh, resolve, node.now().nanoseconds);
    run = r;
    const bad = r.admit();
    if (bad) return finish(r, 'INVALID_GOAL', bad);
    if (inputs.estopLatched)
      return finish(r, 'STOPPED', 'stopped: the safety gate reports the e-stop latched');
    const got = robotPose();
    // No pose yet (localisation still starting): the tick waits for one, up to pose_wait_timeout.
    if ('pose' in got) begin(r, got.pose);
  }

  /** Plans the first path once the robot's pose is known. */
  function begin(r: GoalRun, pose: Pose2D): void {
    r.started = true;
    r.progress.restart(pose, r.active);
    const err = planning.replan(r, pose);
    if (err) {
      const final = planning.finalFailure(err, pose, r.goalPose);
      if (final) return finish(r, final, err.message);
      recovery.start(r, pose, err.message);
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
        ...(r.recoveries.current ? { recovery: r.recoveries.current.name } : {}),
        ...(r.phase === 'following' && r.last ? { limitedBy: r.last.limitedBy } : {}),
        distanceRemaining: r.last?.distanceRemaining ?? 0,
        numberOfRecoveries: r.recoveries.count,
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
