/**
 * Clocks. Control code never reads the wall clock: it asks its node, whose clock is either
 * simulation time (stepped by the simulator, published on /clock) or, on a real robot, the
 * system clock behind the same interface.
 */
export interface Clock {
  /** Current time in integer nanoseconds since the epoch. */
  nowNs(): bigint;
}

/** ROS time under `use_sim_time`: it only moves when the simulator advances it. */
export class SimClock implements Clock {
  #now: bigint;

  constructor(startNs = 0n) {
    this.#now = startNs;
  }

  nowNs(): bigint {
    return this.#now;
  }

  /** Moves time forward; time never runs backwards (a jump back is a bug in the caller). */
  advanceTo(ns: bigint): void {
    if (ns < this.#now) throw new RangeError(`sim clock cannot go back from ${this.#now} to ${ns} ns`);
    this.#now = ns;
  }
}
