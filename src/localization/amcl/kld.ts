/**
 * KLD-sampling (Fox 2003): how many particles keep the error between the particle set and the
 * true posterior below `pf_err` with probability given by the normal quantile `pf_z`, when the
 * set occupies `k` histogram bins. Few bins (a confident filter) need few particles; a spread-out
 * set (after a kidnap) needs many. Bins are 0.5 m × 0.5 m × 10°, as Nav2's kd-tree uses.
 */
export const BIN_XY_M = 0.5;
export const BIN_YAW_RAD = (10 * Math.PI) / 180;

/** The particle count the Wilson–Hilferty approximation of the χ² quantile asks for. */
export function kldParticles(k: number, pfErr: number, pfZ: number): number {
  if (k <= 1) return 0;
  const a = 2 / (9 * (k - 1));
  const x = 1 - a + Math.sqrt(a) * pfZ;
  return Math.ceil(((k - 1) / (2 * pfErr)) * x * x * x);
}

const OFFSET = 1 << 20;

/** A pose's histogram bin as one safe integer (x, y and heading cells packed). */
export function binKey(x: number, y: number, yaw: number): number {
  const ix = Math.floor(x / BIN_XY_M) + OFFSET;
  const iy = Math.floor(y / BIN_XY_M) + OFFSET;
  const ia = Math.floor(yaw / BIN_YAW_RAD) + 32;
  return (ix * 2 * OFFSET + iy) * 64 + ia;
}

/** The 26 neighbours' key offsets of a bin (its cells ±1 along each axis). */
export const NEIGHBOUR_OFFSETS: readonly number[] = (() => {
  const out: number[] = [];
  for (const dx of [-1, 0, 1])
    for (const dy of [-1, 0, 1])
      for (const da of [-1, 0, 1]) if (dx || dy || da) out.push((dx * 2 * OFFSET + dy) * 64 + da);
  return out;
})();
