/**
 * The safety gate as pure functions: given the candidate command, its source, what the gate
 * knows (e-stop latch, command and scan stamps, the last scan, the last output) and its
 * parameters, decide the one command that goes to the drive base and name the reason.
 *
 * Stages, strongest first:
 *   1. e-stop latch            → zero            'estop_latched'
 *   1b. drive base lost        → zero            'base_disconnected'
 *   2. command timeout         → zero            'cmd_timeout'
 *   3. NaN/Infinity anywhere   → zero            'invalid_command'
 *   4. scan missing or stale   → zero            'scan_stale' (unless require_scan is off:
 *      bench tests of a base on blocks, without a lidar; then no stop zone either)
 *   5. speed limits (curvature kept)             'speed_limit'
 *   6. stop zone / slow zone along the commanded arc 'obstacle_stop' (zero) / 'obstacle_slow'
 *   7. acceleration limits against the last output 'accel_limit'
 *
 * Stops are immediate, not ramped: the gate outputs exactly zero at once and leaves the braking
 * to the drive base. A ramped stop would keep the robot driving on data the gate has just
 * decided not to trust (an e-stop, a silent commander, a stale or blocked view), and the stop
 * zone is sized with the base's own braking (braking_decel) so an immediate stop ahead of an
 * obstacle ends before it. Everything that is not a stop (a commanded slow-down, speed limits,
 * the slow zone) is ramped, decelerating at max_linear_decel, faster than max_linear_accel.
 */
import type { Twist } from '../ros/index.js';
import type { SafetyParams } from './params.js';
import type { ScanPoints } from './scan-points.js';

export type CommandSource = 'nav' | 'teleop';

export type GateReason =
  | 'ok'
  | 'estop_latched'
  | 'base_disconnected'
  | 'cmd_timeout'
  | 'invalid_command'
  | 'scan_stale'
  | 'obstacle_stop'
  | 'obstacle_slow'
  | 'speed_limit'
  | 'accel_limit';

/** Reasons whose output is exactly zero, at once. */
export const STOP_REASONS: ReadonlySet<GateReason> = new Set<GateReason>([
  'estop_latched',
  'base_disconnected',
  'cmd_timeout',
  'invalid_command',
  'scan_stale',
  'obstacle_stop',
]);

/** A differential-drive command: linear.x (m/s) and angular.z (rad/s). */
export interface Velocity {
  linear: number;
  angular: number;
}

export interface GateState {
  estopLatched: boolean;
  /** False while a drive-base driver reports its board lost (no /base/state means no driver: true). */
  baseConnected: boolean;
  /** When the newest command from each source arrived, ns; undefined until one does. */
  cmdStampNs: Record<CommandSource, bigint | undefined>;
  /** The newest accepted scan as points in base_link, and its stamp. */
  scan: ScanPoints | undefined;
  scanStampNs: bigint | undefined;
  /** What the gate last sent to the base, and when (for acceleration limits). */
  lastOutput: Velocity;
  lastOutputNs: bigint | undefined;
}

export interface GateResult {
  cmd: Velocity;
  reason: GateReason;
}

/** The gate runs at 20 Hz; acceleration steps never assume more time than one period has passed. */
export const CONTROL_PERIOD_NS = 50_000_000n;
const CONTROL_PERIOD_S = Number(CONTROL_PERIOD_NS) / 1e9;

const ZERO: Velocity = Object.freeze({ linear: 0, angular: 0 });

export function initialGateState(): GateState {
  return {
    estopLatched: false,
    baseConnected: true,
    cmdStampNs: { nav: undefined, teleop: undefined },
    scan: undefined,
    scanStampNs: undefined,
    lastOutput: ZERO,
    lastOutputNs: undefined,
  };
}

function isFresh(stampNs: bigint | undefined, nowNs: bigint, timeoutS: number): boolean {
  return stampNs !== undefined && Number(nowNs - stampNs) / 1e9 <= timeoutS;
}

