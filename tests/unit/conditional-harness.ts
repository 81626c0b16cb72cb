// Shared pieces of the conditional-engine tests (not a test file itself): a scripted TickSource, a fake
// OrderGateway that records what was submitted and speaks on the bus like the order manager, market rules,
// manual timers, and an engine over a temp SQLite store.
import { AppError } from '../../src-main/api/errors'
import { conditionalCreateSchema, terminalOrderStatuses, type ConditionalCreate, type ConditionalLiveFigure, type ConditionalView } from '../../src-main/api/schemas/trading'
import { EventBus } from '../../src-main/bus'
import type { Logger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import type { MarketTick, OrderGateway, OrderIntent, OrderRecord, OrderStatus, TickSource } from '../../src-main/trading/model'
import type { MarketInfo } from '../../src-main/venues/port'
import { migrationsDir, tempDir } from '../support/temp-core'
import { rejected, thrown } from '../support/thrown'
import Decimal from 'decimal.js'
import type { NativeSupport } from '../../src-main/venues/native-support'

export const BTC: MarketInfo = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.01',
  stepSize: '0.0001',
  minAmount: '0.0001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
  active: true,
}

export const VENUE = 'sim'

/** Parses through the contract's schema (defaults applied), as the router would. */
export function input(raw: unknown): ConditionalCreate {
  return conditionalCreateSchema.parse(raw)
}

export class ScriptedTicks implements TickSource {
  private readonly listeners = new Map<string, Set<(t: MarketTick) => void>>()
  private readonly latest = new Map<string, MarketTick>()
  t = 1_000
  /** Runs after each tick's listeners returned (the harness settles the engine's triggers there). */
  afterTick: (() => void) | null = null

  watchers(venueId = VENUE, symbol = BTC.symbol): number {
    return this.listeners.get(`${venueId}|${symbol}`)?.size ?? 0
  }

  watch(venueId: string, symbol: string, onTick: (tick: MarketTick) => void): () => void {
    const key = `${venueId}|${symbol}`
    let set = this.listeners.get(key)
    if (set === undefined) this.listeners.set(key, (set = new Set()))
    set.add(onTick)
    const now = this.latest.get(key)
    if (now !== undefined) onTick(now)
    return () => set.delete(onTick)
  }

  /** A tick: fields given replace the market's previous ones (live unless said otherwise). */
  push(fields: Partial<Omit<MarketTick, 'venueId' | 'symbol' | 'at'>>, venueId = VENUE, symbol = BTC.symbol): void {
    const key = `${venueId}|${symbol}`
    const prev = this.latest.get(key)
    const tick: MarketTick = {
      venueId,
      symbol,
      bid: prev?.bid ?? null,
      ask: prev?.ask ?? null,
      last: prev?.last ?? null,
      health: 'live',
      reason: null,
      ...fields,
      at: ++this.t,
    }
    this.latest.set(key, tick)
    for (const l of [...(this.listeners.get(key) ?? [])]) l(tick)
    this.afterTick?.()
  }

  /** A live tick where last, bid and ask sit around one price (bid = last − 0.01, ask = last + 0.01). */
  price(last: string): void {
    const p = new Decimal(last)
    this.push({ last, bid: p.minus('0.01').toFixed(2), ask: p.plus('0.01').toFixed(2) })
  }
}

export class FakeGateway implements OrderGateway {
  readonly submits: OrderIntent[] = []
  readonly cancels: string[] = []
  readonly records = new Map<string, OrderRecord>()
  /** The next submit is refused with this error. */
  refuseNext: Error | null = null
  /** The next submit never answers and writes nothing (the process "dies" while sending). */
  hangNext = false
  /** The next submit is kept as 'submitting' and answers UNAVAILABLE (the venue did not answer in time). */
  unansweredNext = false
  /** The account's rate hold (ms), as the order manager reports it; absent: none. */
  rateHoldMs?: (venueId: string) => number
  /** Fees an order paid in the coin bought, as the order manager reports them; absent: none. */
  baseFeePaid?: (clientOrderId: string) => string
  /** Called inside submit, before it answers (to look at the store at that moment). */
  onSubmit: ((intent: OrderIntent) => void) | null = null

