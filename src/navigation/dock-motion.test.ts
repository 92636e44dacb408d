import { describe, expect, it } from 'vitest';
import { composePose, normalizeAngle, type Pose2D } from '../ros/index.js';
import { inDockFrame } from './dock-geometry.js';
import { approach, driveTo, turnTo, type DockCommand } from './dock-motion.js';

const DOCK: Pose2D = { x: 5, y: 2, yaw: 1.2 };
const TURN = { maxRate: 0.6, minRate: 0.1 };
const DT = 0.05;

/** Drives a perfect unicycle by `control` at 20 Hz until it says done; returns the pose and the commands. */
function drive(start: Pose2D, control: (p: Pose2D) => DockCommand, seconds = 30) {
  let pose = { ...start };
  const commands: DockCommand[] = [];
  for (let t = 0; t < seconds; t += DT) {
    const cmd = control(pose);
    if (cmd.done) return { pose, commands, done: true };
    commands.push(cmd);
    pose = composePose(pose, { x: cmd.linear * DT, y: 0, yaw: cmd.angular * DT });
  }
  return { pose, commands, done: false };
}

describe('the docking moves', () => {
  it('turn on the spot onto a heading within the tolerance, braking in time', () => {
    const end = drive({ x: 0, y: 0, yaw: 0 }, (p) => turnTo(p.yaw, 2, { ...TURN, tolerance: 0.02 }));
    expect(end.done).toBe(true);
    expect(Math.abs(normalizeAngle(end.pose.yaw - 2))).toBeLessThanOrEqual(0.02);
    expect(Math.max(...end.commands.map((c) => Math.abs(c.angular)))).toBeLessThanOrEqual(0.6);
    expect(end.commands.every((c) => c.linear === 0)).toBe(true);
  });

  it('back up to a point behind rather than turn round to it', () => {
    const limits = { speed: 0.2, minSpeed: 0.02, tolerance: 0.03, turn: TURN };
    const end = drive({ x: 0, y: 0, yaw: 0 }, (p) => driveTo(p, { x: -0.5, y: 0.05 }, limits));
    expect(end.done).toBe(true);
    expect(Math.hypot(end.pose.x + 0.5, end.pose.y - 0.05)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(end.pose.yaw)).toBeLessThan(0.3);
    expect(Math.min(...end.commands.map((c) => c.linear))).toBeGreaterThanOrEqual(-0.2);
  });

  it('turn to a point beside the robot first, and reach it', () => {
    const limits = { speed: 0.2, minSpeed: 0.02, tolerance: 0.03, turn: TURN };
    const end = drive({ x: 0, y: 0, yaw: 0 }, (p) => driveTo(p, { x: 0.02, y: 0.4 }, limits));
    expect(end.done).toBe(true);
    expect(end.commands[0]).toMatchObject({ linear: 0 });
  });

  it.each([
    ['backs onto the dock', -1 as const, 0.4],
    ['drives onto the dock', 1 as const, -0.4],
  ])('%s slowly, steering the lateral error out', (_, dir, stagedAt) => {
    const start = composePose(DOCK, { x: stagedAt, y: 0.03, yaw: 0.02 });
    const end = drive(start, (p) => approach(inDockFrame(p, DOCK), dir, { speed: 0.08, minSpeed: 0.02 }));
    expect(end.done).toBe(true);
    const rel = inDockFrame(end.pose, DOCK);
    expect(Math.abs(rel.x)).toBeLessThan(0.005);
    expect(Math.abs(rel.y)).toBeLessThan(0.012);
    expect(Math.abs(rel.yaw)).toBeLessThan(0.05);
    for (const c of end.commands) {
      expect(Math.sign(c.linear)).toBe(dir);
      expect(Math.abs(c.linear)).toBeLessThanOrEqual(0.08);
    }
  });
});
