/**
 * The particle filter (Monte Carlo localisation): particles move by the odometry motion model,
 * are weighed by the likelihood field, and are resampled with low-variance (systematic)
 * resampling into as many particles as KLD-sampling asks for. Augmented MCL watches the average
 * weight on two time scales (`recovery_alpha_slow`, `recovery_alpha_fast`): when the short-term
 * average falls below the long-term one, the scans stopped fitting the particles (a kidnap), and
 * that share of the new particles is drawn at random in free space.
 */
import { normalizeAngle, type Pose2D } from '../../ros/index.js';
import { estimatePose, type PoseEstimate } from './clusters.js';
import { binKey, kldParticles } from './kld.js';
import type { LikelihoodField, LikelihoodParams } from './likelihood-field.js';
import { sampleOdometryMotion, type MotionNoise } from './motion-model.js';
import { Particles } from './particles.js';
import type { FilterRandom } from './random.js';
import { weighLikelihoodField, type Beams, type LaserModel } from './sensor-model.js';

export interface FilterParams extends MotionNoise, LikelihoodParams {
  laser_model_type: LaserModel;
  min_particles: number;
  max_particles: number;
  pf_err: number;
  pf_z: number;
  recovery_alpha_slow: number;
  recovery_alpha_fast: number;
  /**
   * m: half of the particles drawn at random for a recovery land within this distance of the
   * current estimate (a robot pushed or carried a few metres is found in a few updates), the other
   * half anywhere in free space; 0 draws all of them anywhere. Not a Nav2 parameter.
   */
  recovery_radius: number;
}

/** Random particles only once the short-term fit is below this share of the long-term fit. */
const RECOVERY_FIT_SHARE = 0.5;
/** Spread of particles seeded around a search's guess (its grid is 0.2 m, 6°). */
const INJECT_SD_M = 0.1;
const INJECT_SD_RAD = 0.05;
/** Never more than this share of a resampled set is drawn at random: the old hypothesis stays. */
const MAX_RANDOM_SHARE = 0.5;

export class ParticleFilter {
  #set: Particles;
  #next: Particles;
  #wSlow = 0;
  #wFast = 0;
  #averagesStarted = false;
  #estimate: PoseEstimate | undefined;
  readonly #field: LikelihoodField;
  readonly #rng: FilterRandom;
  #params: FilterParams;

  constructor(params: FilterParams, field: LikelihoodField, rng: FilterRandom) {
    this.#params = params;
    this.#field = field;
    this.#rng = rng;
    this.#set = new Particles(params.max_particles);
    this.#next = new Particles(params.max_particles);
  }

  get particles(): Particles {
    return this.#set;
  }

  /** The best cluster's pose and covariance after the last update (or the initial pose). */
  get estimate(): PoseEstimate | undefined {
    return this.#estimate;
  }

