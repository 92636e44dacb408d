import { describe, expect, it } from 'vitest';
import { closestApproach } from '../src/navigation/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { twist, type Pose2D } from '../src/ros/index.js';
import { SimError } from './errors.js';
import { fillRect, roomMap, siteFor } from './test-support.js';
import { SimWorld } from './world.js';

const DT = 0.01;

function world(map = roomMap(12, 8), start: Pose2D = { x: 2, y: 4, yaw: 0 }, seed = 1): SimWorld {
  return new SimWorld({ site: siteFor(map), robot: DEFAULT_ROBOT, seed, robotStart: start });
}

/** Drives with a fixed command (re-sent every step, as a controller would) for `seconds`. */
function drive(w: SimWorld, v: number, omega: number, seconds: number, each?: () => void): void {
  const steps = Math.round(seconds / DT);
  for (let i = 0; i < steps; i++) {
    w.setCommand(twist(v, omega));
    w.step(DT);
    each?.();
  }
}

const gap = (w: SimWorld, id: string) => {
  const r = w.robotPose();
  const p = w.person(id)!;
  return Math.hypot(r.x - p.x, r.y - p.y);
};

describe('SimWorld collisions', () => {
  it('stops the robot at a wall and counts one contact, not one per step', () => {
    const w = world(); // east wall's inner face at x = 11.95
    drive(w, 0.8, 0, 20);
    const x = w.robotPose().x;
    expect(x).toBeLessThanOrEqual(11.95 - DEFAULT_ROBOT.radius + 1e-9);
    expect(x).toBeGreaterThan(11.95 - DEFAULT_ROBOT.radius - 0.01);
    expect(w.robotVelocity().v).toBeLessThan(0.05);
    expect(w.metrics().collisions).toEqual({ wall: 1, obstacle: 0, person: 0 });
    // Back off, and drive in again: a second contact.
    drive(w, -0.2, 0, 2);
    expect(w.metrics().collisions.wall).toBe(1);
    drive(w, 0.5, 0, 5);
    expect(w.metrics().collisions.wall).toBe(2);
    expect(w.robotPose().x).toBeLessThanOrEqual(11.95 - DEFAULT_ROBOT.radius + 1e-9);
  });

  it('never lets the robot through a thin wall, even at an angle', () => {
    const map = roomMap(12, 8);
    fillRect(map, 6, 0, 6.05, 8); // a one-cell partition
    const w = world(map, { x: 3, y: 2, yaw: 0.5 });
    drive(w, 1.0, 0, 15, () => {
      expect(w.robotPose().x).toBeLessThan(6 - DEFAULT_ROBOT.radius + 1e-6);
    });
    expect(w.metrics().collisions.wall).toBe(1);
  });

  it('slides nothing and turns freely while touching: turning in place is not blocked', () => {
    const w = world();
    drive(w, 0.8, 0, 20);
    const yaw0 = w.robotPose().yaw;
    drive(w, 0, 1.0, 1.5);
    expect(Math.abs(w.robotPose().yaw - yaw0)).toBeGreaterThan(0.5);
    expect(w.metrics().collisions.wall).toBe(1);
  });

  it('counts obstacles and people apart from walls, and stops at them', () => {
    const w = world();
    w.addObstacle({ id: 'bin', kind: 'disc', x: 5, y: 4, radius: 0.3 });
    drive(w, 0.6, 0, 10);
    expect(w.robotPose().x).toBeCloseTo(5 - 0.3 - DEFAULT_ROBOT.radius, 3);
    expect(w.metrics().collisions).toEqual({ wall: 0, obstacle: 1, person: 0 });
    w.removeObstacle('bin');
    w.addObstacle({ id: 'crate', kind: 'box', x: 7, y: 4, width: 0.6, height: 2 });
    drive(w, 0.6, 0, 10);
    expect(w.robotPose().x).toBeCloseTo(7 - 0.3 - DEFAULT_ROBOT.radius, 3);
    expect(w.metrics().collisions.obstacle).toBe(2);
  });

  /** A dead-end corridor 0.8 m wide along y = 4, east end at x = 11.95: nowhere to step aside. */
  const corridor = () => {
    const map = roomMap(12, 8);
    fillRect(map, 0, 0, 12, 3.6);
    fillRect(map, 0, 4.4, 12, 8);
    return world(map);
  };

  it('counts running into a person with their back to the wall, and the closest approach says so', () => {
    const w = corridor();
    w.addPerson({ id: 'anna', role: 'customer', pose: { x: 11.6, y: 4, yaw: Math.PI } });
    w.resetMinPersonDistance();
    expect(w.metrics().minPersonDistanceM).toBeCloseTo(9.6 - 0.25 - 0.3, 9);
    drive(w, 0.8, 0, 20);
    const m = w.metrics();
    expect(m.collisions).toEqual({ wall: 0, obstacle: 0, person: 1 });
    expect(m.minPersonDistanceM).toBeLessThan(0.01);
    expect(m.minPersonDistanceM).toBeGreaterThanOrEqual(0);
  });

  it('counts each new bump when the robot keeps driving at someone who steps back', () => {
    const w = corridor();
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 6, y: 4, yaw: Math.PI } });
    drive(w, 0.8, 0, 8);
    expect(anna.x).toBeGreaterThan(6.5); // she stepped back, slowly
    expect(w.metrics().collisions.person).toBeGreaterThanOrEqual(2);
  });

  it('tracks the closest approach per window: reset starts from the distance now', () => {
    const w = world();
    w.addPerson({ id: 'anna', role: 'customer', pose: { x: 5, y: 4, yaw: 0 } });
    drive(w, 0.5, 0, 4); // to about x = 3.6: 0.85 m edge to edge at the closest
    drive(w, -0.25, 0, 6);
    const first = w.metrics().minPersonDistanceM;
    expect(first).toBeLessThan(1.0);
    w.resetMinPersonDistance();
    expect(w.metrics().minPersonDistanceM).toBeGreaterThan(first + 0.5);
    expect(w.metrics().collisions.person).toBe(0);
  });

  it('reports Infinity as the closest approach when nobody is on the floor', () => {
    const w = world();
    drive(w, 0.5, 0, 1);
    expect(w.metrics().minPersonDistanceM).toBe(Infinity);
  });
});

