import { describe, expect, it } from 'vitest';
import { PACK_3S_CURVE, ocvFromSoc, packOcvCurve, socFromOcv } from './ocv.js';

describe('the 3S Li-ion resting-voltage curve', () => {
  it('runs from the firmware cut-off (10.5 V) to full (12.6 V), strictly rising in both columns', () => {
    const { soc, volts } = PACK_3S_CURVE;
    expect([soc[0], soc.at(-1), volts[0], volts.at(-1)]).toEqual([0, 1, 10.5, 12.6]);
    for (let i = 1; i < soc.length; i++) {
      expect(soc[i]!).toBeGreaterThan(soc[i - 1]!);
      expect(volts[i]!).toBeGreaterThan(volts[i - 1]!);
    }
  });

  it('inverts: the charge of the voltage of a charge is that charge, and the other way round', () => {
    for (let s = 0; s <= 1.0000001; s += 0.01) {
      expect(socFromOcv(PACK_3S_CURVE, ocvFromSoc(PACK_3S_CURVE, s))).toBeCloseTo(s, 12);
    }
    for (let v = 10.5; v <= 12.6; v += 0.05) {
      expect(ocvFromSoc(PACK_3S_CURVE, socFromOcv(PACK_3S_CURVE, v))).toBeCloseTo(v, 12);
    }
  });

  it('is monotonic between its points too, and clamps outside them', () => {
    let previous = -Infinity;
    for (let v = 10; v <= 13; v += 0.001) {
      const s = socFromOcv(PACK_3S_CURVE, v);
      expect(s).toBeGreaterThanOrEqual(previous);
      previous = s;
    }
    expect(socFromOcv(PACK_3S_CURVE, 9)).toBe(0);
    expect(socFromOcv(PACK_3S_CURVE, 14)).toBe(1);
    expect(ocvFromSoc(PACK_3S_CURVE, -0.2)).toBe(10.5);
    expect(Number.isNaN(socFromOcv(PACK_3S_CURVE, NaN))).toBe(true);
  });

  it('is flat in the middle and steep at the ends, as a Li-ion cell is', () => {
    const slope = (a: number, b: number) =>
      (ocvFromSoc(PACK_3S_CURVE, b) - ocvFromSoc(PACK_3S_CURVE, a)) / (b - a);
    expect(slope(0.3, 0.5)).toBeLessThan(slope(0, 0.1));
    expect(slope(0.3, 0.5)).toBeLessThan(slope(0.9, 1));
    expect(socFromOcv(PACK_3S_CURVE, 11.4)).toBeCloseTo(0.5, 9); // 3.8 V a cell
  });

  it('stretches to another pack between its own empty and full voltages', () => {
    const curve = packOcvCurve(14, 16.8); // 4S
    expect(ocvFromSoc(curve, 0.5)).toBeCloseTo((4 / 3) * ocvFromSoc(PACK_3S_CURVE, 0.5), 9);
    expect(() => packOcvCurve(12.6, 10.5)).toThrow(/0 < emptyV < fullV/);
  });
});
