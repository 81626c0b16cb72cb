import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { OrderView, VenueView } from '../../src-main/api/contract'
import type { LedgerAccountView } from '../../src-main/api/schemas/portfolio'
import type { FollowView } from '../../src-main/api/schemas/copy'

// A closed paper account's history keeps its name: orders, copy relationships and the portfolio's
// accounts name it as it was called, not by its id ("paper:1").

const ctx = { door: 'test' } as const
const MIA = 'sim:trader:mean-mia'
let core: Core

beforeEach(() => {
  core = tempCore()
  core.sim.runtime.advance(30_000)
})
afterEach(async () => {
  await core.stop()
})

const { ok } = contractCalls(() => core, ctx)

describe('a removed exchange account in the portfolio', () => {
  it('keeps its ledger under the name it had, not its id', async () => {
    const added = (await ok('accounts.add', { exchange: 'binance', label: 'Binance main', credentials: { apiKey: 'A'.repeat(64), secret: 'B'.repeat(64) } })) as { id: string }
    // A trade synced from the exchange while it was there.
    core.store.sqlite
      .prepare(`insert into ledger_entries (account, kind, timestamp, symbol, base, quote, side, price, amount, source, external_id, created_at) values (?, 'trade', 1704067200000, 'BTC/USDT', 'BTC', 'USDT', 'buy', '40000', '0.1', 'venue', 't-1', 1704067200000)`)
      .run(added.id)
    await ok('accounts.remove', { id: added.id })
    const accounts = (await ok('portfolio.accounts', {})) as LedgerAccountView[]
    expect(accounts.find((a) => a.account === added.id)).toMatchObject({ label: 'Binance main', kind: 'exchange', canSync: false })
  })
})

describe('a closed paper account in history', () => {
  it('is named as it was called, not by its id', async () => {
    const paper = (await ok('paper.open', { source: { kind: 'venue', venueId: 'sim' }, label: 'Swing practice', balances: [{ asset: 'USDT', amount: '100000' }] })) as VenueView
    const order = (await ok('orders.submit', { venueId: paper.id, symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.01' } })) as OrderView
    expect(order.status).toBe('filled')
    await ok('copy.follow', { leaderId: MIA, followerVenueId: paper.id, sizing: { mode: 'multiplier', value: '0.5' }, allocationPct: '100' })
    core.portfolio.flush()

    await ok('paper.close', { venueId: paper.id })

    const history = (await ok('orders.list', { scope: 'history' })) as OrderView[]
    expect(history.find((o) => o.clientOrderId === order.clientOrderId)?.venueLabel).toBe('Swing practice')
    const follows = (await ok('copy.follows', {})) as FollowView[]
    expect(follows.find((f) => f.settings.followerVenueId === paper.id)?.followerLabel).toBe('Swing practice')
    const accounts = (await ok('portfolio.accounts', {})) as LedgerAccountView[]
    expect(accounts.find((a) => a.account === paper.id)).toMatchObject({ kind: 'paper', label: 'Swing practice' })
  })
})

describe('venues.former', () => {
  it('names the removed exchange accounts and closed paper accounts, so a screen can say what a gone venue was', async () => {
    const added = (await ok('accounts.add', { exchange: 'binance', label: 'Binance main', credentials: { apiKey: 'A'.repeat(64), secret: 'B'.repeat(64) } })) as { id: string }
    const paper = (await ok('paper.open', { source: { kind: 'venue', venueId: 'sim' }, label: 'Swing practice' })) as VenueView
    await ok('paper.open', { source: { kind: 'venue', venueId: 'sim' }, label: 'Still open' })
    expect(await ok('venues.former', {})).toEqual([])
    await ok('accounts.remove', { id: added.id })
    await ok('paper.close', { venueId: paper.id })
    expect(await ok('venues.former', {})).toEqual([
      { id: added.id, label: 'Binance main', kind: 'exchange' },
      { id: paper.id, label: 'Swing practice', kind: 'paper' },
    ])
  })
})
