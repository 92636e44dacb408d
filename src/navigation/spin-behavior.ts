/**
 * The spin behaviour (Nav2's behaviour server, the Spin part): a nav2_msgs/action/Spin server on
 * /spin that turns the robot in place by `target_yaw` on the node clock, publishing /cmd_vel_nav
 * like the navigator does (the safety gate decides what reaches the wheels). The guide mission
 * uses it to turn and look for a customer its rear camera has lost.
 *
 * The navigator and this server take turns, never both: the mission cancels navigation before it
 * asks for a turn, and cancels the turn before it navigates again. A round robot turning on its
 * own spot sweeps no new floor, so there is no collision check of the footprint; the gate's scan
 * zones still stop a turn when someone stands right against the robot (the turn then times out).
 *
 * Every ending publishes a zero command and a result with Nav2's Spin code for it (errors.ts).
 */
import type { Publisher, RosNode, ServerGoalHandle, SpinResult } from '../ros/index.js';
import type { SafetyState } from '../interfaces/index.js';
import {
  TransformBuffer,
  declareParams,
  durationMsg,
  durationMsgToSeconds,
  normalizeAngle,
  twist,
} from '../ros/index.js';
import type { RobotDescription } from '../robot-description.js';
import { SPIN_ERROR_CODES, type SpinEnding } from './errors.js';
import { freshRobotPose } from './robot-pose.js';

export const SPIN_DEFAULTS = {
  /** Turn rate cap, rad/s (also capped by the robot's maxAngular): slow enough to see by. */
  max_rotational_vel: 0.8,
  /** Slowest useful turn rate, rad/s (slower would stall on the wheels' deadband). */
  min_rotational_vel: 0.3,
  /** Angular acceleration and braking, rad/s² (also capped by the robot's maxAngularAccel). */
  rotational_acc_lim: 1.6,
  /** Control rate, Hz. */
  frequency: 20,
  /** Oldest map → base_link transform accepted, s. */
  transform_tolerance: 0.5,
  /** A turn with no time_allowance given may take this long, s. */
  default_time_allowance: 20,
};

/** Turned to within this of the target counts as done, rad (~0.6°). */
const DONE_TOLERANCE_RAD = 0.01;

export interface SpinServer {
  /** True while a turn is running. */
  busy(): boolean;
  stop(): void;
}

type Handle = ServerGoalHandle<'nav2_msgs/action/Spin'>;

interface SpinRun {
  gh: Handle;
  resolve: (r: SpinResult) => void;
  /** Signed angle to turn, rad. */
  target: number;
  allowanceS: number;
  startNs: bigint;
  lastTickNs: bigint;
  /** Yaw at the previous tick (to unwrap), or undefined before the first pose. */
  lastYaw: number | undefined;
  /** Signed angle turned so far, rad. */
  turned: number;
  /** Commanded turn rate at the last tick, rad/s (for the acceleration limit). */
  rate: number;
}

