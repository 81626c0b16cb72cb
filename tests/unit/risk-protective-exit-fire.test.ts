import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { RiskService } from '../../src-main/trading/risk/service'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import type { ConditionalCreate, RiskLimits } from '../../src-main/api/schemas/trading'
import type { OrderIntent } from '../../src-main/trading/model'
import { balance, btcUsdt, fakeVenue, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'
import type { ScriptedTicks } from './conditional-harness'
import { riskDesk } from '../support/risk-desk'

// A protective exit — a stop-loss or take-profit that reduces a position (a sell; a bracket's exit, which
// closes what its entry opened) — must go out when it fires: the price band around the mid and the daily
// loss limit never refuse it then, or the position is left unprotected at the worst moment. Other orders a
// conditional order sends (a stop buy) stay held to both at fire. The real risk gate, order manager and
// conditional engine over a hand-made venue (BTC/USDT at 100; orders rest until the test fills them).

let store: Store
let venue: FakeVenue
let risk: RiskService
let orders: OrderManager
let conditional: ConditionalEngine
let ticks: ScriptedTicks
let clock: { t: number }

const at = (h: number, m = 0, s = 0) => Date.UTC(2025, 0, 1, h, m, s)
const noLimits: RiskLimits = { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null }

beforeEach(async () => {
  store = openStore(tempDir('co-riskexit-'), migrationsDir)
  const bus = new EventBus()
  clock = { t: at(10) }
  venue = fakeVenue('a')
  setMarket('100', '99.90', '100.00')
  venue.balances = [balance('USDT', '1000'), balance('BTC', '3')]
  ;({ risk, orders, conditional, ticks } = await riskDesk(store, bus, venue, () => clock.t))
})
afterEach(async () => {
  conditional.stop()
  await orders.stop()
  store.close()
})

/** The venue's book and last price, and a tick of them to the engine. */
function setMarket(last: string, bid: string, ask: string): void {
  venue.tickers.set('BTC/USDT', last)
  venue.books.set('BTC/USDT', { bids: [[bid, '5']], asks: [[ask, '5']] })
}
const tick = (last: string, bid: string, ask: string) => {
  setMarket(last, bid, ask)
  ticks.push({ last, bid, ask }, 'a', 'BTC/USDT')
}
const settled = () => new Promise((r) => setTimeout(r, 20))
const stopLimit = (side: 'buy' | 'sell', triggerPrice: string, limitPrice: string): ConditionalCreate => ({
  type: 'single',
  venueId: 'a',
  symbol: 'BTC/USDT',
  placement: 'app',
  leg: { kind: 'stop-limit', side, amount: '0.5', triggerPrice, limitPrice, trigger: 'last' },
})
const sent = () => venue.orders.map((o) => [o.side, o.type, o.amount, o.price])
const reasons = () => conditional.list({ scope: 'history', limit: 10 }).map((c) => c.reason)

describe('price band at fire: a protective exit is never refused by it', () => {
  beforeEach(() => risk.set({ ...noLimits, priceBandPct: '2' }))

  it('a sell stop-limit that fires in a gap sends its limit order although it is outside the band around the mid', async () => {
    tick('100', '99.90', '100.00')
    await conditional.create(stopLimit('sell', '95.00', '94.00'))
    tick('90', '89.90', '90.10') // gap: the mid 90 is 4.4 % under the limit 94
    await settled()
    expect(reasons()).toEqual([])
    expect(sent()).toEqual([['sell', 'limit', '0.5', '94']])
  })

  it('a stop-limit buy (it adds to the position) is still held to the band when it fires', async () => {
    tick('100', '99.90', '100.00')
    await conditional.create(stopLimit('buy', '105.00', '106.00'))
    tick('110', '109.90', '110.10')
    await settled()
    expect(sent()).toEqual([])
    expect(reasons()).toEqual(['its order was refused: Limit price 106.00 is 3.64% below the mid 110: outside the price band of 2%'])
  })
})

describe('daily loss limit at fire: a protective exit is never refused by it', () => {
  beforeEach(() => risk.set({ ...noLimits, dailyLossLimit: '100' }))

  const limitBuy: OrderIntent = { venueId: 'a', symbol: btcUsdt.symbol, side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.1', price: '60.00', origin: { kind: 'manual', ref: null } }

  it("a sell bracket's stop-loss buys back what its entry sold, although the day's loss has reached the limit", async () => {
    tick('100', '99.90', '100.00')
    // The day starts at the entry's check: 1000 USDT + 3 BTC × 100 = 1300.
    await conditional.create({
      type: 'bracket',
      venueId: 'a',
      symbol: 'BTC/USDT',
      entry: { side: 'sell', type: 'limit', price: '100.00', size: { unit: 'base', value: '1' }, timeInForce: 'GTC', postOnly: false },
      takeProfit: { triggerPrice: '90.00', trigger: 'last' },
      stopLoss: { triggerPrice: '110.00', trigger: 'last' },
    })
    const entry = venue.orders[0]!
    Object.assign(entry, { status: 'closed', filled: '1', cost: '100' })
    await orders.reconcile('a')
    await settled()
    expect(conditional.list({ scope: 'active', limit: 10 }).map((c) => [c.side, c.amount, c.status])).toEqual([
      ['buy', '1', 'armed'],
      ['buy', '1', 'armed'],
    ])
    // The account loses elsewhere: 1000 USDT + 1 BTC at 110 = 1110, 190 under the start. The day is locked.
    venue.balances = [balance('USDT', '1000'), balance('BTC', '1')]
    setMarket('110', '109.90', '110.10')
    clock.t = at(10, 30)
    await expect(orders.submit(limitBuy)).rejects.toThrow(/^Daily loss limit reached on Venue a/)
    tick('111', '110.90', '111.10') // the stop-loss fires
    await settled()
    expect(reasons().filter((r) => r !== null && r.startsWith('its order was refused'))).toEqual([])
    expect(venue.orders.slice(1).map((o) => [o.side, o.type, o.amount])).toEqual([['buy', 'market', '1']])
  })

  it('a stop buy that opens a position is still refused at fire once the limit is reached', async () => {
    tick('100', '99.90', '100.00')
    await orders.submit({ ...limitBuy, price: '50.00' }) // the day's start: 1300
    await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'buy', amount: '0.1', triggerPrice: '105.00', trigger: 'last' } })
    venue.balances = [balance('USDT', '1000'), balance('BTC', '1')]
    clock.t = at(10, 30)
    tick('106', '105.90', '106.10')
    await settled()
    expect(venue.orders.map((o) => o.price)).toEqual(['50.00'])
    expect(reasons()[0]).toMatch(/^its order was refused: Daily loss limit reached on Venue a/)
  })
})
