// Reports the process's peak resident memory when it exits, for tests that bound a command's
// memory: start it with `node --import ./test/support/report-peak-rss.mjs …` and REPORT_PEAK_RSS=<file>.
// Started with --expose-gc it also reports the heap still live after a full collection: what the
// process holds, as opposed to the garbage V8 lets pile up before it collects (which depends on
// its heuristics and the machine's speed, not on the program).
import { writeFileSync } from 'node:fs';

const file = process.env.REPORT_PEAK_RSS;
if (file) {
  process.on('exit', () => {
    const peak = process.resourceUsage().maxRSS * 1024;
    let live = NaN;
    if (typeof globalThis.gc === 'function') {
      globalThis.gc();
      live = process.memoryUsage().heapUsed;
    }
    writeFileSync(file, JSON.stringify({ peak, live }));
  });
}
