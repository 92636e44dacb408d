/**
 * The physical robot: one description shared by the simulator, the costmap, the controller and
 * the safety gate, so that they all agree on how big and how fast the robot is.
 */
export interface RobotDescription {
  /** Circular footprint radius, m. */
  radius: number;
  /** Distance between the drive wheels, m. */
  wheelBase: number;
  /** Forward speed limit, m/s (a calm walking pace; customers are often elderly). */
  maxLinear: number;
  /** Reverse speed limit, m/s (backing up is a recovery, slow and short). */
  maxReverse: number;
  /** Turn rate limit, rad/s. */
  maxAngular: number;
  /** m/s² */
  maxLinearAccel: number;
  /** rad/s² */
  maxAngularAccel: number;
  lidar: {
    /** Beams over 360°. */
    beams: number;
    /** m */
    rangeMin: number;
    rangeMax: number;
    /** Hz */
    rate: number;
    /** Height of the scan plane above the floor, m (what it sees of the walls: sim import-sdf slices here). */
    height: number;
  };
}

export const DEFAULT_ROBOT: RobotDescription = {
  radius: 0.3,
  wheelBase: 0.42,
  maxLinear: 1.0,
  maxReverse: 0.25,
  maxAngular: 1.5,
  maxLinearAccel: 0.8,
  maxAngularAccel: 2.5,
  lidar: { beams: 360, rangeMin: 0.12, rangeMax: 12, rate: 10, height: 0.3 },
};
