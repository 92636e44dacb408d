/**
 * Route distances for the allocator: the way along the floor, not through walls. Checked on a
 * drawn floor where the straight line misleads, and on the sample site against the simulator's
 * exact shortest paths (a taut line round corners, computed independently at 0.1 m).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, sharedDistanceField, type Destination, type Site } from '../../map/index.js';
import { gridFromText } from '../../navigation/test-plant.js';
import { MapRayCaster } from '../../../sim/lidar.js';
import { ShortestPaths } from '../../../sim/shortest-path.js';
import { robotState } from '../fleet-fixtures.js';
import type { Task } from '../protocol.js';
import { allocate, meetingPoint, type Candidate } from './allocator.js';
import { routeDistances, straightDistances } from './site-distances.js';

/** Two rooms split by a wall, joined only along the bottom; a closed cupboard top right. */
const FLOOR = [
  '###############',
  '#.....#.....###',
  '#.....#.....#.#',
  '#.....#.....###',
  '#.....#.......#',
  '#.....#.......#',
  '#.............#',
  '#.............#',
  '###############',
];

function desk(id: string, x: number, y: number): Destination {
  const name = { fi: id, sv: id, en: id };
  return {
    id,
    name,
    aliases: { fi: [], sv: [], en: [] },
    organisation: '',
    pose: { x, y, yaw: 0 },
    services: [],
  };
}

const drawn: Site = {
  id: 'drawn',
  name: 'Two rooms',
  timezone: 'Europe/Helsinki',
  dir: '.',
  map: gridFromText(FLOOR, 1),
  elsewhere: [],
  dock: { x: 1.5, y: 1.5, yaw: 0 },
  // 'right' is 3 m from the left room through the wall; 'left' is in the left room.
  destinations: [desk('right', 7.5, 6.5), desk('left', 1.5, 4.5)],
  landmarks: [],
  zones: [],
};

const robot = (id: string, x: number, y: number): Candidate => ({
  robot: id,
  site: 'drawn',
  online: true,
  state: robotState(id, 'drawn', { pose: { x, y, yaw: 0 } }),
});

const goto = (destination: string): Task => ({
  v: 1,
  id: 'task-00000001',
  site: 'drawn',
  kind: 'goto',
  destination,
  language: '',
  plain: false,
  origin: 'operator',
  createdMs: 0,
});

describe('route distances on a drawn floor', () => {
  const routes = routeDistances(drawn);

  it('measures the way round the wall, not through it', () => {
    const through = routes.toPlace('right', { x: 4.5, y: 6.5 })!;
    // Down the left room to the opening, round the wall's end and up: about 3 + 3 + 4 m.
    expect(through).toBeGreaterThan(8);
    expect(through).toBeLessThan(11);
    // In the open the way is the straight line, to the coarse grid's few per cent.
    const open = routes.toPlace('right', { x: 11.5, y: 6.5 })!;
    expect(open).toBeGreaterThan(3.9);
    expect(open).toBeLessThan(4.4);
  });

  it('sends the robot with the shorter way, where the straight line would send the one behind the wall', () => {
    const robots = [robot('behind-wall', 4.5, 6.5), robot('in-the-open', 11.5, 6.5)];
    const byLine = allocate(goto('right'), drawn, robots, { distances: straightDistances(drawn, 1.4) });
    const byRoute = allocate(goto('right'), drawn, robots, { distances: routes });
    expect(byLine.ok && byLine.best.robot).toBe('behind-wall');
    expect(byRoute.ok && byRoute.ranked.map((c) => c.robot)).toEqual(['in-the-open', 'behind-wall']);
  });

  it('leaves out a robot with no way to the task, and finds one pressed against a wall', () => {
    const shut = robot('in-the-cupboard', 13.5, 6.5);
    const pressed = robot('against-the-wall', 5.85, 6.5);
    expect(routes.toPlace('right', shut.state!.pose!)).toBeUndefined();
    expect(routes.toPlace('right', pressed.state!.pose!)).toBeGreaterThan(8);
    const a = allocate(goto('right'), drawn, [shut, pressed], { distances: routes });
    expect(a.ok && a.ranked.map((c) => c.robot)).toEqual(['against-the-wall']);
    expect(allocate(goto('right'), drawn, [shut], { distances: routes })).toEqual({
      ok: false,
      reason: 'none_available',
    });
  });

  it('meets a failed robot’s customer at the place nearest along the floor', () => {
    const stopped = { x: 4.5, y: 6.5 };
    // 'right' is 3 m away through the wall, 'left' 3.6 m in the same room.
    expect(meetingPoint(drawn, stopped, straightDistances(drawn, 1))).toBe('right');
    expect(meetingPoint(drawn, stopped, routes)).toBe('left');
  });
});

describe('route distances on the sample site', () => {
  let site: Site;
  beforeAll(async () => {
    site = await loadSite('maps/iso-omena');
  });

  it('agree with the exact shortest paths from the dock to every destination within 8 %', () => {
    const routes = routeDistances(site);
    const exact = new ShortestPaths(new MapRayCaster(site.map, sharedDistanceField(site.map)), 0.3);
    let compared = 0;
    for (const d of site.destinations) {
      const taut = exact.lengthM(site.dock, d.pose);
      const ours = routes.toPlace(d.id, site.dock);
      if (taut === null) continue;
      compared++;
      expect(ours, d.id).toBeDefined();
      expect(ours! / taut, d.id).toBeGreaterThan(0.95);
      expect(ours! / taut, d.id).toBeLessThan(1.08);
    }
    expect(compared).toBe(site.destinations.length);
  });
});
