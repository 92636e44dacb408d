import { describe, expect, it } from 'vitest';
import { firmwareOf, type FiveBoard } from './index.js';

const boardNamed = (name: string) =>
  ({ io: { firmware: { name, version: { major: 2, minor: 5 } } } }) as unknown as FiveBoard;

describe('the firmware a board reports', () => {
  it('is shown with its version', () => {
    expect(firmwareOf(boardNamed('medhjalparen-drive'))).toBe('medhjalparen-drive 2.5');
  });

  it('shows control characters and escape sequences in the name instead of sending them to a terminal', () => {
    expect(firmwareOf(boardNamed('evil\u001b[2J\u0007.ino'))).toBe('evil\\x1b[2J\\x07.ino 2.5');
  });

  it('cuts a long name to a short excerpt', () => {
    expect(firmwareOf(boardNamed('x'.repeat(10_000))).length).toBeLessThan(100);
  });
});
