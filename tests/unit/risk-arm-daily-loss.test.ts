import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { RiskService } from '../../src-main/trading/risk/service'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import type { ConditionalCreate } from '../../src-main/api/schemas/trading'
import type { OrderIntent } from '../../src-main/trading/model'
import { balance, btcUsdt, fakeVenue, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'
import type { ScriptedTicks } from './conditional-harness'
import { riskDesk } from '../support/risk-desk'

// Once the day's loss has reached the daily loss limit, the ticket refuses buys for the rest of the UTC day.
// A conditional buy is refused then too when it is created or amended, with the ticket's words — not armed,
// shown as working, and refused only when it fires. Sells (they reduce exposure) are still armed. The real
// risk gate, order manager and conditional engine over a hand-made venue: 1000 USDT + 3 BTC at 100 = 1300 USDT
// at the day's start, a daily loss limit of 100 USDT.

let store: Store
let venue: FakeVenue
let risk: RiskService
let orders: OrderManager
let conditional: ConditionalEngine
let clock: { t: number }
let ticks: ScriptedTicks

const at = (h: number, m = 0, s = 0) => Date.UTC(2025, 0, 1, h, m, s)

beforeEach(async () => {
  store = openStore(tempDir('co-riskarmloss-'), migrationsDir)
  const bus = new EventBus()
  clock = { t: at(10) }
  venue = fakeVenue('a')
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.tickers.set('BTC/USDT', '100')
  venue.balances = [balance('USDT', '1000'), balance('BTC', '3')]
  ;({ risk, orders, conditional, ticks } = await riskDesk(store, bus, venue, () => clock.t))
  risk.set({ maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: '100' })
})
afterEach(async () => {
  conditional.stop()
  await orders.stop()
  store.close()
})

const single = (side: 'buy' | 'sell', triggerPrice: string): ConditionalCreate => ({
  type: 'single',
  venueId: 'a',
  symbol: 'BTC/USDT',
  placement: 'app',
  leg: { kind: 'stop-market', side, amount: '0.1', triggerPrice, trigger: 'last' },
})
const limitBuy: OrderIntent = { venueId: 'a', symbol: btcUsdt.symbol, side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.1', price: '60.00', origin: { kind: 'manual', ref: null } }
const refusal = async (p: Promise<unknown>) => p.then(() => 'accepted', (err: unknown) => (err instanceof Error ? err.message : String(err)))
const locked = 'Daily loss limit 100 USDT reached on Venue a at 10:30:00 UTC: until 00:00 UTC only orders that reduce exposure (sells) are allowed'

/** The day starts at 1300; BTC falls to 66 (equity 1198, a loss of 102) and a ticket buy is refused: the day is locked. */
async function reachTheLimit(): Promise<void> {
  await orders.submit({ ...limitBuy, price: '50.00' }) // the day's first check: its start, 1300
  venue.tickers.set('BTC/USDT', '66')
  venue.books.set('BTC/USDT', { bids: [['65.90', '5']], asks: [['66.00', '5']] })
  ticks.push({ last: '66', bid: '65.90', ask: '66.00' }, 'a', 'BTC/USDT') // a conditional order is checked against the price now
  clock.t = at(10, 30)
  expect(await refusal(orders.submit(limitBuy))).toMatch(/^Daily loss limit reached on Venue a: equity 1198 USDT is 102 USDT below 1300 USDT/)
  expect(await refusal(orders.submit(limitBuy))).toBe(locked)
}

describe('daily loss limit: checked when a conditional order is created or amended', () => {
  it('a conditional buy is refused with the ticket’s words once the limit is reached; a sell stop is still armed', async () => {
    await reachTheLimit()
    expect(await refusal(conditional.create(single('buy', '80.00')))).toBe(locked)
    expect(
      await refusal(
        conditional.create({
          type: 'oco',
          venueId: 'a',
          symbol: 'BTC/USDT',
          legs: [
            { kind: 'take-profit-market', side: 'buy', amount: '0.1', triggerPrice: '50.00', trigger: 'last' },
            { kind: 'stop-market', side: 'buy', amount: '0.1', triggerPrice: '80.00', trigger: 'last' },
          ],
        }),
      ),
    ).toBe(locked)
    expect(conditional.list({ scope: 'active', limit: 10 })).toEqual([])
    // A protective sell stop is what a trader wants most now: armed.
    const [stop] = await conditional.create(single('sell', '60.00'))
    expect(stop).toMatchObject({ side: 'sell', status: expect.stringMatching(/armed|waiting/) })
  })

  it('a loss reached but not yet locked by any order refuses the conditional buy as the ticket would', async () => {
    await orders.submit({ ...limitBuy, price: '50.00' }) // start: 1300
    venue.tickers.set('BTC/USDT', '66')
    ticks.push({ last: '66', bid: '65.90', ask: '66.00' }, 'a', 'BTC/USDT')
    clock.t = at(10, 30)
    expect(await refusal(conditional.create(single('buy', '80.00')))).toMatch(
      /^Daily loss limit reached on Venue a: equity 1198 USDT is 102 USDT below 1300 USDT at 10:00:00 UTC \(limit 100 USDT\); until 00:00 UTC only orders that reduce exposure \(sells\) are allowed$/,
    )
  })

  it('amending a conditional buy armed before the limit was reached is refused; nothing changes', async () => {
    ticks.push({ last: '100', bid: '99.90', ask: '100.00' }, 'a', 'BTC/USDT')
    const [leg] = await conditional.create(single('buy', '120.00'))
    await reachTheLimit()
    const id = leg?.id as string
    expect(await refusal(conditional.amend({ id, triggerPrice: '110.00' }))).toBe(locked)
    expect(conditional.list({ scope: 'active', limit: 10 }).map((c) => [c.id, c.triggerPrice])).toEqual([[id, '120']])
  })
})
