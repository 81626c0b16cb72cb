import { defineConfig } from '@playwright/test'

// End-to-end tests drive Debian's chromium against the headless door (see tests/e2e/fixtures.ts).
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One spec file at a time: with two workers (each its own engine and browser) the chart spec's drawn-line
  // check timed out once in three clean-clone CI runs on a 2-core machine. Tests within a file stay in order.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-reports/e2e.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    viewport: { width: 1400, height: 860 },
    trace: 'retain-on-failure',
  },
})
