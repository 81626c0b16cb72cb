import { test as base } from '@playwright/test'
import { startHeadless, type HeadlessProcess } from '../support/headless-process'

// One headless engine (fresh data dir) per test file's worker; tests open pages against it.
export const test = base.extend<Record<never, never>, { engine: HeadlessProcess }>({
  engine: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const server = await startHeadless()
      await use(server)
      await server.stop()
    },
    { scope: 'worker' },
  ],
})

export { expect } from '@playwright/test'
