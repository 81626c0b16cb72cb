import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Some tests simulate hours of market on a virtual clock: CPU-bound, so a loaded 2-core
          // machine needs headroom. Timeouts only guard against hangs; speed is measured by benches.
          testTimeout: 60_000,
          // expect.poll waits for a condition: 1 s (vitest's default) before calling it a failure is a speed
          // bound in disguise on a loaded machine. It still returns as soon as the condition holds.
          expect: { poll: { timeout: 10_000 } },
          // Two files at a time (vitest's default on 2 cores is one): a file's import and set-up time is a
          // good part of the total, and two full runs this way passed under load 9-20.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
          expect: { poll: { timeout: 10_000 } }, // as for unit: a condition's wait, not a speed bound
          // Two files at a time (vitest's default on 2 cores is one): most of a file's time is spent waiting
          // (ccxt's rate-limit queue, retry delays, sockets, child processes), not computing. Files share
          // nothing: ephemeral ports, their own temp data dirs, a per-run keychain service name.
          maxWorkers: 2,
        },
      },
    ],
  },
})
