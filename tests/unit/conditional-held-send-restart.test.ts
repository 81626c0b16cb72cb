import { afterEach, beforeEach, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import { MarketRules } from '../../src-main/trading/ticket/markets'
import type { ConditionalView } from '../../src-main/api/schemas/trading'
import type { OrderRequest, VenueOrder } from '../../src-main/venues/port'
import { VenueError } from '../../src-main/venues/port'
import { balance, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ScriptedTicks } from './conditional-harness'

// A triggered stop waits for the rate limit its own send met (-1015, Retry-After 60 s) and the app restarts
// 5 s later. It must still wait for the hold's end (sending inside a 429 window, Binance escalates to a 418
// IP ban), then sell; once its order is out its row no longer says it waits. The real order manager and
// conditional engine over a hand-made venue, restarted over the same database.

let store: Store, venue: FakeVenue, orders: OrderManager, conditional: ConditionalEngine, ticks: ScriptedTicks
let clock: { t: number }, timers: (() => void)[]

function startApp(): Promise<void> {
  const bus = new EventBus()
  const venues = fakeVenues(venue)
  const now = () => clock.t
  orders = new OrderManager({ db: store.db, bus, log: silentLogger, venues, risk: { check: async () => {} }, now, reconcileEveryMs: 0, retryDelaysMs: [1] })
  const rules = new MarketRules(venues)
  conditional = new ConditionalEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now,
    gateway: orders,
    ticks,
    markets: (v, s) => rules.resolve(v, s).then((r) => r.market),
    labelOf: (v) => rules.label(v),
    every: (_ms, fn) => {
      timers.push(fn)
      return () => {}
    },
  })
  return orders.start().then(() => conditional.start())
}

async function restart(): Promise<void> {
  conditional.stop()
  await orders.stop()
  timers = []
  await startApp()
  await settled()
}

beforeEach(async () => {
  store = openStore(tempDir('co-held-restart-'), migrationsDir)
  clock = { t: Date.UTC(2025, 0, 1, 10) }
  timers = []
  venue = fakeVenue('a')
  venue.tickers.set('BTC/USDT', '100')
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.balances = [balance('USDT', '1000'), balance('BTC', '3')]
  ticks = new ScriptedTicks()
  await startApp()
})
afterEach(async () => {
  conditional.stop()
  await orders.stop()
  store.close()
})

const tick = (last: string) => ticks.push({ last, bid: last, ask: last }, 'a', 'BTC/USDT')
const settled = () => new Promise((r) => setTimeout(r, 20))
const runTimers = () => timers.forEach((fn) => fn())
const stopView = (): ConditionalView => (conditional.list({ scope: 'active', limit: 10 })[0] ?? conditional.list({ scope: 'history', limit: 10 })[0]) as ConditionalView
const placed = () => venue.orders.map((o) => [o.side, o.type, o.amount])

/** The next send is refused with `err` (then the venue places as usual). */
function refuseNext(err: VenueError): void {
  const place = venue.placeOrder.bind(venue)
  let first = true
  venue.placeOrder = (r: OrderRequest): Promise<VenueOrder> => {
    if (!first) return place(r)
    first = false
    venue.calls.push(`placeOrder ${r.clientOrderId}`)
    return Promise.reject(err)
  }
}

async function triggerStop(): Promise<void> {
  tick('100')
  await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' } })
  tick('94')
  await settled()
}

it('a restart during the wait for its own rate limit still waits for the hold, then sells and stops saying it waits', async () => {
  refuseNext(new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
  await triggerStop()
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  clock.t += 5_000
  await restart()
  expect(placed()).toEqual([])
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  clock.t += 50_000 // 5 s of the hold left
  runTimers()
  tick('94')
  await settled()
  expect(placed()).toEqual([])
  clock.t += 5_000 // the hold is over
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
  expect(stopView().reason).toBeNull()
  // And after another restart it is followed, not sent again.
  await restart()
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
})

it('a restart after the hold ended sends the waiting stop at once, and its row stops saying it waits', async () => {
  refuseNext(new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
  await triggerStop()
  clock.t += 61_000
  await restart()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
  expect(stopView().reason).toBeNull()
})

it("a stop that triggers after a restart inside another order's hold waits for what is left of it, then sells", async () => {
  tick('100')
  await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' } })
  refuseNext(new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
  await expect(orders.submit({ venueId: 'a', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.1', price: '90.00', origin: { kind: 'manual', ref: null } })).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  clock.t += 5_000
  await restart()
  tick('94')
  await settled()
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  clock.t += 56_000
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
})

it('a stop whose own send meets the rate limit while the app is closing still waits for the hold after the restart, then sells', async () => {
  tick('100')
  await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' } })
  // The exchange answers the stop's send only once the app has begun to close.
  let answer: (() => void) | undefined
  const place = venue.placeOrder.bind(venue)
  venue.placeOrder = (r: OrderRequest): Promise<VenueOrder> => {
    venue.calls.push(`placeOrder ${r.clientOrderId}`)
    venue.placeOrder = place
    return new Promise((_, reject) => {
      answer = () => reject(new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
    })
  }
  tick('94')
  await settled()
  expect(answer).toBeDefined()
  conditional.stop()
  const closing = orders.stop()
  answer!()
  await closing
  timers = []
  await startApp()
  await settled()
  expect(placed()).toEqual([])
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  clock.t += 61_000
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
})

it('a restart after the computer clock was set back an hour waits at most the 60 s the exchange asked, not that hour, then sells', async () => {
  refuseNext(new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
  await triggerStop()
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  clock.t -= 3_600_000 - 5_000 // set back an hour while the app was closed (5 s passed)
  await restart()
  expect(placed()).toEqual([])
  // The clock cannot tell that 5 s passed: the whole 60 s from the start.
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 09:01:05 UTC" })
  clock.t += 59_000
  runTimers()
  await settled()
  expect(placed()).toEqual([])
  clock.t += 1_000
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
  expect(stopView().reason).toBeNull()
})
