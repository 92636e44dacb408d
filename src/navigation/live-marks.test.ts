import { describe, expect, it } from 'vitest';
import { LiveMarks } from './live-marks.js';

describe('the obstacle layer’s marks', () => {
  it('adds a cell once, refreshes its time, and a lidar hit turns a person’s ring into a plain mark', () => {
    const m = new LiveMarks();
    expect(m.see(42, 1.0, true)).toBe(true);
    expect(m.see(42, 2.5, true)).toBe(false);
    const slot = m.slotOf(42);
    expect(m.seenAt(slot)).toBe(2.5);
    expect(m.isPerson(slot)).toBe(true);
    m.see(42, 3, false);
    expect(m.isPerson(slot)).toBe(false);
    m.see(42, 4, true); // a ring over a mark the lidar sees does not make it a person's again
    expect(m.isPerson(slot)).toBe(false);
    expect(m.count).toBe(1);
    expect(m.slotOf(7)).toBe(-1);
  });

  it('moves the last mark into a removed slot, with its time and kind, and finds it there', () => {
    const m = new LiveMarks();
    m.see(1, 10, false);
    m.see(2, 20, true);
    m.see(3, 30, false);
    m.removeAt(m.slotOf(1));
    expect(m.count).toBe(2);
    expect(m.slotOf(1)).toBe(-1);
    const s3 = m.slotOf(3);
    expect(m.cellAt(s3)).toBe(3);
    expect(m.seenAt(s3)).toBe(30);
    expect(m.isPerson(m.slotOf(2))).toBe(true);
    expect(Array.from(m.cells()).sort()).toEqual([2, 3]);
  });

  it('grows past its first capacity without losing a mark, and clears', () => {
    const m = new LiveMarks();
    for (let c = 0; c < 5000; c++) m.see(c * 3, c, c % 2 === 0);
    expect(m.count).toBe(5000);
    for (const c of [0, 2999, 4999]) {
      const s = m.slotOf(c * 3);
      expect([m.cellAt(s), m.seenAt(s), m.isPerson(s)]).toEqual([c * 3, c, c % 2 === 0]);
    }
    m.clear();
    expect(m.count).toBe(0);
    expect(m.slotOf(0)).toBe(-1);
    expect(m.see(0, 1, false)).toBe(true);
  });
});
