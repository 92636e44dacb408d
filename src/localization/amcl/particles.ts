/** The particle set: poses and weights in typed arrays, with room for the largest set allowed. */
export class Particles {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly yaw: Float64Array;
  readonly w: Float64Array;
  count = 0;

  constructor(readonly capacity: number) {
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(capacity);
    this.yaw = new Float64Array(capacity);
    this.w = new Float64Array(capacity);
  }

  /** Sets every weight to 1/count. */
  uniformWeights(): void {
    const w = 1 / Math.max(1, this.count);
    this.w.fill(w, 0, this.count);
  }
}
