import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCostmap, DEFAULT_INFLATION } from '../map/index.js';
import { EmbeddedContext, SimClock, secondsToNs } from '../ros/index.js';
import {
  OBSTACLE_LAYER_DEFAULTS,
  ObstacleLayer,
  beamToward,
  inflationCost,
  inflationKernel,
  stampKernel,
} from './obstacle-layer.js';
import { isRearClear } from './recoveries.js';
import { TestPlant, gridFromText } from './test-plant.js';

// An 8 m × 4 m room.
const ROOM = ['########', '#......#', '#......#', '########'];

function setup() {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const grid = gridFromText(ROOM, 1);
  const costmap = buildCostmap(grid, [], {
    ...DEFAULT_INFLATION,
    inscribed_radius: 0.3,
    inflation_radius: 0.6,
  });
  const plant = new TestPlant(ctx.createNode('plant'), grid, { x: 1.5, y: 2, yaw: 0 });
  const layer = new ObstacleLayer(costmap, { ...OBSTACLE_LAYER_DEFAULTS }, 0.3);
  return { clock, costmap, plant, layer };
}

describe('ObstacleLayer', () => {
  it('marks what the scan sees that the map does not, inflated, and leaves walls to the map', () => {
    const { costmap, plant, layer } = setup();
    expect(layer.update(plant.scan(), plant.pose, 0)).toBeUndefined(); // only walls: nothing to mark
    expect(layer.markCount).toBe(0);
    plant.boxes.push({ minX: 3.0, minY: 1.8, maxX: 3.2, maxY: 2.2 });
    const bounds = layer.update(plant.scan(), plant.pose, 0.1);
    expect(bounds).toBeDefined();
    expect(layer.markCount).toBeGreaterThan(3);
    expect(layer.obstacleCostAt(3.01, 2.0)).toBe(254); // the face the lidar sees
    expect(layer.obstacleCostAt(2.8, 2.0)).toBe(253); // within the robot's radius of it
    expect(layer.obstacleCostAt(2.56, 2.0)).toBe(inflationCost(0.45, 0.3, 3)); // on the ramp, 9 cells from the face
    expect(layer.obstacleCostAt(2.3, 2.0)).toBe(0);
    // The master costmap takes the larger of map and marks; the static costmap is untouched.
    expect(layer.master.costAtWorld(2.8, 2.0)).toBe(253);
    expect(costmap.costAtWorld(2.8, 2.0)).toBe(0);
    expect(bounds!.minCol).toBeLessThanOrEqual(costmap.col(2.45));
    expect(bounds!.maxCol).toBeGreaterThanOrEqual(costmap.col(3.55));
  });

  it('marks a person on /people as a body ring that beams through their legs do not clear, until it times out', () => {
    const { plant, layer } = setup();
    // The lidar sees two legs 0.2 m apart; the body reaches 0.25 m from the centre.
    plant.discs.push({ x: 4, y: 1.9, r: 0.06 }, { x: 4, y: 2.1, r: 0.06 });
    layer.update(plant.scan(), plant.pose, 0);
    // 0.25 m beside the legs: nothing from the scan alone (past the robot's radius from a leg).
    expect(layer.obstacleCostAt(4, 2.1 + 0.06 + 0.32)).toBeLessThan(253);
    expect(layer.markPeople([{ x: 4, y: 2 }], 0)).toBeDefined();
    expect(layer.obstacleCostAt(4, 2.25)).toBe(254); // on the body's edge
    expect(layer.obstacleCostAt(4, 2.25 + 0.28)).toBe(253); // within the robot's radius of it
    // The next scan still sees only legs, and its beams pass where the ring is: the ring stays.
    layer.update(plant.scan(), plant.pose, 0.1);
    expect(layer.obstacleCostAt(4, 2.25)).toBe(254);
    // /people stops reporting them: the ring goes after person_persistence (0.5 s).
    plant.discs.length = 0;
    layer.update(plant.scan(), plant.pose, 0.7);
    expect(layer.obstacleCostAt(4, 2.25)).toBe(0);
    expect(layer.markCount).toBe(0);
  });

  it('marks no person when person_radius is 0', () => {
    const { costmap } = setup();
    const layer = new ObstacleLayer(costmap, { ...OBSTACLE_LAYER_DEFAULTS, person_radius: 0 }, 0.3);
    expect(layer.markPeople([{ x: 4, y: 2 }], 0)).toBeUndefined();
    expect(layer.markCount).toBe(0);
  });

  it('clears marks a beam now passes through (the person walked away)', () => {
    const { plant, layer } = setup();
    plant.discs.push({ x: 3, y: 2, r: 0.25 });
    layer.update(plant.scan(), plant.pose, 0);
    expect(layer.obstacleCostAt(2.76, 2)).toBe(254);
    plant.discs.length = 0;
    const bounds = layer.update(plant.scan(), plant.pose, 0.1);
    expect(layer.markCount).toBe(0);
    expect(layer.obstacleCostAt(2.76, 2)).toBe(0);
    expect(layer.master.costAtWorld(2.76, 2)).toBe(0);
    expect(bounds).toBeDefined();
  });

  it('expires marks not seen again for obstacle_persistence seconds (hidden, not cleared)', () => {
    const { plant, layer } = setup();
    plant.discs.push({ x: 4, y: 2, r: 0.2 });
    layer.update(plant.scan(), plant.pose, 0);
    expect(layer.markCount).toBeGreaterThan(0);
    // Something closer now hides it: no beam passes through it and none hits it.
    plant.boxes.push({ minX: 2.5, minY: 1.5, maxX: 2.6, maxY: 2.5 });
    layer.update(plant.scan(), plant.pose, 2.9);
    expect(layer.obstacleCostAt(3.81, 2)).toBe(254);
    layer.update(plant.scan(), plant.pose, 3.1);
    expect(layer.obstacleCostAt(3.81, 2)).toBe(0);
    expect(layer.obstacleCostAt(2.51, 2)).toBe(254); // the box is still seen
  });

  it('keeps a mark hidden behind a wall of the map for obstacle_memory, not obstacle_persistence', () => {
    // A pillar at x 5..6, y 2..3 in a 10 m × 5 m room.
    const grid = gridFromText(['##########', '#........#', '#....#...#', '#........#', '##########'], 1);
    const costmap = buildCostmap(grid, [], {
      ...DEFAULT_INFLATION,
      inscribed_radius: 0.3,
      inflation_radius: 0.6,
    });
    const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
    const plant = new TestPlant(ctx.createNode('plant'), grid, { x: 8.5, y: 2.5, yaw: Math.PI });
    const layer = new ObstacleLayer(costmap, { ...OBSTACLE_LAYER_DEFAULTS }, 0.3);
    plant.discs.push({ x: 7.0, y: 2.5, r: 0.2 }); // a trolley just east of the pillar
    layer.update(plant.scan(), plant.pose, 0);
    expect(layer.obstacleCostAt(7.2, 2.5)).toBeGreaterThanOrEqual(253);
    // The robot detours to the west side: the pillar now hides the trolley.
    plant.pose = { x: 3.0, y: 2.5, yaw: 0 };
    layer.update(plant.scan(), plant.pose, 10);
    expect(layer.obstacleCostAt(7.2, 2.5)).toBeGreaterThanOrEqual(253);
    layer.update(plant.scan(), plant.pose, OBSTACLE_LAYER_DEFAULTS.obstacle_memory + 0.1);
    expect(layer.markCount).toBe(0);
  });

  it('does not mark beyond obstacle_max_range, and clear() forgets everything', () => {
    const { costmap, plant, layer } = setup();
    plant.discs.push({ x: 6.0, y: 2, r: 0.2 }); // 4.3 m away: beyond 3.5 m
    plant.boxes.push({ minX: 2.5, minY: 2.4, maxX: 2.7, maxY: 2.6 });
    layer.update(plant.scan(), plant.pose, 0);
    expect(layer.obstacleCostAt(5.81, 2)).toBe(0);
    expect(layer.obstacleCostAt(2.51, 2.5)).toBe(254);
    expect(layer.clear()).toBeDefined();
    expect(layer.markCount).toBe(0);
    expect(layer.master.costAtWorld(2.51, 2.5)).toBe(costmap.costAtWorld(2.51, 2.5)); // back to the map's own
  });

  it('finds the beam towards a bearing on a full-circle scan', () => {
    const { plant } = setup();
    const scan = plant.scan();
    expect(beamToward(scan, -Math.PI)).toBe(0);
    expect(beamToward(scan, 0)).toBe(180);
    expect(beamToward(scan, Math.PI - 0.001)).toBe(0); // wraps round
    expect(beamToward(scan, Math.PI / 2)).toBe(270);
  });
});

