import os from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The graph contract against rclnodejs needs a sourced ROS 2; without one it is left out, and the
 * global setup says so in the run's output (it is never skipped in silence).
 */
const RCLNODEJS_CONTRACT = 'src/ros/contract/rclnodejs.contract.test.ts';
const rosSourced = Boolean(process.env['ROS_DISTRO']);

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
      'launch/**/*.test.ts',
    ],
    exclude: [...configDefaults.exclude, ...(rosSourced ? [] : [RCLNODEJS_CONTRACT])],
    globalSetup: ['./src/ros/contract/not-run-notice.ts'],
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
