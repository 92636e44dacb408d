import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GridMap, buildCostmap, DEFAULT_INFLATION, type Costmap } from '../map/index.js';
import { EmbeddedContext, SimClock, Time, poseStamped, quaternionToYaw, type Path } from '../ros/index.js';
import { NavError } from './errors.js';
import { GridAStar, GRID_ASTAR_DEFAULTS, downsampleFactor } from './grid-astar.js';
import { segmentMaxCost } from './line-cost.js';
import { gridFromText } from './test-plant.js';

const T0 = new Time(0n);
const at = (x: number, y: number, yaw = 0) => poseStamped('map', T0, { x, y, yaw });
const never = () => false;

function costmapOf(grid: GridMap): Costmap {
  return buildCostmap(grid, [], { ...DEFAULT_INFLATION, inscribed_radius: 0.3, inflation_radius: 0.6 });
}

function planner(costmap: Costmap, params: Record<string, number | boolean> = {}): GridAStar {
  const ctx = new EmbeddedContext({
    clock: new SimClock(0n),
    parameterOverrides: {
      nav: Object.fromEntries(Object.entries(params).map(([k, v]) => [`planner.${k}`, v])),
    },
  });
  const p = new GridAStar();
  p.configure(ctx.createNode('nav'), 'planner', costmap);
  p.activate();
  return p;
}

function expectNavError(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NavError);
    expect((e as NavError).code).toBe(code);
    if (message) expect((e as NavError).message).toMatch(message);
    return;
  }
  throw new Error(`expected NavError ${code}, nothing was thrown`);
}

/** Every segment of the path, as [max cost touched, index]. */
function segmentCosts(costmap: Costmap, path: Path): number[] {
  const out: number[] = [];
  for (let i = 1; i < path.poses.length; i++) {
    const a = path.poses[i - 1]!.pose.position;
    const b = path.poses[i]!.pose.position;
    out.push(segmentMaxCost(costmap, a.x, a.y, b.x, b.y));
  }
  return out;
}

// A 10 m × 5 m hall, a wall across the middle with a door at the top.
const HALL = ['##########', '#....#...#', '#........#', '#....#...#', '#....#...#', '##########'].map(
  (r) => r,
);

describe('downsampleFactor', () => {
  it('downsamples by 2 but never plans on cells coarser than 0.1 m', () => {
    expect(downsampleFactor(GRID_ASTAR_DEFAULTS, 0.025)).toBe(2);
    expect(downsampleFactor(GRID_ASTAR_DEFAULTS, 0.05)).toBe(2);
    expect(downsampleFactor(GRID_ASTAR_DEFAULTS, 0.1)).toBe(1);
    expect(downsampleFactor({ downsample_factor: 4, max_planning_resolution: 0.1 }, 0.025)).toBe(4);
    expect(() => downsampleFactor({ downsample_factor: 0, max_planning_resolution: 0.1 }, 0.05)).toThrow(
      /downsample_factor must be a whole number ≥ 1, got 0/,
    );
    expect(() => downsampleFactor({ downsample_factor: 2, max_planning_resolution: -1 }, 0.05)).toThrow(
      /max_planning_resolution must be > 0 m/,
    );
  });
});

