import { describe, expect, it } from 'vitest';
import { pointInPolygon, polygonArea, polygonProblem, rasterizePolygon } from './polygon.js';

const square = [
  { x: 0, y: 0 },
  { x: 2, y: 0 },
  { x: 2, y: 2 },
  { x: 0, y: 2 },
];

describe('polygons', () => {
  it('knows inside from outside, for convex and concave shapes', () => {
    expect(pointInPolygon(square, 1, 1)).toBe(true);
    expect(pointInPolygon(square, 3, 1)).toBe(false);
    const ell = [...square.slice(0, 2), { x: 2, y: 1 }, { x: 1, y: 1 }, { x: 1, y: 2 }, { x: 0, y: 2 }];
    expect(pointInPolygon(ell, 1.5, 1.5)).toBe(false);
    expect(pointInPolygon(ell, 0.5, 1.5)).toBe(true);
  });

  it('computes signed area', () => {
    expect(polygonArea(square)).toBe(4);
    expect(polygonArea([...square].reverse())).toBe(-4);
  });

  it('names what makes a polygon unusable', () => {
    expect(polygonProblem(square)).toBeUndefined();
    expect(polygonProblem(square.slice(0, 2))).toBe('expected at least 3 corners, found 2');
    expect(polygonProblem([square[0]!, square[0]!, square[1]!])).toBe('corners 0 and 1 are the same point');
    expect(
      polygonProblem([
        { x: 0, y: 0 },
        { x: 1, y: 0 },
        { x: 2, y: 0 },
      ]),
    ).toBe('expected a non-zero area, found all corners on one line');
    expect(polygonProblem([square[0]!, square[2]!, square[1]!, square[3]!])).toMatch(/cross/);
  });

  it('rasterises the cells whose centres are inside', () => {
    const grid = { width: 10, height: 10, resolution: 0.5, originX: 0, originY: 0 };
    const mask = new Uint8Array(100);
    rasterizePolygon(
      [
        { x: 1, y: 1 },
        { x: 2, y: 1 },
        { x: 2, y: 3 },
        { x: 1, y: 3 },
      ],
      grid,
      mask,
      1,
    );
    const cells: string[] = [];
    mask.forEach((v, i) => v && cells.push(`${i % 10},${Math.floor(i / 10)}`));
    expect(cells).toEqual(['2,2', '3,2', '2,3', '3,3', '2,4', '3,4', '2,5', '3,5']);
  });
});
