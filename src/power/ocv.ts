/**
 * A Li-ion pack's open-circuit (resting) voltage against its state of charge: a piecewise-linear
 * table, strictly increasing, so it inverts exactly. The shape is one cell's; a pack's curve
 * stretches it between the pack's empty and full voltages (3S: 10.5–12.6 V).
 */

/**
 * One NMC/NCA 18650 cell at rest, V, at state of charge 0, 0.05, 0.1, 0.2 … 1: the shape of the
 * published low-rate (C/20) curves of cells such as the INR18650-35E and MJ1, averaged between
 * charge and discharge, with 0 moved to the firmware's 3.5 V cut-off (about 5 % of the cell's
 * charge lies below it). A real pack's curve is measured (docs/battery.md); the shape is what
 * matters here: steep at both ends, flat in the middle (0.3–0.6), where a voltage error costs the
 * most charge.
 */
const CELL_CURVE: ReadonlyArray<readonly [soc: number, volts: number]> = [
  [0, 3.5],
  [0.05, 3.55],
  [0.1, 3.6],
  [0.2, 3.66],
  [0.3, 3.71],
  [0.4, 3.75],
  [0.5, 3.8],
  [0.6, 3.86],
  [0.7, 3.93],
  [0.8, 4.0],
  [0.9, 4.09],
  [1, 4.2],
];

export interface OcvCurve {
  /** State of charge at each point, 0..1, strictly increasing. */
  readonly soc: readonly number[];
  /** Resting voltage at each point, V, strictly increasing. */
  readonly volts: readonly number[];
}

/** The cell's shape stretched to a pack that is empty at `emptyV` and full at `fullV`. */
export function packOcvCurve(emptyV: number, fullV: number): OcvCurve {
  if (!(Number.isFinite(emptyV) && Number.isFinite(fullV) && fullV > emptyV && emptyV > 0)) {
    throw new RangeError(`packOcvCurve: expected 0 < emptyV < fullV, found ${emptyV} and ${fullV}`);
  }
  const [, cellEmpty] = CELL_CURVE[0]!;
  const [, cellFull] = CELL_CURVE[CELL_CURVE.length - 1]!;
  const scale = (fullV - emptyV) / (cellFull - cellEmpty);
  return {
    soc: CELL_CURVE.map(([s]) => s),
    volts: CELL_CURVE.map(([, v]) => emptyV + (v - cellEmpty) * scale),
  };
}

/** The 3S pack of DEFAULT_ROBOT: 10.5 V empty, 12.6 V full. */
export const PACK_3S_CURVE: OcvCurve = packOcvCurve(10.5, 12.6);

/** Resting voltage at state of charge `soc`, V (soc clamped to 0..1). */
export function ocvFromSoc(curve: OcvCurve, soc: number): number {
  return interpolate(curve.soc, curve.volts, soc);
}

/** State of charge whose resting voltage is `volts`, 0..1 (clamped outside the curve). */
export function socFromOcv(curve: OcvCurve, volts: number): number {
  return interpolate(curve.volts, curve.soc, volts);
}

/** Piecewise-linear y(x) over strictly increasing xs, clamped at the ends; NaN stays NaN. */
function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (Number.isNaN(x)) return NaN;
  const last = xs.length - 1;
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[last]!) return ys[last]!;
  let i = 1;
  while (xs[i]! < x) i++;
  const x0 = xs[i - 1]!;
  const y0 = ys[i - 1]!;
  return y0 + ((x - x0) / (xs[i]! - x0)) * (ys[i]! - y0);
}