describe('GridAStar (grid_astar planner plugin)', () => {
  const grid = gridFromText(HALL, 1);
  const costmap = costmapOf(grid);

  it('plans through the door: map frame, spaced poses, headings along the path, the goal heading last', () => {
    const p = planner(costmap);
    const path = p.plan(at(2, 1.5), at(8, 1.5, 1.2), never);
    expect(path.header.frame_id).toBe('map');
    const first = path.poses[0]!.pose.position;
    const last = path.poses[path.poses.length - 1]!.pose;
    expect([first.x, first.y]).toEqual([2, 1.5]);
    expect([last.position.x, last.position.y]).toEqual([8, 1.5]);
    expect(quaternionToYaw(last.orientation)).toBeCloseTo(1.2, 9);
    // It goes up through the door (y 3..4 in the map, the text's second row).
    const top = Math.max(...path.poses.map((q) => q.pose.position.y));
    expect(top).toBeGreaterThan(3.3);
    for (let i = 1; i < path.poses.length; i++) {
      const a = path.poses[i - 1]!.pose;
      const b = path.poses[i]!.pose;
      const step = Math.hypot(b.position.x - a.position.x, b.position.y - a.position.y);
      expect(step).toBeLessThanOrEqual(GRID_ASTAR_DEFAULTS.path_resolution + 1e-9);
      if (i < path.poses.length - 1 && step > 1e-6) {
        const along = Math.atan2(b.position.y - a.position.y, b.position.x - a.position.x);
        expect(
          Math.abs(
            Math.atan2(
              Math.sin(quaternionToYaw(a.orientation) - along),
              Math.cos(quaternionToYaw(a.orientation) - along),
            ),
          ),
        ).toBeLessThan(1e-9);
      }
    }
    expect(Math.max(...segmentCosts(costmap, path))).toBeLessThan(253);
    // Shortcut and smoothed: far shorter than a staircase, a little longer than the straight line through the door.
    expect(p.lastStats.length).toBeLessThan(9.5);
    expect(p.lastStats.length).toBeGreaterThan(Math.hypot(3, 2) * 2 - 0.01);
  });

  it('goes straight through the middle of a 0.80 m door on a 0.1 m map, lined up before it', () => {
    // 6 m × 6 m, a wall along y 3.0..3.2 with a door from x 2.0 to 2.8 (its middle a cell edge).
    const n = 60;
    const data = new Int8Array(n * n);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const x = (c + 0.5) * 0.1;
        const y = (r + 0.5) * 0.1;
        const edge = r === 0 || c === 0 || r === n - 1 || c === n - 1;
        if (edge || (y > 3.0 && y < 3.2 && !(x > 2.0 && x < 2.8))) data[r * n + c] = 100;
      }
    }
    const cm = costmapOf(new GridMap(n, n, 0.1, 0, 0, data));
    const path = planner(cm).plan(at(0.8, 1.0), at(4.5, 5.0), never);
    const near = path.poses.map((p) => p.pose.position).filter((q) => q.y > 2.5 && q.y < 3.7);
    expect(near.length).toBeGreaterThan(8);
    for (const q of near) expect(q.x).toBeCloseTo(2.4, 2);
    // Off: the planner's own route slants into the door, not lined up before it.
    const plain = planner(cm, { narrow_passage_width: 0 }).plan(at(0.8, 1.0), at(4.5, 5.0), never);
    const before = plain.poses.map((p) => p.pose.position).filter((q) => q.y > 2.5 && q.y < 2.9);
    expect(before.some((q) => Math.abs(q.x - 2.4) > 0.03)).toBe(true);
  });

  it('says GOAL_OCCUPIED for a goal in or beside a wall, and where', () => {
    const p = planner(costmap);
    expectNavError(
      () => p.plan(at(2, 1.5), at(5.5, 1.5), never),
      'GOAL_OCCUPIED',
      /goal \(5\.50, 1\.50\) m has cost 254/,
    );
    expectNavError(() => p.plan(at(2, 1.5), at(1.15, 1.5), never), 'GOAL_OCCUPIED', /cost 253/);
    expectNavError(() => p.plan(at(2, 1.5), at(50, 1.5), never), 'GOAL_OCCUPIED', /outside the map/);
  });

  it('says NO_PATH when the map walls the goal off, BLOCKED when only added obstacles do', () => {
    const closed = costmapOf(
      gridFromText(['##########', '#....#...#', '#....#...#', '#....#...#', '##########'], 1),
    );
    expectNavError(
      () => planner(closed).plan(at(2, 1.5), at(8, 1.5), never),
      'NO_PATH',
      /map has no traversable route/,
    );

    const live = costmap.clone();
    const p = planner(live);
    // Fill the door (x 5..6, y 3..4 → cells 100..119 × 60..79) as the obstacle layer would.
    for (let r = 55; r < 85; r++) for (let c = 95; c < 125; c++) live.costs[r * live.width + c] = 254;
    p.costmapChanged({ minCol: 95, minRow: 55, maxCol: 124, maxRow: 84 });
    expectNavError(() => p.plan(at(2, 1.5), at(8, 1.5), never), 'BLOCKED', /obstacles block every route/);
  });

  it('escapes from the inscribed zone next to a wall, and refuses a start deep in a wall', () => {
    const p = planner(costmap);
    const path = p.plan(at(1.2, 1.5), at(3, 2.5), never);
    expect(p.lastStats.escaped).toBe(true);
    expect(path.poses[0]!.pose.position.x).toBe(1.2);
    // After the first move out of the inscribed zone nothing touches a cell ≥ 253.
    const segs = segmentCosts(costmap, path);
    const firstFree = path.poses.findIndex(
      (q) => costmap.costAtWorld(q.pose.position.x, q.pose.position.y) < 253,
    );
    expect(firstFree).toBeGreaterThan(0);
    expect(Math.max(...segs.slice(firstFree))).toBeLessThan(253);
    expectNavError(
      () => planner(costmap, { start_escape_radius: 0.2 }).plan(at(5.5, 1.5), at(3, 2.5), never),
      'START_OCCUPIED',
    );
  });

  it('refuses malformed poses with INVALID_GOAL and stops when cancelled', () => {
    const p = planner(costmap);
    expectNavError(() => p.plan(at(2, 1.5), at(NaN, 1), never), 'INVALID_GOAL', /goal\.pose.*finite/);
    const odom = { ...at(8, 1.5), header: { stamp: T0.toMsg(), frame_id: 'odom' } };
    expectNavError(() => p.plan(at(2, 1.5), odom, never), 'INVALID_GOAL', /expected 'map', found 'odom'/);
    const big = costmapOf(new GridMap(400, 400, 0.05, 0, 0, new Int8Array(400 * 400)));
    const q = planner(big, { downsample_factor: 1, landmarks: 0 });
    expectNavError(() => q.plan(at(1, 1), at(19, 19), () => true), 'CANCELLED');
  });

  it('replans around cost raised after configure (the obstacle layer)', () => {
    const live = costmap.clone();
    const p = planner(live);
    const before = p.plan(at(2, 3.5), at(8, 3.5), never);
    expect(Math.min(...before.poses.map((q) => q.pose.position.y))).toBeGreaterThan(2.9);
    // A trolley in the door's upper half: the route must squeeze below it or fail, never cross it.
    for (let r = 70; r < 80; r++) for (let c = 100; c < 120; c++) live.costs[r * live.width + c] = 254;
    p.costmapChanged({ minCol: 100, minRow: 70, maxCol: 119, maxRow: 79 });
    try {
      const after = p.plan(at(2, 3.5), at(8, 3.5), never);
      expect(Math.max(...segmentCosts(live, after))).toBeLessThan(253);
    } catch (e) {
      expect((e as NavError).code).toBe('BLOCKED');
    }
  });

  it('never routes through a cell ≥ 253, on random floors, at full and half resolution (property)', () => {
    const floorArb = fc.record({
      boxes: fc.array(
        fc.record({
          x: fc.integer({ min: 0, max: 79 }),
          y: fc.integer({ min: 0, max: 59 }),
          w: fc.integer({ min: 1, max: 25 }),
          h: fc.integer({ min: 1, max: 25 }),
        }),
        { minLength: 0, maxLength: 12 },
      ),
      sx: fc.double({ min: 0.3, max: 3.7, noNaN: true }),
      sy: fc.double({ min: 0.3, max: 2.7, noNaN: true }),
      gx: fc.double({ min: 0.3, max: 3.7, noNaN: true }),
      gy: fc.double({ min: 0.3, max: 2.7, noNaN: true }),
      factor: fc.constantFrom(1, 2),
      weight: fc.double({ min: 0, max: 5, noNaN: true }),
    });
    fc.assert(
      fc.property(floorArb, ({ boxes, sx, sy, gx, gy, factor, weight }) => {
        const data = new Int8Array(80 * 60);
        for (const b of boxes) {
          for (let r = b.y; r < Math.min(60, b.y + b.h); r++)
            for (let c = b.x; c < Math.min(80, b.x + b.w); c++) data[r * 80 + c] = 100;
        }
        const cm = costmapOf(new GridMap(80, 60, 0.05, 0, 0, data));
        // Endpoints whose planning cell is wholly traversable, so no endpoint exception applies.
        const coarseFree = (x: number, y: number) => {
          const c0 = Math.floor(cm.col(x) / factor) * factor;
          const r0 = Math.floor(cm.row(y) / factor) * factor;
          for (let r = r0; r < r0 + factor; r++)
            for (let c = c0; c < c0 + factor; c++) if (cm.costAt(c, r) >= 253) return false;
          return true;
        };
        fc.pre(coarseFree(sx, sy) && coarseFree(gx, gy));
        const p = planner(cm, { downsample_factor: factor, cost_weight: weight });
        let path: Path;
        try {
          path = p.plan(at(sx, sy), at(gx, gy), never);
        } catch (e) {
          expect(['NO_PATH', 'BLOCKED']).toContain((e as NavError).code);
          return;
        }
        for (const q of path.poses)
          expect(cm.costAtWorld(q.pose.position.x, q.pose.position.y)).toBeLessThan(253);
        expect(Math.max(0, ...segmentCosts(cm, path))).toBeLessThan(253);
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
