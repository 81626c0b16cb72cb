import { defineConfig } from '@playwright/test'

// End-to-end tests drive Debian's chromium against the headless door (see tests/e2e/fixtures.ts).
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two spec files at a time, each worker with its own headless engine and fresh data dir (fixtures.ts):
  // much of a spec's time is spent waiting for the live simulated market. Tests within a file stay in order.
  fullyParallel: false,
  workers: 2,
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
