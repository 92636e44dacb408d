import { describe, expect, it } from 'vitest';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { twist, type Pose2D } from '../src/ros/index.js';
import type { Destination, Landmark, Site } from '../src/map/index.js';
import { crowdSize, spawnCrowd } from './crowd-spawn.js';
import { wanderers } from './crowd-spec.js';
import { Rng } from './rng.js';
import {
  DEFAULT_SOCIAL_FORCE_PARAMS as P,
  addGroupForces,
  addObstacleForce,
  addSocialForce,
  addDesiredForce,
} from './social-force.js';
import { fillRect, roomMap, siteFor } from './test-support.js';
import { SimWorld } from './world.js';

const DT = 0.01;

function force(fn: (out: Float64Array) => void): [number, number] {
  const out = new Float64Array(2);
  fn(out);
  return [out[0]!, out[1]!];
}

function world(site: Site, start: Pose2D, seed = 1): SimWorld {
  return new SimWorld({ site, robot: DEFAULT_ROBOT, seed, robotStart: start });
}

function desk(id: string, pose: Pose2D): Destination {
  const name = { fi: id, sv: id, en: id };
  return { id, name, aliases: { fi: [], sv: [], en: [] }, organisation: '', pose, services: [] };
}

describe('social force model: forces by hand', () => {
  it('relaxes to the preferred velocity in τ', () => {
    // (v⁰ − v)/τ = ((1.3, 0) − (0.3, 0.2)) / 0.5
    const [fx, fy] = force((o) => addDesiredForce(o, 1.3, 0, 0.3, 0.2, P));
    expect(fx).toBeCloseTo(2.0, 12);
    expect(fy).toBeCloseTo(-0.4, 12);
  });

  it('pushes two standing people apart: −factor·exp(−gap/γ) along the line between them', () => {
    // 1.5 m apart, bodies 0.5: gap 1. At rest D = e, ‖D‖ = 1, B = 0.35, θ = 0 (turn right, −y).
    const [fx, fy] = force((o) => addSocialForce(o, 0, 0, 0, 0, 1.5, 0, 0, 0, 5.1, 1, 0.5, P));
    const e = Math.exp(-1 / 0.35);
    expect(fx).toBeCloseTo(-5.1 * e, 12);
    expect(fy).toBeCloseTo(-5.1 * e, 12); // θ = 0: sign 1, t⊥ = (0, 1), −1·e
  });

  it('two walkers head-on: a stronger, longer push, and both turn to their right', () => {
    // i at (0,0) walking +x at 1 m/s; j at (2,0.2) walking −x at 1 m/s.
    const [fx, fy] = force((o) => addSocialForce(o, 0, 0, 1, 0, 2, 0.2, -1, 0, 5.1, 1, 0, P));
    // By hand: d = √4.04, e = (2, 0.2)/d, D = λ(2, 0) + e, B = γ‖D‖, θ = ∠(t → e).
    const d = Math.hypot(2, 0.2);
    const ex = 2 / d;
    const ey = 0.2 / d;
    const Dx = 4 + ex;
    const Dy = ey;
    const L = Math.hypot(Dx, Dy);
    const tx = Dx / L;
    const ty = Dy / L;
    const theta = Math.atan2(tx * ey - ty * ex, tx * ex + ty * ey);
    const B = 0.35 * L;
    const v = -Math.exp(-d / B - (3 * B * theta) ** 2);
    const a = -Math.sign(theta) * Math.exp(-d / B - (2 * B * theta) ** 2);
    expect(fx).toBeCloseTo(5.1 * (v * tx - a * ty), 12);
    expect(fy).toBeCloseTo(5.1 * (v * ty + a * tx), 12);
    expect(fx).toBeLessThan(0); // slows down
    expect(fy).toBeLessThan(0); // the other is a little to the left: steps right
  });

  it('feels a wall as 10·exp(−(d − r)/0.2) straight away from it', () => {
    const [fx, fy] = force((o) => addObstacleForce(o, 0, 3, 0.5, 0.25, P));
    expect(fx).toBe(0);
    expect(fy).toBeCloseTo(10 * Math.exp(-0.25 / 0.2), 12);
  });

  it('pulls a member back to a group that is too far, and slows one who walks ahead of it', () => {
    // Three members, centre 2 m behind this one walking +x: coherence (2 ≥ (3−1)/2) towards
    // the centre, gaze −3·(projection of the others' centre on the way).
    const [fx, fy] = force((o) => addGroupForces(o, 2, 0, 1, 0, 0, 0, 3, P));
    const othersX = (3 * 0 - 2) / 2 - 2; // the others' centre, relative: −3
    expect(fx).toBeCloseTo(-2 + 3 * othersX, 12);
    expect(fy).toBe(0);
  });
});

