/**
 * Jump-distance segmentation: walking the returns in beam order, a new cluster starts where two
 * neighbouring returns are farther apart than the jump threshold, or too many beams between them
 * returned nothing usable. The threshold grows with range (beams spread), so a leg at 6 m is one
 * cluster as a leg at 1 m is. On a full-turn scan the last cluster and the first join when they
 * meet across the seam.
 */
import type { ScanPoints } from './scan-points.js';

export interface SegmentParams {
  jump_distance: number;
  jump_beam_factor: number;
  max_missing_beams: number;
}

/**
 * Clusters as lists of indices into `points` (in beam order). `keep[i] === 0` drops return i
 * first (the map mask); a dropped return counts as a missing beam.
 */
export function segmentScan(points: ScanPoints, p: SegmentParams, keep?: Uint8Array): number[][] {
  const { xs, ys, ranges, beams, count } = points;
  const clusters: number[][] = [];
  let current: number[] = [];
  let last = -1;
  for (let i = 0; i < count; i++) {
    if (keep && keep[i] === 0) continue;
    if (last >= 0 && !neighbours(points, last, i, p)) {
      clusters.push(current);
      current = [];
    }
    current.push(i);
    last = i;
  }
  if (current.length > 0) clusters.push(current);
  // Across the seam of a full turn: the last cluster continues into the first.
  if (points.wraps && clusters.length > 1) {
    const first = clusters[0]!;
    const tail = clusters[clusters.length - 1]!;
    const a = tail[tail.length - 1]!;
    const b = first[0]!;
    const missing = beams[b]! + points.beamCount - beams[a]! - 1;
    if (missing <= p.max_missing_beams && jumpOk(xs, ys, ranges, a, b, missing, points.angleIncrement, p)) {
      clusters[0] = [...tail, ...first];
      clusters.pop();
    }
  }
  return clusters;
}

function neighbours(points: ScanPoints, a: number, b: number, p: SegmentParams): boolean {
  const missing = points.beams[b]! - points.beams[a]! - 1;
  if (missing > p.max_missing_beams) return false;
  return jumpOk(points.xs, points.ys, points.ranges, a, b, missing, points.angleIncrement, p);
}

function jumpOk(
  xs: Float64Array,
  ys: Float64Array,
  ranges: Float64Array,
  a: number,
  b: number,
  missing: number,
  angleIncrement: number,
  p: SegmentParams,
): boolean {
  const r = Math.min(ranges[a]!, ranges[b]!);
  const spacing = r * angleIncrement * (missing + 1);
  const threshold = Math.max(p.jump_distance, p.jump_beam_factor * spacing);
  return Math.hypot(xs[b]! - xs[a]!, ys[b]! - ys[a]!) <= threshold;
}

/**
 * Returns that lie on a flat surface seen at a grazing angle (a wall of something not on the map,
 * a cart's side): there, neighbouring beams land farther apart than the jump distance and every
 * return would be a cluster of its own, each a "leg". A return is marked when it and its two
 * neighbours (adjacent beams, all kept) lie on one line within `tolerance` and at least one of
 * the gaps is wider than `minGap` with similar gaps either side, as a plane gives and legs do not.
 */
export function grazingSurfaces(
  points: ScanPoints,
  tolerance: number,
  minGap: number,
  keep?: Uint8Array,
  out: Uint8Array = new Uint8Array(points.count),
): Uint8Array {
  const { xs, ys, beams, count } = points;
  out.fill(0, 0, count);
  const kept = (i: number) => !keep || keep[i] !== 0;
  for (let i = 1; i + 1 < count; i++) {
    const a = i - 1;
    const b = i + 1;
    if (!kept(a) || !kept(i) || !kept(b)) continue;
    if (beams[i]! - beams[a]! !== 1 || beams[b]! - beams[i]! !== 1) continue;
    const g1 = Math.hypot(xs[i]! - xs[a]!, ys[i]! - ys[a]!);
    const g2 = Math.hypot(xs[b]! - xs[i]!, ys[b]! - ys[i]!);
    const wide = Math.max(g1, g2);
    if (wide < minGap || Math.min(g1, g2) < wide / 2) continue;
    const cx = xs[b]! - xs[a]!;
    const cy = ys[b]! - ys[a]!;
    const chord = Math.hypot(cx, cy);
    const off = Math.abs(cx * (ys[i]! - ys[a]!) - cy * (xs[i]! - xs[a]!)) / chord;
    if (off > tolerance) continue;
    out[a] = 1;
    out[i] = 1;
    out[b] = 1;
  }
  return out;
}
