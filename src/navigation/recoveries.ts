/**
 * Recovery behaviours (Nav2's behaviour server, in-process), tried in order when the robot is
 * blocked: `wait` (people usually move on), `turn_to_path` (turn in place to face the way on,
 * when the footprint has room to turn), `back_up` (a short, slow reverse, only when the scan
 * behind is clear) and `clear_and_replan` (forget observed obstacles and plan again from a
 * fresh scan). The navigator replans after each one and resumes if the way is clear.
 */
import type { LaserScan, Path, Pose2D, RosNode } from '../ros/index.js';
import { declareParams, distance, normalizeAngle } from '../ros/index.js';
import { PathTracker } from './path-tracker.js';
import type { Recovery, RecoveryContext, RecoveryStep } from './types.js';

const running = (linear = 0): RecoveryStep => ({ status: 'running', linear, angular: 0 });

export const WAIT_DEFAULTS = {
  /** How long to stand still, s. */
  duration: 3.0,
};

export class WaitRecovery implements Recovery {
  #params = { ...WAIT_DEFAULTS };
  #startedAt = 0;
  configure(node: RosNode, name: string): void {
    this.#params = declareParams(node, name, WAIT_DEFAULTS);
  }
  activate(): void {}
  deactivate(): void {}
  cleanup(): void {}
  begin(ctx: RecoveryContext): void {
    this.#startedAt = ctx.now;
  }
  tick(ctx: RecoveryContext): RecoveryStep {
    if (ctx.now - this.#startedAt >= this.#params.duration) {
      return { status: 'done', linear: 0, angular: 0, note: `waited ${this.#params.duration} s` };
    }
    return running();
  }
}

export const BACK_UP_DEFAULTS = {
  /** How far to reverse, m. */
  distance: 0.3,
  /** Reverse speed, m/s (capped by the robot's maxReverse). */
  speed: 0.1,
  /** Give up reversing after this long, s. */
  timeout: 6.0,
  /** Free space wanted behind the robot beyond the distance to go, m. */
  clearance: 0.15,
};

