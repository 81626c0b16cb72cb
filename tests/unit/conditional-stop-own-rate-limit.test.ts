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
import { AppError } from '../../src-main/api/errors'
import { balance, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ScriptedTicks } from './conditional-harness'

// A stop's own send meets the exchange's rate limit (429 / Binance -1015 / 418) with a Retry-After longer
// than the order manager's retries: the manager stores that order 'rejected' (not placed) and holds the
// account's new orders. The stop must not fail and leave the position unguarded: it waits for the hold and
// is then sent under a new client id (the refused one is history), written on its row before it goes out.
// A genuine refusal (no funds) still fails it, and a send that may have landed (an earlier attempt's answer
// was lost) is never sent again under another id. The real order manager and conditional engine over a
// hand-made venue.

let store: Store
let venue: FakeVenue
let orders: OrderManager
let conditional: ConditionalEngine
let ticks: ScriptedTicks
let clock: { t: number }
let timers: (() => void)[]
/** What the risk gate refuses every order with (null: it lets them through). */
let riskRefusal: Error | null

beforeEach(async () => {
  store = openStore(tempDir('co-own429-'), migrationsDir)
  const bus = new EventBus()
  clock = { t: Date.UTC(2025, 0, 1, 10) }
  timers = []
  venue = fakeVenue('a')
  venue.tickers.set('BTC/USDT', '100')
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.balances = [balance('USDT', '1000'), balance('BTC', '3')]
  const venues = fakeVenues(venue)
  const now = () => clock.t
  riskRefusal = null
  const risk = {
    check: async () => {
      if (riskRefusal !== null) throw riskRefusal
    },
  }
  orders = new OrderManager({ db: store.db, bus, log: silentLogger, venues, risk, now, reconcileEveryMs: 0, retryDelaysMs: [1] })
  const rules = new MarketRules(venues)
  ticks = new ScriptedTicks()
  conditional = new ConditionalEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now,
    gateway: orders,
    ticks,
    markets: (venueId, symbol) => rules.resolve(venueId, symbol).then((r) => r.market),
    labelOf: (venueId) => rules.label(venueId),
    every: (_ms, fn) => {
      timers.push(fn)
      return () => {}
    },
  })
  await orders.start()
  await conditional.start()
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

/** Scripts the next placeOrder calls (then the venue places as usual). */
function answers(...errors: VenueError[]): void {
  const place = venue.placeOrder.bind(venue)
  venue.placeOrder = (r: OrderRequest): Promise<VenueOrder> => {
    const err = errors.shift()
    if (err === undefined) return place(r)
    venue.calls.push(`placeOrder ${r.clientOrderId}`)
    return Promise.reject(err)
  }
}

const tooManyNewOrders = () => new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders; current limit is 50 orders per 10 SECOND."}', undefined, 60_000)

async function armStop(): Promise<void> {
  tick('100')
  await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' } })
}

it("a stop whose own send starts a 60 s hold (-1015) waits for it, then sells under a new client id written first", async () => {
  await armStop()
  answers(tooManyNewOrders())
  tick('94')
  await settled()
  const refusedId = venue.calls.find((c) => c.startsWith('placeOrder '))?.slice('placeOrder '.length) as string
  expect(orders.get(refusedId)?.status).toBe('rejected')
  expect(stopView()).toMatchObject({ status: 'triggered', reason: expect.stringMatching(/^waiting for the exchange's rate limit, sends at 10:01:00 UTC$/) })
  // Nothing goes out while the hold lasts (timers, ticks).
  clock.t += 30_000
  runTimers()
  tick('93')
  await settled()
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  // The hold ends: sent once, under a new id its row names before the send.
  let rowAtSend: string | null = null
  const place = venue.placeOrder
  venue.placeOrder = (r) => {
    rowAtSend = stopView().clientOrderId
    return place(r)
  }
  clock.t += 31_000
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
  const sentId = venue.orders[0]?.clientOrderId as string
  expect(sentId).not.toBe(refusedId)
  expect(rowAtSend).toBe(sentId)
  expect(stopView()).toMatchObject({ status: 'triggered', reason: null, clientOrderId: sentId })
  runTimers()
  tick('92')
  await settled()
  expect(placed()).toHaveLength(1)
})

it('a stop refused for insufficient funds fails as before and is not sent again', async () => {
  await armStop()
  answers(new VenueError('insufficient-funds', 'binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}'))
  tick('94')
  await settled()
  expect(stopView()).toMatchObject({ status: 'failed', reason: expect.stringContaining('insufficient balance') })
  clock.t += 120_000
  runTimers()
  tick('93')
  await settled()
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  expect(placed()).toEqual([])
})

it('a send that may have landed (first answer lost, then -1015) is followed, never sent again under another id', async () => {
  await armStop()
  answers(new VenueError('unreachable', 'binance: request timed out'), tooManyNewOrders())
  tick('94')
  await settled()
  const ids = new Set(venue.calls.filter((c) => c.startsWith('placeOrder ')).map((c) => c.slice('placeOrder '.length)))
  expect(ids.size).toBe(1)
  const [id] = [...ids] as [string]
  expect(orders.get(id)?.status).toBe('submitting')
  expect(stopView()).toMatchObject({ status: 'triggered', clientOrderId: id })
  expect(stopView().reason ?? '').not.toContain("waiting for the exchange's rate limit")
  clock.t += 61_000
  runTimers()
  tick('93')
  await settled()
  expect(new Set(venue.calls.filter((c) => c.startsWith('placeOrder ')).map((c) => c.slice('placeOrder '.length)))).toEqual(ids)
})

it('canceling the stop while it waits for the hold sends nothing', async () => {
  await armStop()
  answers(tooManyNewOrders())
  tick('94')
  await settled()
  expect(stopView().status).toBe('triggered')
  await conditional.cancel(stopView().id)
  expect(stopView()).toMatchObject({ status: 'canceled', reason: 'canceled by you' })
  clock.t += 61_000
  runTimers()
  tick('93')
  await settled()
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  expect(placed()).toEqual([])
})

async function armTakeProfit(): Promise<void> {
  tick('100')
  await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'take-profit-market', side: 'sell', amount: '0.5', triggerPrice: '105.00', trigger: 'last' } })
}

