/**
 * The navigation plugin contracts (Nav2's planner server / controller server / behaviour server
 * split, in-process): every plugin has the same four lifecycle verbs plus one work method, and
 * the navigator picks implementations by name from the tables in plugins.ts.
 */
import type { Costmap } from '../map/index.js';
import type { LaserScan, Path, Pose2D, PoseStamped, RosNode } from '../ros/index.js';
import type { RobotDescription } from '../robot-description.js';
import type { SpeedLimitAt } from './speed-limits.js';

/** Fine costmap cells, inclusive on both ends. */
export interface CellBounds {
  minCol: number;
  minRow: number;
  maxCol: number;
  maxRow: number;
}

export interface Lifecycle {
  activate(): void;
  deactivate(): void;
  cleanup(): void;
}

export interface GlobalPlanner extends Lifecycle {
  /**
   * Reads its parameters as `<name>.<param>` from the node and caches what it needs of the
   * costmap. `floor`: the map's own costmap, without what the obstacle layer marks later (where
   * the floor's geometry, such as its narrow passages, is measured); default `costmap` as it is now.
   */
  configure(node: RosNode, name: string, costmap: Costmap, floor?: Costmap): void;
  /** The costmap's cells inside `bounds` changed (obstacle layer); refresh anything cached. */
  costmapChanged(bounds: CellBounds): void;
  /**
   * Poses in `map`, start to goal, the goal's orientation last. Throws NavError: INVALID_GOAL,
   * GOAL_OCCUPIED, START_OCCUPIED, NO_PATH (the map has no route), BLOCKED (observed obstacles
   * block every route), CANCELLED.
   */
  plan(start: PoseStamped, goal: PoseStamped, isCancelled: () => boolean): Path;
}

/** What a follower may ask of the world besides its path. */
export interface FollowerEnv {
  robot: RobotDescription;
  /** Static map plus observed obstacles (for slowing near obstacles). */
  costmap: Costmap;
  /**
   * Cost of observed obstacles under a robot centred at (x, y): ≥ 253 means it would touch one
   * (mapped walls count as 254); 0 where nothing was observed.
   */
  obstacleCost(x: number, y: number): number;
  /**
   * Cost on the site's map alone, without people or scan marks (what the floor itself is like:
   * where its narrow passages are). Default: the costmap's.
   */
  staticCost?(x: number, y: number): number;
  /** Site slow zones. */
  zoneSpeedLimit: SpeedLimitAt;
}

export interface FollowerInput {
  /** Robot pose in `map`. */
  pose: Pose2D;
  /** Current forward speed (odometry), m/s. */
  speed: number;
  /** Cap from /speed_limit, m/s; Infinity when none. */
  speedLimit: number;
  /** People positions in `map` (tracked, fresh). */
  people: ReadonlyArray<{ x: number; y: number }>;
  /** Seconds since the previous command (for acceleration limits). */
  dt: number;
}

export type FollowerState = 'following' | 'rotating_to_path' | 'rotating_to_goal' | 'arrived' | 'blocked';

/** Which cap decided the forward speed this tick (for the status line and tests). */
export type SpeedReason =
  | 'desired'
  | 'curvature'
  | 'obstacle_cost'
  | 'people'
  | 'speed_limit'
  | 'zone'
  | 'approach'
  | 'acceleration'
  | 'stopped';

export interface FollowerOutput {
  linear: number;
  angular: number;
  state: FollowerState;
  limitedBy: SpeedReason;
  /** Path length left from the robot's place on the path, m. */
  distanceRemaining: number;
  /** Index of the first path pose ahead of the robot. */
  nextIndex: number;
  /** How far the robot is from the path, m. */
  offPath: number;
}

export interface PathFollower extends Lifecycle {
  configure(node: RosNode, name: string, env: FollowerEnv): void;
  /** Follow `path` from now on; `sameGoal` keeps the goal checker's state (a replan). */
  setPath(path: Path, sameGoal: boolean): void;
  /** One control step. */
  computeVelocity(input: FollowerInput): FollowerOutput;
}

/** What a recovery sees each tick. */
export interface RecoveryContext {
  /** Seconds on the node clock. */
  now: number;
  pose: Pose2D;
  /** Latest scan in base_link, if any. */
  scan: LaserScan | undefined;
  robot: RobotDescription;
  /** The path the goal was following, if any (in map). */
  path: Path | undefined;
  /** Forget observed obstacles (the 'replan' recovery starts from a fresh scan). */
  clearObstacles(): void;
}

export interface RecoveryStep {
  status: 'running' | 'done' | 'failed';
  linear: number;
  angular: number;
  /** Why it failed or what it did, for logs and the result message. */
  note?: string;
}

export interface Recovery extends Lifecycle {
  configure(node: RosNode, name: string): void;
  /** Starts one run of the recovery. */
  begin(ctx: RecoveryContext): void;
  /** One control step of the running recovery. */
  tick(ctx: RecoveryContext): RecoveryStep;
}