export class BackUpRecovery implements Recovery {
  #params = { ...BACK_UP_DEFAULTS };
  #startedAt = 0;
  #from = { x: 0, y: 0 };
  configure(node: RosNode, name: string): void {
    this.#params = declareParams(node, name, BACK_UP_DEFAULTS);
  }
  activate(): void {}
  deactivate(): void {}
  cleanup(): void {}
  begin(ctx: RecoveryContext): void {
    this.#startedAt = ctx.now;
    this.#from = { x: ctx.pose.x, y: ctx.pose.y };
  }
  tick(ctx: RecoveryContext): RecoveryStep {
    const p = this.#params;
    const travelled = distance(this.#from, ctx.pose);
    const left = p.distance - travelled;
    if (left <= 0)
      return { status: 'done', linear: 0, angular: 0, note: `backed up ${travelled.toFixed(2)} m` };
    if (ctx.now - this.#startedAt >= p.timeout) {
      return {
        status: 'done',
        linear: 0,
        angular: 0,
        note: `backed up ${travelled.toFixed(2)} m before the timeout`,
      };
    }
    if (!ctx.scan || !isRearClear(ctx.scan, ctx.robot.radius, left + p.clearance)) {
      const note =
        travelled > 0.01
          ? `stopped backing up after ${travelled.toFixed(2)} m: something behind`
          : 'the scan behind is not clear';
      return { status: travelled > 0.01 ? 'done' : 'failed', linear: 0, angular: 0, note };
    }
    return running(-Math.min(p.speed, ctx.robot.maxReverse));
  }
}

export const TURN_TO_PATH_DEFAULTS = {
  /** Face the point this far along the path from the robot's place on it, m. */
  lookahead: 0.6,
  /** Facing it within this, rad, is done. */
  tolerance: 0.05,
  /** Turn rate, rad/s (capped by the robot's maxAngular). */
  speed: 0.6,
  /**
   * Room the footprint needs to turn: no scan point nearer than its radius plus this, m. A round
   * footprint turning in place sweeps nothing new, so a robot resting against a wall may still
   * turn (the safety gate slows such a turn to its rotate_creep_speed).
   */
  clearance: 0.0,
  /** Give up turning after this long, s. */
  timeout: 8.0,
};

/**
 * Turns in place to face the path. A robot that came at a doorway or a corner at an angle is
 * stopped by the frame its arc would sweep, and cannot back up with the customer behind it; a
 * round robot can still turn on the spot, and facing the way on it drives straight instead of
 * sweeping an arc. Fails without moving when there is no path or no room to turn.
 */
export class TurnToPathRecovery implements Recovery {
  #params = { ...TURN_TO_PATH_DEFAULTS };
  #startedAt = 0;
  #target: number | undefined;
  configure(node: RosNode, name: string): void {
    this.#params = declareParams(node, name, TURN_TO_PATH_DEFAULTS);
  }
  activate(): void {}
  deactivate(): void {}
  cleanup(): void {}
  begin(ctx: RecoveryContext): void {
    this.#startedAt = ctx.now;
    this.#target = ctx.path ? headingToPath(ctx.path, ctx.pose, this.#params.lookahead) : undefined;
  }
  tick(ctx: RecoveryContext): RecoveryStep {
    const p = this.#params;
    if (this.#target === undefined)
      return { status: 'failed', linear: 0, angular: 0, note: 'no path to face' };
    const err = normalizeAngle(this.#target - ctx.pose.yaw);
    if (Math.abs(err) <= p.tolerance)
      return { status: 'done', linear: 0, angular: 0, note: 'facing the path' };
    if (ctx.now - this.#startedAt >= p.timeout) {
      return { status: 'done', linear: 0, angular: 0, note: `turned for ${p.timeout} s` };
    }
    if (!ctx.scan || nearestHit(ctx.scan) < ctx.robot.radius + p.clearance) {
      return { status: 'failed', linear: 0, angular: 0, note: 'no room to turn in place' };
    }
    const rate = Math.min(
      p.speed,
      ctx.robot.maxAngular,
      Math.sqrt(2 * ctx.robot.maxAngularAccel * Math.abs(err)),
    );
    return { status: 'running', linear: 0, angular: Math.sign(err) * rate };
  }
}

/** Heading from `pose` to the point `lookahead` m along `path` from the robot's place on it, rad. */
function headingToPath(path: Path, pose: Pose2D, lookahead: number): number | undefined {
  if (path.poses.length < 2) return undefined;
  const tracker = new PathTracker(path);
  tracker.update(pose.x, pose.y, Infinity);
  const at = tracker.carrot(pose.x, pose.y, lookahead);
  if (Math.hypot(at.x - pose.x, at.y - pose.y) < 1e-6) return undefined;
  return Math.atan2(at.y - pose.y, at.x - pose.x);
}

/** Distance to the nearest valid return of `scan`, m. */
function nearestHit(scan: LaserScan): number {
  let best = Infinity;
  for (const r of scan.ranges) if (r >= scan.range_min && r <= scan.range_max && r < best) best = r;
  return best;
}

export const CLEAR_AND_REPLAN_DEFAULTS = {
  /** Wait this long after clearing for a fresh scan to mark what is really there, s. */
  settle_time: 0.3,
};

export class ClearAndReplanRecovery implements Recovery {
  #params = { ...CLEAR_AND_REPLAN_DEFAULTS };
  #startedAt = 0;
  configure(node: RosNode, name: string): void {
    this.#params = declareParams(node, name, CLEAR_AND_REPLAN_DEFAULTS);
  }
  activate(): void {}
  deactivate(): void {}
  cleanup(): void {}
  begin(ctx: RecoveryContext): void {
    this.#startedAt = ctx.now;
    ctx.clearObstacles();
  }
  tick(ctx: RecoveryContext): RecoveryStep {
    if (ctx.now - this.#startedAt >= this.#params.settle_time) {
      return { status: 'done', linear: 0, angular: 0, note: 'cleared observed obstacles' };
    }
    return running();
  }
}

/**
 * Is the strip behind the robot (as wide as the robot, `length` metres back from its rear
 * edge) free of scan hits? The scan is in base_link with the lidar at its origin.
 */
export function isRearClear(scan: LaserScan, robotRadius: number, length: number): boolean {
  const back = robotRadius + length;
  for (let i = 0; i < scan.ranges.length; i++) {
    const r = scan.ranges[i]!;
    if (!(r >= scan.range_min && r <= scan.range_max)) continue;
    const a = scan.angle_min + i * scan.angle_increment;
    const x = r * Math.cos(a);
    const y = r * Math.sin(a);
    if (x < 0 && x >= -back && Math.abs(y) <= robotRadius) return false;
  }
  return true;
}
