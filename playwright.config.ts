import { defineConfig } from '@playwright/test';

/**
 * Browser journeys against a real started portal (tests/e2e/global-setup.ts starts PostgreSQL, Redis, the CRS
 * emulator and `node dist/main.js`). Chromium comes from Debian (`apt-get install chromium`): Playwright's own
 * browser download cannot run on these machines.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  outputDir: 'test-results',
  // Two cores and one portal: journeys run one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['./tests/e2e/support/counts-reporter.ts']],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--disable-breakpad',
        '--metrics-recording-only',
      ],
    },
  },
});
