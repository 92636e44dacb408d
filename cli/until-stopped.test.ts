import { afterEach, describe, expect, it, vi } from 'vitest';
import { untilStopped } from './until-stopped.js';

const DAY_MS = 24 * 3600 * 1000;

afterEach(() => {
  vi.useRealTimers();
});

describe('waiting for the end of a run', () => {
  it('waits out a duration longer than one timer can hold (issue 10: 30 days stopped after 1 ms)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let ended = false;
    void untilStopped(30 * 24 * 3600).then(() => (ended = true));
    await vi.advanceTimersByTimeAsync(25 * DAY_MS);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(5 * DAY_MS + 1);
    expect(ended).toBe(true);
  });

  it('ends on Ctrl-C, and lets go of its signal handlers', async () => {
    const before = process.listenerCount('SIGINT');
    const stopped = untilStopped(undefined);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT');
    await stopped;
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
