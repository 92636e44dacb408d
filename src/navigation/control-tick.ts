/**
 * The control tick (Nav2's controller server loop, with the navigator's checks around it): at
 * `controller_frequency` it runs ordered stages — cancel, e-stop, robot pose, paused or counting
 * time, timeout, then hold, recover or follow — and publishes feedback. Apart so that one control
 * cycle reads on a screen and writes only what a tick owns (the goal's time and the follower's
 * last answer); planning and the recovery sequence are asked, never reached into.
 */
import type { Pose2D, RosNode } from '../ros/index.js';
import { distance, durationMsg, poseStamped } from '../ros/index.js';
import type { RobotDescription } from '../robot-description.js';
import { ESTOP_LATCHED, type EndGoal, type GoalRun } from './goal-run.js';
import type { NavInputs } from './inputs.js';
import type { NavigatorParams } from './navigator-config.js';
import type { Planning } from './planning.js';
import type { RecoverySequence } from './recovery-sequence.js';
import type { RobotPoseLookup } from './robot-pose.js';
import { isPausedBy, type SpeedLimitAt } from './speed-limits.js';
import type { FollowerInput, FollowerOutput, PathFollower } from './types.js';

export interface ControlTickDeps {
  node: Pick<RosNode, 'now'>;
  params: Pick<
    NavigatorParams,
    | 'timeout'
    | 'pose_wait_timeout'
    | 'paused_speed'
    | 'progress_required_movement'
    | 'progress_required_rotation'
    | 'progress_time_allowance'
  >;
  robot: RobotDescription;
  zones: SpeedLimitAt;
  inputs: Pick<NavInputs, 'estopLatched' | 'baseConnected' | 'speedCap' | 'odomSpeed' | 'people'>;
  follower: Pick<PathFollower, 'computeVelocity'>;
  planning: Pick<Planning, 'askWhileFollowing'>;
  recovery: Pick<RecoverySequence, 'tick' | 'start' | 'forgetAfterMoving'>;
  robotPose(): RobotPoseLookup;
  /** Plans the first path once the robot's pose is known. */
  begin(r: GoalRun, pose: Pose2D): void;
  drive(linear: number, angular: number): void;
  end: EndGoal;
}

export class ControlTick {
  constructor(private readonly d: ControlTickDeps) {}

  tick(r: GoalRun): void {
    const { params: p, inputs, end } = this.d;
    const now = this.d.node.now().nanoseconds;
    const dt = r.tickDt(now);
    if (r.gh.isCancelRequested) return end(r, 'CANCELLED', 'cancelled by the client');
    if (inputs.estopLatched) return end(r, 'STOPPED', ESTOP_LATCHED);
    const got = this.d.robotPose();
    if (r.phase === 'starting') return this.#awaitPose(r, got, now);
    if (!('pose' in got)) return this.#poseMissing(r, got, now);
    r.poseMissingSinceNs = undefined;
    const pose = got.pose;
    const paused = this.#paused(pose);
    if (!paused) r.active += Math.max(0, dt);
    if (r.active > p.timeout) return end(r, 'TIMED_OUT', `timed out after ${p.timeout} s of navigation`);
    // Waiting (for the customer, or for the planner's answer): hold still.
    if (paused || r.plan.holdForPlan) this.d.drive(0, 0);
    else if (r.phase === 'recovering') this.d.recovery.tick(r, pose);
    else this.#follow(r, pose, dt, now);
    if (!r.ended) this.#feedback(r, pose, now);
  }

  /** A goal may come before localisation: stand still up to pose_wait_timeout for a pose. */
  #awaitPose(r: GoalRun, got: RobotPoseLookup, now: bigint): void {
    if ('pose' in got) return this.d.begin(r, got.pose);
    this.#holdForPose(r, got, r.startNs, now);
  }

  /**
   * The pose went missing mid-goal (a transform late on a loaded computer, the localiser
   * restarting): stand still, as for a goal that came before localisation.
   */
  #poseMissing(r: GoalRun, got: { why: string }, now: bigint): void {
    r.poseMissingSinceNs ??= now;
    this.#holdForPose(r, got, r.poseMissingSinceNs, now);
  }

  /** Stands still while the pose has been missing since `sinceNs`; NO_POSE after pose_wait_timeout. */
  #holdForPose(r: GoalRun, got: { why: string }, sinceNs: bigint, now: bigint): void {
    if (Number(now - sinceNs) / 1e9 > this.d.params.pose_wait_timeout) {
      return this.d.end(r, 'NO_POSE', `no robot pose: ${got.why}`);
    }
    this.d.drive(0, 0);
  }

  /**
   * Waiting for the customer (a ~0 speed limit) or for a lost drive base to come back: the robot
   * holds still, and neither the timeout nor the progress check counts the time.
   */
  #paused(pose: Pose2D): boolean {
    const { inputs, zones } = this.d;
    if (!inputs.baseConnected) return true;
    return isPausedBy(Math.min(inputs.speedCap, zones(pose.x, pose.y)), this.d.params.paused_speed);
  }

  #follow(r: GoalRun, pose: Pose2D, dt: number, now: bigint): void {
    this.d.recovery.forgetAfterMoving(r, pose);
    this.d.planning.askWhileFollowing(r, pose);
    const out = this.d.follower.computeVelocity(this.#followerInput(r, pose, dt, now));
    if (out.state === 'blocked') return this.#blocked(r, pose, out);
    r.plan.detourTried = false;
    r.last = out;
    if (out.state === 'arrived') return this.d.end(r, 'NONE', '');
    this.d.drive(out.linear, out.angular);
    // Meant to move: driving along the path, or turning on the spot to face it or the goal.
    if (r.progress.stuck(pose, r.active, this.d.params)) {
      this.d.recovery.start(r, pose, `no progress for ${this.d.params.progress_time_allowance} s`);
    }
  }

  #followerInput(r: GoalRun, pose: Pose2D, dt: number, now: bigint): FollowerInput {
    const { inputs } = this.d;
    return {
      pose,
      // Without fresh odometry, what the follower asked for last is the best guess.
      speed: inputs.odomSpeed(now) ?? r.last?.linear ?? 0,
      speedLimit: inputs.speedCap,
      people: inputs.people(now),
      dt,
    };
  }

  /** Blocked right in front: stop and ask for a detour at once; recover if there was none. */
  #blocked(r: GoalRun, pose: Pose2D, out: FollowerOutput): void {
    r.last = out;
    if (!r.plan.detourTried) {
      r.plan.askBlocked(r.active);
      this.d.drive(0, 0);
      return;
    }
    r.plan.detourTried = false;
    this.d.recovery.start(r, pose, 'an obstacle in the way');
  }

  #feedback(r: GoalRun, pose: Pose2D, now: bigint): void {
    const { robot, inputs, zones } = this.d;
    const left = r.phase === 'following' && r.last ? r.last.distanceRemaining : distance(pose, r.goalPose);
    const cruise = Math.max(0.1, Math.min(robot.maxLinear, inputs.speedCap, zones(pose.x, pose.y)));
    r.gh.publishFeedback({
      current_pose: poseStamped('map', this.d.node.now(), pose),
      navigation_time: durationMsg(Number(now - r.startNs) / 1e9),
      estimated_time_remaining: durationMsg(left / cruise),
      number_of_recoveries: r.recoveries.count,
      distance_remaining: left,
    });
  }
}
