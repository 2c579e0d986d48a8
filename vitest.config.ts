import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/setup/counts-reporter.ts'],
    pool: 'forks',
    // Two cores: more workers only add contention with PostgreSQL and Redis.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['tests/**/*.test.ts'],
          // Processes, outages and load: `npm run test:faults` (vitest.faults.config.ts), run by .ci/run after this.
          exclude: [...configDefaults.exclude, 'tests/faults/**'],
          globalSetup: ['tests/setup/global-setup.ts'],
          setupFiles: ['tests/setup/per-file.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { LOG_LEVEL: 'silent' },
        },
      },
      {
        // The web UI's component tests: jsdom, no database (the browser journeys are Playwright's, tests/e2e).
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          root: 'web',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['test/setup.ts'],
          testTimeout: 15_000,
        },
      },
    ],
  },
});
