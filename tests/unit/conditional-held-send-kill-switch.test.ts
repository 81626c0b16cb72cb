import { afterEach, beforeEach, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { AppError } from '../../src-main/api/errors'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import { MarketRules } from '../../src-main/trading/ticket/markets'
import type { ConditionalView } from '../../src-main/api/schemas/trading'
import type { OrderRequest, VenueOrder } from '../../src-main/venues/port'
import { VenueError } from '../../src-main/venues/port'
import { balance, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ScriptedTicks } from './conditional-harness'

// The kill switch is pulled while a triggered stop's send is in flight; that send then comes back refused
// by the rate limit it met (-1015, Retry-After 60 s), or by a hold (nothing sent). The stop must not wait
// for the hold and sell once the trader resumes trading: it is canceled by the kill switch, like the stops
// the switch disarmed. The real order manager and conditional engine over a hand-made venue.

let store: Store, venue: FakeVenue, orders: OrderManager, conditional: ConditionalEngine, ticks: ScriptedTicks
let clock: { t: number }, timers: (() => void)[], bus: EventBus
let halted = false

beforeEach(async () => {
  halted = false
  store = openStore(tempDir('co-held-ks-'), migrationsDir)
  bus = new EventBus()
  clock = { t: Date.UTC(2025, 0, 1, 10) }
  timers = []
  venue = fakeVenue('a')
  venue.tickers.set('BTC/USDT', '100')
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.balances = [balance('USDT', '1000'), balance('BTC', '3')]
  const venues = fakeVenues(venue)
  const now = () => clock.t
  const assertOpen = () => {
    if (halted) throw new AppError('CONFLICT', 'Trading is halted by the kill switch')
  }
  orders = new OrderManager({ db: store.db, bus, log: silentLogger, venues, risk: { check: async () => assertOpen(), assertOpen } as never, now, reconcileEveryMs: 0, retryDelaysMs: [1] })
  const rules = new MarketRules(venues)
  ticks = new ScriptedTicks()
  conditional = new ConditionalEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now,
    gateway: orders,
    ticks,
    markets: (v, s) => rules.resolve(v, s).then((r) => r.market),
    labelOf: (v) => rules.label(v),
    halted: () => (halted ? 'Trading is halted by the kill switch' : null),
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

/** The stop's first send hangs until the returned function refuses it with `err`. */
function hangFirstSend(err: () => unknown): () => void {
  let refuse!: () => void
  const place = venue.placeOrder.bind(venue)
  let first = true
  venue.placeOrder = (r: OrderRequest): Promise<VenueOrder> => {
    if (!first) return place(r)
    first = false
    venue.calls.push(`placeOrder ${r.clientOrderId}`)
    return new Promise((_res, rej) => {
      refuse = () => rej(err())
    })
  }
  return () => refuse()
}

async function triggerThenKill(err: () => unknown): Promise<void> {
  tick('100')
  await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' } })
  const refuse = hangFirstSend(err)
  tick('94')
  await settled()
  expect(stopView().status).toBe('triggered')
  halted = true
  bus.emit('killSwitchEngaged', { at: clock.t } as never)
  await settled()
  refuse()
  await settled()
}

it('a stop whose in-flight send meets its own rate limit after the kill switch is canceled, and sells nothing once trading resumes', async () => {
  await triggerThenKill(() => new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
  expect(stopView()).toMatchObject({ status: 'canceled', reason: 'disarmed by the kill switch' })
  clock.t += 30_000
  halted = false // the trader resumes trading before the hold ends
  clock.t += 31_000
  runTimers()
  await settled()
  expect(venue.orders).toEqual([])
  expect(stopView()).toMatchObject({ status: 'canceled', reason: 'disarmed by the kill switch' })
})

it('a stop whose held send comes due while trading is halted is canceled, not sent', async () => {
  tick('100')
  await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' } })
  const refuse = hangFirstSend(() => new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
  tick('94')
  await settled()
  refuse()
  await settled()
  expect(stopView().reason).toMatch(/waiting for the exchange's rate limit/)
  // Halted without the kill switch's event reaching the engine (e.g. a risk limit's halt): the send is due.
  halted = true
  clock.t += 61_000
  runTimers()
  await settled()
  expect(venue.orders).toEqual([])
  expect(stopView().status).toBe('canceled')
  halted = false
  clock.t += 60_000
  runTimers()
  await settled()
  expect(venue.orders).toEqual([])
})
