/**
 * Real-time pacing for the simulator: waits until the wall clock has caught up with simulated
 * time. Lives in the CLI because only an adapter may read the wall clock.
 */
import { performance } from 'node:perf_hooks';

export function realtimePacer(): (simElapsedS: number) => Promise<void> {
  const startMs = performance.now();
  return (simElapsedS) => {
    const aheadMs = simElapsedS * 1000 - (performance.now() - startMs);
    return new Promise((resolve) => (aheadMs > 1 ? setTimeout(resolve, aheadMs) : setImmediate(resolve)));
  };
}

export function wallClockMs(): number {
  return performance.now();
}
