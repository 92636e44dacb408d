import { describe, expect, it } from 'vitest';
import type { ScanPoints } from '../safety/index.js';
import { blockerInLane, blockerOnMove } from './dock-clearance.js';

function points(...xy: [number, number][]): ScanPoints {
  return {
    xs: Float64Array.from(xy.map((p) => p[0])),
    ys: Float64Array.from(xy.map((p) => p[1])),
    count: xy.length,
  };
}

const REACH = 0.35;

describe('the docking way check', () => {
  it('is blocked by a point on the way, nearest first', () => {
    const scan = points([-0.6, 0.1], [-0.5, 0], [2, 0]);
    expect(blockerOnMove(scan, { x: -0.4, y: 0 }, REACH)).toMatchObject({ x: -0.5, y: 0, fromRobot: 0.5 });
  });

  it('is not blocked by a wall beside the robot that the move runs along, nor by what is behind the move', () => {
    const beside = points([0, 0.33], [-0.2, 0.36], [0.5, 0]);
    expect(blockerOnMove(beside, { x: -0.4, y: 0 }, REACH)).toBeUndefined();
  });

  it('is blocked by a point the move closes in on even within the margin beside the way', () => {
    expect(blockerOnMove(points([-0.3, 0.3]), { x: -0.4, y: 0 }, REACH)).toBeDefined();
  });

  it('finds what stands in the lane onto the dock wherever the robot is', () => {
    // Robot 0.3 m beside the lane, which runs from (0.4, 0.3) to (0, 0.3) in its frame.
    const lane = [
      { x: 0.4, y: 0.3 },
      { x: 0, y: 0.3 },
    ] as const;
    expect(blockerInLane(points([-0.1, 0.3]), ...lane, REACH)).toMatchObject({ x: -0.1 });
    expect(blockerInLane(points([0.2, 0.7]), ...lane, REACH)).toBeUndefined();
    expect(blockerInLane(points([-0.4, 0.3]), ...lane, REACH)).toBeUndefined();
  });
});