  constructor(private readonly bus: EventBus) {}

  submit(intent: OrderIntent): Promise<OrderRecord> {
    this.submits.push(intent)
    this.onSubmit?.(intent)
    if (this.hangNext) {
      this.hangNext = false
      return new Promise(() => {})
    }
    if (this.refuseNext !== null) {
      const err = this.refuseNext
      this.refuseNext = null
      return Promise.reject(err)
    }
    const id = intent.clientOrderId ?? `gw${this.submits.length}`
    const existing = this.records.get(id)
    if (existing !== undefined) return Promise.resolve(existing)
    const unanswered = this.unansweredNext
    this.unansweredNext = false
    const rec: OrderRecord = {
      clientOrderId: id,
      venueOrderId: null,
      venueId: intent.venueId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      timeInForce: intent.timeInForce,
      postOnly: intent.postOnly,
      amount: intent.amount,
      price: intent.price ?? null,
      filled: '0',
      cost: '0',
      status: 'open',
      origin: intent.origin,
      error: null,
      attempts: 1,
      createdAt: 0,
      updatedAt: 0,
    }
    if (unanswered) rec.status = 'submitting'
    this.records.set(id, rec)
    this.bus.emit('orderChanged', { order: { ...rec }, previous: null })
    if (unanswered) return Promise.reject(new AppError('UNAVAILABLE', `Sim did not answer order ${id}; it may have gone through: kept as 'submitting' and checked again`))
    return Promise.resolve({ ...rec })
  }

  cancel(clientOrderId: string): Promise<OrderRecord> {
    this.cancels.push(clientOrderId)
    const rec = this.records.get(clientOrderId)
    if (rec === undefined) return Promise.reject(new AppError('NOT_FOUND', `No order ${clientOrderId}`))
    this.end(clientOrderId, 'canceled')
    return Promise.resolve({ ...rec })
  }

  get(clientOrderId: string): OrderRecord | undefined {
    const rec = this.records.get(clientOrderId)
    return rec === undefined ? undefined : { ...rec }
  }

  open(): OrderRecord[] {
    return [...this.records.values()].filter((r) => !(terminalOrderStatuses as readonly string[]).includes(r.status))
  }

  /** The order filled `amount` more (partially-filled, or filled when complete). */
  fill(clientOrderId: string, amount: string, price = '100'): void {
    const rec = this.records.get(clientOrderId) as OrderRecord
    const previous = rec.status
    rec.filled = new Decimal(rec.filled).plus(amount).toFixed()
    rec.cost = new Decimal(rec.cost).plus(new Decimal(amount).times(price)).toFixed()
    rec.status = new Decimal(rec.filled).gte(rec.amount) ? 'filled' : 'partially-filled'
    this.bus.emit('orderFilled', {
      order: { ...rec },
      fill: {
        venueId: rec.venueId,
        tradeId: `t${Math.random()}`,
        venueOrderId: 'v1',
        clientOrderId,
        symbol: rec.symbol,
        side: rec.side,
        price,
        amount,
        fee: { asset: 'USDT', amount: '0' },
        liquidity: 'taker',
        timestamp: 0,
      },
    })
    this.bus.emit('orderChanged', { order: { ...rec }, previous })
  }

  end(clientOrderId: string, status: OrderStatus, error: string | null = null): void {
    const rec = this.records.get(clientOrderId) as OrderRecord
    const previous = rec.status
    rec.status = status
    rec.error = error
    this.bus.emit('orderChanged', { order: { ...rec }, previous })
  }

  /** The last submitted intent. */
  get last(): OrderIntent {
    return this.submits[this.submits.length - 1] as OrderIntent
  }
}

export class ManualTimers {
  private readonly jobs = new Map<number, { ms: number; fn: () => void }>()
  private seq = 0
  every = (ms: number, fn: () => void): (() => void) => {
    const id = ++this.seq
    this.jobs.set(id, { ms, fn })
    return () => this.jobs.delete(id)
  }
  /** Runs the jobs of one period (250 = live figures, 1000 = trailing references). */
  run(ms: number): void {
    for (const j of [...this.jobs.values()]) if (j.ms === ms) j.fn()
  }
}

