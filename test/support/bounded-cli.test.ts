import { describe, expect, it } from 'vitest';
import { baselineRssMb, runCliBounded } from './bounded-cli.js';

describe('the bounded command-line runner', () => {
  it('reports exit status, output, peak memory and the heap still live at exit', async () => {
    const r = await runCliBounded(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/medhjalparen run/);
    expect(r.peakRssMb).toBeGreaterThan(10);
    expect(r.liveHeapMb).toBeGreaterThan(1);
    expect(r.liveHeapMb).toBeLessThan(r.peakRssMb);
    expect(r.timedOut).toBe(false);
    expect(await baselineRssMb()).toBeGreaterThan(10);
  });

  it('kills a command that outlives its bound and says so', async () => {
    const r = await runCliBounded(['run', '--fast', '--duration', '100000'], { timeoutMs: 3000 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
  });
});
