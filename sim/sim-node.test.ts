import { describe, expect, it } from 'vitest';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import {
  EmbeddedContext,
  SimClock,
  TransformBuffer,
  durationMsgToSeconds,
  quaternionToYaw,
  twist,
  type LaserScan,
  type MessageTypeName,
  type MessageTypes,
  type RosNode,
} from '../src/ros/index.js';
import { type CustomerFollow } from '../src/interfaces/index.js';
import { attachSimulator, type SimulatorOptions } from './sim-node.js';
import { fillRect, roomMap, siteFor } from './test-support.js';
import { SimWorld } from './world.js';

const STEP_NS = 10_000_000n; // the runner's 10 ms

function rig(
  map = roomMap(20, 10),
  seed = 3,
  robotStart = { x: 5, y: 5, yaw: 0 },
  // The ground-truth customer signal unless a test asks for the camera (the default in runs), and
  // the perfect stand-in localiser these tests check (runs default to the robot's AMCL).
  options: SimulatorOptions = { customerSignal: 'ground_truth', localization: 'perfect' },
) {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  const world = new SimWorld({ site: siteFor(map), robot: DEFAULT_ROBOT, seed, robotStart });
  const simNode = ctx.createNode('simulator');
  const sim = attachSimulator(simNode, world, options);
  const probe = ctx.createNode('probe');
  let t = 0n;
  /** Lockstep as the runner does it: world, clock, executor. */
  const run = (seconds: number, each?: () => void) => {
    const steps = Math.round(seconds * 100);
    for (let i = 0; i < steps; i++) {
      world.step(0.01);
      t += STEP_NS;
      clock.advanceTo(t);
      ctx.spinSome();
      each?.();
    }
  };
  return { clock, ctx, world, sim, probe, run };
}

function record<T extends MessageTypeName>(node: RosNode, type: T, topic: string): MessageTypes[T][] {
  const got: MessageTypes[T][] = [];
  node.createSubscription(type, topic, (m) => got.push(m));
  return got;
}