/**
 * When the engine's settle of a tick's triggers (write, then submit) runs:
 *  - 'after-tick' (default): right after each scripted tick's listeners return — as the microtask does
 *    after a market-data message — so a test sees a tick's orders as soon as push() returns;
 *  - 'microtask': the engine's own default (queueMicrotask); ticks pushed in one turn share one settle;
 *  - 'manual': only when the test calls runDeferred() (a "crash" is never calling it).
 */
export type DeferMode = 'after-tick' | 'microtask' | 'manual'

export interface Harness {
  engine: ConditionalEngine
  store: Store
  dir: string
  bus: EventBus
  ticks: ScriptedTicks
  gateway: FakeGateway
  timers: ManualTimers
  events: ConditionalView[]
  /** conditionalLive batches, in order. */
  live: ConditionalLiveFigure[][]
  logs: string[]
  markets: MarketInfo[]
  /** Rows in conditional_orders. */
  rows(): number
  /** Let promise callbacks (submit answers) run. */
  settle(): Promise<void>
  /** Moves the engine's clock on by `ms` (each read of it also moves it by 1 ms). */
  advance(ms: number): void
  /** Settles (writes, then sends) what ticks decided ('manual' defer mode); returns how many settles ran. */
  runDeferred(): number
  /** A new engine over the same data dir (a restart), with fresh ticks and (unless given) the same gateway. */
  restart(options?: { gateway?: FakeGateway; down?: Outage; halted?: () => string | null }): Promise<Harness>
}

const stores: Store[] = []

export function closeStores(): void {
  for (const s of stores.splice(0)) s.close()
}

/** Set `down.value` to make the market rules fail to load (an unreachable venue). */
export interface Outage {
  value: boolean
}

export async function harness(
  options: {
    dir?: string
    gateway?: FakeGateway
    bus?: EventBus
    nativeStops?: boolean | NativeSupport
    down?: Outage
    defer?: DeferMode
    /** The kill switch's halt as the risk gate tells it (its words, or null); absent: never halted. */
    halted?: () => string | null
    /** The engine's ticks from this source (a real market stack) instead of the scripted ones (`ticks` then unused). */
    source?: TickSource
  } = {},
): Promise<Harness> {
  const dir = options.dir ?? tempDir('co-cond-')
  const store = openStore(dir, migrationsDir)
  stores.push(store)
  const bus = options.bus ?? new EventBus()
  const ticks = new ScriptedTicks()
  const gateway = options.gateway ?? new FakeGateway(bus)
  const timers = new ManualTimers()
  const events: ConditionalView[] = []
  bus.on('conditionalChanged', (e) => events.push(e.view))
  const live: ConditionalLiveFigure[][] = []
  bus.on('conditionalLive', (e) => live.push(e.figures))
  const logs: string[] = []
  const log: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) }
  const markets = [BTC, { ...BTC, symbol: 'ETH/USDT', base: 'ETH', minAmount: '0.01' }]
  let now = 1_700_000_000_000
  const mode = options.defer ?? 'after-tick'
  const deferred: (() => void)[] = []
  const runDeferred = (): number => {
    const jobs = deferred.splice(0)
    for (const fn of jobs) fn()
    return jobs.length
  }
  if (mode === 'after-tick') ticks.afterTick = runDeferred
  const engine = new ConditionalEngine({
    db: store.db,
    bus,
    log,
    now: () => ++now,
    gateway,
    ticks: options.source ?? ticks,
    markets: async (venueId, symbol) => {
      if (options.down?.value) throw new Error('connect ECONNREFUSED')
      if (venueId !== VENUE) throw new AppError('NOT_FOUND', `No venue "${venueId}"`)
      const m = markets.find((x) => x.symbol === symbol)
      if (m === undefined) throw new AppError('NOT_FOUND', `No market ${symbol} on Sim`)
      return m
    },
    labelOf: (id) => (id === VENUE ? 'Sim' : id),
    nativeStops: () => options.nativeStops ?? false,
    ...(options.halted ? { halted: options.halted } : {}),
    every: timers.every,
    priceWaitMs: 50,
    ...(mode === 'microtask'
      ? {}
      : {
          defer: (fn: () => void) => {
            deferred.push(fn)
            // Outside a scripted tick (a tick delivered by watch()), still right after the current work.
            if (mode === 'after-tick') queueMicrotask(runDeferred)
          },
        }),
  })
  await engine.start()
  const h: Harness = {
    engine,
    store,
    dir,
    bus,
    ticks,
    gateway,
    timers,
    events,
    live,
    logs,
    markets,
    rows: () => (store.sqlite.prepare('select count(*) as n from conditional_orders').get() as { n: number }).n,
    runDeferred,
    advance: (ms) => {
      now += ms
    },
    settle: async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    },
    restart: async (o = {}) => {
      engine.stop()
      // A gateway given here must speak on this bus (new FakeGateway(h.bus)).
      const halted = o.halted ?? options.halted
      return harness({ dir, gateway: o.gateway ?? gateway, bus, ...(o.down ? { down: o.down } : {}), ...(halted ? { halted } : {}) })
    },
  }
  return h
}

