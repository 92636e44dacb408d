/**
 * The navigator node: a nav2_msgs/action/NavigateToPose server on /navigate_to_pose that plans
 * (global planner plugin), follows at `controller_frequency` on a node timer (path follower
 * plugin, /cmd_vel_nav), keeps a local obstacle layer from /scan, replans periodically and when
 * the way ahead is blocked, and runs recoveries (wait → back up → clear and replan) before it
 * gives up. One goal at a time: a new goal preempts the old one, which ends CANCELED.
 *
 * Every ending publishes a zero command and a result with Nav2's code for it (errors.ts) and a
 * reason a person can read. Time spent at a ~0 speed limit (the mission waiting for its customer) counts
 * neither towards the goal's timeout nor towards progress and blocked checks.
 *
 * This file is the node: it owns which goal runs and how a goal ends, and wires the parts to the
 * action server and the two timers — navigator-config.ts (parameters, plugins), inputs.ts,
 * planning.ts, recovery-sequence.ts and control-tick.ts, with each goal's record in goal-run.ts.
 */
import type { Costmap } from '../map/index.js';
import type {
  LaserScan,
  Logger,
  NavigateToPoseResult,
  Pose2D,
  Publisher,
  RosNode,
  Timer,
} from '../ros/index.js';
import { TransformBuffer, twist } from '../ros/index.js';
import { ControlTick } from './control-tick.js';
import { NAV_ERROR_CODES, type ServerEnding } from './errors.js';
import { ESTOP_LATCHED, GoalRun, type EndGoal, type GoalHandle } from './goal-run.js';
import { NavInputs } from './inputs.js';
import { configureParts, type NavigatorDeps, type NavigatorParts } from './navigator-config.js';
import { Planning } from './planning.js';
import { RecoverySequence } from './recovery-sequence.js';
import { freshRobotPose, type RobotPoseLookup } from './robot-pose.js';
import type { FollowerOutput, RecoveryContext } from './types.js';
import { warnOnceTo, type WarnOnce } from './warn-once.js';

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

export function createNavigator(node: RosNode, deps: NavigatorDeps): Navigator {
  return new NavigatorNode(node, configureParts(node, deps));
}

class NavigatorNode implements Navigator {
  readonly costmap: Costmap;
  /** The goal being navigated to, if any: one at a time. */
  #run: GoalRun | undefined;
  readonly #node: RosNode;
  readonly #parts: NavigatorParts;
  readonly #log: Logger;
  readonly #tf: TransformBuffer;
  readonly #cmdPub: Publisher<'geometry_msgs/msg/Twist'>;
  readonly #planning: Planning;
  readonly #inputs: NavInputs;
  readonly #recovery: RecoverySequence;
  readonly #control: ControlTick;
  readonly #actionServer: { destroy(): void };
  readonly #timer: Timer;
  readonly #planTimer: Timer;
  // The parts end goals only through #end, so every ending is #finish's: one zero command, one result.
  readonly #end: EndGoal = (r, code, message) => this.#finish(r, code, message);
  readonly #drive = (linear: number, angular: number) => this.#cmdPub.publish(twist(linear, angular));

  constructor(node: RosNode, parts: NavigatorParts) {
    this.#node = node;
    this.#parts = parts;
    this.costmap = parts.layer.master;
    this.#log = node.getLogger();
    this.#tf = TransformBuffer.listen(node);
    this.#cmdPub = node.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel_nav');
    const planPub = node.createPublisher('nav_msgs/msg/Path', '/plan');
    const warnOnce = warnOnceTo(this.#log);
    this.#planning = this.#makePlanning(planPub, warnOnce);
    this.#inputs = this.#makeInputs(warnOnce);
    this.#recovery = this.#makeRecovery();
    this.#control = this.#makeControl();
    this.#actionServer = node.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
      execute: (gh) => new Promise<NavigateToPoseResult>((resolve) => this.#execute(gh, resolve)),
    });
    const periodNs = BigInt(Math.round(1e9 / parts.p.controller_frequency));
    const safeTick = () => this.#guarded('tick', () => this.#tick());
    this.#timer = node.createTimer(periodNs, safeTick);
    // Created after the control timer: at equal times it runs after the tick that asked for a
    // plan. bench/sim.ts tells planning from the control cycle by the name `planningTick`.
    const planningTick = () => this.#guarded('planning', () => this.#planTick());
    this.#planTimer = node.createTimer(periodNs, planningTick);
  }

