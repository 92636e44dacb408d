/**
 * The recovery sequence (the recovery branch of Nav2's navigate-to-pose tree, running the
 * behaviour plugins of recoveries.ts): when the robot is blocked it runs the next recovery in the
 * configured order, looks for a way out while a recovery stands still, resumes following once a
 * new plan is clear ahead, and ends the goal BLOCKED when the recoveries are used up. Moving far
 * from where a recovery ended starts the sequence afresh. Apart so that these rules, and the
 * state they keep for a goal (GoalRecoveries), read and test without the control loop.
 */
import type { Logger, Pose2D } from '../ros/index.js';
import { distance } from '../ros/index.js';
import type { EndGoal, GoalRun } from './goal-run.js';
import type { NavigatorParams } from './navigator-config.js';
import type { Planning, RecoveringPlanRequest } from './planning.js';
import type { Recovery, RecoveryContext } from './types.js';

/** After a recovery, resume only if this much of the new path is free of observed obstacles, m. */
const RESUME_CLEAR_DISTANCE = 1.0;

export interface NamedRecovery {
  /** Its name in `recovery_plugins` (and its parameter prefix). */
  name: string;
  plugin: Recovery;
}

/** One goal's place in the recovery sequence; only RecoverySequence writes it. */
export class GoalRecoveries {
  /** The recovery running, if any. */
  current: NamedRecovery | undefined;
  /** Recoveries started for this goal. */
  count = 0;
  /** Index of the next recovery in the sequence. */
  next = 0;
  /** Where the last recovery ended. */
  endedAt: { x: number; y: number } | undefined;
  /** Why the robot is blocked (for the BLOCKED result). */
  blockedWhy = '';
}

export interface RecoverySequenceDeps {
  /** In the order tried. */
  recoveries: readonly NamedRecovery[];
  params: Pick<NavigatorParams, 'max_recoveries' | 'recovery_reset_distance' | 'blocked_replan_interval'>;
  planning: Pick<Planning, 'replan' | 'finalFailure' | 'blockedAhead'>;
  /** What a recovery sees at `pose` now. */
  context(pose: Pose2D): RecoveryContext;
  drive(linear: number, angular: number): void;
  end: EndGoal;
  log: Logger;
}

export class RecoverySequence {
  constructor(private readonly d: RecoverySequenceDeps) {}

  /** The robot is blocked (`why`): stop and run the next recovery, or end BLOCKED when none is left. */
  start(r: GoalRun, pose: Pose2D, why: string): void {
    const s = r.recoveries;
    s.blockedWhy = why;
    this.d.drive(0, 0);
    if (s.count >= this.d.params.max_recoveries || s.next >= this.d.recoveries.length) {
      this.d.end(r, 'BLOCKED', `blocked: ${why}; recoveries exhausted after ${s.count}`);
      return;
    }
    const next = this.d.recoveries[s.next++]!;
    s.count++;
    s.current = next;
    this.d.log.info('recovery', { name: next.name, reason: why, number: s.count });
    next.plugin.begin(this.d.context(pose));
  }

  /** One control step of the running recovery. */
  tick(r: GoalRun, pose: Pose2D): void {
    const rec = r.recoveries.current!;
    const step = rec.plugin.tick(this.d.context(pose));
    if (step.status === 'running') {
      this.d.drive(step.linear, step.angular);
      // While standing still, look for a way out every blocked_replan_interval.
      const still = step.linear === 0 && step.angular === 0;
      if (still && r.plan.blockedReplanDue(r.active, this.d.params.blocked_replan_interval)) {
        r.plan.askWayOut(r.active);
      }
      return;
    }
    this.d.drive(0, 0);
    if (step.note)
      this.d.log.info('recovery ended', { name: rec.name, status: step.status, note: step.note });
    r.plan.askAfterRecovery();
  }

  /** The planning timer's answer to a recovery: resume if the way is clear; after one ended, else recover again. */
  answer(r: GoalRun, pose: Pose2D, why: RecoveringPlanRequest): void {
    if (r.phase !== 'recovering') return;
    const outcome = this.#tryResume(r, pose);
    if (why === 'resume_end' && outcome === 'still_blocked') this.start(r, pose, r.recoveries.blockedWhy);
  }

  /** Moving far from where the last recovery ended starts the sequence afresh: a new place, a new blockage. */
  forgetAfterMoving(r: GoalRun, pose: Pose2D): void {
    const s = r.recoveries;
    if (s.endedAt && distance(s.endedAt, pose) >= this.d.params.recovery_reset_distance) {
      s.endedAt = undefined;
      s.next = 0;
    }
  }

  /** Plans again and resumes following if the way is clear. */
  #tryResume(r: GoalRun, pose: Pose2D): 'resumed' | 'still_blocked' | 'final' {
    const { planning } = this.d;
    const s = r.recoveries;
    const err = planning.replan(r, pose);
    if (err) {
      const final = planning.finalFailure(err, pose, r.goalPose);
      if (final) {
        this.d.end(r, final, err.message);
        return 'final';
      }
      s.blockedWhy = err.message;
      return 'still_blocked';
    }
    if (planning.blockedAhead(r, pose, 0, RESUME_CLEAR_DISTANCE)) {
      s.blockedWhy = 'an obstacle right ahead';
      return 'still_blocked';
    }
    s.current = undefined;
    s.endedAt = { x: pose.x, y: pose.y };
    r.progress.restart(pose, r.active);
    return 'resumed';
  }
}
