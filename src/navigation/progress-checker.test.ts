import { describe, expect, it } from 'vitest';
import { ProgressChecker } from './progress-checker.js';

const P = { progress_required_movement: 0.3, progress_required_rotation: 0.5, progress_time_allowance: 10 };
const at = (x: number) => ({ x, y: 0 });

describe('ProgressChecker', () => {
  it('counts as stuck once the time allowance passes without the required movement, not before', () => {
    const c = new ProgressChecker();
    c.restart(at(0), 0);
    expect(c.stuck(at(0.29), 9.99, P)).toBe(false);
    expect(c.stuck(at(0.29), 10, P)).toBe(true);
  });

  it('starts a fresh window when the robot has moved far enough', () => {
    const c = new ProgressChecker();
    c.restart(at(0), 0);
    expect(c.stuck(at(0.3), 5, P)).toBe(false);
    // The window now runs from x = 0.3 at 5 s.
    expect(c.stuck(at(0.5), 14.9, P)).toBe(false);
    expect(c.stuck(at(0.5), 15, P)).toBe(true);
  });

  it('counts a turn on the spot as progress, and a turn held still as stuck', () => {
    const c = new ProgressChecker();
    c.restart({ x: 0, y: 0, yaw: 3.0 }, 0);
    // Turning through ±π: 3.0 → −2.7 rad is 0.58 rad of turn, not 5.7.
    expect(c.stuck({ x: 0, y: 0, yaw: -2.7 }, 9, P)).toBe(false);
    // The window now runs from −2.7 at 9 s: a turn the gate holds (0.1 rad in 10 s) is stuck.
    expect(c.stuck({ x: 0, y: 0, yaw: -2.6 }, 18.9, P)).toBe(false);
    expect(c.stuck({ x: 0, y: 0, yaw: -2.6 }, 19, P)).toBe(true);
  });

  it('starts a fresh window whenever the robot is not meant to move (holding still on purpose)', () => {
    const c = new ProgressChecker();
    c.restart(at(0), 0);
    expect(c.stuck(at(0), 9, P)).toBe(false);
    c.restart(at(0), 9); // held still on purpose from 9 s
    expect(c.stuck(at(0), 18.9, P)).toBe(false);
    expect(c.stuck(at(0), 19, P)).toBe(true);
  });

  it('starts a fresh window after reporting stuck, so it reports once per allowance', () => {
    const c = new ProgressChecker();
    c.restart(at(0), 0);
    expect(c.stuck(at(0), 10, P)).toBe(true);
    expect(c.stuck(at(0), 10.05, P)).toBe(false);
    expect(c.stuck(at(0), 20, P)).toBe(true);
  });
});