export function createSpinServer(node: RosNode, deps: { robot: RobotDescription }): SpinServer {
  const p = declareParams(node, 'spin', SPIN_DEFAULTS);
  const maxRate = Math.min(p.max_rotational_vel, deps.robot.maxAngular);
  const accel = Math.min(p.rotational_acc_lim, deps.robot.maxAngularAccel);
  const log = node.getLogger();
  const tf = TransformBuffer.listen(node);
  const cmdPub: Publisher<'geometry_msgs/msg/Twist'> = node.createPublisher(
    'geometry_msgs/msg/Twist',
    '/cmd_vel_nav',
  );
  const publishCmd = (angular: number) => cmdPub.publish(twist(0, angular));
  let run: SpinRun | undefined;
  let estopLatched = false;

  const elapsedS = (r: SpinRun) => Number(node.now().nanoseconds - r.startNs) / 1e9;

  function finish(r: SpinRun, code: SpinEnding, message: string, options: { zero?: boolean } = {}): void {
    if (run !== r) return;
    run = undefined;
    if (options.zero !== false) publishCmd(0);
    if (code === 'NONE') r.gh.succeed();
    else if (code === 'CANCELLED') r.gh.canceled();
    else r.gh.abort();
    log.info('spin finished', { code, reason: message, turned_rad: Number(r.turned.toFixed(3)) });
    r.resolve({
      total_elapsed_time: durationMsg(elapsedS(r)),
      error_code: SPIN_ERROR_CODES[code],
      error_msg: message,
    });
  }

  /** The robot's yaw in the map frame, or why there is none. */
  function robotYaw(): number | string {
    const got = freshRobotPose(tf, node.now().nanoseconds, p.transform_tolerance);
    return 'pose' in got ? got.pose.yaw : got.why;
  }

  function tick(): void {
    const r = run;
    if (!r) return;
    const now = node.now().nanoseconds;
    const dt = Math.max(0, Number(now - r.lastTickNs) / 1e9);
    r.lastTickNs = now;
    if (r.gh.isCancelRequested) return finish(r, 'CANCELLED', 'cancelled by the client');
    if (estopLatched) return finish(r, 'STOPPED', 'stopped: the safety gate reports the e-stop latched');
    const yaw = robotYaw();
    if (typeof yaw === 'string') return finish(r, 'NO_POSE', `no robot pose: ${yaw}`);
    if (r.lastYaw !== undefined) r.turned += normalizeAngle(yaw - r.lastYaw);
    r.lastYaw = yaw;
    const left = Math.abs(r.target) - Math.sign(r.target) * r.turned;
    if (left <= DONE_TOLERANCE_RAD) return finish(r, 'NONE', `turned ${r.turned.toFixed(2)} rad`);
    if (elapsedS(r) > r.allowanceS) {
      return finish(
        r,
        'TIMED_OUT',
        `turned ${r.turned.toFixed(2)} of ${r.target.toFixed(2)} rad in ${r.allowanceS} s`,
      );
    }
    // Speed up within the acceleration limit, brake in time to stop at the target (v² = 2·a·s).
    const braking = Math.sqrt(2 * accel * left);
    const rate = Math.max(p.min_rotational_vel, Math.min(maxRate, braking, Math.abs(r.rate) + accel * dt));
    r.rate = Math.sign(r.target) * rate;
    publishCmd(r.rate);
    r.gh.publishFeedback({ angular_distance_traveled: Math.abs(r.turned) });
  }

  function start(gh: Handle, resolve: (r: SpinResult) => void): void {
    if (run) finish(run, 'CANCELLED', 'preempted by a newer turn', { zero: false });
    const now = node.now().nanoseconds;
    const goal = gh.request;
    const allowance = goal?.time_allowance ? durationMsgToSeconds(goal.time_allowance) : 0;
    const r: SpinRun = {
      gh,
      resolve,
      target: goal?.target_yaw,
      allowanceS: Number.isFinite(allowance) && allowance > 0 ? allowance : p.default_time_allowance,
      startNs: now,
      lastTickNs: now,
      lastYaw: undefined,
      turned: 0,
      rate: 0,
    };
    run = r;
    if (typeof r.target !== 'number' || !Number.isFinite(r.target)) {
      return finish(
        r,
        'INVALID_GOAL',
        `goal.target_yaw: expected a finite number, found ${String(goal?.target_yaw)}`,
      );
    }
    if (Math.abs(r.target) <= DONE_TOLERANCE_RAD) return finish(r, 'NONE', 'nothing to turn');
    if (estopLatched) return finish(r, 'STOPPED', 'stopped: the safety gate reports the e-stop latched');
    const yaw = robotYaw();
    if (typeof yaw === 'string') return finish(r, 'NO_POSE', `no robot pose: ${yaw}`);
    r.lastYaw = yaw;
  }

  node.createSubscription(
    'medhjalparen_msgs/msg/SafetyState',
    '/safety/state',
    { qos: { durability: 'transient_local' } },
    (msg: SafetyState) => {
      estopLatched = msg?.estop_latched === true;
      if (estopLatched && run) finish(run, 'STOPPED', 'stopped: the safety gate reports the e-stop latched');
    },
  );

  const actionServer = node.createActionServer('nav2_msgs/action/Spin', '/spin', {
    execute: (gh) => new Promise<SpinResult>((resolve) => start(gh, resolve)),
  });
  const timer = node.createTimer(BigInt(Math.round(1e9 / p.frequency)), () => {
    try {
      tick();
    } catch (e) {
      log.error('spin tick failed', { error: e instanceof Error ? e.message : String(e) });
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
