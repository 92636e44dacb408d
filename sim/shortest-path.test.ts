import { describe, expect, it } from 'vitest';
import { sharedDistanceField } from '../src/map/index.js';
import { MapRayCaster } from './lidar.js';
import { ShortestPaths } from './shortest-path.js';
import { fillRect, roomMap } from './test-support.js';

/** A 10 × 6 m room split at x = 5 by a wall from the floor up to y = 4 (a 2 m gap above it). */
function splitRoom(wallTopM: number): ShortestPaths {
  const map = fillRect(roomMap(10, 6), 4.9, 0, 5.1, wallTopM);
  return new ShortestPaths(new MapRayCaster(map, sharedDistanceField(map)), 0.3);
}

describe('shortest paths on the static map', () => {
  it('is the straight line where the robot sees its goal', () => {
    expect(splitRoom(4).lengthM({ x: 2, y: 1 }, { x: 2, y: 5 })).toBeCloseTo(4, 9);
  });

  it('goes round a wall taut, at the robot radius from its end, not along cell steps', () => {
    // Via the wall's end, 0.3 m clear of it: about 2 × hypot(2.9, 3.3) + 0.2 m.
    const length = splitRoom(4).lengthM({ x: 2, y: 1 }, { x: 8, y: 1 })!;
    expect(length).toBeGreaterThan(8.7);
    expect(length).toBeLessThan(9.3);
  });

  it('has no way through a wall with no gap the robot fits', () => {
    expect(splitRoom(5.6).lengthM({ x: 2, y: 1 }, { x: 8, y: 1 })).toBeNull();
  });
});
