import { describe, expect, it } from 'vitest';
import { header, Time } from '../src/ros/index.js';
import { formatLiveEvent } from './live.js';

const status = (state: string, destination_id: string, reason: string) => ({
  t: 65,
  kind: 'status' as const,
  status: {
    header: header('', new Time(0n)),
    state,
    request_id: 'dispatch-1',
    destination_id,
    reason,
    why: '',
  },
});

describe('the live view', () => {
  it('says where the robot waits after a dispatch, and that it is home otherwise', () => {
    expect(formatLiveEvent(status('idle', 'kela', 'dispatch_arrived'))).toBe(
      '[00:01:05]  robot: idle at kela',
    );
    expect(formatLiveEvent(status('idle', 'dock', 'dispatch_arrived'))).toBe(
      '[00:01:05]  robot: idle, at its dock',
    );
    expect(formatLiveEvent(status('idle', 'kela', 'desk_closed_by_staff'))).toBe(
      '[00:01:05]  robot: idle, at its dock',
    );
    expect(formatLiveEvent(status('paused', 'kela', 'paused'))).toBe(
      '[00:01:05]  robot: paused → kela (paused)',
    );
  });
});
