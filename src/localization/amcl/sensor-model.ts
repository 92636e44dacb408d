/**
 * The laser's part of the filter: which beams are used (at most `max_beams`, evenly spread over
 * the scan, as Nav2 subsamples), and how well a pose explains them on the likelihood field.
 * Beams that are NaN, ±Infinity, shorter than the minimum or at/over the maximum range say
 * nothing about where the walls are and are skipped, never passed on.
 */
import type { LaserScan, Pose2D } from '../../ros/index.js';
import type { LikelihoodField, LikelihoodParams } from './likelihood-field.js';
import type { Particles } from './particles.js';

/** The beams of one scan in the robot's frame: where each would end, for a pose at the origin. */
export interface Beams {
  /** m: endpoints in the sensor (= base) frame. */
  readonly lx: Float64Array;
  readonly ly: Float64Array;
  readonly count: number;
  /** m: the range limit the model uses for z_rand (the scan's, or laser_max_range). */
  readonly rangeMax: number;
}

export interface BeamLimits {
  max_beams: number;
  /** m; below 0: the scan's own range_min. */
  laser_min_range: number;
  /** m; below 0: the scan's own range_max. */
  laser_max_range: number;
}

/** The usable beams of `scan`, subsampled to `max_beams`; none when the scan is malformed. */
export function selectBeams(scan: LaserScan, limits: BeamLimits, sensor?: Pose2D): Beams {
  const ranges = scan.ranges ?? [];
  const n = ranges.length;
  const rangeMin = limits.laser_min_range >= 0 ? limits.laser_min_range : Number(scan.range_min) || 0;
  const scanMax = Number(scan.range_max);
  const rangeMax = limits.laser_max_range > 0 ? limits.laser_max_range : scanMax > 0 ? scanMax : 0;
  const want = Math.max(2, Math.floor(limits.max_beams));
  const lx = new Float64Array(Math.min(n, want));
  const ly = new Float64Array(Math.min(n, want));
  const angleMin = Number(scan.angle_min);
  const inc = Number(scan.angle_increment);
  if (n === 0 || !Number.isFinite(angleMin) || !Number.isFinite(inc) || !(rangeMax > 0)) {
    return { lx, ly, count: 0, rangeMax: rangeMax > 0 ? rangeMax : 1 };
  }
  const step = n <= want ? 1 : (n - 1) / (want - 1);
  const sc = sensor ? Math.cos(sensor.yaw) : 1;
  const ss = sensor ? Math.sin(sensor.yaw) : 0;
  let k = 0;
  for (let f = 0; Math.round(f) < n && k < lx.length; f += step) {
    const i = Math.round(f);
    const r = ranges[i]!;
    if (!(r >= rangeMin) || !(r < rangeMax)) continue; // NaN and ±Infinity fail both tests
    const a = angleMin + i * inc;
    const sx = r * Math.cos(a);
    const sy = r * Math.sin(a);
    lx[k] = sensor ? sensor.x + sc * sx - ss * sy : sx;
    ly[k] = sensor ? sensor.y + ss * sx + sc * sy : sy;
    k++;
  }
  return { lx, ly, count: k, rangeMax };
}

/**
 * The sensor models on the likelihood field, by Nav2's `laser_model_type` names:
 * - 'likelihood_field': a particle scores 1 + Σ p³ over the beams (Nav2's; the sum is forgiving
 *   and slow to correct a systematic odometry error),
 * - 'likelihood_field_prob': the product Π p (Probabilistic Robotics' model; each beam counts).
 */
export const LASER_MODELS = ['likelihood_field', 'likelihood_field_prob'] as const;
export type LaserModel = (typeof LASER_MODELS)[number];

/**
 * Multiplies each particle's weight by how well it explains the beams, then normalises the
 * weights. Returns the fit per beam (the weighted mean over particles of a beam's likelihood:
 * p³ for the sum model, the geometric mean of p for the product model), which augmented MCL
 * watches to notice a kidnap. The weights must sum to 1 before.
 */
export function weighLikelihoodField(
  particles: Particles,
  beams: Beams,
  field: LikelihoodField,
  params: LikelihoodParams,
  model: LaserModel = 'likelihood_field',
): number {
  const prob = model === 'likelihood_field_prob';
  const { table: lut, outside } = field.table(params, beams.rangeMax, prob);
  const outsideScore = prob ? Math.log(outside) : outside * outside * outside;
  const { x, y, yaw, w } = particles;
  const { lx, ly, count } = beams;
  const ox = field.originX;
  const oy = field.originY;
  const inv = 1 / field.resolution;
  const width = field.width;
  const height = field.height;
  const score = scratch(particles.count);
  let best = -Infinity;
  // One loop per model, so the inner loop has no branch on it.
  for (let i = 0; i < particles.count; i++) {
    const c = Math.cos(yaw[i]!);
    const s = Math.sin(yaw[i]!);
    const px = x[i]! - ox;
    const py = y[i]! - oy;
    let sum = 0;
    for (let b = 0; b < count; b++) {
      const col = Math.floor((px + c * lx[b]! - s * ly[b]!) * inv);
      const row = Math.floor((py + s * lx[b]! + c * ly[b]!) * inv);
      if (col >= 0 && row >= 0 && col < width && row < height) {
        const v = lut[row * width + col]!;
        sum += prob ? v : v * v * v;
      } else sum += outsideScore;
    }
    score[i] = sum;
    if (sum > best) best = sum;
  }
  let fit = 0;
  let total = 0;
  const n = Math.max(1, count);
  for (let i = 0; i < particles.count; i++) {
    const before = w[i]!;
    // Log-likelihoods are shifted by the best before exponentiating: the ratios are what count.
    const lik = prob ? Math.exp(score[i]! - best) : 1 + score[i]!;
    fit += before * (prob ? Math.exp(score[i]! / n) : score[i]! / n);
    w[i] = before * lik;
    total += w[i]!;
  }
  if (total > 0 && Number.isFinite(total)) for (let i = 0; i < particles.count; i++) w[i] = w[i]! / total;
  else particles.uniformWeights();
  return fit;
}

let scores = new Float64Array(0);
function scratch(n: number): Float64Array {
  if (scores.length < n) scores = new Float64Array(n);
  return scores;
}

/**
 * The share of beams (0..1) that end within `withinM` of a wall of the map, seen from `pose`:
 * how well the scan fits the map there. NaN when the scan has too few usable beams to judge.
 */
export function scanMatch(pose: Pose2D, beams: Beams, field: LikelihoodField, withinM: number): number {
  if (beams.count < MIN_BEAMS_TO_JUDGE) return NaN;
  const c = Math.cos(pose.yaw);
  const s = Math.sin(pose.yaw);
  let hits = 0;
  for (let b = 0; b < beams.count; b++) {
    const ex = pose.x + c * beams.lx[b]! - s * beams.ly[b]!;
    const ey = pose.y + s * beams.lx[b]! + c * beams.ly[b]!;
    if (field.distanceAt(ex, ey) <= withinM) hits++;
  }
  return hits / beams.count;
}

/** Fewer usable beams than this (an open hall, a blinded lidar) cannot say the scan mismatches. */
export const MIN_BEAMS_TO_JUDGE = 10;