describe('attachSimulator', () => {
  it('publishes every topic at its rate on the lockstep clock', () => {
    const { probe, run } = rig();
    const scans = record(probe, 'sensor_msgs/msg/LaserScan', '/scan');
    const odom = record(probe, 'nav_msgs/msg/Odometry', '/odom');
    const tf = record(probe, 'tf2_msgs/msg/TFMessage', '/tf');
    const people = record(probe, 'people_msgs/msg/People', '/people');
    const customer = record(probe, 'medhjalparen_msgs/msg/CustomerFollow', '/guide/customer');
    run(2);
    expect(scans).toHaveLength(20);
    expect(odom).toHaveLength(100);
    expect(tf).toHaveLength(100 + 20);
    // Never ground truth on the robot's topics: the robot finds people in the scan itself.
    expect(people).toHaveLength(0);
    expect(customer).toHaveLength(20);
    // Stamps are the sim clock's: the first scan at 0.1 s, the last at 2 s.
    expect(scans[0]!.header.stamp).toEqual({ sec: 0, nanosec: 100_000_000 });
    expect(scans[19]!.header.stamp).toEqual({ sec: 2, nanosec: 0 });
  });

  it('shapes the scan as the contract says: base_link, 360 beams from -π', () => {
    const { probe, run } = rig();
    const scans = record(probe, 'sensor_msgs/msg/LaserScan', '/scan');
    run(0.1);
    const s: LaserScan = scans[0]!;
    expect(s.header.frame_id).toBe('base_link');
    expect(s.angle_min).toBeCloseTo(-Math.PI, 12);
    expect(s.angle_increment).toBeCloseTo((2 * Math.PI) / 360, 12);
    expect(s.angle_max).toBeCloseTo(Math.PI - (2 * Math.PI) / 360, 12);
    expect(s.ranges).toHaveLength(360);
    expect(s.range_min).toBe(DEFAULT_ROBOT.lidar.rangeMin);
    expect(s.range_max).toBe(DEFAULT_ROBOT.lidar.rangeMax);
    expect(s.scan_time).toBeCloseTo(0.1, 12);
    // Robot at (5, 5) facing +x in a 20 × 10 room: 14.95 m ahead is beyond range, 4.95 m behind.
    expect(s.ranges[180]).toBe(Infinity);
    expect(Math.abs(s.ranges[0]! - 4.95)).toBeLessThan(0.05);
  });

  it('drives the base from /cmd_vel, and the watchdog stops it when commands stop', () => {
    const { world, probe, run } = rig();
    const cmd = probe.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel');
    run(2, () => cmd.publish(twist(0.5, 0)));
    expect(world.robotVelocity().v).toBeCloseTo(0.5, 9);
    run(0.4);
    expect(world.robotVelocity().v).toBeCloseTo(0.5, 9);
    run(1.5);
    expect(world.robotVelocity().v).toBe(0);
  });

  it('publishes odometry in odom with its twist, and transforms that put base_link at the truth in map', () => {
    const { world, probe, run } = rig();
    const odom = record(probe, 'nav_msgs/msg/Odometry', '/odom');
    const tf = TransformBuffer.listen(probe);
    const cmd = probe.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel');
    run(6, () => cmd.publish(twist(0.6, 0.3)));
    const last = odom[odom.length - 1]!;
    expect(last.header.frame_id).toBe('odom');
    expect(last.child_frame_id).toBe('base_link');
    expect(last.twist.twist.linear.x).toBeCloseTo(0.6, 1);
    expect(last.twist.twist.angular.z).toBeCloseTo(0.3, 1);
    expect(last.pose.covariance).toHaveLength(36);
    const o = world.odomPose();
    expect(last.pose.pose.position.x).toBeCloseTo(o.x, 12);
    expect(quaternionToYaw(last.pose.pose.orientation)).toBeCloseTo(o.yaw, 12);
    // At 6.0 s both map→odom (10 Hz) and odom→base_link (50 Hz) are fresh: map→base_link is the truth.
    const inMap = tf.lookup('map', 'base_link')!;
    const truth = world.robotPose();
    expect(inMap.pose.x).toBeCloseTo(truth.x, 9);
    expect(inMap.pose.y).toBeCloseTo(truth.y, 9);
    expect(inMap.pose.yaw).toBeCloseTo(truth.yaw, 9);
    // ... while odometry alone has drifted from it (odom starts at the start pose, yaw 0).
    expect(Math.hypot(o.x - (truth.x - 5), o.y - (truth.y - 5))).toBeGreaterThan(1e-5);
  });

  it('publishes no /people, and shows each person to the lidar as two legs', () => {
    const { world, probe, run } = rig();
    const people = record(probe, 'people_msgs/msg/People', '/people');
    const scans = record(probe, 'sensor_msgs/msg/LaserScan', '/scan');
    // Someone standing 2 m ahead of the robot (at (5, 5), facing +x), their back to it.
    world.addPerson({ id: 'anna', role: 'customer', pose: { x: 7, y: 5, yaw: 0 } });
    run(1);
    expect(people).toHaveLength(0);
    expect(world.people().map((p) => p.id)).toEqual(['anna']);
    // Beams straight ahead (index 180 ± a few): two legs with a beam through the gap between.
    const ahead = Array.from(scans.at(-1)!.ranges.slice(172, 189));
    const onLegs = ahead.map((r) => r < 2.5);
    expect(onLegs.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    const runs = onLegs.map((v, i) => (v && !onLegs[i - 1] ? 1 : 0)).reduce<number>((a, b) => a + b, 0);
    expect(runs).toBe(2);
  });

  it('tells the mission whether its customer is seen behind, and for how long not', () => {
    const map = roomMap(20, 10);
    fillRect(map, 1.5, 6.5, 3, 8); // a pillar to hide behind
    const { world, sim, probe, run } = rig(map);
    const customer = record(probe, 'medhjalparen_msgs/msg/CustomerFollow', '/guide/customer');
    const last = (): CustomerFollow => customer[customer.length - 1]!;
    const anna = world.addPerson({ id: 'anna', role: 'customer', pose: { x: 3.8, y: 5, yaw: 0 } });
    run(0.5);
    expect(last().bound).toBe(false);
    expect(last().visible).toBe(false);

    sim.bindCustomer('anna');
    expect(sim.customerId).toBe('anna');
    run(0.5);
    expect(last().bound).toBe(true);
    expect(last().visible).toBe(true);
    expect(last().distance_behind).toBeCloseTo(1.2, 6);
    expect(durationMsgToSeconds(last().lost_for)).toBe(0);

    // In front of the robot: not seen by the rear-facing stand-in.
    anna.walkTo(7, 5);
    run(4);
    expect(last().visible).toBe(false);
    expect(last().distance_behind).toBeLessThan(1.3); // last seen
    const lost = durationMsgToSeconds(last().lost_for);
    expect(lost).toBeGreaterThan(2);
    run(1);
    expect(durationMsgToSeconds(last().lost_for)).toBeCloseTo(lost + 1, 6);

    // Behind the robot but hidden by the pillar.
    anna.walkTo(1, 7.3);
    run(8);
    expect(anna.arrived).toBe(true);
    expect(last().visible).toBe(false);
    // Back in sight behind the robot: seen again, the lost time resets.
    anna.walkTo(2, 5);
    run(6);
    expect(last().visible).toBe(true);
    expect(last().distance_behind).toBeCloseTo(3, 1);
    expect(durationMsgToSeconds(last().lost_for)).toBe(0);

    sim.bindCustomer(undefined);
    run(0.2);
    expect(last().bound).toBe(false);
    expect(() => sim.bindCustomer('nobody')).toThrow(/bindCustomer\('nobody'\)/);
  });

  it('sees the customer only within 8 m', () => {
    const { world, sim, probe, run } = rig(roomMap(30, 10), 3, { x: 25, y: 5, yaw: 0 });
    const customer = record(probe, 'medhjalparen_msgs/msg/CustomerFollow', '/guide/customer');
    world.addPerson({ id: 'near', role: 'customer', pose: { x: 17.5, y: 5, yaw: 0 } });
    world.addPerson({ id: 'far', role: 'customer', pose: { x: 16.5, y: 5, yaw: 0 } });
    sim.bindCustomer('near');
    run(0.2);
    expect(customer[customer.length - 1]!.visible).toBe(true);
    sim.bindCustomer('far');
    run(0.2);
    expect(customer[customer.length - 1]!.visible).toBe(false);
    expect(durationMsgToSeconds(customer[customer.length - 1]!.lost_for)).toBeCloseTo(0.2, 6);
  });

  it('stops publishing when detached', () => {
    const { sim, probe, run } = rig();
    const scans = record(probe, 'sensor_msgs/msg/LaserScan', '/scan');
    run(0.5);
    sim.detach();
    run(1);
    expect(scans).toHaveLength(5);
  });

  it('gives identical messages for the same seed', () => {
    const trace = (seed: number) => {
      const { world, probe, run } = rig(roomMap(20, 10), seed);
      world.addPerson({ id: 'p1', role: 'pedestrian', pose: { x: 15, y: 2, yaw: 0 } });
      const cmd = probe.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel');
      const scans = record(probe, 'sensor_msgs/msg/LaserScan', '/scan');
      const odom = record(probe, 'nav_msgs/msg/Odometry', '/odom');
      run(3, () => cmd.publish(twist(0.5, 0.2)));
      return JSON.stringify({
        scans: scans.map((s) => Array.from(s.ranges)),
        odom: odom.map((o) => o.pose.pose),
      });
    };
    expect(trace(5)).toBe(trace(5));
    expect(trace(5)).not.toBe(trace(6));
  });
});

describe('attachSimulator with odometry from a drive-base driver', () => {
  it('publishes no /odom of its own and localises against the driver’s odometry', () => {
    const clock = new SimClock(0n);
    const ctx = new EmbeddedContext({ clock });
    const world = new SimWorld({
      site: siteFor(roomMap(20, 10)),
      robot: DEFAULT_ROBOT,
      seed: 3,
      robotStart: { x: 5, y: 5, yaw: 0 },
    });
    attachSimulator(ctx.createNode('simulator'), world, { odometry: 'external', localization: 'perfect' });
    const probe = ctx.createNode('probe');
    const odom = record(probe, 'nav_msgs/msg/Odometry', '/odom');
    const tf = record(probe, 'tf2_msgs/msg/TFMessage', '/tf');
    const driver = probe.createPublisher('nav_msgs/msg/Odometry', '/odom');
    const step = (n: number) => {
      for (let i = 0; i < n; i++) {
        world.step(0.01);
        clock.advanceTo(clock.nowNs() + STEP_NS);
        ctx.spinSome();
      }
    };
    step(50);
    expect(odom).toHaveLength(0);
    expect(tf).toHaveLength(0); // no odometry yet: no map→odom either
    // The driver says the robot is at (1, 0) in odom; truth is (5, 5): map→odom = (4, 5).
    driver.publish({
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'odom' },
      child_frame_id: 'base_link',
      pose: {
        pose: { position: { x: 1, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
        covariance: new Float64Array(36),
      },
      twist: {
        twist: { linear: { x: 0, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } },
        covariance: new Float64Array(36),
      },
    });
    step(20);
    const mapToOdom = tf.at(-1)!.transforms[0]!;
    expect(mapToOdom.header.frame_id).toBe('map');
    expect(mapToOdom.transform.translation.x).toBeCloseTo(4, 9);
    expect(mapToOdom.transform.translation.y).toBeCloseTo(5, 9);
  });
});

describe('attachSimulator with the camera model (the default)', () => {
  it('publishes the rear camera’s face detections at 10 Hz instead of a customer signal', () => {
    const { probe, run, world } = rig(roomMap(20, 10), 3, { x: 5, y: 5, yaw: 0 }, {});
    const faces = record(probe, 'vision_msgs/msg/Detection2DArray', '/camera/rear/detections');
    const customer = record(probe, 'medhjalparen_msgs/msg/CustomerFollow', '/guide/customer');
    // Someone 1.5 m straight behind, facing the robot.
    world.addPerson({ id: 'c', pose: { x: 3.5, y: 5, yaw: 0 }, role: 'customer' });
    run(2);
    expect(faces).toHaveLength(20);
    expect(customer).toHaveLength(0);
    const seen = faces.filter((f) => f.detections.length > 0).length;
    expect(seen).toBeGreaterThan(15); // a few misses are modelled
    const d = faces.find((f) => f.detections.length > 0)!.detections[0]!;
    expect(d.results[0]!.hypothesis.class_id).toBe('face');
    expect(d.bbox.center.position.x).toBeCloseTo(320, -1); // straight behind: the middle column
  });
});