  #makePlanning(planPub: Publisher<'nav_msgs/msg/Path'>, warnOnce: WarnOnce): Planning {
    const { planner, follower, layer, staticMap, robot, p } = this.#parts;
    return new Planning({
      node: this.#node,
      planner,
      follower,
      layer,
      staticMap,
      robotRadius: robot.radius,
      planPub,
      params: p,
      warnOnce,
    });
  }

  #makeInputs(warnOnce: WarnOnce): NavInputs {
    return new NavInputs(this.#node, {
      maxLinear: this.#parts.robot.maxLinear,
      inputTimeoutS: this.#parts.p.input_timeout,
      warnOnce,
      onScan: (msg) => this.#observe(msg),
      onEstopLatched: () => {
        if (this.#run) this.#finish(this.#run, 'STOPPED', ESTOP_LATCHED);
      },
    });
  }

  #makeRecovery(): RecoverySequence {
    return new RecoverySequence({
      recoveries: this.#parts.recoveries,
      params: this.#parts.p,
      planning: this.#planning,
      context: (pose) => this.#recoveryContext(pose),
      drive: this.#drive,
      end: this.#end,
      log: this.#log,
    });
  }

  #makeControl(): ControlTick {
    const { p, robot, zones, follower } = this.#parts;
    return new ControlTick({
      node: this.#node,
      params: p,
      robot,
      zones,
      inputs: this.#inputs,
      follower,
      planning: this.#planning,
      recovery: this.#recovery,
      robotPose: () => this.#robotPose(),
      begin: (r, pose) => this.#begin(r, pose),
      drive: this.#drive,
      end: this.#end,
    });
  }

  status(): NavigatorStatus {
    const r = this.#run;
    if (!r) return { phase: 'idle', distanceRemaining: 0, numberOfRecoveries: 0 };
    return {
      phase: r.phase,
      ...(r.recoveries.current ? { recovery: r.recoveries.current.name } : {}),
      ...(r.phase === 'following' && r.last ? { limitedBy: r.last.limitedBy } : {}),
      distanceRemaining: r.last?.distanceRemaining ?? 0,
      numberOfRecoveries: r.recoveries.count,
    };
  }

  stop(): void {
    if (this.#run) this.#finish(this.#run, 'CANCELLED', 'the navigator shut down');
    else this.#drive(0, 0);
    this.#timer.cancel();
    this.#planTimer.cancel();
    this.#actionServer.destroy();
    this.#parts.follower.deactivate();
    this.#parts.planner.deactivate();
    for (const rec of this.#parts.recoveries) rec.plugin.deactivate();
  }

  /** A goal that fails to start ends UNKNOWN with the robot stopped; the server goes on. */
  #execute(gh: GoalHandle, resolve: (r: NavigateToPoseResult) => void): void {
    try {
      this.#start(gh, resolve);
    } catch (e) {
      this.#log.error('navigation goal failed to start', { error: errorText(e) });
      if (this.#run?.gh === gh) this.#finish(this.#run, 'UNKNOWN', `internal error: ${errorText(e)}`);
      else {
        this.#drive(0, 0);
        gh.abort();
        resolve({ error_code: NAV_ERROR_CODES.UNKNOWN, error_msg: 'internal error' });
      }
    }
  }

  #start(gh: GoalHandle, resolve: (r: NavigateToPoseResult) => void): void {
    if (this.#run) this.#finish(this.#run, 'CANCELLED', 'preempted by a newer goal', { zero: false });
    const r = new GoalRun(gh, resolve, this.#node.now().nanoseconds);
    this.#run = r;
    const bad = r.admit();
    if (bad) return this.#finish(r, 'INVALID_GOAL', bad);
    if (this.#inputs.estopLatched) return this.#finish(r, 'STOPPED', ESTOP_LATCHED);
    const got = this.#robotPose();
    // No pose yet (localisation still starting): the tick waits for one, up to pose_wait_timeout.
    if ('pose' in got) this.#begin(r, got.pose);
  }

  /** Plans the first path once the robot's pose is known. */
  #begin(r: GoalRun, pose: Pose2D): void {
    r.started = true;
    r.progress.restart(pose, r.active);
    const err = this.#planning.replan(r, pose);
    if (err) {
      const final = this.#planning.finalFailure(err, pose, r.goalPose);
      if (final) return this.#finish(r, final, err.message);
      this.#recovery.start(r, pose, err.message);
    }
  }

  #finish(r: GoalRun, code: ServerEnding, message: string, options: { zero?: boolean } = {}): void {
    if (this.#run !== r) return;
    this.#run = undefined;
    r.ended = true;
    if (options.zero !== false) this.#drive(0, 0);
    if (code === 'NONE') r.gh.succeed();
    else if (code === 'CANCELLED') r.gh.canceled();
    else r.gh.abort();
    this.#log.info('navigation finished', { code, reason: message, recoveries: r.recoveries.count });
    r.resolve({ error_code: NAV_ERROR_CODES[code], error_msg: message });
  }

  #tick(): void {
    const r = this.#run;
    if (r) this.#control.tick(r);
  }

  /** The planner's callback: does what the control tick asked for, outside the control cycle. */
  #planTick(): void {
    const r = this.#run;
    const why = r?.plan.take();
    if (!r || !why) return;
    const got = this.#robotPose();
    if (!('pose' in got)) return; // the control tick reports NO_POSE
    if (why === 'resume' || why === 'resume_end') this.#recovery.answer(r, got.pose, why);
    else if (r.phase === 'following') this.#planning.answer(r, got.pose, why);
  }

  /** A bug in a tick ends the goal (UNKNOWN) with the robot stopped; it never stops the node. */
  #guarded(what: string, work: () => void): void {
    try {
      work();
    } catch (e) {
      const r = this.#run;
      this.#log.error(`navigation ${what} failed`, { error: errorText(e) });
      if (r) this.#finish(r, 'UNKNOWN', `internal error: ${errorText(e)}`);
      else this.#drive(0, 0);
    }
  }

  #observe(scan: LaserScan): void {
    const at = this.#tf.lookup('map', scan.header.frame_id);
    if (!at) return;
    const nowS = this.#nowS();
    this.#planning.observe(scan, at.pose, nowS);
    this.#planning.observePeople(this.#inputs.people(this.#node.now().nanoseconds), nowS);
  }

  /** Robot pose in map, or why there is none. */
  #robotPose(): RobotPoseLookup {
    return freshRobotPose(this.#tf, this.#node.now().nanoseconds, this.#parts.p.transform_tolerance);
  }

  #recoveryContext(pose: Pose2D): RecoveryContext {
    return {
      now: this.#nowS(),
      pose,
      scan: this.#inputs.scan(this.#node.now().nanoseconds),
      robot: this.#parts.robot,
      path: this.#run?.plan.path,
      clearObstacles: () => this.#planning.clearObstacles(),
    };
  }

  #nowS(): number {
    return Number(this.#node.now().nanoseconds) / 1e9;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
