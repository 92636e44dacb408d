/**
 * The pose estimate from the particles, as Nav2 reports it: particles are binned, touching bins
 * form clusters (hypotheses), and the cluster with the most weight gives the pose (its weighted
 * mean, the heading as a circular mean) and the covariance. A kidnapped filter has two clusters
 * while it finds its way; the estimate follows whichever explains the scans better.
 */
import type { Pose2D } from '../../ros/index.js';
import { NEIGHBOUR_OFFSETS, binKey } from './kld.js';
import type { Particles } from './particles.js';

export interface PoseEstimate {
  pose: Pose2D;
  /** Share of the weight in the chosen cluster (0..1). */
  weight: number;
  /** m², rad²: covariance of x, y, their cross term, and of the heading. */
  cov: { xx: number; xy: number; yy: number; aa: number };
  /** Clusters found. */
  clusters: number;
}

/** The best cluster's estimate; undefined for an empty set. */
export function estimatePose(p: Particles): PoseEstimate | undefined {
  if (p.count === 0) return undefined;
  const binOf = new Map<number, number>();
  const label = new Int32Array(p.count);
  const parents: number[] = [];
  for (let i = 0; i < p.count; i++) {
    const key = binKey(p.x[i]!, p.y[i]!, p.yaw[i]!);
    let b = binOf.get(key);
    if (b === undefined) {
      b = parents.length;
      binOf.set(key, b);
      parents.push(b);
    }
    label[i] = b;
  }
  const find = (a: number): number => {
    while (parents[a] !== a) {
      parents[a] = parents[parents[a]!]!;
      a = parents[a]!;
    }
    return a;
  };
  for (const [key, b] of binOf) {
    for (const off of NEIGHBOUR_OFFSETS) {
      const n = binOf.get(key + off);
      if (n === undefined) continue;
      const ra = find(b);
      const rb = find(n);
      if (ra !== rb) parents[ra] = rb;
    }
  }
  // Weighted sums per cluster root.
  const sums = new Map<number, number[]>();
  let total = 0;
  for (let i = 0; i < p.count; i++) {
    const root = find(label[i]!);
    let s = sums.get(root);
    if (!s) {
      s = [0, 0, 0, 0, 0, 0, 0, 0];
      sums.set(root, s);
    }
    const w = p.w[i]!;
    const x = p.x[i]!;
    const y = p.y[i]!;
    s[0]! += w;
    s[1]! += w * x;
    s[2]! += w * y;
    s[3]! += w * Math.cos(p.yaw[i]!);
    s[4]! += w * Math.sin(p.yaw[i]!);
    s[5]! += w * x * x;
    s[6]! += w * x * y;
    s[7]! += w * y * y;
    total += w;
  }
  let best: number[] | undefined;
  for (const s of sums.values()) if (!best || s[0]! > best[0]!) best = s;
  const [w, sx, sy, sc, ss, sxx, sxy, syy] = best! as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!(w > 0)) return undefined;
  const mx = sx / w;
  const my = sy / w;
  const r = Math.min(1, Math.hypot(sc, ss) / w);
  return {
    pose: { x: mx, y: my, yaw: Math.atan2(ss, sc) },
    weight: total > 0 ? w / total : 0,
    cov: {
      xx: Math.max(0, sxx / w - mx * mx),
      xy: sxy / w - mx * my,
      yy: Math.max(0, syy / w - my * my),
      // Circular variance as a heading variance: −2 ln R.
      aa: r > 0 ? -2 * Math.log(r) : Math.PI * Math.PI,
    },
    clusters: sums.size,
  };
}

/** m: the standard deviation along the covariance's longest axis. */
export function positionSigma(cov: PoseEstimate['cov']): number {
  const tr = cov.xx + cov.yy;
  const det = cov.xx * cov.yy - cov.xy * cov.xy;
  const largest = tr / 2 + Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  return Math.sqrt(Math.max(0, largest));
}
