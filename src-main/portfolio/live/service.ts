import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import type { EquityView, LotsQuery, LotView, PortfolioQuery, PortfolioView, ReportingCurrency } from '../../api/schemas/portfolio'
import { fixedArith } from '../arith'
import type { CostMethod } from '../model'
import type { LedgerDb } from '../sqlite'
import { LivePrices } from './account-prices'
import { ledgerCurrency } from './currency'
import { selectAccounts } from './scope'
import type { LivePriceBoard } from './price-board'
import { LedgerReplay } from './replay'
import { buildEquity, buildReturnCurve, buildView, type ReturnCurve } from './view'

// The live P&L: one kept-up-to-date replay per (cost method, reporting currency) in use, the live price
// board laid over its stored prices, and per subscription a coalescer that sends the view at most
// `maxPerSecond` times a second, and only when it changed. Ledger rows (bus ledgerRecorded, or anything
// stored meanwhile, e.g. by the CLI), new price marks, live prices and the portfolio settings all mark the
// views dirty; a heartbeat catches the period's start moving on.

export interface LiveClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemLiveClock: LiveClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

export interface PortfolioSettings {
  method: CostMethod
  currency: ReportingCurrency
}

export interface LivePortfolioDeps {
  db: LedgerDb
  bus: EventBus
  log: Logger
  board: LivePriceBoard
  /** Current settings (cost method, reporting currency). */
  settings: () => PortfolioSettings
  /** Told when new price marks were stored (PriceMarkStore.onRecorded). */
  onMarks?: (listener: () => void) => () => void
  labelOf?: (account: string) => string
  clock?: LiveClock
  maxPerSecond?: number
  /** A view is re-checked this often even when nothing was announced (the period start moves). */
  heartbeatMs?: number
  /** Replays kept for settings no longer in use (each holds the book's lots). */
  maxReplays?: number
}

interface Subscription {
  query: PortfolioQuery
  emit: (view: PortfolioView) => void
  last: string | null
  lastAt: number
  timer: unknown
}

export class LivePortfolio {
  private readonly replays = new Map<string, LedgerReplay>()
  private readonly subs = new Set<Subscription>()
  private readonly off: (() => void)[] = []
  private readonly clock: LiveClock
  private readonly minGap: number
  private heartbeat: unknown = null

  constructor(private readonly deps: LivePortfolioDeps) {
    this.clock = deps.clock ?? systemLiveClock
    this.minGap = Math.ceil(1000 / (deps.maxPerSecond ?? 4))
  }

  start(): void {
    const { bus } = this.deps
    this.off.push(
      bus.on('ledgerRecorded', () => this.changed()),
      // Rows gone from the middle of the history: the replays only ever add, so they start over.
      bus.on('ledgerRemoved', () => {
        this.replays.clear()
        this.changed()
      }),
      bus.on('settingChanged', (e) => {
        if (e.view.key.startsWith('portfolio.')) this.changed()
      }),
      this.deps.board.onChange(() => this.changed()),
    )
    if (this.deps.onMarks) this.off.push(this.deps.onMarks(() => this.changed()))
    this.beat()
  }

  stop(): void {
    for (const off of this.off.splice(0)) off()
    for (const s of this.subs) if (s.timer !== null) this.clock.clearTimeout(s.timer)
    this.subs.clear()
    if (this.heartbeat !== null) this.clock.clearTimeout(this.heartbeat)
    this.heartbeat = null
  }

  /** The P&L view now (portfolio.summary). */
  view(query: PortfolioQuery): PortfolioView {
    const { method, currency } = this.resolve(query)
    const replay = this.replay(method, currency)
    const now = this.clock.now()
    const prices = this.pricesFor(replay)
    return buildView(replay, query, { now, method, currency, prices: prices.general.all, pricesOf: prices.of, labelOf: this.labelOf })
  }

  /** One position's open lots, oldest first (portfolio.lots). */
  lots(query: LotsQuery): LotView[] {
    const { method, currency } = this.resolve(query)
    return this.replay(method, currency)
      .book.lots()
      .filter((l) => l.account === query.account && l.asset === query.asset)
      .sort((a, b) => a.acquiredAt - b.acquiredAt)
      .map((l) => ({
        account: l.account,
        asset: l.asset,
        acquiredAt: l.acquiredAt,
        amount: l.amount,
        cost: l.cost,
        unitCost: fixedArith.format(fixedArith.div(fixedArith.parse(l.cost), fixedArith.parse(l.amount))),
        currency,
      }))
  }

