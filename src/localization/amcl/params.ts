/**
 * The localiser's parameters, named as Nav2's AMCL names them (docs/localization.md lists each
 * with Nav2's default beside ours), plus the few this project adds for the status it reports
 * (`/localization/status`) and its recovery. Checked once at start: a bad value stops the node
 * with the parameter's name, never a filter that silently does nothing.
 */
import type { RosNode } from '../../ros/index.js';
import { declareParams } from '../../ros/index.js';
import { LocalizationError } from '../errors.js';
import { LASER_MODELS, type LaserModel } from './sensor-model.js';

export const AMCL_DEFAULTS = {
  // ---- frames, topics, transform (Nav2 names and meaning) ----
  global_frame_id: 'map',
  odom_frame_id: 'odom',
  base_frame_id: 'base_link',
  scan_topic: '/scan',
  /**
   * s: map → odom is stamped this far ahead (Nav2 stamps it ahead of the scan it came from by
   * 1.0 s, publishing only with scans; here it is republished at tf_publish_rate, so 0.1 s will do).
   */
  transform_tolerance: 0.1,
  tf_broadcast: true,
  /** Hz: map → odom is republished this often (not a Nav2 parameter: see transform_tolerance). */
  tf_publish_rate: 20.0,
  /** Start at initial_pose (this robot always starts at its dock; Nav2's default is false). */
  set_initial_pose: true,
  'initial_pose.x': 0.0,
  'initial_pose.y': 0.0,
  'initial_pose.yaw': 0.0,
  /** Seeds the filter's random numbers: the same seed and inputs give the same particles. */
  seed: 0,
  // ---- motion model: nav2_amcl::DifferentialMotionModel ----
  robot_model_type: 'nav2_amcl::DifferentialMotionModel',
  alpha1: 0.02,
  alpha2: 0.02,
  alpha3: 0.02,
  alpha4: 0.02,
  // ---- sensor model: likelihood field ----
  laser_model_type: 'likelihood_field_prob' as LaserModel,
  laser_likelihood_max_dist: 2.0,
  /** m; -1: the scan's own range_max. */
  laser_max_range: -1.0,
  /** m; -1: the scan's own range_min. */
  laser_min_range: -1.0,
  max_beams: 60,
  z_hit: 0.5,
  z_rand: 0.5,
  sigma_hit: 0.1,
  // ---- the filter ----
  min_particles: 500,
  max_particles: 2000,
  pf_err: 0.05,
  pf_z: 0.99,
  resample_interval: 1,
  update_min_d: 0.25,
  update_min_a: 0.2,
  recovery_alpha_slow: 0.001,
  recovery_alpha_fast: 0.1,
  // ---- this project's additions ----
  /** m: half of the random particles of a recovery are drawn within this of the estimate (0: none). */
  recovery_radius: 4.0,
  /** m, rad: spread of the particles around an initial pose that comes without a covariance. */
  initial_sigma_xy: 0.1,
  initial_sigma_yaw: 0.05,
  /** s: while the scan does not fit the map, the filter updates this often even standing still. */
  lost_update_period: 0.5,
  /** s without a scan after which the pose is 'lost'. */
  scan_timeout: 1.0,
  /** m/s, rad/s: odometry moving faster than this between two readings has jumped. */
  odom_max_speed: 3.0,
  odom_max_turn_rate: 6.0,
  /** m: a beam fits the map when it ends this close to a wall (for scan_match). */
  scan_match_dist: 0.2,
  /** Below these shares of fitting beams (averaged over about a second): 'uncertain', 'lost'. */
  uncertain_scan_match: 0.6,
  lost_scan_match: 0.35,
  /** m, rad: spreads above these are 'uncertain', then 'lost'. */
  uncertain_position_sigma: 0.25,
  lost_position_sigma: 1.0,
  uncertain_yaw_sigma: 0.2,
  lost_yaw_sigma: 0.6,
  /** Hz: /localization/status at least this often (and at every filter update). */
  status_rate: 1.0,
};

