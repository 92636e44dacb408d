/**
 * Keeps a simulated robot's time moving while a real browser talks to it. The browser lives on the
 * wall clock and the robot on the simulated one, so the test picks how they relate:
 * - 'fast': as fast as the CPU allows (missions, escorts); every few steps the event loop gets a
 *   turn, so HTTP and WebSocket traffic flows between steps;
 * - 'realtime': simulated time never runs ahead of the wall clock (teleop, whose 100 ms renewals
 *   come from the browser's timer). A loaded machine makes simulated time lag, never lead, so a
 *   deadman can only see commands more often than a person sends them.
 */
export interface Steppable {
  world: { step(): void };
  graph: { spinSome(): void; now(): { nanoseconds: bigint } };
}

export interface Pump {
  /** Simulated seconds since the epoch, now. */
  simNow(): number;
  setMode(mode: 'fast' | 'realtime'): void;
  stop(): Promise<void>;
}

const STEP_S = 0.01;
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * @param everyStep runs after each world step and before the graph spins, as the scenario runner
 *   does for its customers (the kiosk's simulated customer walks here).
 */
export function startPump(sim: Steppable, mode: 'fast' | 'realtime' = 'fast', everyStep?: () => void): Pump {
  let running = true;
  let current = mode;
  const simNow = () => Number(sim.graph.now().nanoseconds) / 1e9;
  let anchor = { wall: performance.now(), sim: simNow() };
  const loop = (async () => {
    while (running) {
      if (current === 'realtime') {
        const ahead = simNow() - anchor.sim - (performance.now() - anchor.wall) / 1000;
        if (ahead > 0) {
          await pause(Math.max(1, Math.round(ahead * 1000)));
          continue;
        }
      }
      const steps = current === 'realtime' ? 1 : 5;
      for (let i = 0; i < steps; i++) {
        sim.world.step();
        everyStep?.();
        sim.graph.spinSome();
      }
      await immediate();
    }
  })();
  return {
    simNow,
    setMode(next) {
      current = next;
      anchor = { wall: performance.now(), sim: simNow() };
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

export { STEP_S };
