import { describe, expect, it } from 'vitest';
import { robotState } from '../fleet-fixtures.js';
import { RobotRoll } from './robot-roll.js';

const state = (seq: number, boot = 'aaaaaaaa') =>
  robotState('r1', 'iso-omena', { seq, boot, stampMs: seq, pose: null });

describe('the roll of robots', () => {
  it('drops repeated and late states, and takes a restarted robot anew', () => {
    const roll = new RobotRoll([{ robot: 'r1', site: 'iso-omena' }]);
    expect(roll.get('r1')?.status).toBe('never_seen');
    expect(roll.heard(state(2), 0)).toBe('taken');
    expect(roll.heard(state(2), 1)).toBe('old');
    expect(roll.heard(state(1), 2)).toBe('old');
    expect(roll.get('r1')?.lastSeenMs).toBe(0);
    expect(roll.heard(state(1, 'bbbbbbbb'), 3)).toBe('taken');
  });

  it('says a silent robot has vanished once, and that it is back when heard again', () => {
    const roll = new RobotRoll([], 3000);
    roll.heard(state(1), 1000);
    expect(roll.sweep(4000)).toEqual([]);
    expect(roll.sweep(4001).map((r) => r.robot)).toEqual(['r1']);
    expect(roll.sweep(9000)).toEqual([]);
    expect(roll.heard(state(2), 9000)).toBe('back');
  });
});
