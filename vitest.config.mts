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
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Real sockets, files and keychain: one file at a time keeps 2-core machines honest.
          fileParallelism: false,
        },
      },
    ],
  },
})
