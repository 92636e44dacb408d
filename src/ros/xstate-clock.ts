import type { RosNode, Timer } from './node-api.js';

/** The clock interface XState v5 actors accept (`createActor(machine, { clock })`). */
export interface ActorClock {
  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * XState's delays (`after`, delayed events) on the node clock: each delay is a one-shot node
 * timer, so machines wait in simulated time in the simulator and in ROS time on the robot.
 */
export function nodeActorClock(node: RosNode): ActorClock {
  return {
    setTimeout(fn, timeoutMs) {
      const period = BigInt(Math.max(1, Math.round(timeoutMs * 1e6)));
      const timer: Timer = node.createTimer(period, () => {
        timer.cancel();
        fn();
      });
      return timer;
    },
    clearTimeout(id) {
      (id as Timer | undefined)?.cancel();
    },
  };
}