/** The mux: the operator wins while their commands are fresh, then autonomy; undefined when neither is. */
export function selectSource(
  state: Readonly<GateState>,
  nowNs: bigint,
  p: SafetyParams,
): CommandSource | undefined {
  if (isFresh(state.cmdStampNs.teleop, nowNs, p.cmd_timeout)) return 'teleop';
  if (isFresh(state.cmdStampNs.nav, nowNs, p.cmd_timeout)) return 'nav';
  return undefined;
}

/** Every component finite (a NaN in a field the base ignores still means a broken sender). */
export function isValidTwist(cmd: Twist): boolean {
  const l = cmd?.linear;
  const a = cmd?.angular;
  return (
    Number.isFinite(l?.x) &&
    Number.isFinite(l?.y) &&
    Number.isFinite(l?.z) &&
    Number.isFinite(a?.x) &&
    Number.isFinite(a?.y) &&
    Number.isFinite(a?.z)
  );
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Speed limits, keeping the curvature w/v: v and w are scaled by one factor. The final clamp
 * only absorbs rounding (a factor like 1/1e308 can leave v an ulp above its limit).
 */
export function limitSpeed(v: number, w: number, p: SafetyParams): Velocity {
  const vMax = v >= 0 ? p.max_linear : p.max_reverse;
  let scale = 1;
  if (Math.abs(v) > vMax) scale = vMax / Math.abs(v);
  if (Math.abs(w) * scale > p.max_angular) scale = p.max_angular / Math.abs(w);
  return {
    linear: clamp(v * scale, -p.max_reverse, p.max_linear) + 0,
    angular: clamp(w * scale, -p.max_angular, p.max_angular) + 0,
  };
}

/** Length of the stop zone beyond the footprint at speed |v|: margin + reaction + braking. */
export function stopZoneLength(speed: number, p: SafetyParams): number {
  return p.stop_distance + speed * p.stop_time + (speed * speed) / (2 * p.braking_decel);
}

/**
 * Arc length (m) the footprint, widened by the side margin to a disc of radius `reach`, travels
 * along a path of curvature `kappa` (1/m, left positive) before it first touches the point
 * (x, y) (robot frame, x in the direction of travel); Infinity when it never does. 0 when the
 * point is already inside the disc and the motion brings them closer; a point inside that the
 * motion leaves behind does not count. Closed form for a round footprint on a circle: the exact
 * first contact of Nav2's collision monitor 'approach' projection, without its time step.
 */
export function arcContact(x: number, y: number, kappa: number, reach: number): number {
  if (Math.abs(kappa) < 1e-6) {
    if (x <= 0 || Math.abs(y) > reach) return Infinity;
    return Math.max(0, x - Math.sqrt(reach * reach - y * y));
  }
  // Turn left (mirror a right turn): the centre of the turn is at (0, rho).
  const rho = 1 / Math.abs(kappa);
  const py = kappa > 0 ? y - rho : -y - rho;
  const d = Math.hypot(x, py);
  if (d < 1e-12) return rho <= reach ? 0 : Infinity;
  const c = (rho * rho + d * d - reach * reach) / (2 * rho * d);
  if (c > 1) return Infinity;
  if (c <= -1) return 0; // within reach of the whole circle: a pivot on the spot, beside it
  // The robot's centre sits at angle −π/2 about the turn's centre and moves anticlockwise.
  let alpha = Math.atan2(py, x) + Math.PI / 2;
  if (alpha < 0) alpha += 2 * Math.PI;
  const beta = Math.acos(c);
  if (alpha > 0 && alpha <= beta) return 0;
  return (alpha - beta) * rho;
}

/**
 * Free length along the arc the robot drives in direction `dir` (1 forward, −1 reverse) with
 * curvature `kappa` of its forward-equivalent motion: how far the footprint plus side margin
 * moves before touching the nearest scan point, plus the side margin back (so a point dead
 * ahead counts from the footprint's face, as the zones always did; never more than the bare
 * footprint itself could travel). The margin shrinks to the clearance the robot has now
 * (`nearest`, the scan's nearestPoint, which the caller has for its other checks too). Points
 * farther than `horizon` are not looked at. Infinity when none is touched.
 */
export function freeAlongArc(
  scan: ScanPoints,
  nearest: number,
  dir: 1 | -1,
  kappa: number,
  horizon: number,
  p: SafetyParams,
): number {
  // The side margin is never more than the clearance the robot has now: a robot that has come to
  // rest beside a wall (within the margin, outside its body) may still drive along it or away from
  // it, while anything that closes in on the wall stops as before (the stop zone ahead).
  const margin = clamp(nearest - p.footprint_radius - HELD_CLEARANCE_SLACK_M, 0, p.zone_side_margin);
  const reach = p.footprint_radius + margin;
  const far = horizon + reach;
  const far2 = far * far;
  const { xs, ys, count } = scan;
  let best = Infinity;
  for (let i = 0; i < count; i++) {
    const x = dir * xs[i]!;
    const y = ys[i]!;
    if (x * x + y * y > far2) continue;
    const s = arcContact(x, y, kappa, reach);
    if (s < best) best = s;
  }
  return best === Infinity ? Infinity : best + margin;
}

/** Distance from the robot's centre to the nearest scan point. */
export function nearestPoint(scan: ScanPoints): number {
  const { xs, ys, count } = scan;
  let best2 = Infinity;
  for (let i = 0; i < count; i++) {
    const d2 = xs[i]! * xs[i]! + ys[i]! * ys[i]!;
    if (d2 < best2) best2 = d2;
  }
  return Math.sqrt(best2);
}

/**
 * m: with the margin shrunk to the clearance the robot has, a wall point at that clearance beside
 * it is not closed in on by driving along the wall; this slack keeps rounding from saying so.
 */
const HELD_CLEARANCE_SLACK_M = 0.005;

/**
 * m: a robot resting against a wall sees some of it this far inside its footprint (range noise,
 * map cells), and may still creep round on the spot; anything deeper (someone leaning over the
 * robot) stops every turn.
 */
const ROTATE_CREEP_OVERLAP_M = 0.03;

/** m: distances this close to a zone edge count as on it (far below the lidar's resolution). */
const ZONE_EDGE_SLACK_M = 1e-9;

/** Curvature of (v, w) in the mirrored frame of its direction of travel (reverse mirrors x: κ = w/v either way). */
function curvatureOf(cmd: Velocity): number {
  return cmd.linear === 0 ? 0 : cmd.angular / cmd.linear;
}

/**
 * The zones from the scan, along the arc the robot is commanded to drive (or still rolls on):
 * the footprint plus side margin is swept along the arc, and the free length before it touches
 * a scan point is compared with the stop zone (margin + reaction + braking at the speed) and the
 * slow zone beyond it. A door frame beside the robot is not on its arc and does not count; an
 * obstacle the arc meets counts exactly as one straight ahead did. A direction is checked while
 * the robot is commanded that way or is still rolling that way (the last output), sized for the
 * faster of the two. Turning in place sweeps nothing new with a round footprint: within
 * rotate_margin of a point it creeps (rotate_creep_speed), and it stops only for a point well
 * inside the footprint itself. Returns 'stop', or the factor (≤ 1) the
 * command is scaled by in the slow zone.
 */
export function obstacleLimit(
  target: Velocity,
  last: Velocity,
  scan: ScanPoints,
  p: SafetyParams,
): 'stop' | number {
  let scale = 1;
  // One pass over the scan for the clearance both the zones and a turn on the spot depend on.
  const nearest = nearestPoint(scan);
  for (const dir of [1, -1] as const) {
    const commanded = dir * target.linear;
    const rolling = dir * last.linear;
    if (commanded <= 0 && rolling <= 0) continue;
    const stopLength = stopZoneLength(Math.max(commanded, rolling, 0), p);
    const kappa = commanded > 0 ? curvatureOf(target) : curvatureOf(last);
    const free = freeAlongArc(scan, nearest, dir, kappa, stopLength + p.slow_distance, p);
    // A point on the stop zone's edge stops: without the slack, rounding in the zone maths
    // could let it through as a slow-down to 1e-18 m/s, which is not the exact zero promised.
    if (free <= stopLength + ZONE_EDGE_SLACK_M) return 'stop';
    if (commanded > 0 && free < stopLength + p.slow_distance) {
      scale = Math.min(scale, (free - stopLength) / p.slow_distance);
    }
  }
  const rotatingInPlace = target.linear === 0 && target.angular !== 0;
  if (rotatingInPlace) {
    if (nearest < p.footprint_radius + p.rotate_margin) {
      const deepInside = nearest < p.footprint_radius - ROTATE_CREEP_OVERLAP_M;
      if (deepInside || p.rotate_creep_speed === 0) return 'stop';
      scale = Math.min(scale, p.rotate_creep_speed / Math.abs(target.angular));
    }
  }
  return scale;
}

/**
 * One acceleration-limited step from `last` toward `target`: |x| grows by at most up·dt and
 * shrinks by at most down·dt. A step never crosses zero: reversing goes through a zero output,
 * so "slowing" and "speeding up" are never mixed in one step.
 */
export function rampToward(last: number, target: number, up: number, down: number, dt: number): number {
  let lo: number;
  let hi: number;
  if (last > 0) {
    lo = Math.max(0, last - down * dt);
    hi = last + up * dt;
  } else if (last < 0) {
    lo = last - up * dt;
    hi = Math.min(0, last + down * dt);
  } else {
    lo = -up * dt;
    hi = up * dt;
  }
  return clamp(target, lo, hi) + 0;
}

function halt(reason: GateReason): GateResult {
  return { cmd: ZERO, reason };
}

/** The gate: one candidate command in, the command for the drive base and its reason out. */
export function gate(
  cmd: Twist,
  source: CommandSource,
  state: Readonly<GateState>,
  nowNs: bigint,
  p: SafetyParams,
): GateResult {
  if (state.estopLatched) return halt('estop_latched');
  if (!state.baseConnected) return halt('base_disconnected');
  if (!isFresh(state.cmdStampNs[source], nowNs, p.cmd_timeout)) return halt('cmd_timeout');
  if (!isValidTwist(cmd)) return halt('invalid_command');
  const scanFresh = state.scan !== undefined && isFresh(state.scanStampNs, nowNs, p.scan_timeout);
  if (!scanFresh && p.require_scan) return halt('scan_stale');

  const limited = limitSpeed(cmd.linear.x, cmd.angular.z, p);
  const speedLimited = limited.linear !== cmd.linear.x || limited.angular !== cmd.angular.z;

  const last = state.lastOutput;
  const obstacle = scanFresh ? obstacleLimit(limited, last, state.scan!, p) : 1;
  if (obstacle === 'stop') return halt('obstacle_stop');
  const target: Velocity =
    obstacle < 1
      ? { linear: limited.linear * obstacle + 0, angular: limited.angular * obstacle + 0 }
      : limited;

  const elapsedNs = state.lastOutputNs === undefined ? CONTROL_PERIOD_NS : nowNs - state.lastOutputNs;
  const dt = clamp(Number(elapsedNs) / 1e9, 0, CONTROL_PERIOD_S);
  const out: Velocity = {
    linear: rampToward(last.linear, target.linear, p.max_linear_accel, p.max_linear_decel, dt),
    angular: rampToward(last.angular, target.angular, p.max_angular_accel, p.max_angular_accel, dt),
  };
  const ramped = out.linear !== target.linear || out.angular !== target.angular;

  const reason: GateReason =
    obstacle < 1 ? 'obstacle_slow' : speedLimited ? 'speed_limit' : ramped ? 'accel_limit' : 'ok';
  return { cmd: out, reason };
}
