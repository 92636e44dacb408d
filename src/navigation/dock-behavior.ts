/**
 * The docking behaviour (opennav_docking's docking server, in the robot's own behaviour server):
 * a nav2_msgs/action/DockRobot server on /dock_robot that takes the robot from where the trip
 * home left it (at the dock pose within the navigator's ordinary tolerance, 0.25 m and 0.35 rad)
 * onto the dock pose within `docking.xy_tolerance` and `docking.yaw_tolerance` by its own
 * localisation, close enough for the charging contacts. Each attempt:
 *
 *   1. checks the lane from the staging pose onto the dock by the scan (a box on the dock, a
 *      person in front of it: the attempt fails without moving);
 *   2. drives to the staging pose, `docking.staging_offset` along the dock's axis (in front of
 *      the dock pose when the robot backs on), and turns on the spot onto the axis;
 *   3. approaches straight and slowly (`docking.approach_speed`, at most 0.1 m/s), backwards by
 *      default, steering the lateral error out, checking every control cycle that its way onto
 *      the dock is still clear, and stops on the dock pose;
 *   4. stands still a moment and compares its pose with the dock pose.
 *
 * A failed attempt stops the robot, waits `docking.retry_delay` and tries again from the staging
 * pose, up to `docking.max_retries` times. Every command goes out on /cmd_vel_nav, so the safety
 * gate still stops, limits and ramps it; the behaviour stops on its own before the gate has to.
 * The navigator, the spin behaviour and this server take turns: the mission cancels one before
 * it asks another. Every ending publishes a zero command and a result with opennav_docking's
 * code for it (dock-errors.ts).
 */
import type { Costmap } from '../map/index.js';
import type { DockRobotResult, Pose2D, Publisher, RosNode, ServerGoalHandle } from '../ros/index.js';
import type { SafetyState } from '../interfaces/index.js';
import type { RobotDescription } from '../robot-description.js';
import { ScanConverter } from '../safety/index.js';
import { TransformBuffer, distance, durationMsg, relativePose, twist } from '../ros/index.js';
import { blockerInLane, blockerOnMove } from './dock-clearance.js';
import { DOCK_ERROR_CODES, DOCK_STATES, type DockEnding } from './dock-errors.js';
import { approachDirection, dockError, inDockFrame } from './dock-geometry.js';
import { admitDockGoal, type DockPlan } from './dock-goal.js';
import { approach, driveTo, turnTo, type DockCommand } from './dock-motion.js';
import { readDockParams } from './dock-params.js';
import { freshRobotPose } from './robot-pose.js';

export interface DockServer {
  /** True while a docking runs. */
  busy(): boolean;
  stop(): void;
}

export interface DockServerDeps {
  robot: RobotDescription;
  /** The static costmap (the map inflated by the robot's radius): a dock in a wall is refused. */
  costmap: Costmap;
}

type Handle = ServerGoalHandle<'nav2_msgs/action/DockRobot'>;
type Phase = 'checking_lane' | 'staging' | 'lining_up' | 'approaching' | 'settling' | 'waiting_to_retry';

interface DockRun {
  gh: Handle;
  resolve: (r: DockRobotResult) => void;
  plan: DockPlan;
  startNs: bigint;
  phase: Phase;
  phaseStartNs: bigint;
  /** When this attempt's staging began (its time limit counts from here), ns. */
  attemptStartNs: bigint;
  /** Attempts after the first so far. */
  retries: number;
}

/** A scan older than this does not say whether the way is clear, s. */
const SCAN_TIMEOUT_S = 0.5;
/** Standing still on the dock pose this long before judging it: the robot stops, the estimate settles, s. */
const SETTLE_S = 0.5;
const ESTOP = 'stopped: the safety gate reports the e-stop latched';

