/**
 * What the guide mission makes of its battery: when to stop taking escorts, when it is charged
 * enough to take them again, when an escort under way must be handed over, and when the charge
 * is critical. Pure: the node sends estimates (POWER events); these rules read them.
 *
 * The thresholds have hysteresis (low < resume) so that a robot charging at its dock does not
 * flicker in and out of service at one level; an unreadable battery counts as low (it cannot
 * promise a customer the trip), never as critical (it does not know that either, so it does not
 * stop mid-floor on a sensor fault).
 */
import { MissionError } from './errors.js';

export interface PowerParams {
  /** Below this charge (0..1) the robot takes no new escort and goes to charge. */
  lowCharge: number;
  /** Charging, it is back in service at this charge (0..1). */
  resumeCharge: number;
  /** Below this charge (0..1), away from its charger, it stops where it is. */
  criticalCharge: number;
  /** An escort under way goes on only if it ends home with this much (0..1) above critical. */
  tripReserve: number;
}

export const DEFAULT_POWER_PARAMS: PowerParams = {
  // A quarter leaves an hour or more of escorts (docs/battery.md): time to finish and get home.
  lowCharge: 0.25,
  // Well above low, so one charge buys a long stretch of service, not a minute.
  resumeCharge: 0.6,
  // The board stops driving once the loaded voltage stays under 10.5 V: at about 6 % standing and
  // 9 % cruising at 1 m/s (docs/battery.md). 12 % stops the robot under control before that.
  criticalCharge: 0.12,
  tripReserve: 0.05,
};

/** The latest estimate, as the mission reads it (see takeReading). */
export interface PowerView {
  /** 0..1; NaN until known. */
  charge: number;
  /** The reading can be trusted (not NaN, frozen or silent for long). */
  reliable: boolean;
  /** A battery has reported at all (without one, the robot is never low). */
  known: boolean;
  /** On the dock's charging contacts, charging. */
  onCharger: boolean;
  /** What the escort under way still needs to its desk and back home (0..1); NaN when none. */
  tripCharge: number;
  /** Latched: went below lowCharge (or unreadable) and has not yet charged to resumeCharge. */
  low: boolean;
}

export const NO_BATTERY_YET: PowerView = {
  charge: Number.NaN,
  reliable: true,
  known: false,
  onCharger: false,
  tripCharge: Number.NaN,
  low: false,
};

/** One estimate from the node. */
export interface PowerReading {
  charge: number;
  reliable: boolean;
  charging: boolean;
  tripCharge?: number;
}

/** The view after `reading`: the low latch set below lowCharge (or unreadable), cleared at resumeCharge. */
export function takeReading(prev: PowerView, reading: PowerReading, p: PowerParams): PowerView {
  const charge = Number.isFinite(reading.charge) ? clamp01(reading.charge) : prev.charge;
  const reliable = reading.reliable && Number.isFinite(charge);
  let low = prev.low;
  if (!reliable || charge < p.lowCharge) low = true;
  else if (charge >= p.resumeCharge) low = false;
  const trip = reading.tripCharge;
  return {
    charge,
    reliable,
    known: true,
    onCharger: reading.charging,
    tripCharge: trip !== undefined && Number.isFinite(trip) && trip >= 0 ? trip : Number.NaN,
    low,
  };
}

/** Critical away from the charger: stop. An unreadable battery is not known to be critical. */
export function isCritical(v: PowerView, p: PowerParams): boolean {
  return v.known && v.reliable && !v.onCharger && v.charge < p.criticalCharge;
}

/** Charged enough to guide again. */
export function chargedEnough(v: PowerView): boolean {
  return !v.low;
}

/**
 * The escort under way must be handed over: the charge is low and what is left would not bring
 * the robot to the desk and home with the reserve above critical.
 */
export function mustHandOver(v: PowerView, p: PowerParams): boolean {
  if (!v.low || !v.reliable || !Number.isFinite(v.tripCharge)) return false;
  return v.charge - v.tripCharge < p.criticalCharge + p.tripReserve;
}

/** Throws MissionError PARAM_INVALID unless 0 ≤ critical < low < resume ≤ 1. */
export function validatePowerParams(p: PowerParams, where: string): void {
  const ok =
    p.criticalCharge >= 0 &&
    p.criticalCharge < p.lowCharge &&
    p.lowCharge < p.resumeCharge &&
    p.resumeCharge <= 1;
  if (!ok) {
    throw new MissionError(
      'PARAM_INVALID',
      `${where}.lowCharge`,
      `expected 0 ≤ criticalCharge < lowCharge < resumeCharge ≤ 1, found ${p.criticalCharge}, ${p.lowCharge}, ${p.resumeCharge}`,
    );
  }
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
