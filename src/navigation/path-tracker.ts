/**
 * Where the robot is along a path: the closest point (searched forward from the last one, in a
 * window, so a path that passes near itself does not make the robot jump ahead), the distance
 * left, and the pure-pursuit carrot. Arrays are built once per path, not per tick.
 */
import type { Path } from '../ros/index.js';
import { quaternionToYaw } from '../ros/index.js';

export class PathTracker {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly yaws: Float64Array;
  /** Arc length from the start to each point, m. */
  readonly s: Float64Array;
  /** Index of the segment (i → i+1) the robot was last closest to. */
  #segment = 0;
  /** Fraction along that segment. */
  #t = 0;
  #offset = 0;

  constructor(path: Path) {
    const n = path.poses.length;
    this.xs = new Float64Array(n);
    this.ys = new Float64Array(n);
    this.yaws = new Float64Array(n);
    this.s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = path.poses[i]!.pose;
      this.xs[i] = p.position.x;
      this.ys[i] = p.position.y;
      this.yaws[i] = quaternionToYaw(p.orientation);
      if (i > 0)
        this.s[i] = this.s[i - 1]! + Math.hypot(this.xs[i]! - this.xs[i - 1]!, this.ys[i]! - this.ys[i - 1]!);
    }
  }

  get length(): number {
    return this.xs.length;
  }
  get totalLength(): number {
    return this.length > 0 ? this.s[this.length - 1]! : 0;
  }
  /** Index of the first point at or after the robot's place on the path. */
  get nextIndex(): number {
    return Math.min(this.length - 1, this.#segment + 1);
  }

  /**
   * Moves the robot's place on the path to the closest point to (x, y) among the segments that
   * start within `searchDist` metres (along the path) after the current place; if none is
   * within half that distance the robot is lost and the whole path is searched.
   */
  update(x: number, y: number, searchDist: number): void {
    const n = this.length;
    if (n < 2) return;
    this.#search(x, y, this.#segment, this.s[this.#segment]! + searchDist);
    // Lost (pushed, or a long gap between updates): look along the whole path instead.
    if (this.#offset > searchDist / 2) this.#search(x, y, 0, Infinity);
  }

  #search(x: number, y: number, fromSegment: number, sLimit: number): void {
    const n = this.length;
    let best = Infinity;
    let bestSeg = this.#segment;
    let bestT = this.#t;
    for (let i = fromSegment; i < n - 1 && this.s[i]! <= sLimit; i++) {
      const ax = this.xs[i]!;
      const ay = this.ys[i]!;
      const dx = this.xs[i + 1]! - ax;
      const dy = this.ys[i + 1]! - ay;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
      if (i === this.#segment && t < this.#t && fromSegment === this.#segment) t = this.#t;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const px = ax + t * dx - x;
      const py = ay + t * dy - y;
      const d2 = px * px + py * py;
      if (d2 < best) {
        best = d2;
        bestSeg = i;
        bestT = t;
      }
    }
    this.#segment = bestSeg;
    this.#t = bestT;
    this.#offset = Math.sqrt(best);
  }

  /** How far the robot was from the path at the last update, m. */
  get offset(): number {
    return this.#offset;
  }

  /** Arc length of the robot's place on the path, m. */
  get progress(): number {
    if (this.length < 2) return 0;
    const i = this.#segment;
    return this.s[i]! + this.#t * (this.s[i + 1]! - this.s[i]!);
  }

  /** Path length left from the robot's place to the end, m. */
  get distanceRemaining(): number {
    return Math.max(0, this.totalLength - this.progress);
  }

  /**
   * The carrot, but never past a turn the robot has not reached: the first point ahead where
   * the path has turned by more than `maxTurn` rad in all since the robot's place, while it is
   * within the lookahead. A careful driver goes right up to a corner and turns there instead
   * of cutting across it, and follows a bend rather than the chord.
   */
  carrotBeforeTurn(
    x: number,
    y: number,
    lookahead: number,
    maxTurn: number,
    reached: number,
  ): { x: number; y: number; index: number } {
    const carrot = this.carrot(x, y, lookahead);
    let turned = 0;
    for (let i = Math.max(1, this.nextIndex); i < carrot.index && i + 1 < this.length; i++) {
      const inYaw = Math.atan2(this.ys[i]! - this.ys[i - 1]!, this.xs[i]! - this.xs[i - 1]!);
      const outYaw = Math.atan2(this.ys[i + 1]! - this.ys[i]!, this.xs[i + 1]! - this.xs[i]!);
      turned += Math.abs(Math.atan2(Math.sin(outYaw - inYaw), Math.cos(outYaw - inYaw)));
      // A turn within `reached` of the robot is where it is: aiming at a point a few
      // centimetres off only spins it on the spot.
      if (Math.hypot(this.xs[i]! - x, this.ys[i]! - y) <= reached) {
        turned = 0;
        continue;
      }
      if (turned > maxTurn) return { x: this.xs[i]!, y: this.ys[i]!, index: i };
    }
    return carrot;
  }

  /**
   * The carrot: the first point along the path ahead of the robot's place that is `lookahead`
   * metres from (x, y), interpolated on the segment that crosses the circle; the last point
   * when the whole rest of the path is within the circle.
   */
  carrot(x: number, y: number, lookahead: number): { x: number; y: number; index: number } {
    const n = this.length;
    const r2 = lookahead * lookahead;
    for (let i = this.#segment + 1; i < n; i++) {
      const bx = this.xs[i]! - x;
      const by = this.ys[i]! - y;
      if (bx * bx + by * by < r2) continue;
      // Segment a → b crosses the circle: solve |a + t(b − a)|² = r² for t in [0, 1].
      const ax = this.xs[i - 1]! - x;
      const ay = this.ys[i - 1]! - y;
      const dx = bx - ax;
      const dy = by - ay;
      const A = dx * dx + dy * dy;
      const B = 2 * (ax * dx + ay * dy);
      const C = ax * ax + ay * ay - r2;
      const disc = B * B - 4 * A * C;
      const t = A > 0 && disc >= 0 ? Math.min(1, Math.max(0, (-B + Math.sqrt(disc)) / (2 * A))) : 1;
      return { x: x + ax + t * dx, y: y + ay + t * dy, index: i };
    }
    return { x: this.xs[n - 1]!, y: this.ys[n - 1]!, index: n - 1 };
  }
}
