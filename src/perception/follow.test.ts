import { describe, expect, it } from 'vitest';
import { durationMsgToSeconds } from '../ros/index.js';
import { type CustomerFollow } from '../interfaces/index.js';
import { CustomerFollower } from './follow.js';
import type { Track } from './tracker.js';

const FRAME_NS = 100_000_000n; // 10 Hz
const at = (frame: number) => BigInt(frame) * FRAME_NS;

/** A track at `range` m behind the robot, `side` m to its left (seen from base_link). */
function track(id: number, range: number, side = 0, timeSinceUpdateS = 0): Track {
  const x = -range;
  const y = side;
  return {
    id,
    box: { x: 0, y: 0, width: 1, height: 1 },
    score: 0.9,
    bearing: Math.atan2(y, x),
    range: Math.hypot(x, y),
    ageFrames: 10,
    hits: 10,
    timeSinceUpdateS,
  };
}

const lostFor = (m: CustomerFollow) => durationMsgToSeconds(m.lost_for);

describe('CustomerFollower', () => {
  it('says unbound before bind and after unbind', () => {
    const f = new CustomerFollower();
    const m = f.update([track(1, 1.2)], at(1));
    expect(m).toMatchObject({ bound: false, visible: false, distance_behind: 0 });
    expect(m.header.frame_id).toBe('base_link');
    expect(m.header.stamp).toEqual({ sec: 0, nanosec: 100_000_000 });
    f.bind(at(2));
    expect(f.update([track(1, 1.2)], at(2)).bound).toBe(true);
    f.unbind();
    expect(f.update([track(1, 1.2)], at(3))).toMatchObject({ bound: false, visible: false });
  });

  it('binds the closest centred face, not a nearer one off to the side or a far one', () => {
    const f = new CustomerFollower();
    f.update([track(1, 0.9, 1.2), track(2, 1.4, 0.1), track(3, 2.2, -0.1), track(4, 3.5)], at(1));
    f.bind(at(1) + 50_000_000n); // between frames: uses the last ones
    expect(f.trackId).toBe(2);
    const m = f.update([track(1, 0.9, 1.2), track(2, 1.4, 0.1), track(3, 2.2, -0.1)], at(2));
    expect(m.visible).toBe(true);
    expect(m.distance_behind).toBeCloseTo(Math.hypot(1.4, 0.1), 9);
    expect(lostFor(m)).toBe(0);
  });

  it('waits for a face when nobody is behind at binding time', () => {
    const f = new CustomerFollower();
    f.bind(at(0));
    expect(f.update([], at(1))).toMatchObject({ bound: true, visible: false });
    expect(lostFor(f.update([track(7, 4)], at(5)))).toBeCloseTo(0.5, 9); // too far to bind
    expect(f.update([track(7, 4), track(8, 1.3)], at(6)).visible).toBe(true);
    expect(f.trackId).toBe(8);
  });

  it('reports a customer falling behind and catching up', () => {
    const f = new CustomerFollower();
    f.bind(at(0));
    const ranges: number[] = [];
    for (let i = 1; i <= 60; i++) {
      // Gap grows 1.2 → 4.2 m over 3 s, then closes back to 1.2 m.
      const r = i <= 30 ? 1.2 + 0.1 * i : 4.2 - 0.1 * (i - 30);
      const m = f.update([track(3, r, 0.05)], at(i));
      expect(m.visible).toBe(true);
      expect(lostFor(m)).toBe(0);
      ranges.push(m.distance_behind);
    }
    expect(Math.max(...ranges)).toBeCloseTo(Math.hypot(4.2, 0.05), 9);
    expect(ranges.at(-1)).toBeCloseTo(Math.hypot(1.2, 0.05), 9);
    expect(f.trackId).toBe(3);
  });

  it('counts lost time while the track coasts or is gone, keeping the last distance', () => {
    const f = new CustomerFollower();
    f.bind(at(0));
    f.update([track(1, 1.5)], at(1));
    let m = f.update([track(1, 1.6, 0, 0.1)], at(2)); // coasting: not seen
    expect(m.visible).toBe(false);
    expect(lostFor(m)).toBeCloseTo(0.1, 9);
    expect(m.distance_behind).toBeCloseTo(1.5, 9);
    m = f.update([], at(31));
    expect(m).toMatchObject({ bound: true, visible: false });
    expect(lostFor(m)).toBeCloseTo(3.0, 9);
  });

  it('does not take a stranger who appears far away for the lost customer', () => {
    const f = new CustomerFollower();
    f.bind(at(0));
    for (let i = 1; i <= 10; i++) f.update([track(1, 1.3)], at(i));
    for (let i = 11; i <= 20; i++) f.update([], at(i)); // lost for 1 s
    for (let i = 21; i <= 40; i++) {
      const m = f.update([track(2, 4.5, 1.5)], at(i)); // someone 3+ m from where they were
      expect(m.visible).toBe(false);
    }
    expect(f.trackId).toBe(1);
    expect(lostFor(f.update([], at(41)))).toBeCloseTo(3.1, 9);
  });

  it('does not take a bystander who was in view together with the customer', () => {
    const f = new CustomerFollower();
    f.bind(at(0));
    for (let i = 1; i <= 10; i++) f.update([track(1, 1.3), track(2, 1.6, 0.6)], at(i));
    // The customer drops out of view; the bystander stays close to where they were.
    for (let i = 11; i <= 20; i++) expect(f.update([track(2, 1.6, 0.6)], at(i)).visible).toBe(false);
    expect(f.trackId).toBe(1);
  });

  it('re-acquires the customer under a new track id near where they were expected', () => {
    const f = new CustomerFollower();
    f.bind(at(0));
    for (let i = 1; i <= 10; i++) f.update([track(4, 1.3, 0.1), track(5, 3.5, -1.5)], at(i));
    for (let i = 11; i <= 14; i++) expect(f.update([track(5, 3.5, -1.5)], at(i)).visible).toBe(false);
    // The tracker lost them and confirmed a new track a little further back.
    const m = f.update([track(5, 3.5, -1.5), track(9, 1.9, 0.3)], at(15));
    expect(m.visible).toBe(true);
    expect(f.trackId).toBe(9);
    expect(m.distance_behind).toBeCloseTo(Math.hypot(1.9, 0.3), 9);
    expect(lostFor(m)).toBe(0);
    // And follows the new id from then on.
    expect(f.update([track(5, 3.5, -1.5), track(9, 1.8, 0.3)], at(16)).visible).toBe(true);
  });

  it('widens the re-acquisition gate the longer the customer is lost, up to its cap', () => {
    const f = new CustomerFollower({ reacquireGateM: 0.5, reacquireGrowthMps: 0.5, reacquireMaxGateM: 1.5 });
    f.bind(at(0));
    f.update([track(1, 1.4)], at(1));
    // 1.3 m further back (and beyond the 2.5 m bind range): outside the 0.5 m gate at first ...
    expect(f.update([track(2, 2.7)], at(2)).visible).toBe(false);
    // ... inside it after 2 s lost (0.5 + 1.0 ≥ 1.3).
    expect(f.update([track(3, 2.7)], at(21)).visible).toBe(true);
    expect(f.trackId).toBe(3);
    // Lost for a long time: the gate stops at 1.5 m, so 2 m away is not them.
    f.update([], at(22));
    expect(f.update([track(6, 4.4)], at(200)).visible).toBe(false);
  });

  it('takes back a customer who returns close and centred under a new id, far from the last spot', () => {
    // A customer walking up fast outruns the tracker's association: last seen at 4.5 m, back
    // at 1.2 m right behind as a new track. Nobody else is close and centred: it is them.
    const f = new CustomerFollower();
    f.bind(at(0));
    f.update([track(1, 4.5)], at(1));
    expect(f.update([track(2, 1.2)], at(2)).visible).toBe(true);
    expect(f.trackId).toBe(2);
  });

  it('does not count as lost the time the robot itself has turned the customer out of view, up to a grace', () => {
    // Seen 1.3 m straight behind; then the robot turns 90° left (lining up at a door): the spot
    // is now beside it, outside the 90° rear camera's view.
    const f = new CustomerFollower({ viewHalfAngleRad: Math.PI / 4, outOfViewGraceS: 8 });
    const facing = { x: 0, y: 0, yaw: 0 };
    const turned = { x: 0, y: 0, yaw: Math.PI / 2 };
    f.bind(at(0));
    f.update([track(1, 1.3)], at(1), facing);
    expect(lostFor(f.update([], at(31), turned))).toBeCloseTo(0, 9); // 3 s out of view: not lost
    // Turned back: the spot is in view again, and now not seeing them counts.
    expect(lostFor(f.update([], at(51), facing))).toBeCloseTo(2, 9);
    // Found again: all forgotten.
    expect(lostFor(f.update([track(1, 1.3)], at(52), facing))).toBe(0);
    // Out of view for longer than the grace: the time beyond it counts.
    let m = f.update([], at(53), turned);
    for (let i = 54; i <= 152; i++) m = f.update([], at(i), turned);
    expect(lostFor(m)).toBeCloseTo(10 - 8, 9);
    // Without a pose (robot frame only), nothing is ever out of view: every second counts.
    const g = new CustomerFollower({ outOfViewGraceS: 8 });
    g.bind(at(0));
    g.update([track(1, 1.3)], at(1));
    expect(lostFor(g.update([], at(31)))).toBeCloseTo(3, 9);
  });

  it('remembers where the customer was on the floor, not in the turning robot: found again after a turn', () => {
    // Bound at 2.4 m, last seen 2.7 m straight behind (beyond the bind range, so only the place
    // can find them again).
    const behind = (id: number, x: number, y: number): Track => ({
      ...track(id, 0),
      bearing: Math.atan2(y, x),
      range: Math.hypot(x, y),
    });
    const turned = { x: 0, y: 0, yaw: Math.PI / 6 };
    // The spot (−2.7, 0) in the fixed frame, seen from the robot after it turned 30° left.
    const c = Math.cos(-turned.yaw);
    const s = Math.sin(-turned.yaw);
    const there = { x: c * -2.7, y: s * -2.7 };

    const f = new CustomerFollower();
    f.bind(at(0));
    f.update([behind(1, -2.4, 0)], at(1), { x: 0, y: 0, yaw: 0 });
    f.update([behind(1, -2.7, 0)], at(2), { x: 0, y: 0, yaw: 0 });
    f.update([], at(4), turned); // lost 0.2 s: the gate is about 1 m
    const m = f.update([behind(2, there.x, there.y)], at(6), turned);
    expect(m.visible).toBe(true);
    expect(f.trackId).toBe(2);

    // The same place in the robot's own frame is somewhere else on the floor after the turn.
    const g = new CustomerFollower();
    g.bind(at(0));
    g.update([behind(1, -2.4, 0)], at(1), { x: 0, y: 0, yaw: 0 });
    g.update([behind(1, -2.7, 0)], at(2), { x: 0, y: 0, yaw: 0 });
    g.update([], at(4), turned);
    expect(g.update([behind(2, -2.7, 0)], at(6), turned).visible).toBe(false);
  });
});
