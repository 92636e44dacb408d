/**
 * The robot's battery in the simulator: the pack's stored energy integrated each physics step from
 * the load (idle plus driving, from the base's true wheel speeds and acceleration) and, while the
 * dock's contacts touch, the charger; its terminal voltage and current from the same resistance
 * model the robot's charge estimate assumes (src/power). What a sensor reads of it is separate
 * (`reading()`): noise, and the faults a scenario injects, live there and never touch the pack.
 */
import {
  PowerSupplyStatus,
  loadW,
  ocvFromSoc,
  packOcvCurve,
  packOperatingPoint,
  type Motion,
  type OcvCurve,
} from '../src/power/index.js';
import type { BatteryDescription, RobotDescription } from '../src/robot-description.js';
import { SimError } from './errors.js';
import type { Rng } from './rng.js';

/** A charge the robot starts a run with unless told otherwise (0..1): charged overnight, some used. */
export const DEFAULT_START_CHARGE = 0.9;

/**
 * The sensor's own noise, 1σ: voltage 5 mV (a 12-bit ADC behind a divider, averaged), current
 * 20 mA (an INA226-class shunt monitor). Enough that a healthy reading never repeats exactly.
 */
const VOLTAGE_NOISE_V = 0.005;
const CURRENT_NOISE_A = 0.02;

/** What a scenario does to the battery reading (the pack itself is untouched). */
export type BatteryReadingFault =
  /** The voltage reads NaN (a broken conversion, a driver bug). */
  | { kind: 'nan' }
  /** The voltage reads `offsetV` off (a loose divider, a crossed wire). */
  | { kind: 'jump'; offsetV: number }
  /** The reading sticks at what it was when the fault began (a hung sensor). */
  | { kind: 'freeze' };

/** One reading as a sensor reports it. */
export interface SimBatteryReading {
  /** V */
  voltage: number;
  /** A, positive into the pack (ROS's sign). */
  current: number;
  /** PowerSupplyStatus: CHARGING, FULL (on the contacts, taking under C/20) or DISCHARGING. */
  powerSupplyStatus: number;
}

export class SimBattery {
  readonly description: BatteryDescription;
  readonly curve: OcvCurve;
  /** Ah at the nominal voltage: BatteryState's capacity. */
  readonly capacityAh: number;
  readonly #robot: RobotDescription;
  readonly #rng: Rng;
  #energyWh: number;
  #voltage: number;
  #current = 0;
  #onContacts = false;
  #drawnWh = 0;
  #chargedWh = 0;
  #fault: BatteryReadingFault | undefined;
  #frozen: SimBatteryReading | undefined;

  constructor(robot: RobotDescription, startCharge: number, rng: Rng) {
    if (!(Number.isFinite(startCharge) && startCharge >= 0 && startCharge <= 1)) {
      throw new SimError('BAD_NUMBER', 'battery.startCharge', `expected a charge 0..1, found ${startCharge}`);
    }
    this.#robot = robot;
    this.description = robot.battery;
    this.curve = packOcvCurve(robot.battery.emptyV, robot.battery.fullV);
    this.capacityAh = robot.battery.capacityWh / robot.battery.nominalV;
    this.#rng = rng;
    this.#energyWh = startCharge * robot.battery.capacityWh;
    this.#voltage = ocvFromSoc(this.curve, startCharge);
  }

  /**
   * Advances by `dtS` with the body moving as `motion` and the contacts touching or not. The
   * cells give (or take) the resting voltage times the current: the load plus the heat in the
   * pack's resistance; the stored energy stays within empty and full.
   */
  step(dtS: number, motion: Motion, onContacts: boolean): void {
    const ocv = ocvFromSoc(this.curve, this.charge);
    const point = packOperatingPoint(this.description, ocv, loadW(this.#robot, motion), onContacts);
    const cellsWh = (ocv * point.current * dtS) / 3600;
    const capacity = this.description.capacityWh;
    const stored = Math.min(capacity, Math.max(0, this.#energyWh + cellsWh));
    const moved = stored - this.#energyWh;
    if (moved < 0) this.#drawnWh -= moved;
    else this.#chargedWh += moved;
    this.#energyWh = stored;
    this.#voltage = point.voltage;
    this.#current = point.current;
    this.#onContacts = onContacts;
  }

  /** True state of charge, 0..1 (the energy stored over the capacity). */
  get charge(): number {
    return this.#energyWh / this.description.capacityWh;
  }
  /** The contacts touch and the pack takes at least C/20 (a charger's "full" current). */
  get charging(): boolean {
    return this.#onContacts && this.#current >= this.#fullCurrentA;
  }
  get onContacts(): boolean {
    return this.#onContacts;
  }
  /** True terminal voltage, V. */
  get voltage(): number {
    return this.#voltage;
  }
  /** True pack current, A, positive into the pack. */
  get current(): number {
    return this.#current;
  }
  /** Energy the cells gave since the start, Wh (the load and the pack's own heat). */
  get energyDrawnWh(): number {
    return this.#drawnWh;
  }
  /** Energy the cells took since the start, Wh. */
  get energyChargedWh(): number {
    return this.#chargedWh;
  }
  /** Equivalent full cycles: energy drawn over the capacity. */
  get equivalentFullCycles(): number {
    return this.#drawnWh / this.description.capacityWh;
  }

  /** What the sensor reports from now on (undefined: the truth again, with its noise). */
  setReadingFault(fault: BatteryReadingFault | undefined): void {
    this.#fault = fault;
    this.#frozen = undefined;
  }

  /** The sensor's reading now: the pack's voltage and current with noise, then any fault. */
  reading(): SimBatteryReading {
    const fault = this.#fault;
    if (fault?.kind === 'freeze') {
      this.#frozen ??= this.#honestReading();
      return { ...this.#frozen };
    }
    const r = this.#honestReading();
    if (fault?.kind === 'nan') r.voltage = NaN;
    if (fault?.kind === 'jump') r.voltage += fault.offsetV;
    return r;
  }

  #honestReading(): SimBatteryReading {
    const status = !this.#onContacts
      ? PowerSupplyStatus.DISCHARGING
      : this.charging
        ? PowerSupplyStatus.CHARGING
        : PowerSupplyStatus.FULL;
    return {
      voltage: this.#voltage + this.#rng.normal(0, VOLTAGE_NOISE_V),
      current: this.#current + this.#rng.normal(0, CURRENT_NOISE_A),
      powerSupplyStatus: status,
    };
  }

  get #fullCurrentA(): number {
    return this.capacityAh / 20;
  }
}
