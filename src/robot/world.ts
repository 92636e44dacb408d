/**
 * What the robot runs in: a world plug-in. The simulator (its plant, lidar, camera model and
 * stand-in localiser) and a real robot's devices (the drive base over serial, a lidar) are both
 * worlds: each starts its own nodes on the graph the robot's nodes run on, and says what it
 * publishes, so the composition root can fill the gaps without knowing which world it was given.
 */
import type { GraphContext, ParameterValue } from '../ros/index.js';
import type { RobotDescription } from '../robot-description.js';

/** What a world publishes on the graph; the root reads this, never the world's kind. */
export interface WorldCapabilities {
  /**
   * /scan (sensor_msgs/msg/LaserScan in base_link). Without it the safety gate cannot insist on
   * fresh scans and has no stop zone: fit only for the workshop bench, never for a floor.
   */
  readonly scan: boolean;
  /**
   * map → odom on /tf (a localiser, or the simulator's stand-in). Without it the root localises
   * on odometry alone from the dock.
   */
  readonly localization: boolean;
}

export interface World {
  /** One line for operators: what the robot runs on. */
  readonly describe: string;
  readonly provides: WorldCapabilities;
  /** Checks every device before anything moves; the robot starts only if every check passed. */
  preflight(): Promise<DeviceCheck[]>;
  /** Starts the world's nodes on `graph` (drivers, or the simulator). */
  start(graph: GraphContext, context: WorldStart): Promise<StartedWorld>;
}

/** What the root tells a world it starts: the robot's body, and parameters for the world's nodes too. */
export interface WorldStart {
  readonly robot: RobotDescription;
  /** Parameter overrides by node name (e.g. { lidar: { 'lidar.mount_x': 0.1 } }). */
  readonly params: Readonly<Record<string, Readonly<Record<string, ParameterValue>>>>;
}

/** One device's check, for the operator. */
export interface DeviceCheck {
  /** The device as the operator named it: '--base /dev/ttyUSB0'. */
  readonly device: string;
  readonly ok: boolean;
  /** What was found ('medhjalparen-drive 2.5'), or what was wrong and what was expected. */
  readonly message: string;
}

export interface StartedWorld {
  /** Stops the world's nodes and lets go of its devices, motors stopped. */
  stop(): Promise<void>;
}
