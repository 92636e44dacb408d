/**
 * The navigator's configuration: its parameters with their defaults, the name prefixes of its
 * plugins, the check that `NavigatorDeps.params` names only what the navigator or its default
 * plugins declare, and the plugins themselves, loaded by name and configured in the order they
 * declare their parameters. Apart from the node so that every name a launch file may set, and
 * what it selects, is in one place.
 */
import type { Costmap, Zone } from '../map/index.js';
import type { RosNode } from '../ros/index.js';
import { Parameter, declareParams } from '../ros/index.js';
import type { RobotDescription } from '../robot-description.js';
import { GRID_ASTAR_DEFAULTS } from './grid-astar.js';
import { OBSTACLE_LAYER_DEFAULTS, ObstacleLayer } from './obstacle-layer.js';
import { FOLLOWERS, PLANNERS, RECOVERIES } from './plugins.js';
import type { NamedRecovery } from './recovery-sequence.js';
import { BACK_UP_DEFAULTS, CLEAR_AND_REPLAN_DEFAULTS, WAIT_DEFAULTS } from './recoveries.js';
import { RPP_DEFAULTS } from './regulated-pure-pursuit.js';
import { NO_SPEED_LIMIT, zoneSpeedLimits, type SpeedLimitAt } from './speed-limits.js';
import type { GlobalPlanner, PathFollower } from './types.js';

export const NAVIGATOR_DEFAULTS = {
  /** Global planner plugin (see PLANNERS). */
  planner_plugin: 'grid_astar',
  /** Path follower plugin (see FOLLOWERS). */
  follower_plugin: 'regulated_pure_pursuit',
  /** Recoveries in the order tried, comma-separated (see RECOVERIES). */
  recovery_plugins: 'wait,turn_to_path,back_up,clear_and_replan',
  /** Control rate, Hz. */
  controller_frequency: 20.0,
  /** Replan this often while following, s of active time, if observed obstacles changed… */
  replan_period: 1.0,
  /** …or the robot is farther than this from its path, m. */
  max_path_deviation: 0.5,
  /** Replan at most this often when the path ahead turns out blocked, s. */
  blocked_replan_interval: 0.5,
  /** Look this far along the path for newly observed obstacles, m. */
  path_check_distance: 3.0,
  /** A goal fails TIMED_OUT after this much active time, s. */
  timeout: 900.0,
  /** The map → base_link transform may be at most this old, s. */
  transform_tolerance: 0.5,
  /**
   * A goal that arrives before localisation, or loses the pose on the way, stands still this
   * long waiting for a pose before NO_POSE, s.
   */
  pose_wait_timeout: 2.0,
  /** The robot must move this far… m */
  progress_required_movement: 0.3,
  /** …or turn this far on the spot (Nav2's PoseProgressChecker required_movement_angle), rad… */
  progress_required_rotation: 0.5,
  /** …within this much active time, or it counts as blocked, s. */
  progress_time_allowance: 10.0,
  /** Give up (BLOCKED) after this many recoveries for one goal. */
  max_recoveries: 6,
  /** Moving this far after a recovery starts the recovery sequence afresh, m. */
  recovery_reset_distance: 1.0,
  /** A speed limit below this means "stand still and wait" (time does not count), m/s. */
  paused_speed: 0.02,
  /** /people and /odom older than this are ignored, s. */
  input_timeout: 1.0,
};
export type NavigatorParams = typeof NAVIGATOR_DEFAULTS;

/** Parameter name prefixes of the navigator's parts (the ROS parameters are `<prefix>.<name>`). */
export const NAV_PARAM_PREFIXES = {
  planner: 'planner',
  follower: 'follower',
  obstacleLayer: 'obstacle_layer',
} as const;

/** Every parameter the navigator and its default plugins declare, with its default. */
function knownParams(recoveryNames: string[]): Map<string, number | boolean | string> {
  const out = new Map<string, number | boolean | string>();
  const add = (prefix: string, defaults: Record<string, number | boolean | string>) => {
    for (const [k, v] of Object.entries(defaults)) out.set(prefix ? `${prefix}.${k}` : k, v);
  };
  add('', NAVIGATOR_DEFAULTS);
  add(NAV_PARAM_PREFIXES.planner, GRID_ASTAR_DEFAULTS);
  add(NAV_PARAM_PREFIXES.follower, RPP_DEFAULTS);
  add(NAV_PARAM_PREFIXES.obstacleLayer, OBSTACLE_LAYER_DEFAULTS);
  const recoveryDefaults: Record<string, Record<string, number | boolean | string>> = {
    wait: WAIT_DEFAULTS,
    back_up: BACK_UP_DEFAULTS,
    clear_and_replan: CLEAR_AND_REPLAN_DEFAULTS,
  };
  for (const name of recoveryNames) if (recoveryDefaults[name]) add(name, recoveryDefaults[name]);
  return out;
}