export function createDockServer(node: RosNode, deps: DockServerDeps): DockServer {
  const p = readDockParams(node);
  const dir = approachDirection(p.dock_backwards);
  const reach = deps.robot.radius + p.clearance_margin;
  const log = node.getLogger();
  const tf = TransformBuffer.listen(node);
  const scan = new ScanConverter('base_link');
  let scanAtNs = -1n;
  const cmdPub: Publisher<'geometry_msgs/msg/Twist'> = node.createPublisher(
    'geometry_msgs/msg/Twist',
    '/cmd_vel_nav',
  );
  const publish = (c: { linear: number; angular: number }) => cmdPub.publish(twist(c.linear, c.angular));
  const turnLimits = {
    maxRate: Math.min(p.rotate_speed, deps.robot.maxAngular),
    minRate: p.min_rotate_speed,
  };
  let run: DockRun | undefined;
  let estopLatched = false;

  const nowNs = () => node.now().nanoseconds;
  const secondsSince = (ns: bigint) => Number(nowNs() - ns) / 1e9;
  const freshScan = () =>
    scanAtNs >= 0n && secondsSince(scanAtNs) <= SCAN_TIMEOUT_S ? scan.points : undefined;

  function finish(r: DockRun, ending: DockEnding, message: string, options: { zero?: boolean } = {}): void {
    if (run !== r) return;
    run = undefined;
    if (options.zero !== false) publish({ linear: 0, angular: 0 });
    if (ending === 'NONE') r.gh.succeed();
    else if (ending === 'CANCELLED') r.gh.canceled();
    else r.gh.abort();
    log.info('docking finished', { ending, reason: message, retries: r.retries });
    r.resolve({
      success: ending === 'NONE',
      error_code: DOCK_ERROR_CODES[ending],
      num_retries: r.retries,
      error_msg: message,
    });
  }

  function enter(r: DockRun, phase: Phase): void {
    r.phase = phase;
    r.phaseStartNs = nowNs();
  }

  /** The attempt failed: stop, and retry after a pause, or end the goal when no retry is left. */
  function failAttempt(r: DockRun, ending: DockEnding, why: string): void {
    publish({ linear: 0, angular: 0 });
    if (r.retries >= p.max_retries) {
      const attempts = r.retries + 1;
      return finish(r, ending, `${why} (${attempts} attempt${attempts === 1 ? '' : 's'})`);
    }
    log.info('docking attempt failed, retrying', { ending, reason: why, retry: r.retries + 1 });
    r.retries++;
    enter(r, 'waiting_to_retry');
  }

  /** Step 1: nothing on the dock or in front of it; then on to staging (or lining up). */
  function checkLane(r: DockRun, pose: Pose2D): void {
    if (stagingOverdue(r)) return;
    const points = freshScan();
    if (!points) return publish({ linear: 0, angular: 0 });
    const blocker = blockerInLane(
      points,
      relativePose(pose, r.plan.staging),
      relativePose(pose, r.plan.dock),
      reach,
    );
    if (blocker) {
      const off = distance(blocker, relativePose(pose, r.plan.dock));
      return failAttempt(
        r,
        'BLOCKED',
        `the dock is blocked: an obstacle ${off.toFixed(2)} m from the dock pose`,
      );
    }
    const firstAttemptUnstaged = r.retries === 0 && !r.plan.stageFirst;
    enter(r, firstAttemptUnstaged ? 'lining_up' : 'staging');
  }

  /** Fails the attempt once it has taken longer than the goal allows to get staged. */
  function stagingOverdue(r: DockRun): boolean {
    if (secondsSince(r.attemptStartNs) <= r.plan.stagingTimeS) return false;
    failAttempt(r, 'FAILED_TO_STAGE', `not staged and lined up within ${r.plan.stagingTimeS} s`);
    return true;
  }

  /** Step 2: drive to the staging pose… */
  function driveToStaging(r: DockRun, pose: Pose2D): void {
    if (stagingOverdue(r)) return;
    const limits = {
      speed: p.staging_speed,
      minSpeed: p.approach_min_speed,
      tolerance: p.staging_xy_tolerance,
      turn: turnLimits,
    };
    const cmd = driveTo(pose, r.plan.staging, limits);
    if (cmd.done) return enter(r, 'lining_up');
    const blocked = blockedMove(cmd, relativePose(pose, r.plan.staging));
    if (blocked)
      return failAttempt(r, 'FAILED_TO_STAGE', `the way to the staging pose is blocked: ${blocked}`);
    publish(cmd);
  }

  /** …and line up on the dock's axis there (a round robot turning on the spot sweeps nothing new). */
  function lineUp(r: DockRun, pose: Pose2D): void {
    if (stagingOverdue(r)) return;
    const cmd = turnTo(pose.yaw, r.plan.dock.yaw, { ...turnLimits, tolerance: p.staging_yaw_tolerance });
    publish(cmd);
    if (cmd.done) enter(r, 'approaching');
  }

  /** Step 3: straight and slow along the axis onto the dock pose, while nothing comes into the way. */
  function approachDock(r: DockRun, pose: Pose2D): void {
    if (secondsSince(r.phaseStartNs) > p.approach_timeout) {
      return failAttempt(
        r,
        'TIMED_OUT',
        `the final approach took over docking.approach_timeout (${p.approach_timeout} s)`,
      );
    }
    const cmd = approach(inDockFrame(pose, r.plan.dock), dir, {
      speed: p.approach_speed,
      minSpeed: p.approach_min_speed,
    });
    if (cmd.done) {
      publish(cmd);
      return enter(r, 'settling');
    }
    const blocked = blockedMove(cmd, relativePose(pose, r.plan.dock));
    if (blocked) return failAttempt(r, 'BLOCKED', `the way onto the dock is blocked: ${blocked}`);
    publish(cmd);
  }

  /** Why a move towards `to` (robot frame) may not go on, or undefined when it may. */
  function blockedMove(cmd: DockCommand, to: Pose2D): string | undefined {
    if (cmd.linear === 0) return undefined;
    const points = freshScan();
    if (!points) return `no scan for over ${SCAN_TIMEOUT_S} s to see the way by`;
    const blocker = blockerOnMove(points, to, reach);
    return blocker ? `an obstacle ${blocker.fromRobot.toFixed(2)} m from the robot's centre` : undefined;
  }

  /** Step 4: stand still, then judge the pose against the final tolerance. */
  function settle(r: DockRun, pose: Pose2D): void {
    publish({ linear: 0, angular: 0 });
    if (secondsSince(r.phaseStartNs) < SETTLE_S) return;
    const err = dockError(pose, r.plan.dock);
    const off = `${err.xy.toFixed(3)} m and ${err.yaw.toFixed(3)} rad off the dock pose`;
    if (err.xy <= p.xy_tolerance && err.yaw <= p.yaw_tolerance) return finish(r, 'NONE', `docked ${off}`);
    const tolerance = `docking.xy_tolerance ${p.xy_tolerance} m, docking.yaw_tolerance ${p.yaw_tolerance} rad`;
    failAttempt(r, 'OFF_TOLERANCE', `ended ${off} (${tolerance})`);
  }

  function waitToRetry(r: DockRun): void {
    publish({ linear: 0, angular: 0 });
    if (secondsSince(r.phaseStartNs) < p.retry_delay) return;
    r.attemptStartNs = nowNs();
    enter(r, 'checking_lane');
  }

  const STEPS: Record<Phase, (r: DockRun, pose: Pose2D) => void> = {
    checking_lane: checkLane,
    staging: driveToStaging,
    lining_up: lineUp,
    approaching: approachDock,
    settling: settle,
    waiting_to_retry: waitToRetry,
  };

  function tick(): void {
    const r = run;
    if (!r) return;
    if (r.gh.isCancelRequested) return finish(r, 'CANCELLED', 'cancelled by the client');
    if (estopLatched) return finish(r, 'STOPPED', ESTOP);
    const got = freshRobotPose(tf, nowNs(), p.transform_tolerance);
    if (!('pose' in got)) return finish(r, 'NO_POSE', `no robot pose: ${got.why}`);
    STEPS[r.phase](r, got.pose);
    if (run === r) r.gh.publishFeedback(feedbackOf(r, secondsSince(r.startNs)));
  }

  function start(gh: Handle, resolve: (r: DockRobotResult) => void): void {
    if (run) finish(run, 'CANCELLED', 'preempted by a newer docking', { zero: false });
    const admission = admitDockGoal(gh.request, deps.costmap, p);
    if ('ending' in admission) return refuse(gh, resolve, admission.ending, admission.why);
    if (estopLatched) return refuse(gh, resolve, 'STOPPED', ESTOP);
    const { plan } = admission;
    const got = freshRobotPose(tf, nowNs(), p.transform_tolerance);
    if (!('pose' in got)) return refuse(gh, resolve, 'NO_POSE', `no robot pose: ${got.why}`);
    const far = distance(got.pose, plan.staging);
    if (far > p.max_staging_distance) {
      const why = `the robot is ${far.toFixed(2)} m from the staging pose, over docking.max_staging_distance (${p.max_staging_distance} m): navigate to the dock first`;
      return refuse(gh, resolve, 'FAILED_TO_STAGE', why);
    }
    const now = nowNs();
    const phase = 'checking_lane';
    run = { gh, resolve, plan, startNs: now, phase, phaseStartNs: now, attemptStartNs: now, retries: 0 };
    log.info('docking', { dock: plan.dock, staging: plan.staging, backwards: p.dock_backwards });
  }

  /** Ends a goal that never started: nothing moved, so nothing to stop. */
  function refuse(gh: Handle, resolve: (r: DockRobotResult) => void, ending: DockEnding, why: string): void {
    gh.abort();
    log.info('docking refused', { ending, reason: why });
    resolve({ success: false, error_code: DOCK_ERROR_CODES[ending], num_retries: 0, error_msg: why });
  }

  node.createSubscription('sensor_msgs/msg/LaserScan', '/scan', (msg) => {
    if ('stampNs' in scan.take(msg)) scanAtNs = nowNs();
  });
  node.createSubscription(
    'medhjalparen_msgs/msg/SafetyState',
    '/safety/state',
    { qos: { durability: 'transient_local' } },
    (msg: SafetyState) => {
      estopLatched = msg?.estop_latched === true;
      if (estopLatched && run) finish(run, 'STOPPED', ESTOP);
    },
  );
  const actionServer = node.createActionServer('nav2_msgs/action/DockRobot', '/dock_robot', {
    execute: (gh) => new Promise<DockRobotResult>((resolve) => start(gh, resolve)),
  });
  const timer = node.createTimer(BigInt(Math.round(1e9 / p.frequency)), () => {
    try {
      tick();
    } catch (e) {
      log.error('docking tick failed', { error: e instanceof Error ? e.message : String(e) });
      if (run) finish(run, 'UNKNOWN', 'internal error');
    }
  });

  return {
    busy: () => run !== undefined,
    stop() {
      if (run) finish(run, 'CANCELLED', 'the behaviour server shut down');
      timer.cancel();
      actionServer.destroy();
    },
  };
}

function feedbackOf(r: DockRun, elapsedS: number) {
  const state =
    r.phase === 'waiting_to_retry'
      ? DOCK_STATES.RETRY
      : r.phase === 'approaching' || r.phase === 'settling'
        ? DOCK_STATES.CONTROLLING
        : DOCK_STATES.NAV_TO_STAGING_POSE;
  return { state, docking_time: durationMsg(elapsedS), num_retries: r.retries };
}
