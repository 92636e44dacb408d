/**
 * The drive base's motors and encoders as the firmware's pins see them: per wheel an H-bridge
 * (PWM duty + direction) drives a DC motor modelled as a first-order lag on wheel speed, and a
 * quadrature encoder turns wheel travel into channel A/B levels. Pure maths, no timing of its own:
 * the board steps it in emulated time and asks when, within a step, the next encoder edge falls.
 */
import { requireInRange } from './errors.js';

export interface PlantParams {
  /** m/s: wheel speed at full duty and `nominalVolts`, unloaded. Default 1.5. */
  noLoadSpeedMps: number;
  /** V: battery voltage at which `noLoadSpeedMps` holds; speed scales with the battery. Default 12. */
  nominalVolts: number;
  /** s: first-order time constant of wheel speed (motor + wheel inertia). Default 0.06. */
  timeConstantS: number;
  /** Duty (0..1) the motor needs before it turns at all: static friction. Default 0.03. */
  deadbandDuty: number;
  /** Counted edges of encoder channel A per metre of wheel travel (PROTOCOL.md `ticks_per_m`). Default 2000. */
  ticksPerM: number;
}

export const DEFAULT_PLANT_PARAMS: PlantParams = {
  noLoadSpeedMps: 1.5,
  nominalVolts: 12,
  timeConstantS: 0.06,
  deadbandDuty: 0.03,
  ticksPerM: 2000,
};

/** Below this speed (m/s) an unpowered wheel is held by static friction. */
const STICTION_MPS = 1e-4;

export function plantParams(overrides: Partial<PlantParams> = {}): PlantParams {
  const p = { ...DEFAULT_PLANT_PARAMS, ...overrides };
  requireInRange(p.noLoadSpeedMps, 'plant.noLoadSpeedMps', 0.01, 100);
  requireInRange(p.nominalVolts, 'plant.nominalVolts', 1, 100);
  requireInRange(p.timeConstantS, 'plant.timeConstantS', 1e-4, 10);
  requireInRange(p.deadbandDuty, 'plant.deadbandDuty', 0, 0.5);
  requireInRange(p.ticksPerM, 'plant.ticksPerM', 1, 1e6);
  return p;
}

/**
 * The speed (m/s) a wheel settles at for a signed drive (duty × direction, -1..1) and battery
 * voltage: zero inside the friction deadband, then linear in duty up to the no-load speed.
 */
export function steadySpeed(drive: number, volts: number, p: PlantParams): number {
  const magnitude = Math.min(1, Math.abs(drive));
  if (magnitude <= p.deadbandDuty) return 0;
  const effective = (magnitude - p.deadbandDuty) / (1 - p.deadbandDuty);
  return Math.sign(drive) * effective * p.noLoadSpeedMps * (Math.max(0, volts) / p.nominalVolts);
}

/** Speed after `dt` s of the first-order lag towards `target`, given `decay` = exp(-dt/τ). */
export function speedAfter(v: number, target: number, decay: number): number {
  return target + (v - target) * decay;
}

/** Distance (m) travelled over `dt` s of the same lag: the integral of `speedAfter`. */
export function distanceOver(v: number, target: number, dt: number, tau: number, decay: number): number {
  return target * dt + (v - target) * tau * (1 - decay);
}

/**
 * Quadrature state index of a wheel position: one step per quarter of an A cycle, so A and B
 * each change every second step. A's edges (the counted ones) are 1/ticksPerM m apart.
 */
export function quarterIndex(positionM: number, ticksPerM: number): number {
  return Math.floor(positionM * 2 * ticksPerM);
}

/**
 * Channel levels for a quarter index: (A,B) = (0,0) → (1,0) → (1,1) → (0,1) moving forward, so B
 * lags A by 90° and, right after an A edge, A ≠ B going forward and A = B going backward.
 */
export function channelA(q: number): 0 | 1 {
  const s = q & 3;
  return s === 1 || s === 2 ? 1 : 0;
}

export function channelB(q: number): 0 | 1 {
  return (q & 3) >= 2 ? 1 : 0;
}

/** Signed count of A edges between quarter index 0 and `q` (what 2× decoding firmware counts). */
export function countedEdges(q: number): number {
  return Math.floor((q + 1) / 2);
}

