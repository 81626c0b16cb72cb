import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import { MarketRules } from '../../src-main/trading/ticket/markets'
import type { RiskGate } from '../../src-main/trading/model'
import type { ConditionalView } from '../../src-main/api/schemas/trading'
import { VenueError } from '../../src-main/venues/port'
import { AppError } from '../../src-main/api/errors'
import { balance, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ScriptedTicks } from './conditional-harness'

// The real order manager and conditional engine over a hand-made venue 'a' (BTC/USDT at 100, 1000 USDT and
// 3 BTC), on a clock the test moves and with the engine's timers run when the test says.

export interface Desk {
  /** The data directory (a restart opens it again). */
  dir: string
  store: Store
  bus: EventBus
  venue: FakeVenue
  orders: OrderManager
  conditional: ConditionalEngine
  ticks: ScriptedTicks
  clock: { t: number }
  /** The engine's periodic jobs, run by `runTimers()`. */
  timers: (() => void)[]
}

export interface DeskOptions {
  dirPrefix: string
  risk: RiskGate
  halted?: () => string | null
  /** The clock rate holds count down on (the monotonic one in the app); default the desk's clock. */
  holdClock?: () => number
  /** The order manager's waits before asking a failed kill-switch cancel again (default its own). */
  haltedRecancelMs?: readonly number[]
}

export async function openDesk(options: DeskOptions, from?: Desk): Promise<Desk> {
  const dir = from?.dir ?? tempDir(options.dirPrefix)
  const store = openStore(dir, migrationsDir)
  const bus = new EventBus()
  const clock = from?.clock ?? { t: Date.UTC(2025, 0, 1, 10) }
  const timers: (() => void)[] = []
  const venue = from?.venue ?? newVenue()
  const venues = fakeVenues(venue)
  const now = () => clock.t
  const orders = new OrderManager({ db: store.db, bus, log: silentLogger, venues, risk: options.risk, now, ...(options.holdClock ? { holdClock: options.holdClock } : {}), reconcileEveryMs: 0, retryDelaysMs: [1], ...(options.haltedRecancelMs ? { haltedRecancelMs: options.haltedRecancelMs } : {}) })
  const rules = new MarketRules(venues)
  const ticks = new ScriptedTicks()
  const conditional = new ConditionalEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now,
    gateway: orders,
    ticks,
    markets: (venueId, symbol) => rules.resolve(venueId, symbol).then((r) => r.market),
    labelOf: (venueId) => rules.label(venueId),
    halted: options.halted,
    ...(options.holdClock ? { holdClock: options.holdClock } : {}),
    every: (_ms, fn) => {
      timers.push(fn)
      return () => {}
    },
  })
  await orders.start()
  await conditional.start()
  return { dir, store, bus, venue, orders, conditional, ticks, clock, timers }
}

function newVenue(): FakeVenue {
  const venue = fakeVenue('a')
  venue.tickers.set('BTC/USDT', '100')
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.balances = [balance('USDT', '1000'), balance('BTC', '3')]
  return venue
}

/** The app closes and starts again: a new order manager and engine over the same data, venue and clock. */
/**
 * A desk behind the kill switch's gate, as the app wires it: while `halt(true)`, the order manager refuses sends
 * (assertOpen) and the conditional engine is told trading is halted.
 */
export async function openHaltableDesk(options: Omit<DeskOptions, 'risk' | 'halted'>): Promise<{ desk: Desk; halt(on: boolean): void }> {
  const reason = 'Trading is halted by the kill switch'
  let halted = false
  const assertOpen = () => {
    if (halted) throw new AppError('CONFLICT', reason)
  }
  const desk = await openDesk({ ...options, risk: { check: async () => assertOpen(), assertOpen } as never, halted: () => (halted ? reason : null) })
  return { desk, halt: (on) => void (halted = on) }
}

export async function restartDesk(desk: Desk, options: DeskOptions): Promise<Desk> {
  await closeDesk(desk)
  return openDesk(options, desk)
}

export async function closeDesk(desk: Desk): Promise<void> {
  desk.conditional.stop()
  await desk.orders.stop()
  desk.store.close()
}

/** A tick of BTC/USDT on 'a' at `last`. */
export const tickAt = (desk: Desk, last: string) => desk.ticks.push({ last, bid: last, ask: last }, 'a', 'BTC/USDT')
export const settled = () => new Promise((r) => setTimeout(r, 20))
/** The desk's only conditional order, active or not. */
export const onlyView = (desk: Desk): ConditionalView =>
  (desk.conditional.list({ scope: 'active', limit: 10 })[0] ?? desk.conditional.list({ scope: 'history', limit: 10 })[0]) as ConditionalView

/** Arms an app-held stop-market selling 0.5 BTC at 95 (last), after a tick at 100. */
export async function armStopAt95(desk: Desk): Promise<void> {
  tickAt(desk, '100')
  await desk.conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' } })
}

/** The venue's next placeOrder is refused with Binance's -1015 and a `retryAfterMs` hold (logged in `calls`); later ones go through. */
export function refuseNextSendRateLimited(desk: Desk, retryAfterMs: number): void {
  const place = desk.venue.placeOrder.bind(desk.venue)
  let refuse = true
  desk.venue.placeOrder = (r) => {
    if (!refuse) return place(r)
    refuse = false
    desk.venue.calls.push(`placeOrder ${r.clientOrderId}`)
    return Promise.reject(new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, retryAfterMs))
  }
}

/** Every leg of the desk, active and ended (the first ten of each). */
export function allLegs(desk: Desk): ConditionalView[] {
  return [...desk.conditional.list({ scope: 'active', limit: 10 }), ...desk.conditional.list({ scope: 'history', limit: 10 })]
}
