import { DEFAULT_ROBOT, type RobotDescription } from '../robot-description.js';
import { SafetyError } from './errors.js';

/**
 * The safety gate's parameters, declared on its node as `safety.<name>` (ROS snake_case), so a
 * launch file or test overrides them like any ROS parameter. Units are REP-103: m, s, rad.
 */
export type SafetyParams = {
  /** s. A source whose newest command is older than this is not driving: stop ('cmd_timeout'). Default 0.5. */
  cmd_timeout: number;
  /** s. Stop when the newest valid scan is older than this ('scan_stale'). Default 0.5 (5 scans at 10 Hz). */
  scan_timeout: number;
  /** m/s. Forward speed limit. Default DEFAULT_ROBOT.maxLinear (1.0). */
  max_linear: number;
  /** m/s. Reverse speed limit (magnitude). Default DEFAULT_ROBOT.maxReverse (0.25). */
  max_reverse: number;
  /** rad/s. Turn rate limit (magnitude). Default DEFAULT_ROBOT.maxAngular (1.5). */
  max_angular: number;
  /** m/s². How fast |v| may grow between outputs. Default DEFAULT_ROBOT.maxLinearAccel (0.8). */
  max_linear_accel: number;
  /** m/s². How fast |v| may shrink when slowing (not stopping). Default 2 × max_linear_accel (1.6). */
  max_linear_decel: number;
  /** rad/s². How fast |w| may change, either way. Default DEFAULT_ROBOT.maxAngularAccel (2.5). */
  max_angular_accel: number;
  /**
   * m/s². The deceleration the drive base is known to achieve when the gate outputs a stop;
   * sizes the stop zone (braking distance v²/2a). Default DEFAULT_ROBOT.maxLinearAccel (0.8):
   * the base is only known to manage its own acceleration limit, so assume no better.
   */
  braking_decel: number;
  /** m. Circular footprint radius. Default DEFAULT_ROBOT.radius (0.30). */
  footprint_radius: number;
  /** m. Extra width each side of the footprint that the zones ahead and behind cover. Default 0.05. */
  zone_side_margin: number;
  /** m. Stop zone length beyond the footprint at standstill. Default 0.15. */
  stop_distance: number;
  /** s. Reaction time the stop zone adds (× speed): scan age, one control period, base latency. Default 0.25. */
  stop_time: number;
  /** m. Slow-down zone length beyond the stop zone: full speed at its far edge, zero at the stop zone. Default 1.0. */
  slow_distance: number;
  /**
   * m. Rotation in place is slowed to rotate_creep_speed when a scan point is closer than
   * footprint_radius + this, and stops when one is over 3 cm inside the footprint. Default 0.05.
   */
  rotate_margin: number;
  /**
   * rad/s. Fastest turn on the spot with a scan point within rotate_margin of the footprint. A
   * round footprint turning in place sweeps nothing new, so a robot that has come to rest against
   * a wall can still turn away from it, slowly; 0 stops every such turn. Default 0.3.
   */
  rotate_creep_speed: number;
  /** The frame /scan must be in; the zones are laid out in it. Default 'base_link'. */
  base_frame: string;
  /**
   * Stop when there is no fresh scan. Default true. Off only for a base on the bench without a
   * lidar (`medhjalparen base`): then there is no stop zone either, and the operator's deadman
   * is the only thing between a command and the wheels.
   */
  require_scan: boolean;
  /**
   * The topic navigation's velocity commands come in on. Default '/cmd_vel_nav' (the robot's own
   * navigator and behaviour server, and Nav2's controller and behaviour servers as Nav2's
   * bringup remaps them). Set it to whatever Nav2's last velocity stage publishes on when that is
   * another topic (docs/navigation.md, "Running beside Nav2"); never the gate's own /cmd_vel.
   */
  nav_cmd_topic: string;
};

