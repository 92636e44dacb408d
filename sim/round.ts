/** Rounds for a stable, readable report: same seed → byte-identical JSON. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x > 0 ? 1e9 : -1e9;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
