import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { RiskService } from '../../src-main/trading/risk/service'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import type { OrderIntent } from '../../src-main/trading/model'
import { balance, btcUsdt, fakeVenue, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'
import type { ScriptedTicks } from './conditional-harness'
import { riskDesk } from '../support/risk-desk'

// A conditional buy counts toward the max position while armed, and its order is checked again when it
// fires: the real risk gate, order manager and conditional engine over a hand-made venue (BTC/USDT at
// 100 USDT; orders rest, nothing fills) with scripted ticks. Max position 150 USDT: one BTC fits, two do not.

let store: Store
let bus: EventBus
let venue: FakeVenue
let risk: RiskService
let orders: OrderManager
let conditional: ConditionalEngine
let ticks: ScriptedTicks

beforeEach(async () => {
  store = openStore(tempDir('co-riskfire-'), migrationsDir)
  bus = new EventBus()
  venue = fakeVenue('a')
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.tickers.set('BTC/USDT', '100')
  venue.balances = [balance('USDT', '100000')]
  ;({ risk, orders, conditional, ticks } = await riskDesk(store, bus, venue, () => Date.UTC(2025, 0, 1, 14, 2, 11)))
  ticks.push({ last: '100.00', bid: '100.00', ask: '100.00' }, 'a', 'BTC/USDT') // the price a creation checks its trigger against
  risk.set({ maxOrderNotional: null, maxPositionNotional: '150', priceBandPct: null, dailyLossLimit: null })
})
afterEach(async () => {
  conditional.stop()
  await orders.stop()
  store.close()
})

const stopBuy = { type: 'single' as const, venueId: 'a', symbol: 'BTC/USDT', placement: 'app' as const, leg: { kind: 'stop-market' as const, side: 'buy' as const, amount: '1', triggerPrice: '105.00', trigger: 'last' as const } }
const limitBuy = (amount: string): OrderIntent => ({ venueId: 'a', symbol: btcUsdt.symbol, side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount, price: '90.00', origin: { kind: 'manual', ref: null } })
const price = (last: string) => ticks.push({ last, bid: last, ask: last }, 'a', 'BTC/USDT')
const settled = () => new Promise((r) => setTimeout(r, 20))

describe('max position: a conditional buy when it fires', () => {
  it('its order is checked counting it once (not as armed and as this order), then counts as an open buy', async () => {
    const [leg] = await conditional.create(stopBuy)
    await expect(orders.submit(limitBuy('0.6'))).rejects.toThrow(
      'A BTC position of 1.6 BTC ≈ 160 USDT on Venue a would be above the max position 150 USDT per market: 0 BTC held now + 1 BTC in armed conditional buys + 0.6 BTC in this order',
    )
    price('100.00')
    price('106.00') // fires: a market buy of 1 BTC ≈ 100 USDT
    await settled()
    expect(venue.orders.map((o) => [o.side, o.amount])).toEqual([['buy', '1']])
    expect(conditional.list({ scope: 'active', limit: 10 }).map((c) => [c.id, c.status])).toEqual([[leg?.id, 'triggered']])
    // Its order is working now: counted there, once.
    await expect(orders.submit(limitBuy('0.6'))).rejects.toThrow('per market: 0 BTC held now + 1 BTC in open buys + 0.6 BTC in this order')
  })

  it('a stop buy armed within the limit is refused when it fires if the position grew meanwhile', async () => {
    const [leg] = await conditional.create(stopBuy)
    venue.balances = [balance('USDT', '100000'), balance('BTC', '1')] // 1 BTC arrived (a deposit)
    price('100.00')
    price('106.00')
    await settled()
    expect(venue.orders).toEqual([])
    const [ended] = conditional.list({ scope: 'history', limit: 10 })
    expect(ended).toMatchObject({ id: leg?.id, status: 'failed' })
    expect(ended?.reason).toBe(
      'its order was refused: A BTC position of 2 BTC ≈ 200 USDT on Venue a would be above the max position 150 USDT per market: 1 BTC held now + 1 BTC in this order',
    )
  })

  it('an armed buy leaves room once it is canceled; a sell stop never counts', async () => {
    const [leg] = await conditional.create(stopBuy)
    await conditional.create({ ...stopBuy, leg: { ...stopBuy.leg, side: 'sell', triggerPrice: '95.00' } })
    await expect(conditional.create(stopBuy)).rejects.toThrow('per market: 0 BTC held now + 1 BTC in armed conditional buys + 1 BTC in this conditional buy')
    await conditional.cancel(leg?.id as string)
    await conditional.create(stopBuy)
    await orders.submit(limitBuy('0.5'))
  })
})
