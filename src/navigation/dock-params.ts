/**
 * The docking behaviour's ROS parameters (`docking.<name>` on the behaviour server's node), their
 * defaults, and the check that refuses an unusable value naming the parameter. Apart so the
 * numbers the docs quote sit in one table, away from the control code.
 */
import type { RosNode } from '../ros/index.js';
import { declareParams } from '../ros/index.js';

export const DOCK_DEFAULTS = {
  /**
   * True: the robot backs onto its contacts, facing the floor (its screen and front camera are
   * the customers'); the staging pose is then in front of the dock pose. False: it drives onto
   * them forwards, from a staging pose behind the dock pose. Either way the dock pose's yaw is
   * the robot's heading when docked.
   */
  dock_backwards: true,
  /** How far from the dock pose, along its axis, the staging pose lies, m. */
  staging_offset: 0.4,
  /** Staged: within this of the staging pose, m (the approach corrects what is left). */
  staging_xy_tolerance: 0.03,
  /** Lined up on the dock's axis at the staging pose within this, rad. */
  staging_yaw_tolerance: 0.02,
  /**
   * Farthest the robot may start from the staging pose, m: the behaviour drives a straight line
   * to it, so the robot must have been navigated near the dock first (Nav2 would navigate there).
   */
  max_staging_distance: 1.5,
  /** Speed to the staging pose, m/s. */
  staging_speed: 0.2,
  /**
   * Most time to get to the staging pose and line up, per attempt, s, when the goal's
   * max_staging_time is 0 or not finite.
   */
  staging_timeout: 60,
  /** Final approach speed, m/s (at most 0.1: slow onto the contacts). */
  approach_speed: 0.08,
  /** The approach never crawls slower than this before the dock pose, m/s. */
  approach_min_speed: 0.02,
  /** One final approach may take this long, s (Nav2's dock_approach_timeout). */
  approach_timeout: 30,
  /** Docked: within this of the dock pose by the robot's own localisation, m… */
  xy_tolerance: 0.02,
  /** …and this of its yaw, rad. */
  yaw_tolerance: 0.05,
  /** Turn rate cap when lining up, rad/s (also capped by the robot's maxAngular). */
  rotate_speed: 0.6,
  /** Slowest turn when lining up, rad/s. */
  min_rotate_speed: 0.1,
  /** A scan point within this of the footprint on its way (and coming closer) blocks it, m. */
  clearance_margin: 0.05,
  /** Attempts after the first, each re-staging (Nav2's max_retries). */
  max_retries: 2,
  /** Pause before a retry, s: someone who stepped into the way may walk on. */
  retry_delay: 2,
  /** Control rate, Hz. */
  frequency: 20,
  /** Oldest map → base_link transform accepted, s. */
  transform_tolerance: 0.5,
};
export type DockParams = typeof DOCK_DEFAULTS;

/** Closed interval per numeric parameter, and whether its value must be a whole number. */
const RANGES: Record<Exclude<keyof DockParams, 'dock_backwards'>, [number, number, 'integer'?]> = {
  staging_offset: [0.1, 2],
  staging_xy_tolerance: [0.005, 0.2],
  staging_yaw_tolerance: [0.005, 0.2],
  max_staging_distance: [0.1, 5],
  staging_speed: [0.02, 0.5],
  staging_timeout: [1, 600],
  approach_speed: [0.01, 0.1],
  approach_min_speed: [0.005, 0.1],
  approach_timeout: [1, 600],
  xy_tolerance: [0.005, 0.1],
  yaw_tolerance: [0.005, 0.2],
  rotate_speed: [0.05, 2],
  min_rotate_speed: [0.01, 2],
  clearance_margin: [0, 0.3],
  max_retries: [0, 10, 'integer'],
  retry_delay: [0, 60],
  frequency: [1, 100],
  transform_tolerance: [0.01, 5],
};

/**
 * Declares `docking.*` on `node` and returns the values, or throws a RangeError naming the node
 * and the parameter whose value cannot be used.
 */
export function readDockParams(node: RosNode): DockParams {
  const p = declareParams(node, 'docking', DOCK_DEFAULTS);
  const refuse = (name: string, expected: string, value: unknown) =>
    new RangeError(`${node.name()}: parameter docking.${name}: expected ${expected}, found ${String(value)}`);
  if (typeof p.dock_backwards !== 'boolean')
    throw refuse('dock_backwards', 'true or false', p.dock_backwards);
  for (const [name, [lo, hi, integer]] of Object.entries(RANGES)) {
    const v = p[name as keyof typeof RANGES];
    const whole = integer ? ' whole' : '';
    if (typeof v !== 'number' || !(v >= lo && v <= hi) || (integer && !Number.isInteger(v))) {
      throw refuse(name, `a${whole} number in [${lo}, ${hi}]`, v);
    }
  }
  if (p.approach_min_speed > p.approach_speed) {
    throw refuse(
      'approach_min_speed',
      `at most docking.approach_speed (${p.approach_speed})`,
      p.approach_min_speed,
    );
  }
  if (p.min_rotate_speed > p.rotate_speed) {
    throw refuse('min_rotate_speed', `at most docking.rotate_speed (${p.rotate_speed})`, p.min_rotate_speed);
  }
  return p;
}
