import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { RiskService } from '../../src-main/trading/risk/service'
import { riskDayEquity } from '../../src-main/trading/risk/tables'
import type { OrderIntent } from '../../src-main/trading/model'
import type { RiskLimits, RiskView } from '../../src-main/api/schemas/trading'
import { balance, btcUsdt, ethBtc, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'

// Every limit refuses with its message just over the line and lets the order through just under it.
// The hand-made venue: BTC/USDT book 99.90 / 100.00 (mid 99.95), last prices from its ticker.

const T0 = Date.UTC(2025, 0, 1, 14, 2, 11)
let store: Store
let bus: EventBus
let venue: FakeVenue
let clock: { t: number }
let risk: RiskService
const noLimits: RiskLimits = { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null }

beforeEach(() => {
  store = openStore(tempDir('co-risk-'), migrationsDir)
  bus = new EventBus()
  venue = fakeVenue('v1', [btcUsdt, ethBtc])
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.tickers.set('BTC/USDT', '100')
  venue.tickers.set('ETH/BTC', '0.05')
  venue.balances = [balance('USDT', '1000'), balance('BTC', '2', '1')]
  clock = { t: T0 }
  risk = new RiskService({ db: store.db, bus, venues: fakeVenues(venue), log: silentLogger, now: () => clock.t })
})
afterEach(() => store.close())

function intent(over: Partial<OrderIntent> = {}): OrderIntent {
  return { venueId: 'v1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '1', price: '100.00', origin: { kind: 'manual', ref: null }, ...over }
}

async function refusal(i: OrderIntent): Promise<string> {
  const err = (await risk.check(i).then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string; message?: string } | undefined
  expect(err, 'expected a refusal').toBeDefined()
  expect(err?.code).toBe('CONFLICT')
  return err?.message ?? ''
}

describe('risk limits', () => {
  it('stores the limits, shows them and announces every change', () => {
    const seen: RiskView[] = []
    bus.on('riskChanged', (e) => seen.push(e.view))
    expect(risk.view()).toEqual({ ...noLimits, halted: false, haltedAt: null })
    risk.set({ ...noLimits, maxOrderNotional: '1000.50', priceBandPct: '5' })
    const reopened = new RiskService({ db: store.db, bus, venues: fakeVenues(venue), log: silentLogger })
    expect(reopened.view()).toMatchObject({ maxOrderNotional: '1000.5', priceBandPct: '5', maxPositionNotional: null })
    expect(seen).toHaveLength(1)
  })

  it('max order notional: limit orders at their price, market orders at the touch, other quotes converted to USDT', async () => {
    risk.set({ ...noLimits, maxOrderNotional: '1000' })
    await risk.check(intent({ amount: '10' })) // exactly 1000
    expect(await refusal(intent({ amount: '10.01' }))).toBe('Order value 1001 USDT is above the max order notional 1000 USDT')
    await risk.check(intent({ type: 'market', price: undefined, amount: '9.99' }))
    expect(await refusal(intent({ type: 'market', price: undefined, amount: '10.01' }))).toBe('Order value 1001 USDT is above the max order notional 1000 USDT')
    // ETH/BTC: 201 ETH × 0.05 BTC = 10.05 BTC, × 100 USDT = 1005 USDT
    await risk.check(intent({ symbol: 'ETH/BTC', price: '0.05000', amount: '200' }))
    expect(await refusal(intent({ symbol: 'ETH/BTC', price: '0.05000', amount: '201' }))).toBe(
      'Order value 10.05 BTC ≈ 1005 USDT is above the max order notional 1000 USDT',
    )
  })

  it('max position per market: holdings (free and locked) plus the buy; sells always pass', async () => {
    risk.set({ ...noLimits, maxPositionNotional: '500' })
    await risk.check(intent({ amount: '2' })) // 3 held + 2 = 5 BTC × 100 = 500
    expect(await refusal(intent({ amount: '2.01' }))).toBe(
      'A BTC position of 5.01 BTC ≈ 501 USDT on Venue v1 would be above the max position 500 USDT per market (3 BTC held now)',
    )
    await risk.check(intent({ side: 'sell', amount: '3' }))
  })

  it('price band: a limit price too far from the live mid is refused naming both', async () => {
    risk.set({ ...noLimits, priceBandPct: '5' })
    await risk.check(intent({ price: '104.94' })) // 4.99 % above 99.95
    expect(await refusal(intent({ price: '106.00' }))).toBe('Limit price 106.00 is 6.06% above the mid 99.95: outside the price band of 5%')
    expect(await refusal(intent({ side: 'sell', price: '94.00' }))).toBe('Limit price 94.00 is 5.96% below the mid 99.95: outside the price band of 5%')
    await risk.check(intent({ type: 'market', price: undefined })) // market orders are the ticket's slippage estimate's business
  })

  it('a native stop: its limit is held to the band around its trigger, and a stop-market is valued at its trigger', async () => {
    risk.set({ ...noLimits, priceBandPct: '5', maxOrderNotional: '1000' })
    const stop = (over: Partial<OrderIntent>) => intent({ side: 'sell', amount: '5', trigger: { kind: 'stop-loss', price: '80.00' }, ...over })
    // 20% below the mid, but 1.25% below its trigger: a normal protective stop passes.
    await risk.check(stop({ price: '79.00' }))
    expect(await refusal(stop({ price: '70.00' }))).toBe('Limit price 70.00 is 12.5% below the trigger 80.00: outside the price band of 5%')
    // Stop-market for 12.6 BTC: 12.6 × 80 = 1008 USDT at the trigger (1258.74 at today's bid of 99.90).
    await risk.check(stop({ type: 'market', price: undefined, amount: '12.5' }))
    expect(await refusal(stop({ type: 'market', price: undefined, amount: '12.6' }))).toBe('Order value 1008 USDT is above the max order notional 1000 USDT')
  })

  it('price band without a live mid: refused when a band is set, saying why; allowed when none is', async () => {
    venue.bookError = new Error('connect ECONNREFUSED')
    await risk.check(intent({ price: '150.00' }))
    risk.set({ ...noLimits, priceBandPct: '5' })
    expect(await refusal(intent())).toBe(
      'No live mid for BTC/USDT on Venue v1 (no book: connect ECONNREFUSED): the price band of 5% cannot be checked, so the order is refused',
    )
  })

  it('halted by the kill switch: every order refused, with the time; resume lets them through', async () => {
    await risk.killSwitch()
    expect(risk.view()).toMatchObject({ halted: true, haltedAt: T0 })
    expect(await refusal(intent({ side: 'sell' }))).toBe('Trading is halted by the kill switch since 14:02:11 UTC; resume it in Risk')
    clock.t += 24 * 3600_000
    expect(await refusal(intent())).toBe('Trading is halted by the kill switch since 2025-01-01 14:02:11 UTC; resume it in Risk')
    // The halt survives a restart (it is in SQLite).
    const reopened = new RiskService({ db: store.db, bus, venues: fakeVenues(venue), log: silentLogger })
    expect(reopened.view().halted).toBe(true)
    expect(risk.resume()).toMatchObject({ halted: false, haltedAt: null })
    await risk.check(intent())
  })
})

describe('daily loss limit', () => {
  const at = (h: number, m = 0, s = 0, day = 1) => Date.UTC(2025, 0, day, h, m, s)

  it('snapshots equity at the day’s first check, refuses buys once the loss reaches the limit until the next UTC day', async () => {
    clock.t = at(10)
    // No limit yet: the first check of the day still stores the start: 1000 USDT + 3 BTC × 100 = 1300.
    await risk.check(intent({ side: 'sell' }))
    risk.set({ ...noLimits, dailyLossLimit: '100' })
    venue.tickers.set('BTC/USDT', '66.67') // 1000 + 200.01 = 1200.01: loss 99.99
    clock.t = at(10, 30)
    await risk.check(intent())
    venue.tickers.set('BTC/USDT', '66.66') // 1199.98: loss 100.02
    clock.t = at(10, 30, 5) // (equity is valued at most every 5 s)
    expect(await refusal(intent())).toBe(
      'Daily loss limit reached on Venue v1: equity 1199.98 USDT is 100.02 USDT below 1300 USDT at 10:00:00 UTC (limit 100 USDT); ' +
        'until 00:00 UTC only orders that reduce exposure (sells) are allowed',
    )
    await risk.check(intent({ side: 'sell' })) // reductions pass
    // The price comes back: still refused for the rest of the day.
    venue.tickers.set('BTC/USDT', '100')
    clock.t = at(23, 59, 59)
    expect(await refusal(intent())).toBe(
      'Daily loss limit 100 USDT reached on Venue v1 at 10:30:05 UTC: until 00:00 UTC only orders that reduce exposure (sells) are allowed',
    )
    // A new UTC day: a new start (1300 at 00:00:01), buys pass again.
    clock.t = at(0, 0, 1, 2)
    await risk.check(intent())
    const rows = store.db.select().from(riskDayEquity).all()
    expect(rows.map((r) => [r.day, r.equity, r.takenAt, r.breachedAt])).toEqual([
      ['2025-01-01', '1300', at(10), at(10, 30, 5)],
      ['2025-01-02', '1300', at(0, 0, 1, 2), null],
    ])
  })

  it('keeps the stored start of day across a restart', async () => {
    risk.set({ ...noLimits, dailyLossLimit: '50' })
    await risk.check(intent())
    venue.tickers.set('BTC/USDT', '80') // 1240: loss 60
    const reopened = new RiskService({ db: store.db, bus, venues: fakeVenues(venue), log: silentLogger, now: () => clock.t })
    await expect(reopened.check(intent())).rejects.toThrow('equity 1240 USDT is 60 USDT below 1300 USDT at 14:02:11 UTC')
  })
})