/** The parameters that follow from the robot's body and drive: limits and footprint. */
export function safetyParamsFromRobot(robot: RobotDescription) {
  return {
    max_linear: robot.maxLinear,
    max_reverse: robot.maxReverse,
    max_angular: robot.maxAngular,
    max_linear_accel: robot.maxLinearAccel,
    max_linear_decel: 2 * robot.maxLinearAccel,
    max_angular_accel: robot.maxAngularAccel,
    braking_decel: robot.maxLinearAccel,
    footprint_radius: robot.radius,
  } satisfies Partial<SafetyParams>;
}

export const DEFAULT_SAFETY_PARAMS: Readonly<SafetyParams> = Object.freeze({
  cmd_timeout: 0.5,
  scan_timeout: 0.5,
  ...safetyParamsFromRobot(DEFAULT_ROBOT),
  zone_side_margin: 0.05,
  stop_distance: 0.15,
  stop_time: 0.25,
  slow_distance: 1.0,
  rotate_margin: 0.05,
  rotate_creep_speed: 0.3,
  base_frame: 'base_link',
  require_scan: true,
  nav_cmd_topic: '/cmd_vel_nav',
});

/** Topics the gate itself owns: taking navigation's commands on one would loop or mix sources. */
const NOT_NAV_TOPICS = ['/cmd_vel', '/cmd_vel_teleop'];
/** An absolute ROS topic name: slash-separated tokens of letters, digits and underscores. */
const TOPIC_NAME = /^(\/[A-Za-z_][A-Za-z0-9_]*)+$/;

type NumericParam = {
  [K in keyof SafetyParams]: SafetyParams[K] extends number ? K : never;
}[keyof SafetyParams];

/** Which numbers must be strictly positive; the rest may be zero. None may be negative or non-finite. */
const POSITIVE: Record<NumericParam, boolean> = {
  cmd_timeout: true,
  scan_timeout: true,
  max_linear: true,
  max_reverse: false,
  max_angular: true,
  max_linear_accel: true,
  max_linear_decel: true,
  max_angular_accel: true,
  braking_decel: true,
  footprint_radius: true,
  zone_side_margin: false,
  stop_distance: false,
  stop_time: false,
  slow_distance: false,
  rotate_margin: false,
  rotate_creep_speed: false,
};

/** Throws SafetyError('PARAM_INVALID') naming the first bad parameter; `prefix` is its ROS prefix. */
export function validateSafetyParams(p: SafetyParams, prefix = 'safety'): void {
  for (const [name, positive] of Object.entries(POSITIVE) as Array<[NumericParam, boolean]>) {
    const value: unknown = p[name];
    const ok = typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0);
    if (!ok) {
      const expected = positive ? 'a finite number > 0' : 'a finite number ≥ 0';
      throw new SafetyError(
        'PARAM_INVALID',
        `${prefix}.${name}`,
        `expected ${expected}, found ${String(value)}`,
      );
    }
  }
  checkNavTopic(p.nav_cmd_topic, prefix);
  if (typeof p.base_frame !== 'string' || p.base_frame.length === 0) {
    throw new SafetyError(
      'PARAM_INVALID',
      `${prefix}.base_frame`,
      `expected a frame name, found '${String(p.base_frame)}'`,
    );
  }
}

function checkNavTopic(topic: unknown, prefix: string): void {
  const shown = JSON.stringify(String(topic).slice(0, 80));
  if (typeof topic !== 'string' || !TOPIC_NAME.test(topic)) {
    throw new SafetyError(
      'PARAM_INVALID',
      `${prefix}.nav_cmd_topic`,
      `expected an absolute topic name such as '/cmd_vel_nav', found ${shown}`,
    );
  }
  if (NOT_NAV_TOPICS.includes(topic)) {
    throw new SafetyError(
      'PARAM_INVALID',
      `${prefix}.nav_cmd_topic`,
      `expected a topic of navigation's own, found ${shown}, which the gate ${topic === '/cmd_vel' ? 'publishes' : 'takes teleop on'}`,
    );
  }
}