  /** The equity curve (portfolio.equity). */
  equity(query: PortfolioQuery): EquityView {
    const { method, currency } = this.resolve(query)
    const replay = this.replay(method, currency)
    const now = this.clock.now()
    const prices = this.pricesFor(replay)
    let liveValue = 0n
    const shown = selectAccounts(query)
    for (const [account, a] of replay.book.equity(prices.of).accounts) if (shown.includes(account)) liveValue += a.value
    return buildEquity(replay, query, { now, method, currency, prices: prices.general.all, pricesOf: prices.of, labelOf: this.labelOf, liveValue })
  }

  /** The curve a period's time-weighted return is worked from: the equity curve, exact, with flow points (view.ts). */
  returnCurve(query: PortfolioQuery): ReturnCurve {
    const { method, currency } = this.resolve(query)
    const replay = this.replay(method, currency)
    const prices = this.pricesFor(replay)
    let liveValue = 0n
    const shown = selectAccounts(query)
    for (const [account, a] of replay.book.equity(prices.of).accounts) if (shown.includes(account)) liveValue += a.value
    return buildReturnCurve(replay, query, { now: this.clock.now(), liveValue })
  }

  /** portfolio.live: the view at once, then whenever it changes, at most maxPerSecond times a second. */
  subscribe(query: PortfolioQuery, emit: (view: PortfolioView) => void): () => void {
    const sub: Subscription = { query, emit, last: null, lastAt: Number.NEGATIVE_INFINITY, timer: null }
    this.subs.add(sub)
    this.flush(sub)
    return () => {
      if (sub.timer !== null) this.clock.clearTimeout(sub.timer)
      sub.timer = null
      this.subs.delete(sub)
    }
  }

  /** Something a view shows may have changed: each subscription sends within its rate. */
  changed(): void {
    for (const sub of this.subs) this.schedule(sub)
  }

  /** The replay for these settings, brought up to date with the ledger and marks. */
  replay(method: CostMethod, currency: ReportingCurrency): LedgerReplay {
    const key = `${method}|${currency}`
    let replay = this.replays.get(key)
    if (replay === undefined) {
      replay = new LedgerReplay({ db: this.deps.db, method, ...ledgerCurrency(currency), now: () => this.clock.now() })
      this.replays.set(key, replay)
      this.evict(key)
    } else {
      replay.sync()
    }
    replay.prune(this.clock.now())
    return replay
  }

  private readonly labelOf = (account: string): string => this.deps.labelOf?.(account) ?? account

  private resolve(query: Pick<PortfolioQuery, 'method' | 'currency'>): PortfolioSettings {
    const s = this.deps.settings()
    return { method: query.method ?? s.method, currency: query.currency ?? s.currency }
  }

  /** The replay's prices (as of its last entry or mark) with the live board's laid over, per account's venue. */
  private pricesFor(replay: LedgerReplay): LivePrices {
    return new LivePrices(replay.book.prices, replay.venuePrices, this.deps.board, this.clock.now())
  }

  private schedule(sub: Subscription): void {
    if (sub.timer !== null) return
    const wait = Math.max(0, sub.lastAt + this.minGap - this.clock.now())
    sub.timer = this.clock.setTimeout(() => {
      sub.timer = null
      this.flush(sub)
    }, wait)
  }

  private flush(sub: Subscription): void {
    if (!this.subs.has(sub)) return
    let view: PortfolioView
    try {
      view = this.view(sub.query)
    } catch (err) {
      this.deps.log.error('could not compute the live P&L view', err)
      return
    }
    const { at: _at, ...shown } = view
    const key = JSON.stringify(shown)
    if (key === sub.last) return
    sub.last = key
    sub.lastAt = this.clock.now()
    sub.emit(view)
  }

  private beat(): void {
    this.heartbeat = this.clock.setTimeout(() => {
      this.changed()
      this.beat()
    }, this.deps.heartbeatMs ?? 30_000)
  }

  /** Keeps the replays of the settings in use (and the newest), drops older ones. */
  private evict(newest: string): void {
    const max = this.deps.maxReplays ?? 3
    if (this.replays.size <= max) return
    const inUse = new Set([newest, ...[...this.subs].map((s) => { const r = this.resolve(s.query); return `${r.method}|${r.currency}` })])
    for (const key of this.replays.keys()) {
      if (this.replays.size <= max) break
      if (!inUse.has(key)) this.replays.delete(key)
    }
  }
}
