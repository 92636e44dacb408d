/**
 * Recovery behaviours (Nav2's behaviour server, in-process), tried in order when the robot is
 * blocked: `wait` (people usually move on), `back_up` (a short, slow reverse, only when the
 * scan behind is clear) and `clear_and_replan` (forget observed obstacles and plan again from a
 * fresh scan). The navigator replans after each one and resumes if the way is clear.
 */
import type { LaserScan, RosNode } from '../ros/index.js';
import { declareParams, distance } from '../ros/index.js';
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
