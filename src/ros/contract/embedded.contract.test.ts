/**
 * The graph contract on the embedded graph, in simulated time: the clock moves only when the
 * backend advances it, and a few executor passes (with the promise continuations between them)
 * are all it takes for everything ready to have happened.
 */
import { SimClock } from '../clock.js';
import { EmbeddedContext } from '../embedded.js';
import type { ContractBackend } from './backend.js';
import { graphContract } from './graph-contract.js';

/** Executor passes after which an embedded graph has handled all that is ready. */
const SETTLE_PASSES = 4;
/** Passes `until` allows: far more than any contract test needs, so a miss is a real miss. */
const MAX_PASSES = 200;

async function openEmbedded(): Promise<ContractBackend> {
  const clock = new SimClock(1_000_000_000n);
  const graph = new EmbeddedContext({ clock });
  // One executor pass, then the promise continuations it made ready (action results, handles).
  const pass = async () => {
    graph.spinSome();
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const passes = async (n: number) => {
    for (let i = 0; i < n; i++) await pass();
  };
  return {
    graph,
    time: () => clock.nowNs(),
    async advance(ns) {
      clock.advanceTo(clock.nowNs() + ns);
      await passes(SETTLE_PASSES);
    },
    async until(done, what) {
      for (let i = 0; i < MAX_PASSES && !done(); i++) await pass();
      if (!done()) throw new Error(`${what}: still not so after ${MAX_PASSES} executor passes`);
    },
    settle: () => passes(SETTLE_PASSES),
    async close() {
      graph.shutdown();
    },
  };
}

graphContract('embedded (simulated time)', openEmbedded);
