import { expect, vi } from 'vitest'
import { EventBus, type EngineEvents } from '../../src-main/bus'
import { AppError } from '../../src-main/api/errors'
import type { Logger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import {
  VenueError,
  type ConnectionState,
  type Fill,
  type OrderRequest,
  type Unwatch,
  type Venue,
  type VenueErrorKind,
  type VenueOrder,
} from '../../src-main/venues/port'
import type { SimMarketSpec, MatchingEngine } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { PrivateStreamTracker } from '../../src-main/venues/private-streams'
import { SimVenue } from '../../src-main/venues/sim/sim-venue'
import { OrderManager, type OrderManagerDeps } from '../../src-main/trading/orders/order-manager'
import type { OrderIntent, RiskGate } from '../../src-main/trading/model'
import { migrationsDir, tempDir } from '../support/temp-core'
import { BTC_SPEC } from '../support/sim-market'
import { waitFor as sharedWaitFor, type Pending } from '../support/wait-for'

// Shared setup for the order manager's unit tests: a real SQLite file, the simulated matching engine, and
// a FakeVenue in front of it whose calls can be scripted to fail (rate limit, timeout after landing, ...)
// and whose streams can be cut while the engine keeps trading.

export const SPEC: SimMarketSpec = { ...BTC_SPEC, minNotional: '1', takerFee: '0.002' }

export const ME = 'me'
/** The FakeVenue's account (its own, so the two venues never report each other's fills). */
export const ME_FAKE = 'mefake'
export const OTHER = 'other'

type Method = 'placeOrder' | 'cancelOrder' | 'fetchOrder' | 'fetchOpenOrders' | 'fetchMyFills'
/** Replaces one call: gets the real call (to run it or not) and its arguments. */
export type Behaviour = (real: () => Promise<unknown>, args: unknown[]) => Promise<unknown>

/** Fails without reaching the venue. */
export const fail = (kind: VenueErrorKind, message = `scripted ${kind}`): Behaviour => async () => {
  throw new VenueError(kind, message)
}
/** Reaches the venue (the order lands), then the answer is lost. */
export const landThenFail = (kind: VenueErrorKind = 'unreachable', message = 'request timed out'): Behaviour => async (real) => {
  await real()
  throw new VenueError(kind, message)
}
/** Answers "not there" without asking the venue. */
export const notFound: Behaviour = async () => null

/** The venue accepts the cancel (OKX, Bybit) and answers with the order still open; it never carries it out. */
export const acceptedNotDone =
  (fake: FakeVenue): Behaviour =>
  async (_real, args) => {
    const [symbol, venueOrderId] = args as [string, string]
    return (await fake.fetchOrder(symbol, { venueOrderId })) as VenueOrder
  }

/**
 * The venue accepts the cancel (OKX, Bybit) and answers with the order still open; it processes it `delayMs` later,
 * after `meanwhile` (a fill, say).
 */
export const acceptedLater =
  (fake: FakeVenue, delayMs: number, meanwhile: () => void): Behaviour =>
  async (real, args) => {
    const [symbol, venueOrderId] = args as [string, string]
    const still = (await fake.fetchOrder(symbol, { venueOrderId })) as VenueOrder
    setTimeout(() => {
      meanwhile()
      void real().catch(() => undefined) // filled completely by then: nothing left to cancel
    }, delayMs)
    return still
  }

/** A risk gate with the kill switch's halt (assertOpen refuses while halted), switched by the test. */
export function haltable(): { gate: RiskGate; halt(on: boolean): void } {
  let halted = false
  return {
    gate: {
      check: async () => {},
      assertOpen: () => {
        if (halted) throw new AppError('CONFLICT', 'Trading is halted by the kill switch')
      },
    },
    halt: (on) => {
      halted = on
    },
  }
}

let unacknowledgedN = 0

/**
 * A sell of 1 at 110 on the fake venue left 'submitting' (intent written, never acknowledged): its send timed out
 * — after reaching the venue when `landed` — and the harness has no retries (`retryDelaysMs: []`) to look again.
 * The fake venue's streams are silenced first, so the venue's own news of it does not arrive. Returns its client id.
 */
export async function unacknowledged(h: Harness, landed: boolean): Promise<string> {
  const clientOrderId = `unacked${++unacknowledgedN}`
  h.fake.silenceStreams()
  h.fake.script('placeOrder', landed ? landThenFail('unreachable', 'request timed out') : fail('unreachable', 'request timed out'))
  await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1', clientOrderId })).catch(() => undefined)
  const status = h.manager.get(clientOrderId)?.status
  if (status !== 'submitting') throw new Error(`expected order ${clientOrderId} left 'submitting', got ${status} (retries on?)`)
  return clientOrderId
}

/** A call held until the test calls `release()`: then it reaches the venue (or runs `then`). */
export function held(then?: Behaviour) {
  let release: (() => void) | undefined
  const behaviour: Behaviour = async (real, args) => {
    await new Promise<void>((resolve) => (release = resolve))
    return then ? then(real, args) : real()
  }
  return { behaviour, sent: () => release !== undefined, release: () => release!() }
}

export class FakeVenue implements Venue {
  readonly exchange = 'fake'
  readonly capabilities = { nativeStops: false, sandbox: false, watchOrderBook: true, watchMyFills: true }
  readonly calls: { method: Method; args: unknown[] }[] = []
  /** Runs at the start of every placeOrder, before the venue sees it. */
  beforePlace: ((request: OrderRequest) => void) | undefined
  private readonly scripts = new Map<Method, Behaviour[]>()
  private state: ConnectionState = 'live'
  private readonly connectionListeners = new Set<(state: ConnectionState, reason?: string) => void>()
  private readonly streamErrors = new Set<(err: Error) => void>()
  private streamsUp = true
  private readonly orderListeners = new Set<(order: VenueOrder) => void>()
  private readonly fillListeners = new Set<(fill: Fill) => void>()
  /** Its order and fill watches, as an exchange account's status reads them (subscribed at once here). */
  private readonly streams = new PrivateStreamTracker()

  constructor(
    readonly inner: SimVenue,
    readonly id = 'fake',
  ) {}

  /** The next calls of `method` behave like this, in order; after them, calls reach the venue. */
  script(method: Method, ...behaviours: Behaviour[]): this {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...behaviours])
    return this
  }

  callsOf(method: Method): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args)
  }

  /** The streams fail and deliver nothing until restoreStreams(); the connection goes down. */
  cutStreams(reason = 'socket closed'): void {
    this.streamsUp = false
    this.setConnection('down', reason)
    for (const onError of [...this.streamErrors]) onError(new VenueError('unreachable', reason))
  }

  /** The streams deliver nothing more (messages lost on the wire) but report no error. */
  silenceStreams(): void {
    this.streamsUp = false
  }

  restoreStreams(): void {
    this.streamsUp = true
    this.setConnection('live')
  }

  setConnection(state: ConnectionState, reason?: string): void {
    if (state === this.state) return
    this.state = state
    for (const l of [...this.connectionListeners]) l(state, reason)
  }

  async connect(): Promise<void> {}
  async close(): Promise<void> {}
  connection(): ConnectionState {
    return this.state
  }
  onConnection(listener: (state: ConnectionState, reason?: string) => void): Unwatch {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  loadMarkets = () => this.inner.loadMarkets()
  fetchBalances = () => this.inner.fetchBalances()
  fetchOrderBook = (symbol: string, depth?: number) => this.inner.fetchOrderBook(symbol, depth)
  fetchTicker = (symbol: string) => this.inner.fetchTicker(symbol)
  fetchCandles = (...args: Parameters<SimVenue['fetchCandles']>) => this.inner.fetchCandles(...args)
  fetchTrades = (symbol: string, limit?: number) => this.inner.fetchTrades(symbol, limit)
  watchOrderBook = (symbol: string, onBook: Parameters<Venue['watchOrderBook']>[1], onError: (err: Error) => void) => this.inner.watchOrderBook(symbol, onBook, onError)
  watchTrades = (symbol: string, onTrade: Parameters<Venue['watchTrades']>[1], onError: (err: Error) => void) => this.inner.watchTrades(symbol, onTrade, onError)
  watchTicker = (...args: Parameters<Venue['watchTicker']>) => this.inner.watchTicker(...args)

  placeOrder(request: OrderRequest): Promise<VenueOrder> {
    this.beforePlace?.(request)
    return this.run('placeOrder', [request], () => this.inner.placeOrder(request))
  }
  cancelOrder(symbol: string, venueOrderId: string): Promise<VenueOrder> {
    return this.run('cancelOrder', [symbol, venueOrderId], () => this.inner.cancelOrder(symbol, venueOrderId))
  }
  fetchOrder(symbol: string, ref: { venueOrderId?: string; clientOrderId?: string }): Promise<VenueOrder | null> {
    return this.run('fetchOrder', [symbol, ref], () => this.inner.fetchOrder(symbol, ref))
  }
  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return this.run('fetchOpenOrders', [symbol], () => this.inner.fetchOpenOrders(symbol))
  }
  fetchMyFills(symbol: string, since?: number): Promise<Fill[]> {
    return this.run('fetchMyFills', [symbol, since], () => this.inner.fetchMyFills(symbol, since))
  }

  privateStreams() {
    return this.streams.state()
  }

  watchMyFills(onFill: (fill: Fill) => void, onError: (err: Error) => void): Unwatch {
    this.fillListeners.add(onFill)
    const stop = this.stream('fill', onError, this.inner.watchMyFills((f) => this.streamsUp && onFill(f), onError))
    return () => {
      this.fillListeners.delete(onFill)
      stop()
    }
  }
  watchMyOrders(onOrder: (order: VenueOrder) => void, onError: (err: Error) => void): Unwatch {
    this.orderListeners.add(onOrder)
    const stop = this.stream('order', onError, this.inner.watchMyOrders((o) => this.streamsUp && onOrder(o), onError))
    return () => {
      this.orderListeners.delete(onOrder)
      stop()
    }
  }

  /** Delivers a made-up (or late, or altered) update on the order stream, even while it is silenced. */
  pushOrder(order: VenueOrder): void {
    for (const l of [...this.orderListeners]) l(order)
  }

  pushFill(fill: Fill): void {
    for (const l of [...this.fillListeners]) l(fill)
  }

  private stream(what: string, onError: (err: Error) => void, stop: Unwatch): Unwatch {
    this.streamErrors.add(onError)
    const tracked = this.streams.add(what)
    this.streams.subscribed(tracked)
    return () => {
      this.streamErrors.delete(onError)
      this.streams.remove(tracked)
      stop()
    }
  }

  private async run<T>(method: Method, args: unknown[], real: () => Promise<T>): Promise<T> {
    this.calls.push({ method, args })
    const behaviour = this.scripts.get(method)?.shift()
    return behaviour ? ((await behaviour(real, args)) as T) : real()
  }
}

