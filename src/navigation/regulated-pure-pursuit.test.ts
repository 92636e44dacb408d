import { describe, expect, it } from 'vitest';
import { Costmap } from '../map/index.js';
import { EmbeddedContext, SimClock, Time, poseStamped, type Path, type Pose2D } from '../ros/index.js';
import { DEFAULT_ROBOT } from '../robot-description.js';
import { RegulatedPurePursuit } from './regulated-pure-pursuit.js';
import type { FollowerInput } from './types.js';

/** A straight path along y = 0 from x = 0 to `length`, poses every 0.1 m, facing +x. */
function straight(length: number, goalYaw = 0): Path {
  const n = Math.round(length / 0.1);
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' },
    poses: Array.from({ length: n + 1 }, (_, i) =>
      poseStamped('map', new Time(0n), { x: i * 0.1, y: 0, yaw: i === n ? goalYaw : 0 }),
    ),
  };
}

function follower(obstacle: (x: number, y: number) => number = () => 0, costs = new Uint8Array(400 * 100)) {
  const ctx = new EmbeddedContext({ clock: new SimClock(0n) });
  const f = new RegulatedPurePursuit();
  f.configure(ctx.createNode('nav'), 'follower', {
    robot: DEFAULT_ROBOT,
    costmap: new Costmap(400, 100, 0.05, -5, -2.5, costs),
    obstacleCost: obstacle,
    zoneSpeedLimit: (x) => (x > 8 ? 0.4 : Infinity),
  });
  f.activate();
  return f;
}

const input = (pose: Pose2D, over: Partial<FollowerInput> = {}): FollowerInput => ({
  pose,
  speed: 1.0,
  speedLimit: Infinity,
  people: [],
  dt: 10, // long enough that acceleration never limits in these checks
  ...over,
});