describe('SimWorld people', () => {
  it("someone standing in the robot's path steps aside when it drives at them", () => {
    const w = world(roomMap(20, 8), { x: 3, y: 4, yaw: 0 });
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 5.5, y: 4.1, yaw: Math.PI } });
    drive(w, 0.5, 0, 12);
    expect(w.robotPose().x).toBeGreaterThan(8); // drove past her
    expect(Math.abs(anna.y - 4)).toBeGreaterThan(0.55); // she made way
    expect(w.metrics().collisions.person).toBe(0);
    expect(w.metrics().minPersonDistanceM).toBeGreaterThan(0);
  });

  it('a customer told to follow, standing where a narrow corridor leaves no way past, steps to the wall first', () => {
    // A 1.5 m corridor: robot at its end facing the customer 1.2 m ahead, as at the dock.
    const corridor = fillRect(fillRect(roomMap(12, 6), 0, 0, 12, 2.25), 0, 3.75, 12, 6);
    const w = world(corridor, { x: 1, y: 3, yaw: 0 });
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 2.2, y: 3, yaw: Math.PI } });
    anna.follow(() => w.robotPose());
    drive(w, 0, 0, 4); // the robot has not moved yet: she knows it is coming
    expect(Math.abs(anna.y - 3)).toBeGreaterThan(0.4); // at the wall, not in the middle
    // Where there is room to pass beside her, she waits where she is.
    const hall = world(roomMap(12, 8), { x: 1, y: 4, yaw: 0 });
    const ben = hall.addPerson({ id: 'ben', role: 'customer', pose: { x: 2.2, y: 4, yaw: Math.PI } });
    ben.follow(() => hall.robotPose());
    drive(hall, 0, 0, 4);
    expect(Math.hypot(ben.x - 2.2, ben.y - 4)).toBeLessThan(0.05);
  });

  it('a following customer waits out a reaction time, then keeps a walking gap and stops behind', () => {
    const w = world(roomMap(30, 8), { x: 3, y: 4, yaw: 0 });
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 1.8, y: 4, yaw: 0 } });
    anna.follow(() => w.robotPose());
    // The robot sets off; the customer notices only once it is 1.5 m away, after 0.8 s.
    let firstMoveS = Infinity;
    drive(w, 0.8, 0, 3, () => {
      if (anna.x > 1.81 && firstMoveS === Infinity) firstMoveS = w.timeS;
    });
    expect(firstMoveS).toBeGreaterThan(0.8 + 0.8); // ~0.95 s to open the gap, +0.8 s reaction
    expect(firstMoveS).toBeLessThan(2.5);
    // Walking: the gap settles near 1.2 m and never closes on the robot.
    const gaps: number[] = [];
    drive(w, 0.8, 0.05, 12, () => gaps.push(gap(w, 'anna')));
    const settled = gaps.slice(500);
    expect(Math.min(...settled)).toBeGreaterThan(1.0);
    expect(Math.max(...settled)).toBeLessThan(1.5);
    expect(Math.max(...gaps)).toBeLessThan(3);
    // The robot stops: the customer stops behind it, about a metre back, without touching.
    drive(w, 0, 0, 6);
    expect(gap(w, 'anna')).toBeGreaterThan(0.9);
    expect(gap(w, 'anna')).toBeLessThan(1.5);
    expect(Math.hypot(anna.velocity.x, anna.velocity.y)).toBeLessThan(0.02);
    expect(w.metrics().collisions.person).toBe(0);
    expect(w.metrics().minPersonDistanceM).toBeGreaterThan(0.3);
  });

  it('a follower keeps up with the robot at full speed (walking is faster than the robot)', () => {
    const w = world(roomMap(40, 8), { x: 3, y: 4, yaw: 0 });
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 1.8, y: 4, yaw: 0 } });
    anna.follow(() => w.robotPose());
    drive(w, DEFAULT_ROBOT.maxLinear, 0, 25);
    expect(gap(w, 'anna')).toBeLessThan(1.5);
  });

  it('a follower goes round a corner the way the robot went, not through the wall', () => {
    // An L: a corridor east, then north through a gap in a partition.
    const map = roomMap(14, 14);
    fillRect(map, 0, 3, 10, 3.1); // partition with the way through at its east end
    const w = world(map, { x: 2, y: 1.5, yaw: 0 });
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 0.8, y: 1.5, yaw: 0 } });
    anna.follow(() => w.robotPose());
    const blocked = () => !w.caster.map.isFreeAt(anna.x, anna.y);
    let inWall = false;
    drive(w, 0.8, 0, 12, () => (inWall ||= blocked())); // to x ≈ 11.5
    drive(w, 0, 0.8, Math.PI / 2 / 0.8 + 0.3, () => (inWall ||= blocked()));
    drive(w, 0.8, 0, 10, () => (inWall ||= blocked())); // north, past the partition
    drive(w, 0, 0, 5, () => (inWall ||= blocked()));
    expect(inWall).toBe(false);
    expect(anna.y).toBeGreaterThan(3.5);
    expect(gap(w, 'anna')).toBeLessThan(1.6);
  });

  it('stopFollowingFor: the customer falls behind, then catches up', () => {
    const w = world(roomMap(40, 8), { x: 3, y: 4, yaw: 0 });
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 1.8, y: 4, yaw: 0 } });
    anna.follow(() => w.robotPose());
    drive(w, 0.7, 0, 8);
    anna.stopFollowingFor(6);
    expect(anna.mode).toBe('paused');
    drive(w, 0.7, 0, 6);
    expect(gap(w, 'anna')).toBeGreaterThan(4);
    // The robot waits (as the mission does for a lagging customer); the customer catches up.
    drive(w, 0, 0, 0.1);
    expect(anna.mode).toBe('follow');
    drive(w, 0, 0, 10);
    expect(gap(w, 'anna')).toBeLessThan(1.5);
    expect(w.metrics().collisions.person).toBe(0);
  });

  it('walkTo goes around walls and stands at the goal', () => {
    const map = roomMap(14, 10);
    fillRect(map, 6, 0, 6.2, 7); // a wall with a way round at the north end
    const w = world(map, { x: 12, y: 2, yaw: 0 });
    const bo = w.addPerson({ id: 'bo', role: 'customer', pose: { x: 2, y: 2, yaw: 0 } });
    bo.walkTo(10, 2);
    expect(bo.mode).toBe('walk_to');
    let inWall = false;
    let maxY = 0;
    for (let i = 0; i < 4000 && !bo.arrived; i++) {
      w.step(DT);
      inWall ||= !map.isFreeAt(bo.x, bo.y);
      maxY = Math.max(maxY, bo.y);
    }
    expect(bo.arrived).toBe(true);
    expect(bo.mode).toBe('stand');
    expect(Math.hypot(bo.x - 10, bo.y - 2)).toBeLessThan(0.15);
    expect(maxY).toBeGreaterThan(7); // went round the end of the wall
    expect(inWall).toBe(false);
  });

  it('stepAsideTo: walks to the spot, then stands turned towards the robot until told to follow again', () => {
    const w = world(roomMap(20, 12), { x: 8, y: 6, yaw: 0 });
    const eva = w.addPerson({ id: 'eva', role: 'customer', pose: { x: 6.8, y: 6, yaw: 0 } });
    eva.follow(() => w.robotPose());
    eva.stepAsideTo(6.8, 9, () => w.robotPose());
    drive(w, 0, 0, 10);
    expect(eva.mode).toBe('stand');
    expect(Math.hypot(eva.x - 6.8, eva.y - 9)).toBeLessThan(0.15);
    const r = w.robotPose();
    expect(Math.abs(eva.yaw - Math.atan2(r.y - eva.y, r.x - eva.x))).toBeLessThan(1e-9);
    eva.follow(() => w.robotPose());
    drive(w, 0, 0, 10);
    expect(eva.mode).toBe('follow');
    expect(gap(w, 'eva')).toBeLessThan(2);
  });

  it('a follower standing behind the stopped robot looks at it, not where they last walked', () => {
    const w = world(roomMap(20, 12), { x: 8, y: 6, yaw: 0 });
    const eva = w.addPerson({ id: 'eva', role: 'customer', pose: { x: 6.8, y: 6, yaw: -Math.PI / 2 } });
    eva.follow(() => w.robotPose());
    drive(w, 0, 0, 1);
    expect(eva.mode).toBe('follow');
    expect(Math.abs(eva.yaw)).toBeLessThan(1e-9); // turned from the south to the robot, east of her
  });

  it('someone who steps aside a second time still follows once the robot has passed', () => {
    const w = world(roomMap(20, 12), { x: 8, y: 6, yaw: 0 });
    const eva = w.addPerson({ id: 'eva', role: 'customer', pose: { x: 9.3, y: 6, yaw: Math.PI } });
    eva.follow(() => w.robotPose());
    expect(eva.makeRoom()).toBe(true);
    drive(w, 0, 0, 5);
    // The robot comes her way again (its route unknown to her): she steps aside again.
    expect(eva.makeRoom()).toBe(true);
    drive(w, 0, 0, 3);
    expect(eva.mode).toBe('stand');
    drive(w, 0.6, 0, 8); // past her
    expect(eva.mode).toBe('follow');
    drive(w, 0, 0, 10);
    expect(gap(w, 'eva')).toBeLessThan(2);
    expect(w.metrics().collisions.person).toBe(0);
  });

  it('a passer-by asked to let the robot by steps aside, then walks on once it has passed', () => {
    const w = world(roomMap(20, 12), { x: 8, y: 6, yaw: 0 });
    const bo = w.addPerson({ id: 'bo', role: 'pedestrian', pose: { x: 9.3, y: 6, yaw: Math.PI } });
    bo.wander();
    expect(bo.makeRoom()).toBe(true);
    drive(w, 0, 0, 4);
    expect(bo.mode).toBe('stand');
    drive(w, 0.6, 0, 8); // past them
    expect(bo.mode).toBe('wander');
    expect(w.metrics().collisions.person).toBe(0);
  });

  it('a passer-by judges a robot coming across their way by where the two come closest', () => {
    // The navigator's closest approach, from the walker's side: the robot minus the walker.
    const walker = { x: 0, y: -2, vx: 0, vy: 1.3 }; // walking north
    const closest = (robot: { x: number; y: number; vx: number; vy: number }) => {
      const { dx, dy } = closestApproach(
        robot.x - walker.x,
        robot.y - walker.y,
        walker.vx,
        walker.vy,
        robot,
        1.5,
      );
      return Math.hypot(dx, dy);
    };
    // A robot driving west along y = 0 from 1.5 m east: they would meet near the origin.
    expect(closest({ x: 1.5, y: 0, vx: -1, vy: 0 })).toBeLessThan(0.5);
    // The same robot standing still, or driving away: no meeting within the horizon.
    expect(closest({ x: 1.5, y: 0, vx: 0, vy: 0 })).toBeGreaterThan(1.4);
    expect(closest({ x: 1.5, y: 0, vx: 1, vy: 0 })).toBeGreaterThan(1.4);
    // Far off: the meeting lies beyond the horizon.
    expect(closest({ x: 6, y: 4, vx: -1, vy: 0 })).toBeGreaterThan(2);
  });

  it('a lost customer wanders off', () => {
    const w = world(roomMap(20, 12), { x: 3, y: 6, yaw: 0 });
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 1.8, y: 6, yaw: 0 } });
    anna.follow(() => w.robotPose());
    anna.wander();
    let far = 0;
    drive(w, 0, 0, 30, () => (far = Math.max(far, gap(w, 'anna'))));
    expect(anna.mode).toBe('wander');
    expect(far).toBeGreaterThan(4);
  });

  it('pedestrians roam the floor, keep out of walls and each other, and walk round a standing robot', () => {
    const map = roomMap(16, 10);
    fillRect(map, 7, 3, 9, 7); // a block in the middle
    const w = world(map, { x: 4, y: 5, yaw: 0 });
    for (let i = 0; i < 8; i++) {
      w.addPerson({
        id: `p${i}`,
        role: 'pedestrian',
        pose: { x: 1 + i * 1.8, y: i % 2 ? 1.2 : 8.8, yaw: 0 },
      });
    }
    const start = w.people().map((p) => ({ x: p.x, y: p.y }));
    let inWall = false;
    let overlap = 0;
    for (let i = 0; i < 6000; i++) {
      w.setCommand(twist(0, 0));
      w.step(DT);
      for (const p of w.people()) {
        inWall ||= w.caster.freeDistanceAt(p.x, p.y) <= 0;
        for (const q of w.people()) {
          if (p !== q) overlap = Math.max(overlap, p.radius + q.radius - Math.hypot(p.x - q.x, p.y - q.y));
        }
      }
    }
    expect(inWall).toBe(false);
    expect(overlap).toBeLessThan(0.01);
    expect(w.metrics().collisions.person).toBe(0);
    const moved = w.people().map((p, i) => Math.hypot(p.x - start[i]!.x, p.y - start[i]!.y));
    expect(moved.filter((d) => d > 1).length).toBeGreaterThanOrEqual(6);
    expect(w.people()[0]!.walkSpeed).toBeGreaterThanOrEqual(1.1);
    expect(w.people()[0]!.walkSpeed).toBeLessThanOrEqual(1.5);
  });
});

