import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core'
import { tempCore } from '../support/temp-core'

// portfolio.summary and portfolio.equity for an account the ledger does not have answered an empty view —
// a P&L of nothing that reads as a true one. They refuse it with NOT_FOUND, naming the accounts there are,
// as tax.report does; an account the ledger has still answers.

describe('portfolio.summary / portfolio.equity for one account', () => {
  let core: (Core & { dataDir: string }) | undefined
  afterEach(async () => {
    await core?.stop()
    if (core) fs.rmSync(core.dataDir, { recursive: true, force: true })
    core = undefined
  })

  it('refuses an account the ledger does not have with NOT_FOUND', async () => {
    core = tempCore()
    const ctx = { door: 'test' as const }
    for (const command of ['portfolio.summary', 'portfolio.equity'] as const) {
      const reply = await core.router.invoke(command, { period: '7d', account: 'simm' }, ctx)
      expect(reply, command).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/^account "simm" is not a ledger account \(known: .*\bsim\b/) } })
      const known = await core.router.invoke(command, { period: '7d', account: 'sim' }, ctx)
      expect(known.ok, JSON.stringify(known)).toBe(true)
    }
  })
})