describe('RegulatedPurePursuit', () => {
  it('cruises at the desired speed on a straight path', () => {
    const f = follower();
    f.setPath(straight(10), false);
    const out = f.computeVelocity(input({ x: 1, y: 0, yaw: 0 }));
    expect(out).toMatchObject({ linear: 1.0, state: 'following', limitedBy: 'desired' });
    expect(out.angular).toBeCloseTo(0, 12);
    expect(out.distanceRemaining).toBeCloseTo(9, 9);
  });

  it('takes the smallest cap and says which: /speed_limit, a slow zone, braking for the goal', () => {
    const f = follower();
    f.setPath(straight(10), false);
    expect(f.computeVelocity(input({ x: 1, y: 0, yaw: 0 }, { speedLimit: 0.3 }))).toMatchObject({
      linear: 0.3,
      limitedBy: 'speed_limit',
    });
    expect(f.computeVelocity(input({ x: 8.5, y: 0, yaw: 0 }))).toMatchObject({
      linear: 0.4,
      limitedBy: 'zone',
    });
    // 0.5 m from the goal at 0.5 m/s² braking: √(2 · 0.5 · 0.5) = 0.707 m/s (the zone allows 0.4 here).
    const g = follower();
    g.setPath(straight(5), false);
    const near = g.computeVelocity(input({ x: 4.5, y: 0, yaw: 0 }));
    expect(near.limitedBy).toBe('approach');
    expect(near.linear).toBeCloseTo(Math.sqrt(0.5), 9);
  });

  it('turns in place towards a path behind it, then to the goal heading, then reports arrived', () => {
    const f = follower();
    f.setPath(straight(10, Math.PI / 2), false);
    const turn = f.computeVelocity(input({ x: 1, y: 0, yaw: Math.PI }));
    expect(turn).toMatchObject({ linear: 0, state: 'rotating_to_path' });
    expect(Math.abs(turn.angular)).toBe(1.0);
    const atGoal = f.computeVelocity(input({ x: 9.9, y: 0.1, yaw: 0 }));
    expect(atGoal).toMatchObject({ linear: 0, angular: 1.0, state: 'rotating_to_goal' });
    // Once within xy tolerance it stays latched, even if it drifts out a little while turning.
    expect(f.computeVelocity(input({ x: 9.7, y: 0.2, yaw: Math.PI / 2 - 0.3 }))).toMatchObject({
      state: 'arrived',
      linear: 0,
      angular: 0,
    });
  });

  it('slows to a speed that stops before an obstacle on its arc, and reports blocked at it', () => {
    const wall = follower((x) => (x >= 2.5 && x <= 2.7 ? 254 : 0));
    wall.setPath(straight(10), false);
    // 0.85 m to go: no faster than stops in it (0.25 m kept, 0.3 s reaction, 0.8 m/s² braking).
    const far = wall.computeVelocity(input({ x: 1.6, y: 0, yaw: 0 }));
    expect(far).toMatchObject({ state: 'following', limitedBy: 'obstacle_cost' });
    const free = 2.5 - 1.6 - 0.05; // to the last free sample before the wall
    expect(0.25 + far.linear * 0.3 + far.linear ** 2 / (2 * 0.8)).toBeCloseTo(free, 6);
    // Only the margin left: blocked.
    expect(wall.computeVelocity(input({ x: 2.24, y: 0, yaw: 0 }))).toMatchObject({
      state: 'blocked',
      linear: 0,
      angular: 0,
    });
    expect(wall.computeVelocity(input({ x: 1.0, y: 0, yaw: 0 }, { speed: 0.3, speedLimit: 0.3 })).state).toBe(
      'following',
    );

    // Someone stepped up behind: the robot stands in their inscribed zone (253) and drives away.
    const behind = follower((x) => (x < 1.25 ? 253 : 0));
    behind.setPath(straight(10), false);
    expect(behind.computeVelocity(input({ x: 1.0, y: 0, yaw: 0 })).state).toBe('following');
  });

  it('never drives its footprint to within a hand of a person body, but may drive away from one', () => {
    // Contact is at 0.3 + 0.25 = 0.55 m between centres; the arc may not come within 0.6 m.
    const f = follower();
    f.setPath(straight(10), false);
    // Someone standing 0.58 m beside the path, 0.5 m on: the path passes them too close.
    const beside = [{ x: 1.5, y: 0.58 }];
    expect(f.computeVelocity(input({ x: 1, y: 0, yaw: 0 }, { people: beside }))).toMatchObject({
      state: 'blocked',
      linear: 0,
    });
    // 0.62 m beside the path: passable, slowly.
    const pressedToTheWall = [{ x: 1.5, y: 0.62 }];
    expect(f.computeVelocity(input({ x: 1, y: 0, yaw: 0 }, { people: pressedToTheWall }))).toMatchObject({
      state: 'following',
      limitedBy: 'people',
    });
    // Someone who stepped up behind, closer than that: the robot drives on, away from them.
    expect(f.computeVelocity(input({ x: 1, y: 0, yaw: 0 }, { people: [{ x: 0.5, y: 0.1 }] })).state).toBe(
      'following',
    );
  });

  it('crawls through a passage narrower than 1.1 m, lining up with the path before it', () => {
    // A wall across x = 2.0–2.2 with a 0.9 m door centred on the path (y = 0).
    const costs = new Uint8Array(400 * 100);
    for (let row = 0; row < 100; row++) {
      const y = -2.5 + (row + 0.5) * 0.05;
      if (Math.abs(y) < 0.45) continue;
      for (let col = 140; col < 144; col++) costs[row * 400 + col] = 254;
    }
    const door = follower(() => 0, costs);
    door.setPath(straight(10), false);
    // 1.3 m before the door: crawl speed.
    expect(door.computeVelocity(input({ x: 0.7, y: 0, yaw: 0 }))).toMatchObject({
      state: 'following',
      linear: 0.25,
    });
    // Heading 0.4 rad off the path there: turn to face it first (in the open it would drive on).
    expect(door.computeVelocity(input({ x: 0.7, y: 0, yaw: 0.4 })).state).toBe('rotating_to_path');
    const open = follower();
    open.setPath(straight(10), false);
    expect(open.computeVelocity(input({ x: 0.7, y: 0, yaw: 0.4 })).state).toBe('following');
    // Past the door, in the open again: full speed.
    expect(door.computeVelocity(input({ x: 4, y: 0, yaw: 0 })).linear).toBe(1.0);
  });

  it('ramps up from standstill at the robot’s acceleration', () => {
    const f = follower();
    f.setPath(straight(10), false);
    const first = f.computeVelocity(input({ x: 1, y: 0, yaw: 0 }, { speed: 0, dt: 0.05 }));
    expect(first.linear).toBeCloseTo(DEFAULT_ROBOT.maxLinearAccel * 0.05, 12);
    expect(first.limitedBy).toBe('acceleration');
  });
});
