/**
 * The physical robot: one description shared by the simulator, the costmap, the controller and
 * the safety gate, so that they all agree on how big and how fast the robot is, and how long its
 * battery lasts.
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
  battery: BatteryDescription;
}

/**
 * The robot's battery, what it powers and how it is charged (docs/battery.md): a 3S Li-ion pack
 * whose charge is read from its voltage. Every number is a plausible starting point for a small
 * guide robot; a real robot's are calibrated (docs/battery.md, "Calibrating a real robot").
 */
export interface BatteryDescription {
  /** Energy between full and empty at rest, Wh. */
  capacityWh: number;
  /** Open-circuit voltage of the empty pack (the firmware's cut-off), V. */
  emptyV: number;
  /** Open-circuit voltage of the full pack (the charger's constant-voltage limit), V. */
  fullV: number;
  /** Nominal voltage, V: converts Wh to the Ah that sensor_msgs/BatteryState speaks. */
  nominalV: number;
  /** Cells, connections and wiring between the cells and the voltage divider, Ω. */
  internalResistanceOhm: number;
  /** Drawn whenever the robot is on, moving or not, W. */
  idleW: number;
  /**
   * Extra draw while driving, electrical W = (rolling + accelerating power) / efficiency
   * (motionDrawW in src/power): rolling resistance F = rollingCoefficient × m × g at the wheels'
   * mean ground speed, plus m × a × v while speeding up (braking returns nothing: no regeneration).
   */
  motion: {
    massKg: number;
    /** Rolling resistance coefficient of the wheels and castors on the floor, dimensionless. */
    rollingCoefficient: number;
    /** Battery to wheel-rim efficiency (motor driver, motors, gearboxes), 0..1. */
    efficiency: number;
  };
  /** The dock's charger and its contacts. */
  dock: {
    /**
     * Charger rating, W: it charges at a constant current of chargerW / fullV until the pack's
     * terminal voltage reaches fullV, then holds fullV while the current tapers off (CC/CV).
     */
    chargerW: number;
    /** The contacts touch when the robot's true position is within this of the dock pose, m. */
    contactPositionM: number;
    /** … and its heading within this of the dock's yaw, rad. */
    contactYawRad: number;
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
  battery: {
    // 3S6P of 18650 cells of 3.4 Ah (an INR18650-35E class cell): 3 × 3.6 V × 20.4 Ah = 220 Wh
    // nominal, of which about 90 % lies between 4.2 V and a resting 3.5 V per cell.
    capacityWh: 200,
    // 3 × 3.5 V: the firmware's battery-low cut-off (firmware-bridge/PROTOCOL.md §4.5).
    emptyV: 10.5,
    // 3 × 4.2 V: a Li-ion cell's charge limit.
    fullV: 12.6,
    // 3 × 3.6 V: the cells' nominal voltage.
    nominalV: 10.8,
    // 3 cells of ~45 mΩ DC resistance (1 s pulse, mid charge, room temperature) in series, 6 in
    // parallel: 23 mΩ; BMS switches ~10 mΩ; fuse, switch, connectors, 1.5 m of 2.5 mm² wire ~25 mΩ.
    internalResistanceOhm: 0.06,
    // Computer ~12 W (a NUC- or Jetson-class board at light load), 10" touch screen ~6 W, RPLIDAR
    // A2 ~2.5 W, rear camera ~1.5 W, drive-base board and motor driver standby ~1 W, speakers
    // ~1 W: 24 W behind DC-DC converters of ~85 % efficiency ≈ 28 W, rounded up to 30 W.
    idleW: 30,
    motion: {
      // Chassis, screen, computer, the 2.2 kg pack: a 30–40 kg indoor service robot.
      massKg: 35,
      // Polyurethane drive wheels and two castors: 0.01–0.02 on hard floor, 0.03–0.05 on office
      // carpet; 0.03 as a mixed floor.
      rollingCoefficient: 0.03,
      // Motor driver ~95 %, brushed gearmotor ~70 % near its best point and less at the light
      // loads of walking pace, gearbox ~90 %: about 0.6 overall.
      efficiency: 0.6,
    },
    dock: {
      // A 12.6 V 10 A Li-ion charger brick: 9.5 A constant current, ≈ 0.47 C for this pack
      // (within the 0.5 C standard charge cells are specified for).
      chargerW: 120,
      // Sprung contact pads ~10 cm wide on the robot and the dock: ±5 cm and ±0.1 rad (±6°) of
      // the dock pose still touch.
      contactPositionM: 0.05,
      contactYawRad: 0.1,
    },
  },
};

export class RobotDescriptionError extends Error {
  constructor(
    /** The field, as a path: `robot.battery.capacityWh`. */
    readonly field: string,
    what: string,
  ) {
    super(`${field}: ${what}`);
    this.name = 'RobotDescriptionError';
  }
}

/** A check of one number: strictly positive unless `min`/`max` say otherwise. */
interface NumberCheck {
  path: string;
  value: unknown;
  min?: number;
  max?: number;
  /** True: min itself is allowed. */
  minIncluded?: boolean;
}

/**
 * Throws RobotDescriptionError naming the first field that is not a number in its range (the
 * battery's fields; the motion limits are checked where they are used, by the safety gate).
 */
export function validateRobotDescription(robot: RobotDescription, prefix = 'robot'): void {
  const b = robot.battery as BatteryDescription | undefined;
  if (typeof b !== 'object' || b === null) {
    throw new RobotDescriptionError(
      `${prefix}.battery`,
      `expected a battery description, found ${String(b)}`,
    );
  }
  const p = `${prefix}.battery`;
  const checks: NumberCheck[] = [
    { path: `${p}.capacityWh`, value: b.capacityWh },
    { path: `${p}.emptyV`, value: b.emptyV },
    { path: `${p}.fullV`, value: b.fullV, min: b.emptyV },
    { path: `${p}.nominalV`, value: b.nominalV, min: b.emptyV, max: b.fullV, minIncluded: true },
    { path: `${p}.internalResistanceOhm`, value: b.internalResistanceOhm },
    { path: `${p}.idleW`, value: b.idleW, min: 0, minIncluded: true },
    { path: `${p}.motion.massKg`, value: b.motion?.massKg },
    {
      path: `${p}.motion.rollingCoefficient`,
      value: b.motion?.rollingCoefficient,
      min: 0,
      minIncluded: true,
    },
    { path: `${p}.motion.efficiency`, value: b.motion?.efficiency, max: 1 },
    { path: `${p}.dock.chargerW`, value: b.dock?.chargerW },
    { path: `${p}.dock.contactPositionM`, value: b.dock?.contactPositionM },
    { path: `${p}.dock.contactYawRad`, value: b.dock?.contactYawRad, max: Math.PI },
  ];
  for (const c of checks) checkNumber(c);
}

function checkNumber(c: NumberCheck): void {
  const min = c.min ?? 0;
  const v = c.value;
  const aboveMin = typeof v === 'number' && (c.minIncluded ? v >= min : v > min);
  const ok = aboveMin && Number.isFinite(v) && (c.max === undefined || v <= c.max);
  if (ok) return;
  const lower = `${c.minIncluded ? '≥' : '>'} ${min}`;
  const range = c.max === undefined ? lower : `${lower} and ≤ ${c.max}`;
  throw new RobotDescriptionError(c.path, `expected a finite number ${range}, found ${String(v)}`);
}
