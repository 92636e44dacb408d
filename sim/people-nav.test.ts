import { describe, expect, it } from 'vitest';
import { distanceTransform, type GridMap } from '../src/map/index.js';
import { MapRayCaster } from './lidar.js';
import { PeopleNav, distanceToPolyline } from './people-nav.js';
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

describe('PeopleNav.spotOutOfTheWay', () => {
  // A dead-end corridor 1.64 m wide and 5 m long off a hall; the robot (radius 0.3) stands 2 m
  // from its end facing the hall, the customer (radius 0.25) between it and the hall.
  function deadEnd(): { n: PeopleNav; robot: { x: number; y: number }; customer: { x: number; y: number } } {
    const map = roomMap(14, 8);
    fillRect(map, 0, 0, 5, 3.18);
    fillRect(map, 0, 4.82, 5, 8);
    return { n: nav(map), robot: { x: 2.2, y: 4 }, customer: { x: 3.4, y: 4 } };
  }
  const way = [
    { x: 2.2, y: 4 },
    { x: 8, y: 4 },
  ];

  it('never sends a person past the robot to a spot behind it when told to keep off it', () => {
    const { n, robot, customer } = deadEnd();
    const keepOff = { ...robot, radiusM: 0.55 };
    // Behind the robot is nearer, but only by squeezing past it.
    expect(n.spotOutOfTheWay(customer, way, 0.75, 5, 0.35)!.x).toBeLessThan(robot.x);
    const spot = n.spotOutOfTheWay(customer, way, 0.75, 5, 0.35, keepOff)!;
    expect(spot).toBeDefined();
    expect(spot.x).toBeGreaterThan(robot.x);
    expect(distanceToPolyline(spot.x, spot.y, way)).toBeGreaterThanOrEqual(0.75);
    expect(
      distanceToPolyline(robot.x, robot.y, [customer, ...n.path(customer, spot)!]),
    ).toBeGreaterThanOrEqual(0.55);
  });

  it('finds no roomy spot in a corridor too narrow for one, and a flat one against its wall when asked', () => {
    const { n, robot, customer } = deadEnd();
    const keepOff = { ...robot, radiusM: 0.55 };
    const inCorridor = (p: { x: number; y: number } | undefined) => p !== undefined && p.x < 5;
    // Reach 2 m keeps the search inside the corridor: nothing there is 0.75 m off its middle.
    expect(inCorridor(n.spotOutOfTheWay(customer, way, 0.75, 2, 0.35, keepOff))).toBe(false);
    // The robot keeps to one side of the corridor; pressed flat to the other wall, there is room.
    const farSide = [
      { x: 2.2, y: 4.15 },
      { x: 8, y: 4.15 },
    ];
    expect(inCorridor(n.spotOutOfTheWay(customer, farSide, 0.6, 2, 0.35, keepOff))).toBe(false);
    const flat = n.spotOutOfTheWay(customer, farSide, 0.6, 2, 0.27, keepOff);
    expect(inCorridor(flat)).toBe(true);
    expect(distanceToPolyline(flat!.x, flat!.y, farSide)).toBeGreaterThanOrEqual(0.6);
    expect(flat!.y).toBeLessThan(3.6);
  });
});