/** The leg's current view (from the active list, else history). */
export function viewOf(h: Harness, id: string): ConditionalView {
  const all = [...h.engine.list({ scope: 'active', limit: 1000 }), ...h.engine.list({ scope: 'history', limit: 1000 })]
  const v = all.find((x) => x.id === id)
  if (v === undefined) throw new Error(`no conditional order ${id}`)
  return v
}

/** A stored row, straight from SQLite. */
export function rowOf(h: Harness, id: string): Record<string, unknown> {
  return h.store.sqlite.prepare('select * from conditional_orders where id = ?').get(id) as Record<string, unknown>
}

/** Creates a single conditional order on BTC/USDT; returns its id. */
export async function single(h: Harness, leg: Record<string, unknown>): Promise<string> {
  const [view] = await h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg }))
  return (view as { id: string }).id
}

/** Creates an OCO on BTC/USDT; returns the ids of its two legs, in the order given. */
export async function oco(h: Harness, legs: Record<string, unknown>[]): Promise<[string, string]> {
  const views = await h.engine.create(input({ type: 'oco', venueId: VENUE, symbol: 'BTC/USDT', legs }))
  return [views[0]?.id as string, views[1]?.id as string]
}

export interface BracketIds {
  tp: string
  sl: string
  /** The client order id of the entry, which goes out at create. */
  entry: string
  group: string
}

/**
 * Creates a bracket on BTC/USDT: buy 1 at a limit of 100, take-profit at 110, stop at 95; `extra` replaces
 * any of those parts.
 */
export async function bracket(h: Harness, extra: Record<string, unknown> = {}): Promise<BracketIds> {
  const views = await h.engine.create(
    input({
      type: 'bracket',
      venueId: VENUE,
      symbol: 'BTC/USDT',
      entry: { side: 'buy', type: 'limit', size: { unit: 'base', value: '1' }, price: '100' },
      takeProfit: { triggerPrice: '110' },
      stopLoss: { triggerPrice: '95' },
      ...extra,
    }),
  )
  // the latest submit: a test may create more than one bracket
  const entry = h.gateway.submits.at(-1)?.clientOrderId as string
  return { tp: views[0]?.id as string, sl: views[1]?.id as string, entry, group: views[0]?.groupId as string }
}

/** A sell OCO of 1 BTC around 100: take-profit at 110, stop at 95. */
export const SELL_OCO = [
  { kind: 'take-profit-market', side: 'sell', amount: '1', triggerPrice: '110' },
  { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
]

/** The AppError a synchronous engine call throws (fails when it does not throw one). */
export const refusal = (fn: () => unknown): AppError => thrown(fn, AppError)

/** The AppError an asynchronous engine call rejects with (fails when it resolves or rejects otherwise). */
export const rejection = (p: Promise<unknown>): Promise<AppError> => rejected(p, AppError)
