import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'cli/**/*.test.ts',
      'behaviors/**/*.test.ts',
      'sim/**/*.test.ts',
      'firmware-bridge/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Scenario tests run many simulated minutes; they are bounded by simulated time, the timeouts
    // only guard against a hang, so they leave a loaded machine room (the longest scenario takes
    // 50 s on an idle CI machine, 120 s on one busy with other work).
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One worker per core. Vitest's default keeps a core for itself (cores - 1), which on a
    // 2-core CI machine runs the whole suite in one worker; but the main process only collects
    // results, and almost all of the suite is simulation, CPU-bound in the workers.
    maxWorkers: os.availableParallelism(),
    setupFiles: ['./vitest.setup.ts'],
  },
});