describe('social force model: people walking', () => {
  it('two people walking at each other down a corridor pass without touching', () => {
    const map = roomMap(20, 6);
    fillRect(map, 0, 0, 20, 1.8);
    fillRect(map, 0, 4.2, 20, 6); // a 2.4 m corridor
    const w = world(siteFor(map), { x: 19.5, y: 3, yaw: 0 }); // the robot parked at the far end
    const a = w.addPerson({ id: 'a', role: 'pedestrian', pose: { x: 1, y: 3, yaw: 0 } });
    const b = w.addPerson({ id: 'b', role: 'pedestrian', pose: { x: 15, y: 3, yaw: Math.PI } });
    a.walkTo(15, 3);
    b.walkTo(1, 3);
    let closest = Infinity;
    let sides = { a: 0, b: 0 };
    for (let i = 0; i < 4000 && !(a.arrived && b.arrived); i++) {
      w.step(DT);
      const gap = Math.hypot(a.x - b.x, a.y - b.y) - a.radius - b.radius;
      if (gap < closest) sides = { a: a.y - 3, b: b.y - 3 };
      closest = Math.min(closest, gap);
    }
    expect(a.arrived && b.arrived).toBe(true);
    expect(closest).toBeGreaterThan(0.01);
    // Where they met, each had stepped aside, to opposite sides.
    expect(Math.abs(sides.a)).toBeGreaterThan(0.15);
    expect(Math.abs(sides.b)).toBeGreaterThan(0.15);
    expect(Math.sign(sides.a)).toBe(-Math.sign(sides.b));
  });

  it('repeats itself exactly for the same seed', () => {
    const run = (seed: number) => {
      const map = roomMap(20, 12);
      const w = world(siteFor(map), { x: 10, y: 6, yaw: 0 }, seed);
      spawnCrowd(w, { count: 20, groups: 0.3, queues: 0, readers: 0 }, new Rng(seed).fork('crowd'));
      for (let i = 0; i < 1500; i++) {
        w.setCommand(twist(0.3, 0.1));
        w.step(DT);
      }
      return w.people().flatMap((p) => [p.x, p.y]);
    };
    const a = run(3);
    expect(run(3)).toEqual(a);
    expect(run(4)).not.toEqual(a);
  });
});