/** One wheel: true speed and position, and the quarter index its encoder shows. */
class Wheel {
  v = 0;
  x = 0;
  q = 0;
  /** Travel over the step in progress (m) and its end state. */
  stepDx = 0;
  stepV = 0;
  /** Position at the start of the step in progress. */
  stepX0 = 0;
}

export type Side = 0 | 1;
export const LEFT: Side = 0;
export const RIGHT: Side = 1;

/**
 * Two wheels stepped together. A step is begun with the drive signals, then the caller walks the
 * encoder edges inside it in time order (`nextEdgeFraction`, `applyEdge`), then ends it. Within a
 * step travel is taken as uniform in time: the speed changes by < 0.2 % over a 100 µs step.
 */
export class DrivePlant {
  readonly params: PlantParams;
  readonly #wheels: [Wheel, Wheel] = [new Wheel(), new Wheel()];
  #stepS = 0;
  #decay = 1;
  #quartersPerM: number;

  constructor(params: Partial<PlantParams> = {}) {
    this.params = plantParams(params);
    this.#quartersPerM = 2 * this.params.ticksPerM;
  }

  /** Starts a step of `dtS` seconds with signed drives (duty × direction) and battery volts. */
  beginStep(dtS: number, driveLeft: number, driveRight: number, volts: number): void {
    if (dtS !== this.#stepS) {
      this.#stepS = dtS;
      this.#decay = Math.exp(-dtS / this.params.timeConstantS);
    }
    this.#begin(this.#wheels[0], driveLeft, volts);
    this.#begin(this.#wheels[1], driveRight, volts);
  }

  #begin(w: Wheel, drive: number, volts: number): void {
    const p = this.params;
    const target = steadySpeed(drive, volts, p);
    let v1 = speedAfter(w.v, target, this.#decay);
    let dx = distanceOver(w.v, target, this.#stepS, p.timeConstantS, this.#decay);
    if (target === 0 && Math.abs(v1) < STICTION_MPS) {
      v1 = 0;
      if (w.v === 0) dx = 0;
    }
    w.stepX0 = w.x;
    w.stepDx = dx;
    w.stepV = v1;
  }

  /**
   * When the wheel's next quarter step falls within the step begun, as a fraction 0..1 of it;
   * Infinity if it does not move past another quarter boundary in this step.
   */
  nextEdgeFraction(side: Side): number {
    const w = this.#wheels[side];
    if (w.stepDx === 0) return Infinity;
    const boundary = (w.stepDx > 0 ? w.q + 1 : w.q) / this.#quartersPerM;
    const f = (boundary - w.stepX0) / w.stepDx;
    return f <= 1 ? Math.max(0, f) : Infinity;
  }

  /** Moves the wheel's encoder one quarter step in its direction of travel; returns the new index. */
  applyEdge(side: Side): number {
    const w = this.#wheels[side];
    w.q += w.stepDx > 0 ? 1 : -1;
    return w.q;
  }

  /**
   * Ends the step: the wheels take their end positions and speeds. Rounding at a boundary can
   * leave an encoder a quarter step off its wheel's position: see `owedEdges` and `settleEdge`.
   */
  endStep(): void {
    for (const w of this.#wheels) {
      w.x = w.stepX0 + w.stepDx;
      w.v = w.stepV;
      w.stepDx = 0;
      w.stepX0 = w.x;
    }
  }

  /** Quarter steps the encoder still owes its wheel's position (after rounding at a step's end): signed. */
  owedEdges(side: Side): number {
    const w = this.#wheels[side];
    return quarterIndex(w.x, this.params.ticksPerM) - w.q;
  }

  /** Moves the encoder one quarter step towards the wheel's position; returns the new index. */
  settleEdge(side: Side): number {
    const w = this.#wheels[side];
    w.q += this.owedEdges(side) > 0 ? 1 : -1;
    return w.q;
  }

  speed(side: Side): number {
    return this.#wheels[side].v;
  }

  position(side: Side): number {
    return this.#wheels[side].x;
  }

  quarter(side: Side): number {
    return this.#wheels[side].q;
  }

  /** Signed A edges since start: what a correct 2× decoder has counted. */
  ticks(side: Side): number {
    return countedEdges(this.#wheels[side].q);
  }
}