describe('SimWorld pedestrians and the robot', () => {
  it('a pedestrian walking at the robot steps round it', () => {
    const map = roomMap(20, 8);
    const w = world(map, { x: 10, y: 4, yaw: 0 });
    const p = w.addPerson({ id: 'p', role: 'pedestrian', pose: { x: 2, y: 4, yaw: 0 } });
    p.walkTo(18, 4);
    let closest = Infinity;
    for (let i = 0; i < 3000 && !p.arrived; i++) {
      w.step(DT);
      closest = Math.min(closest, Math.hypot(p.x - 10, p.y - 4) - 0.55);
    }
    expect(p.arrived).toBe(true);
    expect(closest).toBeGreaterThan(0.1);
    expect(w.metrics().collisions.person).toBe(0);
  });
});

describe('SimWorld determinism and bad input', () => {
  function trajectory(seed: number, withPedestrianFarAway = false) {
    const w = world(roomMap(30, 12), { x: 3, y: 6, yaw: 0 }, seed);
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 1.8, y: 6, yaw: 0 } });
    anna.follow(() => w.robotPose());
    w.addPerson({ id: 'ped', role: 'pedestrian', pose: { x: 20, y: 3, yaw: 0 } });
    if (withPedestrianFarAway) w.addPerson({ id: 'far', role: 'pedestrian', pose: { x: 28, y: 11, yaw: 0 } });
    const out: number[] = [];
    drive(w, 0.7, 0.05, 20, () => {
      const r = w.robotPose();
      const o = w.odomPose();
      out.push(r.x, r.y, r.yaw, o.x, o.y, o.yaw, anna.x, anna.y, w.person('ped')!.x);
    });
    return { out, odom: w.odomPose(), scan: Array.from(w.scan()) };
  }

  it('repeats itself exactly for the same seed', () => {
    const a = trajectory(11);
    const b = trajectory(11);
    expect(a.out).toEqual(b.out);
    expect(a.scan).toEqual(b.scan);
    expect(trajectory(12).odom).not.toEqual(a.odom);
  });

  it('keeps odometry noise unchanged when someone else joins the floor', () => {
    // Streams are forked by name: the odometry does not care how many pedestrians drew numbers.
    expect(trajectory(11, true).odom).toEqual(trajectory(11).odom);
  });

  it('refuses duplicate and unknown ids, bad numbers and a start inside a wall', () => {
    const w = world();
    w.addPerson({ id: 'a', role: 'customer', pose: { x: 5, y: 5, yaw: 0 } });
    expect(() => w.addPerson({ id: 'a', role: 'customer', pose: { x: 6, y: 5, yaw: 0 } })).toThrow(SimError);
    expect(() => w.removePerson('zz')).toThrow(/person 'zz'/);
    expect(() => w.addObstacle({ id: 'o', kind: 'disc', x: 1, y: 1, radius: -1 })).toThrow(
      /obstacle 'o'.radius: expected a finite number ≥ 0, found -1/,
    );
    expect(() => w.step(NaN)).toThrow(/positive step/);
    expect(() => w.person('a')!.stopFollowingFor(3)).toThrow(/expected a person who follows/);
    expect(() => world(roomMap(12, 8), { x: 0.02, y: 4, yaw: 0 })).toThrow(/robotStart/);
    try {
      world(roomMap(12, 8), { x: 20, y: 4, yaw: 0 });
      expect.unreachable();
    } catch (e) {
      expect((e as SimError).code).toBe('ROBOT_START_BLOCKED');
    }
  });

  it('treats a non-finite command as a stop', () => {
    const w = world();
    drive(w, 0.5, 0, 2);
    drive(w, NaN, 0, 2);
    expect(w.robotVelocity().v).toBe(0);
  });
});

describe('SimWorld kidnap', () => {
  it('puts the carried robot down where asked when that is clear', () => {
    const w = world();
    w.kidnap({ x: 6, y: 4, yaw: 1 });
    expect(w.robotPose()).toEqual({ x: 6, y: 4, yaw: 1 });
  });

  it('puts it down clear of a person standing where it was asked to go, never on them', () => {
    const w = world();
    const anna = w.addPerson({ id: 'anna', role: 'customer', pose: { x: 6, y: 4, yaw: Math.PI } });
    w.kidnap({ x: 6.2, y: 4, yaw: 0 });
    const p = w.robotPose();
    const edgeGap = Math.hypot(p.x - anna.x, p.y - anna.y) - anna.radius - DEFAULT_ROBOT.radius;
    expect(edgeGap).toBeGreaterThan(0.2);
    expect(Math.hypot(p.x - 6.2, p.y - 4)).toBeLessThanOrEqual(1.5 + 1e-9);
    w.step(DT);
    expect(w.metrics().collisions.person).toBe(0);
  });
});
