/**
 * Max-pooling of a cost grid into a coarser, padded planning grid (as Nav2's Smac planner
 * downsamples): a coarse cell costs the most expensive of its fine cells, so a coarse cell that
 * is passable guarantees every fine cell under it is, and a path over coarse cells never
 * crosses a fine cell that is worse than the coarse costs say.
 */

/** Geometry of a coarse grid over a fine one; coarse cell (c, r) sits at padded (c+1, r+1). */
export interface CoarseGrid {
  /** Fine cells per coarse cell side. */
  factor: number;
  /** Coarse cells across and up (without the border). */
  width: number;
  height: number;
  /** Padded width and height (with a one-cell lethal border). */
  paddedWidth: number;
  paddedHeight: number;
  /** Padded, row-major costs. */
  costs: Uint8Array;
}

export function createCoarseGrid(fineWidth: number, fineHeight: number, factor: number): CoarseGrid {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`downsample factor must be a whole number ≥ 1, got ${factor}`);
  }
  const width = Math.ceil(fineWidth / factor);
  const height = Math.ceil(fineHeight / factor);
  const paddedWidth = width + 2;
  const paddedHeight = height + 2;
  return {
    factor,
    width,
    height,
    paddedWidth,
    paddedHeight,
    costs: new Uint8Array(paddedWidth * paddedHeight).fill(254),
  };
}

/**
 * Recomputes the coarse cells covering fine columns [minCol, maxCol] and rows [minRow, maxRow]
 * (inclusive, clamped to the grid). A partial block at the map's edge takes the max of the fine
 * cells that exist.
 */
export function poolRegion(
  grid: CoarseGrid,
  fine: Uint8Array,
  fineWidth: number,
  fineHeight: number,
  minCol = 0,
  minRow = 0,
  maxCol = fineWidth - 1,
  maxRow = fineHeight - 1,
): void {
  const f = grid.factor;
  const c0 = Math.max(0, Math.floor(minCol / f));
  const r0 = Math.max(0, Math.floor(minRow / f));
  const c1 = Math.min(grid.width - 1, Math.floor(maxCol / f));
  const r1 = Math.min(grid.height - 1, Math.floor(maxRow / f));
  const pw = grid.paddedWidth;
  const out = grid.costs;
  if (f === 1) {
    for (let r = r0; r <= r1; r++) {
      out.set(fine.subarray(r * fineWidth + c0, r * fineWidth + c1 + 1), (r + 1) * pw + c0 + 1);
    }
    return;
  }
  for (let r = r0; r <= r1; r++) {
    const fr0 = r * f;
    const fr1 = Math.min(fineHeight, fr0 + f);
    for (let c = c0; c <= c1; c++) {
      const fc0 = c * f;
      const fc1 = Math.min(fineWidth, fc0 + f);
      let max = 0;
      for (let fr = fr0; fr < fr1; fr++) {
        const base = fr * fineWidth;
        for (let fc = fc0; fc < fc1; fc++) {
          const v = fine[base + fc]!;
          if (v > max) max = v;
        }
      }
      out[(r + 1) * pw + c + 1] = max;
    }
  }
}