export type AmclParams = typeof AMCL_DEFAULTS;

/** Declares the parameters (defaults overridden by `defaults`, then by the node's overrides) and checks them. */
export function readAmclParams(node: RosNode, defaults: Partial<AmclParams>): AmclParams {
  const p = declareParams(node, '', { ...AMCL_DEFAULTS, ...defaults });
  const where = (name: string) => `${node.name()}.${name}`;
  const fail = (name: string, what: string): never => {
    throw new LocalizationError('PARAM_INVALID', where(name), what);
  };
  const positive = [
    'tf_publish_rate',
    'laser_likelihood_max_dist',
    'sigma_hit',
    'pf_err',
    'lost_update_period',
    'scan_timeout',
    'odom_max_speed',
    'odom_max_turn_rate',
    'scan_match_dist',
    'status_rate',
  ] as const;
  for (const k of positive)
    if (!(p[k] > 0) || !Number.isFinite(p[k])) fail(k, `expected a number > 0, found ${p[k]}`);
  const nonNegative = [
    'transform_tolerance',
    'alpha1',
    'alpha2',
    'alpha3',
    'alpha4',
    'z_hit',
    'z_rand',
    'update_min_d',
    'update_min_a',
    'recovery_alpha_slow',
    'recovery_alpha_fast',
    'recovery_radius',
    'initial_sigma_xy',
    'initial_sigma_yaw',
    'pf_z',
    'uncertain_position_sigma',
    'lost_position_sigma',
    'uncertain_yaw_sigma',
    'lost_yaw_sigma',
  ] as const;
  for (const k of nonNegative)
    if (!(p[k] >= 0) || !Number.isFinite(p[k])) fail(k, `expected a number ≥ 0, found ${p[k]}`);
  for (const k of [
    'initial_pose.x',
    'initial_pose.y',
    'initial_pose.yaw',
    'laser_max_range',
    'laser_min_range',
  ] as const)
    if (!Number.isFinite(p[k])) fail(k, `expected a finite number, found ${p[k]}`);
  for (const k of ['min_particles', 'max_particles', 'max_beams', 'resample_interval'] as const)
    if (!Number.isInteger(p[k]) || p[k] < 1) fail(k, `expected an integer ≥ 1, found ${p[k]}`);
  if (p.max_beams < 2) fail('max_beams', `expected an integer ≥ 2, found ${p.max_beams}`);
  if (p.max_particles < p.min_particles)
    fail('max_particles', `expected ≥ min_particles (${p.min_particles}), found ${p.max_particles}`);
  if (p.z_hit + p.z_rand <= 0) fail('z_hit', 'expected z_hit + z_rand > 0');
  if (p.recovery_alpha_fast > 1 || p.recovery_alpha_slow > 1)
    fail('recovery_alpha_fast', 'expected recovery_alpha_slow and recovery_alpha_fast ≤ 1');
  for (const k of ['uncertain_scan_match', 'lost_scan_match'] as const)
    if (!(p[k] >= 0 && p[k] <= 1)) fail(k, `expected a share 0…1, found ${p[k]}`);
  if (!LASER_MODELS.includes(p.laser_model_type))
    fail('laser_model_type', `expected ${LASER_MODELS.join(' or ')}, found '${p.laser_model_type}'`);
  if (p.robot_model_type !== 'nav2_amcl::DifferentialMotionModel' && p.robot_model_type !== 'differential')
    fail(
      'robot_model_type',
      `expected nav2_amcl::DifferentialMotionModel (this robot is a differential drive), found '${p.robot_model_type}'`,
    );
  for (const k of ['global_frame_id', 'odom_frame_id', 'base_frame_id', 'scan_topic'] as const)
    if (p[k].length === 0) fail(k, 'expected a name, found an empty string');
  return p;
}
