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
    // Scenario tests run many simulated minutes; they are bounded by simulated time, the timeout
    // only guards against a hang on a slow machine.
    testTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['./vitest.setup.ts'],
  },
});