/** Declares `deps.params` on the node before the parts read theirs; unknown names and wrong types throw. */
function seedParams(node: RosNode, overrides: Record<string, number | boolean | string>): void {
  const known = knownParams(Object.keys(RECOVERIES));
  for (const [name, value] of Object.entries(overrides)) {
    const def = known.get(name);
    if (def === undefined) throw new RangeError(`navigation: unknown parameter '${name}'`);
    if (typeof def !== typeof value) {
      throw new RangeError(
        `navigation: parameter '${name}' expects a ${typeof def}, found ${JSON.stringify(value)}`,
      );
    }
    if (!node.hasParameter(name)) node.declareParameter(Parameter.fromValue(name, value));
  }
}

/** A fresh plugin from its table by configured name; an unknown name throws with the known ones. */
function loadPlugin<T>(table: Record<string, () => T>, name: string, what: string): T {
  const make = table[name];
  if (!make)
    throw new RangeError(`navigation: unknown ${what} '${name}' (known: ${Object.keys(table).join(', ')})`);
  return make();
}

export interface NavigatorDeps {
  /** The static costmap (inflated map). The navigator never writes to it. */
  costmap: Costmap;
  robot: RobotDescription;
  /** Site slow zones (a site's zones, or any speed cap at a map point, see zoneSpeedLimits). */
  zones?: readonly Zone[] | SpeedLimitAt;
  /**
   * Parameter overrides by full ROS name, e.g. { timeout: 300, 'planner.cost_weight': 2,
   * 'follower.xy_goal_tolerance': 0.2, 'obstacle_layer.obstacle_persistence': 2, 'wait.duration': 5 }.
   * Launch-file overrides on the node still win.
   */
  params?: Record<string, number | boolean | string>;
}

/** The plugins and what they work on, configured in the order they declare their parameters. */
export interface NavigatorParts {
  p: NavigatorParams;
  robot: RobotDescription;
  /** The static costmap; the navigator never writes to it. */
  staticMap: Costmap;
  layer: ObstacleLayer;
  zones: SpeedLimitAt;
  planner: GlobalPlanner;
  follower: PathFollower;
  /** In the order tried. */
  recoveries: NamedRecovery[];
}

export function configureParts(node: RosNode, deps: NavigatorDeps): NavigatorParts {
  seedParams(node, deps.params ?? {});
  const p = declareParams(node, '', NAVIGATOR_DEFAULTS);
  const robot = deps.robot;
  const staticMap = deps.costmap;
  const obstacleParams = declareParams(node, NAV_PARAM_PREFIXES.obstacleLayer, OBSTACLE_LAYER_DEFAULTS);
  const layer = new ObstacleLayer(staticMap, obstacleParams, robot.radius);
  const zones: SpeedLimitAt =
    typeof deps.zones === 'function' ? deps.zones : deps.zones ? zoneSpeedLimits(deps.zones) : NO_SPEED_LIMIT;

  const planner: GlobalPlanner = loadPlugin(PLANNERS, p.planner_plugin, 'planner_plugin');
  planner.configure(node, NAV_PARAM_PREFIXES.planner, layer.master, staticMap);
  planner.activate();
  const follower: PathFollower = loadPlugin(FOLLOWERS, p.follower_plugin, 'follower_plugin');
  follower.configure(node, NAV_PARAM_PREFIXES.follower, {
    robot,
    costmap: layer.master,
    obstacleCost: (x, y) => (staticMap.costAtWorld(x, y) >= 254 ? 254 : layer.obstacleCostAt(x, y)),
    staticCost: (x, y) => staticMap.costAtWorld(x, y),
    zoneSpeedLimit: zones,
  });
  follower.activate();
  const recoveries = p.recovery_plugins
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((name) => {
      const plugin = loadPlugin(RECOVERIES, name, 'recovery plugin');
      plugin.configure(node, name);
      plugin.activate();
      return { name, plugin };
    });
  return { p, robot, staticMap, layer, zones, planner, follower, recoveries };
}
