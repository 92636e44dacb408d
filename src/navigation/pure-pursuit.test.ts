import { describe, expect, it } from 'vitest';
import { Time, poseStamped, type Path } from '../ros/index.js';
import { PathTracker } from './path-tracker.js';
import {
  approachSpeed,
  arcCollides,
  costRegulatedSpeed,
  curvatureRegulatedSpeed,
  curvatureTo,
  distanceFromCost,
  limitKeepingCurvature,
  lookaheadDistance,
  rateLimit,
  rotateInPlaceRate,
} from './pure-pursuit.js';
import { isPausedBy, peopleSpeedCap, speedCapFromMsg, zoneSpeedLimits } from './speed-limits.js';

const LOOKAHEAD = { lookaheadTime: 1.5, minLookahead: 0.3, maxLookahead: 0.9 };

describe('regulated pure pursuit maths', () => {
  it('scales the lookahead with speed between its bounds', () => {
    expect(lookaheadDistance(0, LOOKAHEAD)).toBe(0.3);
    expect(lookaheadDistance(0.4, LOOKAHEAD)).toBeCloseTo(0.6, 12);
    expect(lookaheadDistance(-0.4, LOOKAHEAD)).toBeCloseTo(0.6, 12);
    expect(lookaheadDistance(1.0, LOOKAHEAD)).toBe(0.9);
  });

  it('steers on the circle through the carrot: κ = 2y / d²', () => {
    expect(curvatureTo(1, 0)).toBe(0);
    expect(curvatureTo(1, 1)).toBeCloseTo(1, 12); // a quarter circle of radius 1
    expect(curvatureTo(0.6, -0.8)).toBeCloseTo(-1.6, 12);
    expect(curvatureTo(0, 0)).toBe(0);
  });

  it('slows in turns tighter than the minimum radius, in proportion', () => {
    expect(curvatureRegulatedSpeed(1.0, 0.5, 0.9)).toBe(1.0); // radius 2 m
    expect(curvatureRegulatedSpeed(1.0, 2, 0.9)).toBeCloseTo(0.5 / 0.9, 12); // radius 0.5 m
    expect(curvatureRegulatedSpeed(0.8, -4, 1)).toBeCloseTo(0.2, 12);
  });

  it('turns a costmap cost back into the distance to the obstacle', () => {
    expect(distanceFromCost(253, 0.3, 3)).toBe(0);
    expect(distanceFromCost(0, 0.3, 3)).toBe(Infinity);
    expect(distanceFromCost(252, 0.3, 3)).toBeCloseTo(0.3, 12);
    // 252·e^(−3·0.2) = 138.3 → 0.5 m from the obstacle.
    expect(distanceFromCost(252 * Math.exp(-0.6), 0.3, 3)).toBeCloseTo(0.5, 12);
  });

  it('slows near obstacles inside cost_scaling_dist', () => {
    const p = { costScalingDist: 0.6, costScalingGain: 1 };
    expect(costRegulatedSpeed(1, 0.9, p)).toBe(1);
    expect(costRegulatedSpeed(1, 0.3, p)).toBeCloseTo(0.5, 12);
    expect(costRegulatedSpeed(0.8, 0.45, p)).toBeCloseTo(0.6, 12);
  });

  it('brakes for the goal: v = √(2ad), never below the crawl speed', () => {
    expect(approachSpeed(1, 0.5, 0.05)).toBeCloseTo(1, 12);
    expect(approachSpeed(0.25, 0.5, 0.05)).toBeCloseTo(0.5, 12);
    expect(approachSpeed(0.001, 0.5, 0.05)).toBe(0.05);
  });

  it('rotates in place no faster than it can stop on the heading', () => {
    expect(rotateInPlaceRate(Math.PI / 2, 1.0, 2.5)).toBe(1.0);
    expect(rotateInPlaceRate(-0.1, 1.0, 2.5)).toBeCloseTo(-Math.sqrt(0.5), 12);
  });

  it('limits acceleration, and keeps the arc when the turn rate is capped', () => {
    expect(rateLimit(0.2, 1.0, 0.04, Infinity)).toBeCloseTo(0.24, 12);
    expect(rateLimit(0.8, 0.1, 0.04, Infinity)).toBe(0.1);
    expect(limitKeepingCurvature(1.0, 0.5, 1.5)).toEqual({ linear: 1.0, angular: 0.5 });
    const capped = limitKeepingCurvature(1.0, 3, 1.5);
    expect(capped.linear).toBeCloseTo(0.5, 12);
    expect(capped.angular).toBeCloseTo(1.5, 12);
  });

  it('checks the commanded arc for the next second against the obstacle question', () => {
    const wallAt = (x0: number) => (x: number) => x >= x0;
    expect(arcCollides(0, 0, 0, 0.5, 0, 1.0, 0.3, 0.05, wallAt(0.45))).toBe(true);
    expect(arcCollides(0, 0, 0, 0.5, 0, 1.0, 0.3, 0.05, wallAt(0.6))).toBe(false);
    // Slow: still looks the minimum distance ahead.
    expect(arcCollides(0, 0, 0, 0.05, 0, 1.0, 0.3, 0.05, wallAt(0.28))).toBe(true);
    // A left turn of radius 0.5 m ends up at y ≈ 0.5 after a quarter circle: a wall at y ≥ 0.45 is hit.
    expect(arcCollides(0, 0, 0, 0.8, 1.6, 1.0, 0.3, 0.02, (_x, y) => y >= 0.45)).toBe(true);
    expect(arcCollides(0, 0, 0, 0.0, 1.0, 1.0, 0.3, 0.05, () => true)).toBe(false); // turning in place
  });
});

