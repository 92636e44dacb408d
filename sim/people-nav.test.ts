import { describe, expect, it } from 'vitest';
import { distanceTransform, type GridMap } from '../src/map/index.js';
import { MapRayCaster } from './lidar.js';
import { PeopleNav } from './people-nav.js';
import { Rng } from './rng.js';
import { fillRect, roomMap } from './test-support.js';

function nav(map: GridMap): PeopleNav {
  return new PeopleNav(new MapRayCaster(map, distanceTransform(map)));
}

describe('PeopleNav', () => {
  it('routes round a wall with straight legs that all keep clear of it', () => {
    const map = roomMap(14, 10);
    fillRect(map, 6, 0, 6.2, 7);
    const n = nav(map);
    const route = n.path({ x: 2, y: 2 }, { x: 10, y: 2 })!;
    expect(route[route.length - 1]).toEqual({ x: 10, y: 2 });
    expect(route.length).toBeLessThanOrEqual(4); // string pulled: a couple of corners, not cells
    let from = { x: 2, y: 2 };
    for (const p of route) {
      expect(n.lineOfSight(from.x, from.y, p.x, p.y)).toBe(true);
      from = p;
    }
    expect(Math.max(...route.map((p) => p.y))).toBeGreaterThan(7);
  });

  it('walks straight when nothing is in the way', () => {
    const n = nav(roomMap(10, 10));
    expect(n.path({ x: 2, y: 2 }, { x: 8, y: 7 })).toEqual([{ x: 8, y: 7 }]);
  });

  it('finds no route between two closed rooms, and picks random places only in its own room', () => {
    const map = roomMap(14, 6);
    fillRect(map, 7, 0, 7.3, 6);
    const n = nav(map);
    expect(n.path({ x: 2, y: 3 }, { x: 12, y: 3 })).toBeUndefined();
    const rng = new Rng(4);
    for (let i = 0; i < 50; i++) {
      const p = n.randomPointNear(rng, 2, 3, 2)!;
      expect(p.x).toBeLessThan(7);
      expect(n.walkable[n.cellAt(p.x, p.y)]).toBe(1);
    }
  });

  it('keeps people a radius away from walls in its walkable grid', () => {
    const n = nav(roomMap(6, 6));
    expect(n.walkable[n.cellAt(0.1, 3)]).toBe(0);
    expect(n.walkable[n.cellAt(0.5, 3)]).toBe(1);
    expect(n.lineOfSight(0.5, 3, 0.5, 5.5)).toBe(true);
    expect(n.lineOfSight(0.5, 3, 0.1, 3)).toBe(false);
  });
});