describe('crowd behaviours', () => {
  it('a group of three stays together through a door', () => {
    const map = roomMap(20, 10);
    fillRect(map, 9.9, 0, 10.1, 4.4);
    fillRect(map, 9.9, 5.6, 10.1, 10); // a 1.2 m door at x = 10
    const w = world(siteFor(map), { x: 18, y: 9, yaw: 0 });
    const members = [
      w.addPerson({ id: 'g0', role: 'pedestrian', pose: { x: 3, y: 5, yaw: 0 }, walkSpeed: 1.3 }),
      w.addPerson({ id: 'g1', role: 'pedestrian', pose: { x: 3, y: 5.8, yaw: 0 }, walkSpeed: 1.3 }),
      w.addPerson({ id: 'g2', role: 'pedestrian', pose: { x: 3, y: 4.2, yaw: 0 }, walkSpeed: 1.3 }),
    ];
    for (const m of members) m.crowd.group = members;
    members.forEach((m, i) => m.walkTo(16, 4.3 + i * 0.7));
    let spread = 0;
    let passed = false;
    for (let i = 0; i < 3000; i++) {
      w.step(DT);
      const xs = members.map((m) => m.x);
      const ys = members.map((m) => m.y);
      spread = Math.max(spread, Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
      passed ||= xs.every((x) => x > 11);
    }
    expect(passed).toBe(true);
    expect(spread).toBeLessThan(3);
  });

  it('a queue forms in front of a desk with its spacing, and moves up as people are served', () => {
    const map = roomMap(16, 12);
    const site: Site = { ...siteFor(map), destinations: [desk('kela', { x: 8, y: 9, yaw: Math.PI / 2 })] };
    const w = world(site, { x: 2, y: 2, yaw: 0 });
    const placed = spawnCrowd(w, { count: 4, groups: 0, queues: 1, readers: 0 }, new Rng(1).fork('crowd'));
    expect(placed.queuers).toBe(4);
    const q = placed.director.queues[0]!;
    // The head stands beside the robot's spot (8, 9), the line behind it, 0.8 m apart.
    expect(Math.abs(q.slots[0]!.x - 8)).toBeCloseTo(1.2, 9);
    // Everyone walks up; the head's service starts once they stand at the desk.
    while (Number.isNaN(q.servedAtS) && w.timeS < 60) w.step(DT);
    const inLineAt = w.timeS;
    while (w.timeS < inLineAt + 5) w.step(DT);
    const line = q.members.map((m) => ({ x: m.x, y: m.y }));
    expect(line).toHaveLength(4);
    for (let k = 0; k + 1 < line.length; k++) {
      const d = Math.hypot(line[k]!.x - line[k + 1]!.x, line[k]!.y - line[k + 1]!.y);
      expect(d).toBeGreaterThan(0.6);
      expect(d).toBeLessThan(1.0);
    }
    const second = q.members[1]!;
    const servedAt = q.servedAtS;
    expect(servedAt).toBeGreaterThan(inLineAt + 5); // served in 10–40 s
    while (w.timeS < servedAt + 6) w.step(DT);
    // The head was served and left; the second moved up to the head's slot.
    expect(q.members[0]).toBe(second);
    expect(Math.hypot(second.x - q.slots[0]!.x, second.y - q.slots[0]!.y)).toBeLessThan(0.2);
  });

  it('a reader stops at a sign for its seconds', () => {
    const map = roomMap(16, 10);
    const sign: Landmark = { id: 'board', name: { fi: 'b', sv: 'b', en: 'b' }, position: { x: 12, y: 5 } };
    const site: Site = { ...siteFor(map), landmarks: [sign] };
    const w = world(site, { x: 2, y: 8, yaw: 0 });
    const placed = spawnCrowd(w, { count: 1, groups: 0, queues: 0, readers: 1 }, new Rng(2).fork('crowd'));
    expect(placed.readers).toBe(1);
    const reader = w.people()[0]!;
    let stillS = 0;
    let longest = 0;
    for (let i = 0; i < 6000; i++) {
      w.step(DT);
      // Standing at the sign: within a step of it, no more than shifting their feet.
      const atSign = Math.hypot(reader.x - 12, reader.y - 5) < 0.5;
      stillS = atSign && reader.mode === 'stand' && Math.hypot(reader.vx, reader.vy) < 0.3 ? stillS + DT : 0;
      longest = Math.max(longest, stillS);
    }
    expect(longest).toBeGreaterThanOrEqual(3 - 0.05);
    expect(longest).toBeLessThanOrEqual(8 + 0.5);
  });

  it('people keep away from the robot driving through a crowd', () => {
    const map = roomMap(24, 10);
    const w = world(siteFor(map), { x: 2, y: 5, yaw: 0 }, 7);
    spawnCrowd(w, { count: 25, groups: 0.3, queues: 0, readers: 0 }, new Rng(7).fork('crowd'));
    let closest = Infinity;
    for (let i = 0; i < 2500; i++) {
      w.setCommand(twist(0.8, 0));
      w.step(DT);
      closest = Math.min(closest, w.personClearance(w.robotPose().x, w.robotPose().y));
      if (w.robotPose().x > 21) break;
    }
    expect(w.robotPose().x).toBeGreaterThan(15);
    expect(closest).toBeGreaterThan(0.1);
    expect(w.metrics().collisions.person).toBe(0);
  });
});

describe('crowd size', () => {
  it('a density counts people per 100 m² of the floor people can walk on', () => {
    // 10 × 6 m room: people (0.25 m) walk on the cells whose centre is ≥ 0.25 m from a wall.
    const w = world(siteFor(roomMap(10, 6)), { x: 5, y: 3, yaw: 0 });
    const { wanted, freeAreaM2 } = crowdSize(w, { densityPer100M2: 10, groups: 0, queues: 0, readers: 0 });
    expect(freeAreaM2).toBeGreaterThan(9.2 * 5.2 - 0.5);
    expect(freeAreaM2).toBeLessThan(9.6 * 5.6);
    expect(wanted).toBe(Math.round(freeAreaM2 / 10));
  });

  it('says how many it placed on a floor too small for them, and why', () => {
    const w = world(siteFor(roomMap(6, 4)), { x: 3, y: 2, yaw: 0 });
    const placed = spawnCrowd(w, wanderers(30), new Rng(1));
    expect(placed.placed).toBeLessThan(30);
    expect(placed.warnings.join('\n')).toMatch(/placed \d+ of 30 people: the floor has no more free spots/);
  });
});
