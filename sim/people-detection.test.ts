/**
 * The robot's people detector on the simulated floor: people found in the simulated lidar's scan
 * (two legs each), published on /people in map with their velocities, and scored against the
 * SimWorld's ground truth on a seeded escort among pedestrians (the rule in sim/people-score.ts).
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import { createLidarPeopleNode } from '../src/perception/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { EmbeddedContext, SimClock, type People } from '../src/ros/index.js';
import { PeopleScorer, scoreRobotPeople } from './people-score.js';
import { parseScenario } from './scenario.js';
import { attachSimulator } from './sim-node.js';
import { roomMap, siteFor } from './test-support.js';
import { SimWorld } from './world.js';

function room(withLocalisation = true) {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const map = roomMap(20, 10);
  const world = new SimWorld({
    site: siteFor(map),
    robot: DEFAULT_ROBOT,
    seed: 4,
    // Off the cell boundaries: a ray cast from exactly (3, 5) straight back never ends (sim/lidar.ts).
    robotStart: { x: 3.02, y: 5.03, yaw: 0 },
  });
  // The perfect stand-in localiser: this test is about the detector, not the localiser.
  const sim = attachSimulator(ctx.createNode('simulator'), world, {
    customerSignal: 'ground_truth',
    localization: 'perfect',
  });
  if (!withLocalisation) sim.detach();
  const detector = createLidarPeopleNode(ctx.createNode('people_detector'), { map });
  const heard: People[] = [];
  ctx.createNode('probe').createSubscription('people_msgs/msg/People', '/people', (m) => heard.push(m));
  const run = (seconds: number) => {
    for (let i = 0; i < Math.round(seconds * 100); i++) {
      world.step(0.01);
      clock.advanceTo(clock.nowNs() + 10_000_000n);
      ctx.spinSome();
    }
  };
  return { ctx, world, detector, heard, run };
}

describe('people_detector on the simulated lidar', () => {
  it('publishes a walking person on /people in map with their velocity, and never the walls', () => {
    const { world, heard, run } = room();
    const walker = world.addPerson({ id: 'w', role: 'customer', pose: { x: 5, y: 3, yaw: 0 } });
    walker.walkTo(12, 6);
    run(4);
    expect(heard.length).toBeGreaterThanOrEqual(39);
    const last = heard.at(-1)!;
    expect(last.header.frame_id).toBe('map');
    expect(last.people).toHaveLength(1);
    const p = last.people[0]!;
    expect(Math.hypot(p.position.x - walker.x, p.position.y - walker.y)).toBeLessThan(0.3);
    expect(Math.hypot(p.velocity.x - walker.vx, p.velocity.y - walker.vy)).toBeLessThan(0.35);
    expect(p.reliability).toBeGreaterThan(0.4);
    // One track all along: the id is stable.
    const ids = new Set(heard.flatMap((m) => m.people.map((q) => q.name)));
    expect(ids.size).toBe(1);
  });

  it('publishes nothing without a pose in map (no map → base_link): stale, never an empty floor', () => {
    const { world, heard, detector, ctx, run } = room(false);
    world.addPerson({ id: 'w', role: 'customer', pose: { x: 5, y: 5, yaw: 0 } });
    // Scans without any transform.
    const pub = ctx.createNode('lidar').createPublisher('sensor_msgs/msg/LaserScan', '/scan');
    pub.publish({
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'base_link' },
      angle_min: -Math.PI,
      angle_max: Math.PI,
      angle_increment: (2 * Math.PI) / 360,
      time_increment: 0,
      scan_time: 0.1,
      range_min: 0.1,
      range_max: 12,
      ranges: world.scan(),
      intensities: new Float32Array(0),
    });
    run(0.5);
    expect(heard).toEqual([]);
    expect(detector.stats().dropped).toEqual({ no_transform: 1 });
  });
});

describe('people from the lidar against the ground truth', () => {
  it('finds people within 5 m with precision and recall ≥ 0.9 on a seeded escort among pedestrians', async () => {
    const scenario = parseScenario(
      `name: escort among pedestrians
site: ../../maps/iso-omena
seed: 21
start_time: 2026-11-26T10:00:00+02:00
pedestrians: 10
time_limit: 600
customers:
  - { ask: 'neuvola', expect: { outcome: arrived, destination: neuvola } }
`,
      'sim/scenarios/people-detection.yaml',
    );
    let scorer: PeopleScorer | undefined;
    const report = await simulate(scenario, { onStart: (sim) => void (scorer = scoreRobotPeople(sim)) });
    expect(report.ok).toBe(true);
    const s = scorer!.score();
    // Enough to mean something: people near the robot in hundreds of scans.
    expect(s.truths).toBeGreaterThan(300);
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('scores by the stated rule: within 5 m, one to one within 0.5 m, walls hide, people do not', () => {
    const scorer = new PeopleScorer();
    const robot = { x: 0, y: 0 };
    const truth = [
      { x: 1, y: 0 }, // found
      { x: 4, y: 0 }, // missed
      { x: 0, y: 3 }, // behind a wall: not counted
      { x: 9, y: 0 }, // too far: not counted
    ];
    const detected = [
      { x: 1.3, y: 0 }, // matches (1, 0)
      { x: 1.1, y: 0.1 }, // a second detection of the same person: wrong
      { x: 2, y: 2 }, // nobody there: wrong
      { x: 8, y: 0 }, // too far to count
    ];
    scorer.add(detected, truth, robot, (p) => p.y === 0);
    expect(scorer.score()).toMatchObject({ correct: 1, detections: 3, found: 1, truths: 2 });
  });
});