export interface Harness {
  store: Store
  dataDir: string
  bus: EventBus
  engine: MatchingEngine
  sim: SimVenue
  fake: FakeVenue
  manager: OrderManager
  events: { [K in keyof EngineEvents]?: EngineEvents[K][] }
  warnings: string[]
  /** Another engine account trading against ours. */
  other(side: 'buy' | 'sell', amount: string, price: string): void
  intent(overrides?: Partial<OrderIntent>): OrderIntent
  /** A new manager (and store) over the same data dir and engine, as after a restart (`start: false`: not started yet). */
  restart(options?: Partial<OrderManagerDeps> & { start?: boolean }): Promise<Harness>
  close(): Promise<void>
}

const allowAll: RiskGate = { check: async () => {} }

/** Test defaults: retries and rechecks in milliseconds, no periodic reconciliation. */
export async function harness(options: Partial<OrderManagerDeps> & { dataDir?: string; engine?: MatchingEngine; start?: boolean } = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? tempDir('co-orders-')
  const store = openStore(dataDir, migrationsDir)
  let engine = options.engine
  if (!engine) {
    engine = createMatchingEngine([SPEC])
    engine.deposit(ME, 'USDT', '100000')
    engine.deposit(ME, 'BTC', '10')
    engine.deposit(ME_FAKE, 'USDT', '100000')
    engine.deposit(ME_FAKE, 'BTC', '10')
    engine.deposit(OTHER, 'USDT', '100000')
    engine.deposit(OTHER, 'BTC', '10')
  }
  const sim = new SimVenue(engine, ME, { id: 'sim' })
  const fake = new FakeVenue(new SimVenue(engine, ME_FAKE, { id: 'fake' }))
  const bus = new EventBus((event, err) => {
    throw new Error(`listener for ${event} failed: ${String(err)}`)
  })
  const events: Harness['events'] = {}
  for (const name of ['orderChanged', 'orderFilled', 'fillsLinked', 'orderTransitionRefused'] as const) {
    const list: unknown[] = []
    ;(events as Record<string, unknown[]>)[name] = list
    bus.on(name, (e) => list.push(e))
  }
  const warnings: string[] = []
  const log: Logger = { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) }
  const manager = new OrderManager({
    db: store.db,
    bus,
    log,
    venues: {
      open: async (id) => {
        if (id === 'sim') return sim
        if (id === 'fake') return fake
        throw new Error(`no venue ${id}`)
      },
    },
    risk: allowAll,
    retryDelaysMs: [5, 5, 5, 5],
    lostRecheckMs: 30,
    resyncDelayMs: 5,
    reconcileEveryMs: 0,
    reconcileRetryMs: 50,
    ...options,
  })
  if (options.start !== false) await manager.start()
  let n = 0
  const h: Harness = {
    store,
    dataDir,
    bus,
    engine,
    sim,
    fake,
    manager,
    events,
    warnings,
    other: (side, amount, price) => {
      engine.placeOrder({ accountId: OTHER, clientOrderId: `other${++n}`, symbol: 'BTC/USDT', side, type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
    },
    intent: (overrides = {}) => ({
      venueId: 'sim',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      timeInForce: 'GTC',
      postOnly: false,
      amount: '1',
      price: '99.00',
      origin: { kind: 'manual', ref: null },
      ...overrides,
    }),
    restart: async (more = {}) => {
      await h.close()
      return harness({ ...options, ...more, dataDir, engine })
    },
    close: async () => {
      await manager.stop()
      store.close()
    },
  }
  return h
}

/**
 * The shared waitFor (tests/support/wait-for.ts) with the order tests' own defaults, as they always had them:
 * 5 s unless told, a look every 2 ms (the manager works in-process; its steps are quick).
 */
export function waitFor<T>(check: () => Pending<T>, what: string, timeoutMs = 5000): Promise<T> {
  return sharedWaitFor(check, what, timeoutMs, 2)
}

/**
 * Runs the test on time it moves (vi.advanceTimersByTimeAsync): the timers, the wall clock and the monotonic clock
 * rate holds count down on are faked — call it before the harness is made, so the manager's clocks are these — and
 * "nothing inside the window" or "not before its look" does not depend on how busy the machine is. Waits are then
 * `until` (it moves time as it polls), never waitFor (its polls would never fire). vi.useRealTimers() after the test.
 */
export function fakeTime(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
}

/** Under fakeTime: polls until `check` holds, moving the faked time 20 ms a look. */
export async function until(check: () => boolean): Promise<void> {
  await vi.waitFor(() => expect(check()).toBe(true), { timeout: 10_000, interval: 20 })
}