  /**
   * 0..1: the share of particles the next resampling draws at random (augmented MCL). Only once
   * the short-term fit has fallen below RECOVERY_FIT_SHARE of the long-term one: how well scans fit
   * varies with the place (a corridor's walls, a hall's far ones, people in the way), and a
   * filter that sprays particles on every such change is never sure of anything.
   */
  get randomShare(): number {
    if (!(this.#wSlow > 0)) return 0;
    const share = 1 - this.#wFast / (RECOVERY_FIT_SHARE * this.#wSlow);
    return Math.min(MAX_RANDOM_SHARE, Math.max(0, share));
  }

  /** Starts over around `mean` with the given standard deviations (max_particles particles). */
  init(mean: Pose2D, sdXY: number, sdYaw: number): void {
    const s = this.#set;
    s.count = this.#params.max_particles;
    for (let i = 0; i < s.count; i++) {
      s.x[i] = mean.x + this.#rng.gaussian(sdXY);
      s.y[i] = mean.y + this.#rng.gaussian(sdXY);
      s.yaw[i] = normalizeAngle(mean.yaw + this.#rng.gaussian(sdYaw));
    }
    s.uniformWeights();
    this.#wSlow = 0;
    this.#wFast = 0;
    this.#averagesStarted = false;
    this.#estimate = estimatePose(s);
  }

  /** Moves the particles by the odometry change from → to (odom frame). */
  predict(from: Pose2D, to: Pose2D): void {
    sampleOdometryMotion(this.#set, from, to, this.#params, this.#rng);
  }

  /**
   * Weighs the particles by the scan and updates the estimate. The weight averages for augmented
   * MCL start at the first update's average (not at zero, so a kidnap early in the day is noticed
   * as well as a late one) and run on without resets (Probabilistic Robotics, Table 8.3).
   */
  correct(beams: Beams): void {
    const s = this.#set;
    if (beams.count === 0 || s.count === 0) return;
    const perBeam = weighLikelihoodField(s, beams, this.#field, this.#params, this.#params.laser_model_type);
    if (!this.#averagesStarted) {
      this.#wSlow = perBeam;
      this.#wFast = perBeam;
      this.#averagesStarted = true;
    } else {
      this.#wSlow += this.#params.recovery_alpha_slow * (perBeam - this.#wSlow);
      this.#wFast += this.#params.recovery_alpha_fast * (perBeam - this.#wFast);
    }
    this.#estimate = estimatePose(s);
  }

  /** Low-variance resampling into a KLD-sized set, with random particles when augmented MCL asks. */
  resample(): void {
    const s = this.#set;
    const p = this.#params;
    if (s.count === 0) return;
    const n = Math.min(
      p.max_particles,
      Math.max(p.min_particles, kldParticles(this.#binsKept(s), p.pf_err, p.pf_z)),
    );
    const share = p.recovery_alpha_slow > 0 && p.recovery_alpha_fast > 0 ? this.randomShare : 0;
    const random = Math.min(n, Math.floor(n * share + this.#rng.next()));
    const out = this.#next;
    out.count = n;
    systematic(s, out, n - random, this.#rng.next());
    for (let i = n - random; i < n; i++) this.#randomPose(out, i, i % 2 === 0);
    out.uniformWeights();
    this.#next = s;
    this.#set = out;
  }

  /**
   * Replaces `share` of the particles with poses drawn close around `poses` (a relocalising
   * search's best guesses), in turn; the next scans decide between them and the rest.
   */
  inject(poses: readonly Pose2D[], share: number): void {
    const s = this.#set;
    if (poses.length === 0 || s.count === 0) return;
    const m = Math.min(s.count, Math.round(s.count * share));
    for (let k = 0; k < m; k++) {
      const i = s.count - 1 - k;
      const p = poses[k % poses.length]!;
      s.x[i] = p.x + this.#rng.gaussian(INJECT_SD_M);
      s.y[i] = p.y + this.#rng.gaussian(INJECT_SD_M);
      s.yaw[i] = normalizeAngle(p.yaw + this.#rng.gaussian(INJECT_SD_RAD));
    }
    s.uniformWeights();
  }

  /** Histogram bins holding particles a systematic draw of the current size would keep. */
  #binsKept(s: Particles): number {
    const bins = new Set<number>();
    const m = Math.max(s.count, this.#params.min_particles);
    const step = 1 / m;
    let u = step / 2;
    let c = 0;
    for (let i = 0; i < s.count; i++) {
      c += s.w[i]!;
      if (c > u) {
        bins.add(binKey(s.x[i]!, s.y[i]!, s.yaw[i]!));
        while (u < c) u += step;
      }
    }
    return bins.size;
  }

  /** A random pose in free space: near the estimate when `near` and a radius is set, else anywhere. */
  #randomPose(out: Particles, i: number, near: boolean): void {
    const f = this.#field;
    const r = this.#params.recovery_radius;
    const centre = this.#estimate?.pose;
    if (near && r > 0 && centre) {
      for (let tries = 0; tries < 20; tries++) {
        const d = r * Math.sqrt(this.#rng.next());
        const a = 2 * Math.PI * this.#rng.next();
        const x = centre.x + d * Math.cos(a);
        const y = centre.y + d * Math.sin(a);
        if (!f.isFree(x, y)) continue;
        out.x[i] = x;
        out.y[i] = y;
        out.yaw[i] = normalizeAngle(2 * Math.PI * this.#rng.next());
        return;
      }
    }
    const cells = f.freeCells;
    if (cells.length === 0) {
      out.x[i] = centre?.x ?? 0;
      out.y[i] = centre?.y ?? 0;
      out.yaw[i] = 0;
      return;
    }
    const cell = cells[this.#rng.below(cells.length)]!;
    const col = cell % f.width;
    const row = (cell - col) / f.width;
    out.x[i] = f.originX + (col + this.#rng.next()) * f.resolution;
    out.y[i] = f.originY + (row + this.#rng.next()) * f.resolution;
    out.yaw[i] = normalizeAngle(2 * Math.PI * this.#rng.next());
  }
}

/** Systematic resampling: one random offset, then evenly spaced picks along the cumulative weights. */
function systematic(from: Particles, to: Particles, n: number, offset: number): void {
  if (n <= 0) return;
  const step = 1 / n;
  let u = offset * step;
  let c = from.w[0]!;
  let i = 0;
  for (let k = 0; k < n; k++) {
    while (u > c && i < from.count - 1) {
      i++;
      c += from.w[i]!;
    }
    to.x[k] = from.x[i]!;
    to.y[k] = from.y[i]!;
    to.yaw[k] = from.yaw[i]!;
    u += step;
  }
}