it('a standalone take-profit whose own send starts a 60 s hold waits for it too, then sells once under a new client id', async () => {
  await armTakeProfit()
  answers(tooManyNewOrders())
  tick('106')
  await settled()
  const refusedId = venue.calls.find((c) => c.startsWith('placeOrder '))?.slice('placeOrder '.length) as string
  expect(orders.get(refusedId)?.status).toBe('rejected')
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  clock.t += 30_000
  runTimers()
  tick('107')
  await settled()
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  clock.t += 31_000
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
  expect(venue.orders[0]?.clientOrderId).not.toBe(refusedId)
  runTimers()
  tick('108')
  await settled()
  expect(placed()).toHaveLength(1)
})

it('a standalone take-profit that triggers inside a hold another order started waits for it, then sells', async () => {
  await armTakeProfit()
  answers(tooManyNewOrders())
  await expect(orders.submit({ venueId: 'a', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.1', price: '90.00', origin: { kind: 'manual', ref: null } })).rejects.toBeInstanceOf(Error)
  tick('106')
  await settled()
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  clock.t += 61_000
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
})

it("a stop the risk gate refuses while another order's hold runs fails with the gate's reason, not as waiting for the rate limit", async () => {
  await armStop()
  answers(tooManyNewOrders())
  await expect(orders.submit({ venueId: 'a', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.1', price: '90.00', origin: { kind: 'manual', ref: null } })).rejects.toBeInstanceOf(Error)
  riskRefusal = new AppError('CONFLICT', 'No price for BTC/USDT on a: the max order notional cannot be checked, so the order is refused')
  tick('94')
  await settled()
  expect(stopView()).toMatchObject({ status: 'failed', reason: expect.stringContaining('the max order notional cannot be checked') })
  riskRefusal = null
  clock.t += 61_000
  runTimers()
  tick('93')
  await settled()
  expect(placed()).toEqual([])
})

it("an OCO's take-profit whose own send starts a hold fails, its stop re-arms, and that stop then waits for the hold and sells once", async () => {
  tick('100')
  await conditional.create({
    type: 'oco',
    venueId: 'a',
    symbol: 'BTC/USDT',
    legs: [
      { kind: 'take-profit-market', side: 'sell', amount: '0.5', triggerPrice: '105.00', trigger: 'last' },
      { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' },
    ],
  })
  answers(tooManyNewOrders())
  tick('106')
  await settled()
  const all = () => [...conditional.list({ scope: 'active', limit: 10 }), ...conditional.list({ scope: 'history', limit: 10 })]
  expect(all().find((v) => v.kind === 'take-profit-market')).toMatchObject({ status: 'failed', reason: expect.stringContaining('rate-limited for 60 s') })
  expect(all().find((v) => v.kind === 'stop-market')).toMatchObject({ status: 'armed' })
  tick('94')
  await settled()
  expect(all().find((v) => v.kind === 'stop-market')).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  expect(placed()).toEqual([])
  clock.t += 61_000
  runTimers()
  await settled()
  expect(placed()).toEqual([['sell', 'market', '0.5']])
})

it("a stop the risk gate cannot check (its markets could not be loaded: UNAVAILABLE) while another order's hold runs fails with that reason, not as waiting for the rate limit", async () => {
  await armStop()
  answers(tooManyNewOrders())
  await expect(orders.submit({ venueId: 'a', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.1', price: '90.00', origin: { kind: 'manual', ref: null } })).rejects.toBeInstanceOf(Error)
  // What the gate's market lookup (ticket/markets.ts) says when the exchange cannot be reached.
  riskRefusal = new AppError('UNAVAILABLE', 'Could not load the markets of a: getaddrinfo ENOTFOUND')
  tick('94')
  await settled()
  expect(stopView()).toMatchObject({ status: 'failed', reason: expect.stringContaining('Could not load the markets of a') })
  riskRefusal = null
  clock.t += 61_000
  runTimers()
  tick('93')
  await settled()
  expect(placed()).toEqual([])
})
