/**
 * What a trip costs the battery, for deciding before an escort whether it and the way back fit
 * in the charge left. The mission adds its own reserve; this is the expected cost.
 */
import type { BatteryDescription } from '../robot-description.js';

/** m/s² */
const G = 9.81;
/**
 * One start from rest per this many metres (doors, people, waits): a guess, and a harmless one,
 * since speeding a 35 kg robot to 1 m/s costs 17.5 J, less than a second of idle draw.
 */
const METRES_PER_START = 10;

/**
 * Fraction of the pack's capacity a trip of `distanceM` m taking `durationS` s needs: the idle
 * draw for the whole time, rolling resistance over the distance, one start per METRES_PER_START
 * at the trip's mean speed, each through the drivetrain's efficiency, and the pack's own
 * resistive heat at the mean current. The heat of the load's peaks is left out (under 1 % of
 * the trip at this robot's draws).
 */
export function chargeForTrip(battery: BatteryDescription, distanceM: number, durationS: number): number {
  if (!(Number.isFinite(distanceM) && distanceM >= 0)) {
    throw new RangeError(`chargeForTrip: distanceM: expected a finite number ≥ 0, found ${distanceM}`);
  }
  if (!(Number.isFinite(durationS) && durationS > 0)) {
    throw new RangeError(`chargeForTrip: durationS: expected a finite number > 0, found ${durationS}`);
  }
  const { massKg, rollingCoefficient, efficiency } = battery.motion;
  const meanSpeed = distanceM / durationS;
  const rollingJ = (rollingCoefficient * massKg * G * distanceM) / efficiency;
  const starts = Math.ceil(distanceM / METRES_PER_START);
  const startsJ = (starts * 0.5 * massKg * meanSpeed * meanSpeed) / efficiency;
  const loadJ = battery.idleW * durationS + rollingJ + startsJ;
  const meanCurrentA = loadJ / durationS / battery.nominalV;
  const heatJ = meanCurrentA * meanCurrentA * battery.internalResistanceOhm * durationS;
  return (loadJ + heatJ) / (battery.capacityWh * 3600);
}