describe('ObstacleLayer incremental rebuild', () => {
  it('leaves the same master costmap as stamping every mark afresh, whatever moves around', () => {
    // A 30 m × 12 m hall: people (discs, and their rings from /people) move between scans; the
    // layer stamps new marks on top and redoes only the tiles around marks that went.
    const HALL = ['#'.repeat(30), ...Array.from({ length: 10 }, () => `#${'.'.repeat(28)}#`), '#'.repeat(30)];
    const grid = gridFromText(HALL, 1);
    const costmap = buildCostmap(grid, [], {
      ...DEFAULT_INFLATION,
      inscribed_radius: 0.3,
      inflation_radius: 0.6,
    });
    const disc = fc.record({
      x: fc.double({ min: 2, max: 28, noNaN: true }),
      y: fc.double({ min: 2, max: 10, noNaN: true }),
    });
    const frame = fc.record({ discs: fc.array(disc, { maxLength: 6 }), ringed: fc.boolean() });
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 8 }), (frames) => {
        const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
        const plant = new TestPlant(ctx.createNode('plant'), grid, { x: 15, y: 6, yaw: 0.3 });
        const layer = new ObstacleLayer(costmap, { ...OBSTACLE_LAYER_DEFAULTS, obstacle_max_range: 12 }, 0.3);
        frames.forEach(({ discs, ringed }, i) => {
          plant.discs.length = 0;
          for (const d of discs) plant.discs.push({ ...d, r: 0.25 });
          const before = layer.master.costs.slice();
          const scanBox = layer.update(plant.scan(), plant.pose, i * 0.3);
          expectChangesWithin(before, layer.master.costs, costmap.width, scanBox);
          if (!ringed) return;
          const beforeRings = layer.master.costs.slice();
          const ringBox = layer.markPeople(discs, i * 0.3 + 0.05);
          expectChangesWithin(beforeRings, layer.master.costs, costmap.width, ringBox);
        });
        const k = inflationKernel(costmap.resolution, 0.3, OBSTACLE_LAYER_DEFAULTS.inflation_radius, 3);
        const overlay = new Uint8Array(costmap.costs.length);
        for (const cell of layer.marks()) {
          stampKernel(
            overlay,
            costmap.width,
            costmap.height,
            cell % costmap.width,
            Math.floor(cell / costmap.width),
            k,
          );
        }
        const master = costmap.costs.map((c, i) => Math.max(c, overlay[i]!));
        // Compare as bytes: a deep equality over 144,000 cells would dominate the test's time.
        expect(Buffer.compare(layer.overlay, overlay)).toBe(0);
        expect(Buffer.compare(layer.master.costs, master)).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});

/** Every master cell that changed lies in the returned box (the planner refreshes only there). */
function expectChangesWithin(
  before: Uint8Array,
  after: Uint8Array,
  width: number,
  box: { minCol: number; minRow: number; maxCol: number; maxRow: number } | undefined,
): void {
  const outside: number[] = [];
  for (let i = 0; i < after.length; i++) {
    if (before[i] === after[i]) continue;
    const c = i % width;
    const r = (i - c) / width;
    if (!box || c < box.minCol || c > box.maxCol || r < box.minRow || r > box.maxRow) outside.push(i);
  }
  expect(outside).toEqual([]);
}

describe('isRearClear (back-up recovery)', () => {
  it('sees something in the strip behind the robot, not beside or in front', () => {
    const clock = new SimClock(secondsToNs(1));
    const ctx = new EmbeddedContext({ clock });
    const grid = gridFromText(ROOM, 1);
    const plant = new TestPlant(ctx.createNode('plant'), grid, { x: 4, y: 2, yaw: 0 });
    expect(isRearClear(plant.scan(), 0.3, 0.45)).toBe(true);
    plant.discs.push({ x: 3.4, y: 2, r: 0.2 }); // 0.4 m behind its centre
    expect(isRearClear(plant.scan(), 0.3, 0.45)).toBe(false);
    plant.discs[0] = { x: 3.4, y: 2.8, r: 0.2 }; // behind but off to the side
    expect(isRearClear(plant.scan(), 0.3, 0.45)).toBe(true);
    plant.discs[0] = { x: 4.5, y: 2, r: 0.2 }; // in front
    expect(isRearClear(plant.scan(), 0.3, 0.45)).toBe(true);
  });
});