describe('speed caps', () => {
  const msg = (percentage: boolean, speed_limit: number) => ({
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
    percentage,
    speed_limit,
  });
  it('reads nav2_msgs/SpeedLimit as m/s or percent, 0 as no limit, and refuses nonsense', () => {
    expect(speedCapFromMsg(msg(false, 0.4), 1.0)).toBe(0.4);
    expect(speedCapFromMsg(msg(true, 30), 0.8)).toBeCloseTo(0.24, 12);
    expect(speedCapFromMsg(msg(true, 0), 0.8)).toBe(Infinity);
    expect(speedCapFromMsg(msg(false, -1), 1)).toBeUndefined();
    expect(speedCapFromMsg(msg(true, 150), 1)).toBeUndefined();
    expect(speedCapFromMsg(msg(false, NaN), 1)).toBeUndefined();
    expect(isPausedBy(0.001, 0.02)).toBe(true);
    expect(isPausedBy(0.3, 0.02)).toBe(false);
  });

  it('slows for people ahead, in proportion to distance, and ignores people behind', () => {
    const p = { slowRadius: 1.5, minSpeed: 0.2, maxSpeed: 1.0 };
    const pose = { x: 0, y: 0, yaw: 0 };
    expect(peopleSpeedCap(pose, [{ x: 0.75, y: 0 }], false, p)).toBeCloseTo(0.5, 12);
    expect(peopleSpeedCap(pose, [{ x: 0.1, y: 0.05 }], false, p)).toBe(0.2);
    expect(peopleSpeedCap(pose, [{ x: -0.5, y: 0 }], false, p)).toBe(Infinity); // the customer following
    expect(peopleSpeedCap(pose, [{ x: 2, y: 0 }], false, p)).toBe(Infinity);
    expect(peopleSpeedCap({ x: 0, y: 0, yaw: Math.PI }, [{ x: -0.75, y: 0 }], false, p)).toBeCloseTo(0.5, 12);
  });

  it('slows in time for someone walking towards its way, not for someone walking away or following', () => {
    const p = { slowRadius: 1.5, minSpeed: 0.2, maxSpeed: 1.0, lookaheadS: 1.5 };
    const pose = { x: 0, y: 0, yaw: 0 };
    // 1.5 m ahead and 1 m to the side, crossing towards the robot's line at 1 m/s: they would meet.
    const crossing = { x: 1.5, y: 1, vx: 0, vy: -1 };
    expect(peopleSpeedCap(pose, [crossing], false, { ...p, lookaheadS: 0 })).toBe(Infinity);
    expect(peopleSpeedCap(pose, [crossing], false, p)).toBeLessThan(0.5);
    // The same place, walking away from the line: nothing to slow for.
    expect(peopleSpeedCap(pose, [{ ...crossing, vy: 1 }], false, p)).toBe(Infinity);
    // The customer following close behind at the robot's pace.
    expect(peopleSpeedCap(pose, [{ x: -1.2, y: 0, vx: 1, vy: 0 }], false, p)).toBe(Infinity);
    // Someone standing still counts as before.
    expect(
      peopleSpeedCap(pose, [{ x: 0.75, y: 0, vx: 0, vy: 0 }], false, { ...p, lookaheadS: 0 }),
    ).toBeCloseTo(0.5, 12);
  });

  it('gives the slowest slow zone at a point and nothing elsewhere', () => {
    const square = (x0: number, y0: number, s: number) => [
      { x: x0, y: y0 },
      { x: x0 + s, y: y0 },
      { x: x0 + s, y: y0 + s },
      { x: x0, y: y0 + s },
    ];
    const at = zoneSpeedLimits([
      { id: 'queue', kind: 'slow', polygon: square(0, 0, 4), maxSpeed: 0.5 },
      { id: 'lifts', kind: 'slow', polygon: square(2, 2, 4), maxSpeed: 0.3 },
      { id: 'stairs', kind: 'no_go', polygon: square(10, 10, 1) },
    ]);
    expect(at(1, 1)).toBe(0.5);
    expect(at(3, 3)).toBe(0.3);
    expect(at(5, 5)).toBe(0.3);
    expect(at(8, 8)).toBe(Infinity);
    expect(at(10.5, 10.5)).toBe(Infinity);
  });
});

