import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { RiskService } from '../../src-main/trading/risk/service'
import { riskDayEquity } from '../../src-main/trading/risk/tables'
import type { OrderIntent } from '../../src-main/trading/model'
import type { RiskLimits, RiskView } from '../../src-main/api/schemas/trading'
import type { LedgerTransfer } from '../../src-main/portfolio/day-transfers'
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
    expect(risk.view()).toEqual({ ...noLimits, halted: false, haltedAt: null, version: 0 })
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
      'A BTC position of 5.01 BTC ≈ 501 USDT on Venue v1 would be above the max position 500 USDT per market: 3 BTC held now + 2.01 BTC in this order',
    )
    await risk.check(intent({ side: 'sell', amount: '3' }))
  })

  it('max position per market: buys still working on the market count as if filled (an amend leaves out the order it replaces)', async () => {
    risk.set({ ...noLimits, maxPositionNotional: '500' })
    const open = [
      { clientOrderId: 'o1', side: 'buy' as const, amount: '1', filled: '0.25' }, // 0.75 still to fill
      { clientOrderId: 'o2', side: 'sell' as const, amount: '1', filled: '0' }, // a sale adds nothing
    ]
    const asked: unknown[] = []
    risk.bindOpenOrders((filter) => {
      asked.push(filter)
      return open
    })
    await risk.check(intent({ amount: '1.25' })) // 3 held + 0.75 working + 1.25 = 5 BTC × 100 = 500
    expect(asked).toEqual([{ venueId: 'v1', symbol: 'BTC/USDT' }])
    expect(await refusal(intent({ amount: '1.26' }))).toBe(
      'A BTC position of 5.01 BTC ≈ 501 USDT on Venue v1 would be above the max position 500 USDT per market: 3 BTC held now + 0.75 BTC in open buys + 1.26 BTC in this order',
    )
    // Amending o1 to 2 BTC: its replacement is checked while o1 still rests, and o1 is not counted twice.
    await risk.check(intent({ amount: '2' }), { replacing: 'o1' })
  })

  it('a market order typed by hand is valued at the book it walks and held to the band by the worst price it reaches', async () => {
    venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '1'], ['150.00', '100']] }) // mid 99.95
    risk.set({ ...noLimits, maxOrderNotional: '600' })
    // 5 BTC: 1 × 100 + 4 × 150 = 700 USDT, not 5 × 100 at the touch.
    expect(await refusal(intent({ type: 'market', price: undefined, amount: '5' }))).toBe('Order value 700 USDT is above the max order notional 600 USDT')
    await risk.check(intent({ type: 'market', price: undefined, amount: '4' })) // 100 + 450 = 550
    risk.set({ ...noLimits, priceBandPct: '5' })
    await risk.check(intent({ type: 'market', price: undefined, amount: '1' })) // takes 100.00 only: 0.06 % from the mid
    expect(await refusal(intent({ type: 'market', price: undefined, amount: '1.5' }))).toBe(
      'This market order would trade up to 150.00, 50.08% above the mid 99.95: outside the price band of 5%',
    )
    expect(await refusal(intent({ type: 'market', price: undefined, amount: '102' }))).toBe(
      'The visible asks of BTC/USDT on Venue v1 hold 101 BTC, less than the 102 BTC of this market order: the price band of 5% cannot be checked, so the order is refused',
    )
    // A stop-market a conditional order fires must go out: valued at the touch, not held to the band.
    await risk.check(intent({ type: 'market', price: undefined, amount: '1.5', side: 'buy', origin: { kind: 'conditional', ref: 'leg-1' } }))
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

  it('a limit raised above the loss lifts the day’s lock; one at or under the limit reached keeps it, naming that limit', async () => {
    clock.t = at(10)
    risk.set({ ...noLimits, dailyLossLimit: '100' })
    await risk.check(intent()) // start: 1000 + 3 × 100 = 1300
    venue.tickers.set('BTC/USDT', '66.66') // 1199.98: loss 100.02
    clock.t = at(10, 30)
    expect(await refusal(intent())).toMatch(/^Daily loss limit reached on Venue v1: equity 1199.98 USDT is 100.02 USDT below/)
    // Lowered, the lock stands and names the limit that was reached (not the new one).
    risk.set({ ...noLimits, dailyLossLimit: '50' })
    clock.t = at(10, 31)
    expect(await refusal(intent())).toBe(
      'Daily loss limit 100 USDT reached on Venue v1 at 10:30:00 UTC: until 00:00 UTC only orders that reduce exposure (sells) are allowed',
    )
    // Raised far above the 100.02 lost: buys pass (it used to say "Daily loss limit 1000000 USDT reached").
    risk.set({ ...noLimits, dailyLossLimit: '1000000' })
    clock.t = at(10, 32)
    await risk.check(intent())
    expect((await risk.today()).accounts[0]?.breachedAt).toBeNull()
    // Back at 100, the loss is checked again against it, with its numbers.
    risk.set({ ...noLimits, dailyLossLimit: '100' })
    clock.t = at(10, 33)
    expect(await refusal(intent())).toMatch(/^Daily loss limit reached on Venue v1: equity 1199.98 USDT is 100.02 USDT below .*\(limit 100 USDT\)/)
    // Raised, but not above what was lost: still refused, saying which limit the loss reached.
    risk.set({ ...noLimits, dailyLossLimit: '100.01' })
    clock.t = at(10, 34)
    expect(await refusal(intent())).toMatch(/^Daily loss limit reached on Venue v1: equity 1199.98 USDT is 100.02 USDT below .*\(limit 100.01 USDT\)/)
    // Removed, then set again at the limit reached: the lock was never lifted by the loss, so it stands.
    risk.set(noLimits)
    await risk.check(intent())
    risk.set({ ...noLimits, dailyLossLimit: '100.01' })
    clock.t = at(10, 35)
    expect(await refusal(intent())).toBe(
      'Daily loss limit 100.01 USDT reached on Venue v1 at 10:34:00 UTC: until 00:00 UTC only orders that reduce exposure (sells) are allowed',
    )
  })

  it('a breach stored before the breached limit was kept still holds for the day, at the limit now, until raised above the loss', async () => {
    const legacy = () => store.sqlite.prepare('UPDATE risk_day_equity SET breached_limit = NULL').run()
    clock.t = at(10)
    risk.set({ ...noLimits, dailyLossLimit: '100' })
    await risk.check(intent()) // start: 1300
    venue.tickers.set('BTC/USDT', '66.66') // loss 100.02
    clock.t = at(10, 30)
    await refusal(intent())
    legacy() // the row as an engine before the upgrade wrote it
    // The price comes back, the limit unchanged: still refused for the day.
    venue.tickers.set('BTC/USDT', '100')
    clock.t = at(11)
    expect(await refusal(intent())).toBe(
      'Daily loss limit 100 USDT reached on Venue v1 at 10:30:00 UTC: until 00:00 UTC only orders that reduce exposure (sells) are allowed',
    )
    expect((await risk.today()).accounts[0]?.breachedAt).toBe(at(10, 30))
    // Raised above the limit in force: the loss (none now) is checked against it, and buys pass.
    risk.set({ ...noLimits, dailyLossLimit: '150' })
    clock.t = at(11, 1)
    await risk.check(intent())

    // Breached again, stored the old way, and the limit raised before any check: the raise still lifts it
    // once the loss is under the new limit, while one left as it was keeps the lock.
    venue.tickers.set('BTC/USDT', '40') // 1120: loss 180
    clock.t = at(12)
    await refusal(intent())
    legacy()
    risk.set({ ...noLimits, dailyLossLimit: '150' }) // saved again, unchanged
    clock.t = at(12, 1)
    expect(await refusal(intent())).toMatch(/^Daily loss limit 150 USDT reached on Venue v1 at 12:00:00 UTC/)
    legacy()
    risk.set({ ...noLimits, dailyLossLimit: '200' })
    clock.t = at(12, 2)
    await risk.check(intent())
  })

  it('a price that cannot be read right now refuses the buy without counting a loss; buys pass once it reads again', async () => {
    venue.balances = [balance('USDT', '1000'), balance('BTC', '3')]
    risk.set({ ...noLimits, dailyLossLimit: '100' })
    clock.t = at(9)
    await risk.check(intent()) // start: 1000 + 3 × 100 = 1300
    const fetchTicker = venue.fetchTicker
    venue.fetchTicker = async () => {
      throw new Error('request timed out')
    }
    clock.t = at(9, 1)
    expect(await refusal(intent())).toBe(
      'Cannot value the account on Venue v1: the daily loss limit cannot be checked, so the buy is refused (the BTC/USDT price could not be read to value BTC: request timed out)',
    )
    venue.fetchTicker = fetchTicker
    clock.t = at(9, 2)
    await risk.check(intent())
    expect(store.db.select().from(riskDayEquity).all().map((r) => r.breachedAt)).toEqual([null])
  })

  it('a paper balance reset is money moved, not a loss: the ledger’s reset entries leave the day’s loss as it was', async () => {
    // The ledger books a reset as a withdrawal of what was held and a deposit of the new balance.
    const ledger: LedgerTransfer[] = []
    const paper = new RiskService({ db: store.db, bus, venues: fakeVenues(venue), log: silentLogger, now: () => clock.t, transfers: { ledger: () => ledger, appFunded: () => true } })
    paper.set({ ...noLimits, dailyLossLimit: '100' })
    clock.t = at(9)
    await paper.check(intent()) // start 1300
    venue.tickers.set('BTC/USDT', '90') // 1270: 30 lost
    const reset = (t: number, out: [string, string][], amount: string) => {
      ledger.push(...out.map(([asset, held]) => ({ key: `reset:${t}:out:${asset}`, kind: 'withdrawal' as const, asset, amount: held, fee: null, timestamp: t })))
      ledger.push({ key: `reset:${t}:in:USDT`, kind: 'deposit', asset: 'USDT', amount, fee: null, timestamp: t })
      venue.balances = [balance('USDT', amount)]
      bus.emit('paperReset', { venueId: 'v1', amount, asset: 'USDT' })
    }
    clock.t = at(9, 1)
    reset(at(9, 1), [['USDT', '1000'], ['BTC', '3']], '500')
    await new Promise((r) => setTimeout(r, 10))
    await paper.check(intent())
    expect((await paper.today()).accounts[0]).toMatchObject({ startEquity: '1300', equity: '500', netTransfers: '-770', loss: '30', transfersNote: null })
    // A reset to more does not hide the 30 lost before it, nor one reached afterwards.
    venue.balances = [balance('USDT', '420')]
    clock.t = at(9, 2)
    await expect(paper.check(intent())).rejects.toThrow('is 110 USDT below 1300 USDT at 09:00:00 UTC − 770 USDT net withdrawn since (limit 100 USDT)')
    reset(at(9, 3), [['USDT', '420']], '10000')
    clock.t = at(9, 3)
    await expect(paper.check(intent())).rejects.toThrow('Daily loss limit 100 USDT reached on Venue v1 at 09:02:00 UTC')
    paper.stop()
  })

  it('with a limit set, each account’s equity is taken at 00:00 UTC, so a loss before the first order of the day counts', async () => {
    let midnight: (() => void) | undefined
    const clocked = new RiskService({ db: store.db, bus, venues: fakeVenues(venue), log: silentLogger, now: () => clock.t, everyUtcMidnight: (fn) => ((midnight = fn), () => {}) })
    clocked.startDayClock()
    clocked.set({ ...noLimits, dailyLossLimit: '100' })
    clock.t = at(0, 0, 0, 2)
    midnight?.()
    await new Promise((r) => setTimeout(r, 10))
    venue.tickers.set('BTC/USDT', '60') // by 10:00: 1000 + 180 = 1180, 120 lost since midnight
    clock.t = at(10, 0, 0, 2)
    const err = await clocked.check(intent()).catch((e: Error) => e)
    expect((err as Error).message).toBe(
      'Daily loss limit reached on Venue v1: equity 1180 USDT is 120 USDT below 1300 USDT at 00:00:00 UTC (limit 100 USDT); ' +
        'until 00:00 UTC only orders that reduce exposure (sells) are allowed',
    )
    clocked.stop()
  })

  it('today: each account’s start-of-day equity, its equity now and the loss, so the trader sees how close the limit is', async () => {
    // No limit: figures now, nothing stored, no start.
    clock.t = at(8)
    expect(await risk.today()).toEqual({
      day: '2025-01-01',
      dailyLossLimit: null,
      accounts: [
        { venueId: 'v1', label: 'Venue v1', startEquity: null, startedAt: null, equity: '1300', netTransfers: null, transfersNote: null, loss: null, breachedAt: null, error: null },
      ],
    })
    expect(store.db.select().from(riskDayEquity).all()).toEqual([])
    // With a limit, the day starts at the first look (as at the first order check): 1000 + 3 × 100.
    risk.set({ ...noLimits, dailyLossLimit: '100' })
    clock.t = at(9)
    expect((await risk.today()).accounts[0]).toMatchObject({ startEquity: '1300', startedAt: at(9), equity: '1300', loss: '0' })
    venue.tickers.set('BTC/USDT', '70.01') // 1000 + 210.03
    clock.t = at(9, 1)
    expect((await risk.today()).accounts[0]).toMatchObject({ startEquity: '1300', equity: '1210.03', loss: '89.97', breachedAt: null })
    venue.tickers.set('BTC/USDT', '60')
    clock.t = at(9, 2)
    await refusal(intent())
    expect((await risk.today()).accounts[0]).toMatchObject({ equity: '1180', loss: '120', breachedAt: at(9, 2) })
    // An account that cannot be valued says why instead of showing a number.
    venue.fetchTicker = async () => {
      throw new Error('request timed out')
    }
    clock.t = at(9, 3)
    expect((await risk.today()).accounts[0]).toMatchObject({
      equity: null,
      loss: null,
      error: 'cannot value the account: the BTC/USDT price could not be read to value BTC: request timed out',
    })
  })

  it('keeps the stored start of day across a restart', async () => {
    risk.set({ ...noLimits, dailyLossLimit: '50' })
    await risk.check(intent())
    venue.tickers.set('BTC/USDT', '80') // 1240: loss 60
    const reopened = new RiskService({ db: store.db, bus, venues: fakeVenues(venue), log: silentLogger, now: () => clock.t })
    await expect(reopened.check(intent())).rejects.toThrow('equity 1240 USDT is 60 USDT below 1300 USDT at 14:02:11 UTC')
  })
})
