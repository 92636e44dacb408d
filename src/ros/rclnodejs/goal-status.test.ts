import { describe, expect, it } from 'vitest';
import { GoalStatus } from '../node-api.js';
import { goalStatusOf, isTerminal, responseCode, uuidString } from './goal-status.js';

describe('action_msgs/msg/GoalStatus', () => {
  it('takes each of the seven codes as it is', () => {
    for (const code of Object.values(GoalStatus)) expect(goalStatusOf(code, 'g')).toBe(code);
    expect(Object.values(GoalStatus)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses anything else, naming the goal', () => {
    for (const bad of [7, -1, 2.5, '4', undefined]) {
      expect(() => goalStatusOf(bad, 'goal-1')).toThrow(
        `goal goal-1: status ${String(bad)} is not an action_msgs/msg/GoalStatus code (0…6)`,
      );
    }
  });

  it('knows the terminal ones', () => {
    const terminal = Object.values(GoalStatus).filter(isTerminal);
    expect(terminal).toEqual([
      GoalStatus.STATUS_SUCCEEDED,
      GoalStatus.STATUS_CANCELED,
      GoalStatus.STATUS_ABORTED,
    ]);
  });
});

describe('server decisions and goal ids', () => {
  it('maps accept and reject onto rclnodejs’s GoalResponse / CancelResponse values', () => {
    // rclnodejs: REJECT = 1, ACCEPT = 2 for both enums.
    const responses = { REJECT: 1, ACCEPT: 2 } as const;
    expect(responseCode('accept', responses)).toBe(2);
    expect(responseCode('reject', responses)).toBe(1);
  });

  it('writes a UUID as 8-4-4-4-12 hex and refuses one that is not 16 bytes', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    expect(uuidString(bytes)).toBe('00112233-4455-6677-8899-aabbccddeeff');
    expect(uuidString(Array.from(bytes))).toBe('00112233-4455-6677-8899-aabbccddeeff');
    expect(() => uuidString(new Uint8Array(15))).toThrow('a goal id has 16 bytes, this one 15');
  });
});
