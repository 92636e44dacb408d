import { describe, expect, it } from 'vitest';
import { DEFAULT_ROBOT, type RobotDescription } from '../src/robot-description.js';
import { DiffDrivePlant, arc } from './plant.js';
import { Rng } from './rng.js';

const DT = 0.01;
const ROBOT: RobotDescription = DEFAULT_ROBOT;

function drive(plant: DiffDrivePlant, v: number, w: number, seconds: number): void {
  const steps = Math.round(seconds / DT);
  for (let i = 0; i < steps; i++) {
    plant.setCommand(v, w);
    plant.step(DT);
  }
}

const noiseless = { wheelSlipSd: 0, wheelScaleSd: 0 };

describe('DiffDrivePlant', () => {
  it('ramps speed at the acceleration limits', () => {
    const plant = new DiffDrivePlant(ROBOT, { x: 0, y: 0, yaw: 0 }, new Rng(1), noiseless);
    drive(plant, 1.0, 1.0, 0.5);
    expect(plant.velocity.v).toBeCloseTo(ROBOT.maxLinearAccel * 0.5, 9);
    expect(plant.velocity.w).toBeCloseTo(1.0, 9); // 2.5 rad/s² reaches 1 rad/s within 0.4 s
    drive(plant, 1.0, 1.0, 0.2);
    expect(plant.velocity.v).toBeCloseTo(ROBOT.maxLinearAccel * 0.7, 9);
  });

  it('clamps commands to the speed limits, forwards, backwards and turning', () => {
    const plant = new DiffDrivePlant(ROBOT, { x: 0, y: 0, yaw: 0 }, new Rng(1), noiseless);
    drive(plant, 5, 9, 3);
    expect(plant.velocity).toEqual({ v: ROBOT.maxLinear, w: ROBOT.maxAngular });
    drive(plant, -5, -9, 5);
    expect(plant.velocity).toEqual({ v: -ROBOT.maxReverse, w: -ROBOT.maxAngular });
    drive(plant, NaN, Infinity, 3);
    expect(plant.velocity).toEqual({ v: 0, w: 0 });
  });

  it('drives exact arcs under a constant twist', () => {
    const plant = new DiffDrivePlant(ROBOT, { x: 2, y: -1, yaw: 0.3 }, new Rng(1), noiseless);
    const v = 0.6;
    const w = 0.4;
    drive(plant, v, w, 2); // past the ramp: speeds now constant
    expect(plant.velocity).toEqual({ v, w });
    const p0 = plant.pose;
    const T = 3.7;
    drive(plant, v, w, T);
    const p1 = plant.pose;
    const r = v / w;
    expect(p1.x).toBeCloseTo(p0.x + r * (Math.sin(p0.yaw + w * T) - Math.sin(p0.yaw)), 9);
    expect(p1.y).toBeCloseTo(p0.y - r * (Math.cos(p0.yaw + w * T) - Math.cos(p0.yaw)), 9);
    expect(p1.yaw).toBeCloseTo(p0.yaw + w * T, 9);
  });

  it('drives straight lines exactly too (the small-turn series)', () => {
    const out = arc({ x: 1, y: 1, yaw: Math.PI / 4 }, 2, 0, { x: 0, y: 0, yaw: 0 });
    expect(out.x).toBeCloseTo(1 + Math.SQRT2, 12);
    expect(out.y).toBeCloseTo(1 + Math.SQRT2, 12);
    const tiny = arc({ x: 0, y: 0, yaw: 0 }, 1, 1e-6, { x: 0, y: 0, yaw: 0 });
    expect(tiny.x).toBeCloseTo(Math.sin(1e-6) / 1e-6, 12);
    expect(tiny.y).toBeCloseTo((2 * Math.sin(5e-7) ** 2) / 1e-6, 15);
  });

  it('stops on its own 0.5 s after the last command (the firmware watchdog)', () => {
    const plant = new DiffDrivePlant(ROBOT, { x: 0, y: 0, yaw: 0 }, new Rng(1), noiseless);
    drive(plant, 0.8, 0, 1.5);
    expect(plant.velocity.v).toBeCloseTo(0.8, 9);
    // The last command came 0.01 s ago; 49 more steps make 0.5 s of silence: still obeying.
    for (let i = 0; i < 49; i++) plant.step(DT);
    expect(plant.watchdogTripped).toBe(false);
    expect(plant.velocity.v).toBeCloseTo(0.8, 9);
    plant.step(DT);
    expect(plant.watchdogTripped).toBe(true);
    for (let i = 0; i < 150; i++) plant.step(DT);
    expect(plant.velocity.v).toBe(0);
    const stopped = plant.pose;
    for (let i = 0; i < 100; i++) plant.step(DT);
    expect(plant.pose).toEqual(stopped);
    // A new command wakes it up again.
    drive(plant, 0.3, 0, 1);
    expect(plant.velocity.v).toBeCloseTo(0.3, 9);
  });

  it('starts with the watchdog tripped: no command, no motion', () => {
    const plant = new DiffDrivePlant(ROBOT, { x: 0, y: 0, yaw: 0 }, new Rng(1));
    for (let i = 0; i < 100; i++) plant.step(DT);
    expect(plant.pose).toEqual({ x: 0, y: 0, yaw: 0 });
    expect(plant.odomPose).toEqual({ x: 0, y: 0, yaw: 0 });
  });

  it('measures odometry with seeded slip: same seed same drift, small but real', () => {
    const run = (seed: number) => {
      const plant = new DiffDrivePlant(ROBOT, { x: 5, y: 5, yaw: 1 }, new Rng(seed).fork('odom'));
      drive(plant, 0.8, 0.2, 10);
      drive(plant, 0.8, -0.3, 10);
      return plant;
    };
    const a = run(3);
    const b = run(3);
    const c = run(4);
    expect(a.odomPose).toEqual(b.odomPose);
    expect(a.odomPose).not.toEqual(c.odomPose);
    // Odometry starts at the odom origin; compare it with the truth seen from the start pose.
    const truth = a.pose;
    const dx = truth.x - 5;
    const dy = truth.y - 5;
    const tx = Math.cos(-1) * dx - Math.sin(-1) * dy;
    const ty = Math.sin(-1) * dx + Math.cos(-1) * dy;
    const err = Math.hypot(a.odomPose.x - tx, a.odomPose.y - ty);
    expect(err).toBeGreaterThan(1e-4);
    expect(err).toBeLessThan(0.3); // ~16 m driven
    expect(a.odomVelocity.v).toBeCloseTo(0.8, 1);
  });

  it('lets a limiter cut a step short at contact, stopping forward motion there', () => {
    const plant = new DiffDrivePlant(ROBOT, { x: 0, y: 0, yaw: 0 }, new Rng(1), noiseless);
    drive(plant, 0.5, 0, 2);
    const before = plant.pose;
    plant.setCommand(0.5, 0);
    plant.step(DT, () => 0.25);
    expect(plant.pose.x - before.x).toBeCloseTo(0.25 * 0.5 * DT, 12);
    expect(plant.velocity.v).toBe(0);
    expect(plant.odomPose.x).toBeCloseTo(plant.pose.x, 12);
  });
});

describe('DiffDrivePlant driven by a drive base in the loop', () => {
  it('moves by the measured wheel speeds, not the commanded twist', () => {
    const plant = new DiffDrivePlant(ROBOT, { x: 0, y: 0, yaw: 0 }, new Rng(1), noiseless);
    let wheels = { left: 0.5, right: 0.5 };
    plant.useWheelSpeeds(() => wheels);
    plant.setCommand(0, 0); // ignored: the board decides
    for (let i = 0; i < 100; i++) plant.step(DT);
    // The first step ramps from rest (midpoint speed 0.25 m/s), the other 99 run at 0.5 m/s.
    expect(plant.pose.x).toBeCloseTo(0.0025 + 99 * 0.005, 9);
    expect(plant.velocity).toEqual({ v: 0.5, w: 0 });
    // Right wheel faster: turns left at (r − l) / wheel base.
    wheels = { left: 0.2, right: 0.4 };
    plant.step(DT);
    expect(plant.velocity.w).toBeCloseTo(0.2 / ROBOT.wheelBase, 12);
    plant.useWheelSpeeds(undefined);
    plant.step(DT);
    expect(plant.velocity.v).toBeLessThan(0.3); // back on the ideal base: ramps to the zero command
  });
});
