/**
 * A constant-velocity Kalman filter in the plane for one person. x and y are independent under
 * this model (white-noise acceleration on each axis, position measured on each axis), so each
 * axis keeps its own 2 × 2 covariance: the same filter as the 4 × 4 one, in a few multiplies.
 */

/** One axis: position, velocity and their covariance [[pp, pv], [pv, vv]]. */
class Axis {
  constructor(
    public pos: number,
    public vel: number,
    public pp: number,
    public pv: number,
    public vv: number,
  ) {}

  predict(dt: number, accelVar: number): void {
    this.pos += this.vel * dt;
    // P ← F P Fᵀ + Q, F = [[1, dt], [0, 1]], Q = σa² [[dt⁴/4, dt³/2], [dt³/2, dt²]].
    const dt2 = dt * dt;
    this.pp += 2 * dt * this.pv + dt2 * this.vv + (accelVar * dt2 * dt2) / 4;
    this.pv += dt * this.vv + (accelVar * dt2 * dt) / 2;
    this.vv += accelVar * dt2;
  }

  update(z: number, measVar: number): void {
    const s = this.pp + measVar;
    const kp = this.pp / s;
    const kv = this.pv / s;
    const innovation = z - this.pos;
    this.pos += kp * innovation;
    this.vel += kv * innovation;
    // P ← (I − K H) P
    const pp = this.pp;
    const pv = this.pv;
    this.pp = (1 - kp) * pp;
    this.pv = (1 - kp) * pv;
    this.vv -= kv * pv;
  }
}

export interface KalmanNoise {
  /** Acceleration standard deviation, m/s². */
  accelSd: number;
  /** Position measurement standard deviation, m. */
  measurementSd: number;
}

export class ConstantVelocityKalman {
  readonly #x: Axis;
  readonly #y: Axis;
  readonly #accelVar: number;
  readonly #measVar: number;

  constructor(x: number, y: number, initialVelocitySd: number, noise: KalmanNoise) {
    this.#accelVar = noise.accelSd * noise.accelSd;
    this.#measVar = noise.measurementSd * noise.measurementSd;
    const vv = initialVelocitySd * initialVelocitySd;
    this.#x = new Axis(x, 0, this.#measVar, 0, vv);
    this.#y = new Axis(y, 0, this.#measVar, 0, vv);
  }

  predict(dtS: number): void {
    this.#x.predict(dtS, this.#accelVar);
    this.#y.predict(dtS, this.#accelVar);
  }

  update(x: number, y: number): void {
    this.#x.update(x, this.#measVar);
    this.#y.update(y, this.#measVar);
  }

  get x(): number {
    return this.#x.pos;
  }
  get y(): number {
    return this.#y.pos;
  }
  get vx(): number {
    return this.#x.vel;
  }
  get vy(): number {
    return this.#y.vel;
  }
  /** Position standard deviation (the larger axis), m. */
  get positionSd(): number {
    return Math.sqrt(Math.max(this.#x.pp, this.#y.pp));
  }
}
