/**
 * ROS time on a real robot: the system clock, and an executor loop that spins the embedded
 * graph when its next timer is due. The one place in src/ros that reads the wall clock and arms
 * real timers; control code still only sees its node's clock.
 */
import type { Clock } from './clock.js';

/** The epoch time at start-up, then advanced by the monotonic high-resolution timer (ns steps). */
export class SystemClock implements Clock {
  readonly #epochAtStartNs = BigInt(Date.now()) * 1_000_000n;
  readonly #hrAtStart = process.hrtime.bigint();

  nowNs(): bigint {
    return this.#epochAtStartNs + (process.hrtime.bigint() - this.#hrAtStart);
  }
}

/**
 * Spins `ctx` (whose clock must be a SystemClock) until stopped: at each timer's due time and
 * at least every `maxIdleMs`, so messages published from I/O callbacks are delivered promptly.
 */
/** What a real-time loop needs of an executor. */
export interface SteppableGraph {
  readonly clock: Clock;
  spinSome(): void;
  /** When the next timer is due, ns (undefined: none). */
  nextTimerDue(): bigint | undefined;
}

export function spinRealtime(ctx: SteppableGraph, maxIdleMs = 5): { stop(): void } {
  let stopped = false;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const loop = () => {
    if (stopped) return;
    ctx.spinSome();
    const next = ctx.nextTimerDue();
    const waitMs = next === undefined ? maxIdleMs : Number(next - ctx.clock.nowNs()) / 1e6;
    handle = setTimeout(loop, Math.max(0, Math.min(maxIdleMs, waitMs)));
  };
  loop();
  return {
    stop() {
      stopped = true;
      if (handle) clearTimeout(handle);
    },
  };
}
