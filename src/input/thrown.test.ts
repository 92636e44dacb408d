import { describe, expect, it } from 'vitest';
import { describeThrown } from './index.js';

describe('describing a thrown value', () => {
  it("gives an Error's message, with control characters shown", () => {
    expect(describeThrown(new Error('--port /dev/x\u001b[2J: busy'))).toBe('--port /dev/x\\x1b[2J: busy');
  });

  it('gives the message of an error-like object (a johnny-five fail event), not [object Object]', () => {
    expect(describeThrown({ class: 'Board', message: 'A timeout occurred' })).toBe('A timeout occurred');
  });

  it('names an Error without a message by its kind', () => {
    expect(describeThrown(new TypeError(''))).toBe('TypeError without a message');
  });

  it('quotes a thrown string, and shows any other value briefly with what it was', () => {
    expect(describeThrown('bad\nline')).toBe('bad\\nline');
    expect(describeThrown({ errno: -25 })).toBe('something that is not an Error was thrown: { errno: -25 }');
    expect(describeThrown(undefined)).toBe('something that is not an Error was thrown: undefined');
  });

  it('cuts a huge message or value to a bounded line', () => {
    expect(describeThrown(new Error('x'.repeat(5_000_000))).length).toBeLessThanOrEqual(1000);
    expect(describeThrown({ big: 'y'.repeat(5_000_000) }).length).toBeLessThan(300);
  });
});
