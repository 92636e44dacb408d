/**
 * Robots' states as tests and benchmarks need them, in one place: a robot idle, charged and
 * localised at a pose (changed as a test says), and a **stand-in** mission that records what it
 * is asked and stays busy with it (the real mission is the robot's own; these check the fleet
 * around it).
 */
import type { MissionPort } from './agent/mission-port.js';
import type { WatchedState } from './agent/robot-watch.js';
import { FLEET_SCHEMA_VERSION, type RobotState, type Task } from './protocol.js';

/** What a robot's watch says of an idle, charged, localised robot at (x, y). */
export function idleWatched(x: number, y: number, change: Partial<WatchedState> = {}): WatchedState {
  return {
    pose: { x, y, yaw: 0 },
    mission: { state: 'idle', reason: '', destination: '', task: '' },
    battery: { charge: 0.9, charging: false, reliable: true },
    localization: 'ok',
    estop: false,
    faults: [],
    available: true,
    ...change,
  };
}

/** A robot's state as the fleet keeps it: idle, charged, localised, unless told otherwise. */
export function robotState(robot: string, site: string, change: Partial<RobotState> = {}): RobotState {
  return {
    v: FLEET_SCHEMA_VERSION,
    robot,
    site,
    seq: 1,
    boot: '0123abcd',
    stampMs: 0,
    ...idleWatched(1, 2),
    ...change,
  };
}

/** A stand-in mission: records each task it is asked to start, and never finishes one. */
export function recordingMission(started: Task[]): MissionPort {
  return {
    async start(task) {
      started.push(task);
      const never = new Promise<never>(() => {});
      return { ok: true, run: { started: never, finished: never, cancel: async () => {} } };
    },
  };
}

/**
 * A test's wait for the fleet: until `ready()` holds, stepping an embedded graph's clock by 0.1 s
 * a turn (the agents' timers run on it) and letting the network's answers in between; counted in
 * turns, never in wall time. Fails saying what never happened, with the last log lines.
 */
export function graphStepper(
  clock: { nowNs(): bigint; advanceTo(ns: bigint): void },
  graph: { spinSome(): void },
  lines: readonly string[],
) {
  return async (what: string, ready: () => boolean | Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 200_000; i++) {
      if (await ready()) return;
      clock.advanceTo(clock.nowNs() + 100_000_000n);
      graph.spinSome();
      await new Promise((r) => setImmediate(r));
    }
    throw new Error(`never happened: ${what}\n${lines.slice(-10).join('\n')}`);
  };
}
