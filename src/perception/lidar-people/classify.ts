/**
 * From clusters to person candidates. A cluster is a leg (narrow), a body (wider, with enough
 * returns, bulging towards the sensor as a person does) or something else (a straight edge, a
 * wall fragment, anything too wide). Legs are paired, nearest first, when their centres are a
 * stride apart or less; a pair's midpoint is the person. A leg left alone (its partner hidden
 * or merged into it) and a body are candidates too, less reliable; candidates that overlap are
 * one person.
 */
import type { Pose2D } from '../../ros/index.js';
import type { ScanPoints } from './scan-points.js';

export type ClusterKind = 'leg' | 'body' | 'other';
export type CandidateKind = 'legs' | 'body' | 'leg';

export interface ClusterFeatures {
  kind: ClusterKind;
  /** Returns in the cluster. */
  points: number;
  /** First to last return, m. */
  width: number;
  /** Largest distance of a return from the first–last chord, m. */
  bulge: number;
  /** Centre in map: the returns' mean, pushed `surface_to_centre` away from the sensor. */
  x: number;
  y: number;
}

export interface Candidate {
  x: number;
  y: number;
  kind: CandidateKind;
  /** 0..1: how sure one scan is that this is a person. */
  reliability: number;
}

export interface ClassifyParams {
  leg_max_width: number;
  body_max_width: number;
  body_min_points: number;
  body_min_bulge: number;
  surface_to_centre: number;
}

export interface PairParams {
  leg_pair_min_distance: number;
  leg_pair_max_distance: number;
  single_leg_candidates: boolean;
  candidate_merge_distance: number;
}

/** How much one scan's candidate of each kind is to be believed. */
export const CANDIDATE_RELIABILITY: Record<CandidateKind, number> = { legs: 0.9, body: 0.7, leg: 0.5 };

/**
 * Features of one cluster: shape from the returns in the scan's frame, centre in map from
 * `mapXs`/`mapYs` (the same returns placed in map with the sensor at `sensor`).
 */
export function clusterFeatures(
  points: ScanPoints,
  cluster: readonly number[],
  mapXs: Float64Array,
  mapYs: Float64Array,
  sensor: Pose2D,
  p: ClassifyParams,
): ClusterFeatures {
  const { xs, ys } = points;
  const a = cluster[0]!;
  const b = cluster[cluster.length - 1]!;
  const cx = xs[b]! - xs[a]!;
  const cy = ys[b]! - ys[a]!;
  const width = Math.hypot(cx, cy);
  let bulge = 0;
  let mx = 0;
  let my = 0;
  for (const i of cluster) {
    if (width > 1e-9) {
      const d = Math.abs(cx * (ys[i]! - ys[a]!) - cy * (xs[i]! - xs[a]!)) / width;
      if (d > bulge) bulge = d;
    }
    mx += mapXs[i]!;
    my += mapYs[i]!;
  }
  mx /= cluster.length;
  my /= cluster.length;
  // The returns lie on the near surface; the centre is a little farther along the beam.
  const rx = mx - sensor.x;
  const ry = my - sensor.y;
  const r = Math.hypot(rx, ry);
  if (r > 1e-9) {
    mx += (rx / r) * p.surface_to_centre;
    my += (ry / r) * p.surface_to_centre;
  }
  return {
    kind: kindOf(cluster.length, width, bulge, p),
    points: cluster.length,
    width,
    bulge,
    x: mx,
    y: my,
  };
}

function kindOf(points: number, width: number, bulge: number, p: ClassifyParams): ClusterKind {
  if (width <= p.leg_max_width) return 'leg';
  if (width > p.body_max_width || points < p.body_min_points) return 'other';
  return bulge >= p.body_min_bulge * width ? 'body' : 'other';
}

/**
 * Person candidates from classified clusters: leg pairs first (nearest pairs first, ties by
 * order), then bodies, then lone legs when allowed; a candidate within the merge distance of a
 * more reliable one is dropped.
 */
export function personCandidates(clusters: readonly ClusterFeatures[], p: PairParams): Candidate[] {
  const legs = clusters.filter((c) => c.kind === 'leg');
  const pairs: { i: number; j: number; d: number }[] = [];
  for (let i = 0; i < legs.length; i++) {
    for (let j = i + 1; j < legs.length; j++) {
      const d = Math.hypot(legs[i]!.x - legs[j]!.x, legs[i]!.y - legs[j]!.y);
      if (d >= p.leg_pair_min_distance && d <= p.leg_pair_max_distance) pairs.push({ i, j, d });
    }
  }
  pairs.sort((a, b) => a.d - b.d || a.i - b.i || a.j - b.j);
  const paired = new Uint8Array(legs.length);
  const raw: Candidate[] = [];
  for (const { i, j } of pairs) {
    if (paired[i] || paired[j]) continue;
    paired[i] = 1;
    paired[j] = 1;
    const a = legs[i]!;
    const b = legs[j]!;
    raw.push(candidate((a.x + b.x) / 2, (a.y + b.y) / 2, 'legs'));
  }
  for (const c of clusters) if (c.kind === 'body') raw.push(candidate(c.x, c.y, 'body'));
  if (p.single_leg_candidates) {
    legs.forEach((c, i) => {
      if (!paired[i]) raw.push(candidate(c.x, c.y, 'leg'));
    });
  }
  return mergeCandidates(raw, p.candidate_merge_distance);
}

function candidate(x: number, y: number, kind: CandidateKind): Candidate {
  return { x, y, kind, reliability: CANDIDATE_RELIABILITY[kind] };
}

/** Keeps the most reliable of candidates closer than `distance` (stable: earlier wins ties). */
function mergeCandidates(raw: Candidate[], distance: number): Candidate[] {
  const order = raw.map((c, i) => ({ c, i }));
  order.sort((a, b) => b.c.reliability - a.c.reliability || a.i - b.i);
  const kept: Candidate[] = [];
  for (const { c } of order) {
    if (kept.every((k) => Math.hypot(k.x - c.x, k.y - c.y) >= distance)) kept.push(c);
  }
  return kept;
}