describe('PathTracker', () => {
  const path = (pts: Array<[number, number]>): Path => ({
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' },
    poses: pts.map(([x, y]) => poseStamped('map', new Time(0n), { x, y, yaw: 0 })),
  });

  it('finds the place on the path, the distance left, and the carrot on the lookahead circle', () => {
    const t = new PathTracker(
      path([
        [0, 0],
        [1, 0],
        [2, 0],
        [2, 1],
        [2, 2],
      ]),
    );
    expect(t.totalLength).toBe(4);
    t.update(0.5, 0.1, 2);
    expect(t.progress).toBeCloseTo(0.5, 12);
    expect(t.distanceRemaining).toBeCloseTo(3.5, 12);
    const c = t.carrot(0.5, 0, 1);
    expect(c.x).toBeCloseTo(1.5, 12);
    expect(c.y).toBeCloseTo(0, 12);
    // Round the corner: the circle of radius 1 about (1.9, 0) meets the path at (2, √0.99).
    t.update(1.9, 0, 2);
    const d = t.carrot(1.9, 0, 1);
    expect(d.x).toBeCloseTo(2, 12);
    expect(d.y).toBeCloseTo(Math.sqrt(0.99), 12);
    expect(t.carrot(2, 1.5, 3)).toEqual({ x: 2, y: 2, index: 4 });
  });

  it('puts the carrot no further than a turn it has not reached (narrow passages), and past it once there', () => {
    // A lead-in: east to (2, 0), then a right angle north through a door, densified at 0.1 m.
    const pts: Array<[number, number]> = [];
    for (let k = 0; k <= 20; k++) pts.push([k / 10, 0]);
    for (let k = 1; k <= 20; k++) pts.push([2, k / 10]);
    const t = new PathTracker(path(pts));
    t.update(1.5, 0.02, 2);
    // The plain carrot cuts the corner; this one stops at it.
    expect(t.carrot(1.5, 0.02, 0.9).x).toBeCloseTo(2, 12);
    expect(t.carrot(1.5, 0.02, 0.9).y).toBeGreaterThan(0.5);
    expect(t.carrotBeforeTurn(1.5, 0.02, 0.9, 0.25, 0.05)).toEqual({ x: 2, y: 0, index: 20 });
    // Within 5 cm of the corner it counts as reached: the carrot goes on up the door's axis.
    t.update(1.97, 0.01, 2);
    const on = t.carrotBeforeTurn(1.97, 0.01, 0.9, 0.25, 0.05);
    expect(on.x).toBe(2);
    expect(on.y).toBeGreaterThan(0.8);
    // A gentle bend (0.05 rad at each point) is followed, not cut, once it adds up to the limit.
    const bend: Array<[number, number]> = [[0, 0]];
    let yaw = 0;
    for (let k = 1; k <= 20; k++) {
      const [x, y] = bend[k - 1]!;
      bend.push([x + 0.1 * Math.cos(yaw), y + 0.1 * Math.sin(yaw)]);
      yaw += 0.05;
    }
    const b = new PathTracker(path(bend));
    b.update(0, 0, 2);
    const c = b.carrotBeforeTurn(0, 0, 0.9, 0.27, 0.05); // 6 turns of 0.05 rad pass 0.27
    expect(c.index).toBe(6);
  });

  it('finds the robot again anywhere on the path when it is lost (far from the search window)', () => {
    const t = new PathTracker(
      path([
        [0, 0],
        [10, 0],
      ]),
    );
    t.update(0.5, 0, 2);
    t.update(8.5, 0.2, 2);
    expect(t.progress).toBeCloseTo(8.5, 12);
    expect(t.offset).toBeCloseTo(0.2, 12);
  });

  it('does not jump ahead to a later part of the path that passes close by', () => {
    // Out along y = 0 and back along y = 0.4.
    const t = new PathTracker(
      path([
        [0, 0],
        [3, 0],
        [3, 0.4],
        [0, 0.4],
      ]),
    );
    t.update(0.5, 0.25, 1.0);
    expect(t.progress).toBeCloseTo(0.5, 12);
  });
});
