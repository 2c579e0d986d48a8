import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';
import { PREACT_ALIASES } from './web/preact-aliases.js';

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
        // What ships: Preact behind React's names (docs/decisions/035), libraries included, so they are inlined.
        resolve: {
          alias: [
            ...PREACT_ALIASES,
            // Its ES module build, so the aliases reach its own imports of react-dom (the CommonJS one bypasses them).
            {
              find: /^@testing-library\/react$/,
              replacement: '@testing-library/react/dist/@testing-library/react.esm.js',
            },
          ],
        },
        test: {
          name: 'web',
          root: 'web',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['test/setup.ts'],
          server: {
            deps: { inline: [/@testing-library/, /@tanstack/, /recharts/, /react-redux/, /use-sync-external-store/] },
          },
          testTimeout: 15_000,
        },
      },
    ],
  },
});
