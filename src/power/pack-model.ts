/**
 * What the pack powers and how it answers: the robot's electrical load (idle plus driving) and
 * the pack's terminal voltage and current for that load, on the dock's charger or not. One
 * resistance model (open-circuit voltage minus I·R) serves the simulator's physics and the charge
 * estimate alike, so both speak of the same pack (docs/battery.md).
 */
import type { BatteryDescription, RobotDescription } from '../robot-description.js';

/** m/s² */
const G = 9.81;

/** The body's motion at an instant. */
export interface Motion {
  /** Forward speed, m/s. */
  v: number;
  /** Turn rate, rad/s. */
  w: number;
  /** Forward acceleration, m/s². */
  accel: number;
}

export const AT_REST: Motion = { v: 0, w: 0, accel: 0 };

/**
 * Electrical power for driving, W: (rolling + accelerating) / efficiency. Rolling resistance
 * acts at each wheel's ground speed, so a turn on the spot costs as its wheels travel; speeding
 * up costs m·a·v; braking and coasting cost nothing and return nothing (the H-bridge brakes
 * without regeneration). Turning acceleration is left out: the body's rotational energy at the
 * turn-rate limit is under 2 J.
 */
export function motionDrawW(battery: BatteryDescription, wheelBaseM: number, m: Motion): number {
  const half = wheelBaseM / 2;
  const wheelSpeed = (Math.abs(m.v - m.w * half) + Math.abs(m.v + m.w * half)) / 2;
  const { massKg, rollingCoefficient, efficiency } = battery.motion;
  const rolling = rollingCoefficient * massKg * G * wheelSpeed;
  const accelerating = Math.max(0, massKg * m.accel * m.v);
  return (rolling + accelerating) / efficiency;
}

/** Everything the robot draws, W: idle plus driving. */
export function loadW(robot: RobotDescription, m: Motion): number {
  return robot.battery.idleW + motionDrawW(robot.battery, robot.wheelBase, m);
}

export interface OperatingPoint {
  /** Terminal voltage, V. */
  voltage: number;
  /** Pack current, A, positive into the pack (ROS's sign: negative while discharging). */
  current: number;
}

/** The charger's constant current, A: its rating at its top voltage. */
export function chargerCurrentA(battery: BatteryDescription): number {
  return battery.dock.chargerW / battery.fullV;
}

/**
 * The pack's terminal voltage and current while the robot draws `load` W, and, `onCharger`, a
 * CC/CV charger feeds the bus: at most chargerCurrentA, and never above fullV (past that point the
 * charger holds fullV and the pack's current tapers as its resting voltage climbs to it). The
 * load is fed at the terminal voltage, so V = source − (load / V)·R, solved exactly.
 */
export function packOperatingPoint(
  battery: BatteryDescription,
  ocv: number,
  load: number,
  onCharger: boolean,
): OperatingPoint {
  const r = battery.internalResistanceOhm;
  if (!onCharger) {
    const v = busVoltage(ocv, load, r);
    return { voltage: v, current: (v - ocv) / r };
  }
  const cc = busVoltage(ocv + chargerCurrentA(battery) * r, load, r);
  const v = Math.min(cc, battery.fullV);
  return { voltage: v, current: (v - ocv) / r };
}

/**
 * The bus voltage V behind a source `source` and resistance `r` feeding `power` W: the higher
 * root of V² − source·V + power·r = 0. A load beyond what the source can give (source²/4r) pulls
 * the bus down to half the source, where it gives the most it can.
 */
function busVoltage(source: number, power: number, r: number): number {
  const discriminant = source * source - 4 * power * r;
  return discriminant > 0 ? (source + Math.sqrt(discriminant)) / 2 : source / 2;
}
