import { describe, expect, it } from 'vitest';
import { CustomerFollower, REAR_CAMERA, Tracker, boxToPlacement } from '../src/perception/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { durationMsgToSeconds, twist, type Pose2D } from '../src/ros/index.js';
import { type CustomerFollow } from '../src/interfaces/index.js';
import { SimCamera } from './camera.js';
import { Rng } from './rng.js';
import { fillRect, roomMap, siteFor } from './test-support.js';
import { SimWorld } from './world.js';

const PERFECT = { missProbabilityNear: 0, missProbabilityFar: 0, falsePositiveRate: 0, boxNoiseShare: 0 };

function world(people: { id: string; pose: Pose2D }[], wall = false, seed = 1): SimWorld {
  const map = roomMap(12, 8);
  if (wall) fillRect(map, 4.9, 3, 5.0, 5); // a partition between x = 4.9 and 5.0
  const w = new SimWorld({
    site: siteFor(map),
    robot: DEFAULT_ROBOT,
    seed,
    robotStart: { x: 6, y: 4, yaw: 0 },
  });
  for (const p of people) w.addPerson({ ...p, role: 'pedestrian' });
  return w;
}

describe('SimCamera', () => {
  it('sees a person straight behind at 1.5 m as one centred box of the right size', () => {
    const w = world([{ id: 'c', pose: { x: 4.5, y: 4, yaw: 0 } }]);
    const dets = new SimCamera(w.rng.fork('camera'), PERFECT).capture(w, 0n);
    expect(dets).toHaveLength(1);
    const box = dets[0]!.box;
    expect(box.x + box.width / 2).toBeCloseTo(320, 6);
    expect(box.width).toBeCloseTo(37.066, 2);
    expect(dets[0]!.score).toBeGreaterThan(0.8);
    const place = boxToPlacement(REAR_CAMERA, box);
    expect(place.range).toBeCloseTo(1.5, 6);
    expect(Math.abs(place.bearing)).toBeCloseTo(Math.PI, 6);
  });

  it('follows the robot turning: the same person then appears off-centre, to the image right', () => {
    const w = world([{ id: 'c', pose: { x: 4.5, y: 4, yaw: 0 } }]);
    const turned = {
      robotPose: () => ({ x: 6, y: 4, yaw: 0.3 }),
      people: () => w.people(),
      lineOfSight: (a: { x: number; y: number }, b: { x: number; y: number }) => w.lineOfSight(a, b),
    };
    const dets = new SimCamera(new Rng(1), PERFECT).capture(turned, 0n);
    expect(dets).toHaveLength(1);
    expect(dets[0]!.box.x).toBeGreaterThan(320);
    const place = boxToPlacement(REAR_CAMERA, dets[0]!.box);
    expect(place.bearing).toBeCloseTo(Math.PI - 0.3, 6);
  });

  it('does not see someone in front, facing away, behind a wall, too far or hidden by another', () => {
    const cam = () => new SimCamera(new Rng(1), PERFECT);
    expect(cam().capture(world([{ id: 'front', pose: { x: 7.5, y: 4, yaw: Math.PI } }]), 0n)).toEqual([]);
    expect(cam().capture(world([{ id: 'away', pose: { x: 4.5, y: 4, yaw: Math.PI } }]), 0n)).toEqual([]);
    expect(cam().capture(world([{ id: 'walled', pose: { x: 4.5, y: 4, yaw: 0 } }], true), 0n)).toEqual([]);
    expect(
      cam().capture(world([{ id: 'far', pose: { x: 0.5, y: 1, yaw: Math.atan2(3, 5.5) } }]), 0n),
    ).toEqual([]);
    const queue = world([
      { id: 'near', pose: { x: 4.5, y: 4, yaw: 0 } },
      { id: 'hidden', pose: { x: 3, y: 4, yaw: 0 } },
    ]);
    expect(cam().capture(queue, 0n)).toHaveLength(1);
    // A person in profile (facing across the camera's view, within 75°) is still seen.
    expect(cam().capture(world([{ id: 'side', pose: { x: 4.5, y: 4, yaw: 1.2 } }]), 0n)).toHaveLength(1);
  });

  it('gives the same detections for the same seed, different ones for another', () => {
    const frames = (seed: number) => {
      const w = world(
        [
          { id: 'a', pose: { x: 4.5, y: 4, yaw: 0 } },
          { id: 'b', pose: { x: 3.5, y: 5.2, yaw: -0.3 } },
        ],
        false,
        seed,
      );
      const cam = new SimCamera(w.rng.fork('camera'), { falsePositiveRate: 0.2 });
      return Array.from({ length: 50 }, (_, i) => cam.capture(w, BigInt(i)));
    };
    expect(frames(7)).toEqual(frames(7));
    expect(frames(7)).not.toEqual(frames(8));
  });

  it('misses and invents faces at about the configured rates', () => {
    const w = world([{ id: 'c', pose: { x: 4.5, y: 4, yaw: 0 } }]);
    const cam = new SimCamera(new Rng('rates'), {
      missProbabilityNear: 0.1,
      missProbabilityFar: 0.1,
      falsePositiveRate: 0,
    });
    let seen = 0;
    for (let i = 0; i < 2000; i++) seen += cam.capture(w, 0n).length;
    expect(seen / 2000).toBeGreaterThan(0.87);
    expect(seen / 2000).toBeLessThan(0.93);
    const empty = world([]);
    const fp = new SimCamera(new Rng('fp'), { falsePositiveRate: 0.05 });
    let invented = 0;
    for (let i = 0; i < 2000; i++) {
      const dets = fp.capture(empty, 0n);
      invented += dets.length;
      for (const d of dets) {
        expect(d.box.x).toBeGreaterThanOrEqual(0);
        expect(d.box.x + d.box.width).toBeLessThanOrEqual(640);
      }
    }
    expect(invented / 2000).toBeGreaterThan(0.035);
    expect(invented / 2000).toBeLessThan(0.065);
  });

  it('drives tracker and follower: a customer standing behind is bound and seen at ~1.5 m', () => {
    const w = world([
      { id: 'c', pose: { x: 4.5, y: 4, yaw: 0 } },
      { id: 'p', pose: { x: 3, y: 6, yaw: -0.6 } },
    ]);
    const cam = new SimCamera(w.rng.fork('camera'));
    const tracker = new Tracker({}, REAR_CAMERA);
    const follow = new CustomerFollower();
    follow.bind(0n);
    let visible = 0;
    let last;
    for (let i = 1; i <= 50; i++) {
      const stamp = BigInt(i) * 100_000_000n;
      last = follow.update(tracker.update(cam.capture(w, stamp), stamp), stamp);
      if (last.visible) visible++;
    }
    expect(visible).toBeGreaterThan(40);
    expect(last!.distance_behind).toBeGreaterThan(1.35);
    expect(last!.distance_behind).toBeLessThan(1.65);
  });

  describe('closed loop with a walking customer (10 Hz camera, 100 Hz world)', () => {
    /** Robot drives east at 0.6 m/s; returns the follow signal every camera frame. */
    function escort(seconds: number, script: (w: SimWorld, t: number) => void): CustomerFollow[] {
      const map = roomMap(30, 8);
      const w = new SimWorld({
        site: siteFor(map),
        robot: DEFAULT_ROBOT,
        seed: 3,
        robotStart: { x: 4, y: 4, yaw: 0 },
      });
      w.addPerson({ id: 'c', pose: { x: 2.6, y: 4, yaw: 0 }, role: 'customer' }).follow(() => w.robotPose());
      const cam = new SimCamera(w.rng.fork('camera'));
      const tracker = new Tracker({}, REAR_CAMERA);
      const follow = new CustomerFollower();
      follow.bind(0n);
      const out: CustomerFollow[] = [];
      for (let step = 1; step <= seconds * 100; step++) {
        const t = step / 100;
        script(w, t);
        w.setCommand(twist(t > 1 ? 0.6 : 0, 0));
        w.step(0.01);
        if (step % 10 === 0) {
          const stamp = BigInt(step) * 10_000_000n;
          out.push(follow.update(tracker.update(cam.capture(w, stamp), stamp), stamp));
        }
      }
      return out;
    }

    it('sees a customer who keeps up, close behind', () => {
      const out = escort(10, () => {});
      expect(out.filter((m) => m.visible).length).toBeGreaterThan(85);
      for (const m of out.slice(10)) expect(durationMsgToSeconds(m.lost_for)).toBeLessThan(0.5);
      expect(Math.max(...out.map((m) => m.distance_behind))).toBeLessThan(2.6);
    });

    it('sees a customer fall behind and catch up, under one binding', () => {
      const out = escort(16, (w, t) => {
        if (Math.abs(t - 4) < 0.005) w.person('c')!.stopFollowingFor(3);
      });
      const gapAt = (s: number) => out[s * 10 - 1]!.distance_behind;
      expect(gapAt(7)).toBeGreaterThan(gapAt(4) + 1.2);
      expect(gapAt(16)).toBeLessThan(gapAt(7) - 1);
      expect(out.at(-1)!.visible).toBe(true);
    });

    it('reports a customer who turns away and leaves as lost, for longer and longer', () => {
      const out = escort(12, (w, t) => {
        if (Math.abs(t - 4) < 0.005) w.person('c')!.walkTo(1, 7);
      });
      const last = out.at(-1)!;
      expect(last.bound).toBe(true);
      expect(last.visible).toBe(false);
      expect(durationMsgToSeconds(last.lost_for)).toBeGreaterThan(6);
    });
  });
});
