import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault-injection suite (tests/faults). Each file starts its own PostgreSQL, Redis,
 * CRS emulator and portal processes and breaks one of them under load, so files run one at a time: in parallel
 * they would only fight over the two cores and blur each other's figures.
 */
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    reporters: ['default', './tests/setup/counts-reporter.ts'],
    setupFiles: ['tests/setup/per-file.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The suite's own log lines (figures per scenario) are its report; keep them.
    silent: false,
  },
});
