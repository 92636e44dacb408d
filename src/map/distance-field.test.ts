import { describe, expect, it } from 'vitest';
import { sharedDistanceField } from './distance-field.js';
import { CELL_FREE, CELL_OCCUPIED, GridMap } from './grid-map.js';
import { distanceTransform } from './inflation.js';

function room(width: number, height: number): GridMap {
  const data = new Int8Array(width * height).fill(CELL_FREE);
  for (let c = 0; c < width; c++) data[c] = CELL_OCCUPIED; // one wall along row 0
  return new GridMap(width, height, 0.05, 0, 0, data);
}

describe('the shared distance field', () => {
  it('is the same array for the same map, equal to a fresh distance transform', () => {
    const map = room(40, 30);
    const a = sharedDistanceField(map);
    expect(sharedDistanceField(map)).toBe(a);
    expect(Array.from(a)).toEqual(Array.from(distanceTransform(map)));
    // 10 rows above the wall at 5 cm a cell: 0.5 m
    expect(a[10 * 40 + 20]).toBeCloseTo(0.5, 6);
  });

  it('is recomputed for a map changed in place or asked for with another threshold', () => {
    const map = room(40, 30);
    const before = sharedDistanceField(map);
    map.data[20 * 40 + 20] = CELL_OCCUPIED; // a pillar painted after the first use
    const after = sharedDistanceField(map);
    expect(after).not.toBe(before);
    expect(after[20 * 40 + 20]).toBe(0);
    expect(before[20 * 40 + 20]).toBeCloseTo(1.0, 6);
    const other = sharedDistanceField(map, 50);
    expect(other).not.toBe(after);
    expect(Array.from(other)).toEqual(Array.from(distanceTransform(map, 50)));
  });

  it('gives two maps with equal cells each their own field', () => {
    const [a, b] = [room(40, 30), room(40, 30)];
    expect(sharedDistanceField(a)).not.toBe(sharedDistanceField(b));
  });
});
