import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, randomKey, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import { waitFor } from '../support/wait-for'
import type { AccountView, BalancesView, MarketView, VenueBalances, VenueView } from '../../src-main/api/contract'

// The venue registry over a real exchange account (ccxt against the local Binance server) next to the
// embedded simulated exchange: one list of venues, one market search, balances valued and totalled.

const ctx = { door: 'test' } as const
let fx: BinanceFixture
let core: Core

beforeAll(async () => {
  fx = await createBinanceFixture()
  // One trade so the exchange has a last price for BTC/USDT.
  fx.engine.deposit('erin', 'USDT', '1000000')
  fx.engine.placeOrder({
    accountId: 'erin', clientOrderId: 'e1', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.1', timeInForce: 'IOC', postOnly: false,
  })
  core = tempCore()
})
afterAll(async () => {
  await core.stop()
  await fx.close()
})

const { value: call } = contractCalls(() => core, ctx)

describe('venues with an exchange account', () => {
  let account: AccountView

  it('lists a new account as a venue that is not connected yet', async () => {
    const { apiKey, secret } = fx.keys.trader
    account = await call<AccountView>('accounts.add', {
      exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret },
    })
    const venues = await call<VenueView[]>('venues.list')
    expect(venues.map((v) => v.id)).toEqual(['sim', account.id])
    expect(venues[1]).toMatchObject({ kind: 'exchange', exchange: 'binance', connection: 'down', reason: 'Not connected yet' })
  })

  it('values the account at the exchange own prices and totals it with the paper account', async () => {
    const before = Date.now()
    const view = await call<BalancesView>('balances.list')
    const binance = view.venues.find((v) => v.venueId === account.id)!
    expect(binance.error).toBeNull()
    const last = fx.engine.ticker('BTC/USDT').last
    expect(binance.balances).toEqual([
      { asset: 'USDT', free: '100000', used: '0', total: '100000', value: '100000' },
      { asset: 'BTC', free: '1', used: '0', total: '1', value: new Decimal(last).toFixed() },
    ].sort((a, b) => new Decimal(b.value).cmp(a.value)))
    expect(view.totals.find((t) => t.asset === 'USDT')).toEqual({ asset: 'USDT', total: '110000', value: '110000', notValued: '0' })
    expect(view.totalValue).toBe(new Decimal(110000).plus(last).toFixed())
    // Live once its order and fill stream is subscribed too (until then 'rest-only': account-stream-status-binance).
    await waitFor(async () => (await call<VenueView[]>('venues.list'))[1]?.connection === 'live', 'the account live')
    const venues = await call<VenueView[]>('venues.list')
    expect(venues[1]).toMatchObject({ connection: 'live', reason: null })
    // One venue alone (the ticket's "available"): the same balances, without asking the others.
    const one = await call<VenueBalances>('balances.venue', { venueId: account.id })
    // Its prices may come from the reads just made for the list: then it says when they were read.
    const { pricesAt, ...rest } = one
    const { pricesAt: _listed, ...listed } = binance
    expect({ ...rest, updatedAt: 0 }).toEqual({ ...listed, updatedAt: 0 })
    if (pricesAt !== undefined) expect(pricesAt).toBeGreaterThanOrEqual(before)
    if (pricesAt !== undefined) expect(pricesAt).toBeLessThanOrEqual(Date.now())
    const unknown = await core.router.invoke('balances.venue', { venueId: 'nope' }, ctx)
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'No venue "nope"' } })
  })

  it('sends the account’s balances again after its order fills, once for the burst, as the exchange reports them', async () => {
    const pushed: VenueBalances[] = []
    const off = core.bus.on('balancesChanged', (e) => {
      if (e.balances.venueId === account.id) pushed.push(e.balances)
    })
    try {
      const size = { unit: 'base', value: '0.01' }
      const buy = () => call('orders.submit', { venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'market', size })
      const btcHeld = () => new Decimal(fx.engine.balances(fx.keys.trader.accountId).find((b) => b.asset === 'BTC')!.total).toFixed()
      const btcPushed = (push: VenueBalances | undefined) => push?.balances.find((b) => b.asset === 'BTC')?.total
      // The account followed first (its order and fill streams subscribed), so the burst's fills are told as
      // they happen, not by REST later as for an order that starts the streams.
      await core.orders.reconcile(account.id)
      await waitFor(() => fx.server.userDataSubscriptions(fx.keys.trader.accountId) > 0, 'the user-data subscription')
      // The burst: two buys resting at the top of the book, both filled by one market sell in one step of the
      // exchange (two orders sent one after the other could fill further apart than the push waits on a slow machine).
      const rest = () => call('orders.submit', { venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '95000', size })
      await rest()
      await rest()
      await waitFor(() => fx.engine.openOrders(fx.keys.trader.accountId, 'BTC/USDT').length === 2, 'both buys resting on the exchange')
      expect(pushed).toEqual([]) // resting orders move no balance push
      fx.engine.deposit('erin', 'BTC', '1')
      const sell = fx.engine.placeOrder({
        accountId: 'erin', clientOrderId: 'burst-sell', symbol: 'BTC/USDT', side: 'sell', type: 'market', amount: '0.02', timeInForce: 'IOC', postOnly: false,
      })
      expect(sell.fills.map((f) => new Decimal(f.amount).toFixed())).toEqual(['0.01', '0.01']) // both buys, in this one step
      await waitFor(() => pushed.length > 0, 'a balance push after the fills')
      expect(pushed.length, 'a balance push after the fills').toBe(1)
      // What the exchange holds after the fills (1 BTC and about 0.02 more).
      const afterBurst = btcHeld()
      expect(btcPushed(pushed[0])).toBe(afterBurst)
      expect(new Decimal(afterBurst).gt(1)).toBe(true)
      // No second push for the same burst: the next one is a later order's, with what it holds after that.
      await buy()
      const afterLater = btcHeld()
      expect(afterLater).not.toBe(afterBurst)
      await waitFor(() => pushed.some((p) => btcPushed(p) === afterLater), 'the later order\'s balance push')
      expect(pushed.map(btcPushed)).toEqual([afterBurst, afterLater])
    } finally {
      off()
    }
  })

  it('searches the exchange markets alongside the simulated ones', async () => {
    const onBinance = await call<MarketView[]>('markets.search', { query: 'btc/usdt', venueId: account.id })
    expect(onBinance).toEqual([expect.objectContaining({ venueId: account.id, venueLabel: 'Binance main', symbol: 'BTC/USDT', tickSize: '0.01' })])
    const everywhere = await call<MarketView[]>('markets.search', { query: 'BTC/USDT' })
    expect(everywhere.map((m) => m.venueId).sort()).toEqual([account.id, 'sim'].sort())
  })

  it('shows a failing account its own error while the other venues still answer', async () => {
    const bad = await call<AccountView>('accounts.add', {
      exchange: 'binance', label: 'Wrong secret', apiBaseUrl: fx.server.restUrl,
      credentials: { apiKey: fx.keys.trader.apiKey, secret: randomKey() },
    })
    const view = await call<BalancesView>('balances.list')
    const failing = view.venues.find((v) => v.venueId === bad.id)!
    expect(failing.balances).toEqual([])
    expect(failing.error).toMatch(/signature/i)
    expect(view.venues.find((v) => v.venueId === 'sim')!.value).toBe('10000')
    const venues = await call<VenueView[]>('venues.list')
    expect(venues.find((v) => v.id === bad.id)).toMatchObject({ connection: 'down', reason: expect.stringMatching(/signature/i) })
  })
})
