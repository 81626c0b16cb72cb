import fs from 'node:fs'
import { afterEach, expect, it } from 'vitest'
import type { Core } from '../../src-main/core'
import { accountLabel } from '../../src-main/portfolio/live/index'
import { paperAccountOf } from '../../src-main/tax/paper-accounts'
import { tempCore } from '../support/temp-core'

// The simulated exchange's account had two names: "Simulated exchange" on Balances, Orders and the ticket
// (the venue list), "Paper (simulated)" in the ledger screens (Portfolio, P&L, accounts, tax, leaderboard).
// It is one account: every screen now calls it by the venue's name.

let core: (Core & { dataDir: string }) | undefined
afterEach(async () => {
  await core?.stop()
  if (core) fs.rmSync(core.dataDir, { recursive: true, force: true })
  core = undefined
})

const value = <T>(reply: { ok: boolean }): T => {
  if (!reply.ok) throw new Error(JSON.stringify(reply))
  return (reply as unknown as { value: T }).value
}

it('the simulated exchange goes by the same name in the venue list, the portfolio, the ledger accounts, tax and the leaderboard', async () => {
  core = tempCore()
  const ctx = { door: 'test' as const }
  const venues = value<{ id: string; label: string }[]>(await core.router.invoke('venues.list', {}, ctx))
  const name = venues.find((v) => v.id === 'sim')!.label
  const summary = value<{ accounts: { account: string; label: string }[] }>(await core.router.invoke('portfolio.summary', { period: '7d' }, ctx))
  const ledger = value<{ account: string; label: string }[]>(await core.router.invoke('portfolio.accounts', {}, ctx))
  expect(summary.accounts.find((a) => a.account === 'sim')?.label).toBe(name)
  expect(ledger.find((a) => a.account === 'sim')?.label).toBe(name)
  expect(paperAccountOf(core.store.db, 'sim')?.label).toBe(name) // tax reports name the paper accounts they leave out
  expect(accountLabel('sim', (id) => id)).toBe(name) // the leaderboard and the notices' account names
})
