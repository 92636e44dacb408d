/**
 * A local search for where the robot really is, for when the scan stops fitting the map around
 * the estimate (a kidnap: the robot carried a few metres). Random particles alone rarely land
 * close enough to the true pose in a big floor; this tries every pose on a coarse grid within
 * `radius` of the estimate (0.2 m, 6°) with a tolerant score (how many beams end near a wall),
 * and returns the best few for the filter to seed particles around (sensor resetting, as in
 * Lenser & Veloso's localisation). The filter, not the search, then decides which is right.
 */
import type { Pose2D } from '../../ros/index.js';
import type { LikelihoodField } from './likelihood-field.js';
import type { Beams } from './sensor-model.js';

const STEP_M = 0.2;
const YAW_STEPS = 60;
/** m: a beam counts fully when it ends on a wall, not at all this far from one. */
const TOLERANCE_M = 0.3;
/** Beams used by the search (evenly picked from the scan's). */
const SEARCH_BEAMS = 30;

export interface Candidate {
  pose: Pose2D;
  /** 0..1: the share of beams ending near a wall (tolerant). */
  score: number;
}

/** The best `top` poses within `radius` of `centre`, best first. */
export function searchNearby(
  field: LikelihoodField,
  beams: Beams,
  centre: Pose2D,
  radius: number,
  top: number,
): Candidate[] {
  if (beams.count === 0 || radius <= 0) return [];
  const pick = Math.max(1, Math.floor(beams.count / SEARCH_BEAMS));
  const bx: number[] = [];
  const by: number[] = [];
  for (let b = 0; b < beams.count; b += pick) {
    bx.push(beams.lx[b]!);
    by.push(beams.ly[b]!);
  }
  const n = bx.length;
  // Beam endpoints rotated for every heading, once.
  const rx = new Float64Array(YAW_STEPS * n);
  const ry = new Float64Array(YAW_STEPS * n);
  for (let k = 0; k < YAW_STEPS; k++) {
    const a = (2 * Math.PI * k) / YAW_STEPS;
    const c = Math.cos(a);
    const s = Math.sin(a);
    for (let b = 0; b < n; b++) {
      rx[k * n + b] = c * bx[b]! - s * by[b]!;
      ry[k * n + b] = s * bx[b]! + c * by[b]!;
    }
  }
  const best: Candidate[] = [];
  const steps = Math.ceil(radius / STEP_M);
  for (let i = -steps; i <= steps; i++) {
    for (let j = -steps; j <= steps; j++) {
      if (i * i + j * j > steps * steps) continue;
      const x = centre.x + i * STEP_M;
      const y = centre.y + j * STEP_M;
      if (!field.isFree(x, y)) continue;
      for (let k = 0; k < YAW_STEPS; k++) {
        let sum = 0;
        for (let b = 0; b < n; b++) {
          const d = field.distanceAt(x + rx[k * n + b]!, y + ry[k * n + b]!);
          if (d < TOLERANCE_M) sum += 1 - d / TOLERANCE_M;
        }
        const score = sum / n;
        if (best.length < top || score > best[best.length - 1]!.score) {
          best.push({ pose: { x, y, yaw: (2 * Math.PI * k) / YAW_STEPS }, score });
          best.sort((a, b) => b.score - a.score);
          if (best.length > top) best.pop();
        }
      }
    }
  }
  return best;
}

/** The same tolerant score at one pose (to compare the estimate with the search's best). */
export function tolerantScore(field: LikelihoodField, beams: Beams, pose: Pose2D): number {
  if (beams.count === 0) return 0;
  const c = Math.cos(pose.yaw);
  const s = Math.sin(pose.yaw);
  let sum = 0;
  for (let b = 0; b < beams.count; b++) {
    const d = field.distanceAt(
      pose.x + c * beams.lx[b]! - s * beams.ly[b]!,
      pose.y + s * beams.lx[b]! + c * beams.ly[b]!,
    );
    if (d < TOLERANCE_M) sum += 1 - d / TOLERANCE_M;
  }
  return sum / beams.count;
}
