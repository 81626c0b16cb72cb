import type { Logger } from '../../log'
import type { MarketDataService } from '../../market/service'
import type { SimLedgerSource } from '../sim-feed'
import type { PriceMarkStore } from '../marks'
import type { PriceMarkInput } from '../pnl'
import { SIM_LEDGER_ACCOUNT } from '../sim-feed'
import { midOf, type LivePriceBoard } from './price-board'

// What feeds the live price board, and the recorder that turns real venues' live prices into stored
// price marks (throttled: at most once a minute per market, only when the price moved), so the equity
// history and `pnl --at` have prices for exchange accounts' markets too, not just the simulated ones.

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

export const systemTimers: Timers = {
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms)
    t.unref?.()
    return t
  },
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
}

/** The simulated exchange's trades set its pairs' prices as they print. */
export function simPrices(engine: Pick<SimLedgerSource['engine'], 'on' | 'markets' | 'ticker' | 'now'>, board: LivePriceBoard): () => void {
  for (const spec of engine.markets()) {
    try {
      const last = engine.ticker(spec.symbol).last
      if (last) board.set(SIM_LEDGER_ACCOUNT, spec.symbol, last, engine.now())
    } catch {
      // no trade yet
    }
  }
  return engine.on((event) => {
    if (event.type === 'trade') board.set(SIM_LEDGER_ACCOUNT, event.trade.symbol, event.trade.price, event.trade.timestamp)
  })
}

/**
 * The mid of every live book the market module holds open (the screens' and the paper venue's watched
 * markets), polled — it opens no watch of its own. The simulated venue is left to simPrices.
 */
export function bookMidPrices(
  market: Pick<MarketDataService, 'health' | 'bookFeed'>,
  board: LivePriceBoard,
  now: () => number,
  timers: Timers = systemTimers,
  everyMs = 500,
): () => void {
  const poll = () => {
    for (const h of market.health()) {
      if (h.venueId === SIM_LEDGER_ACCOUNT || h.status !== 'live') continue
      const book = market.bookFeed(h.venueId, h.symbol)?.book
      if (book === undefined) continue
      const mid = midOf(book.bids.priceTextAt(0), book.asks.priceTextAt(0))
      if (mid !== null) board.set(h.venueId, h.symbol, mid, now())
    }
  }
  const handle = timers.setInterval(poll, everyMs)
  return () => timers.clearInterval(handle)
}

/** Writes real venues' live prices as price marks, once a minute per market (the store skips unchanged ones). */
export class VenueMarkRecorder {
  private handle: unknown = null

  constructor(
    private readonly board: LivePriceBoard,
    private readonly marks: Pick<PriceMarkStore, 'record'>,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly timers: Timers = systemTimers,
    private readonly everyMs = 60_000,
  ) {}

  start(): void {
    if (this.handle === null) this.handle = this.timers.setInterval(() => this.record(), this.everyMs)
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearInterval(this.handle)
    this.handle = null
  }

  /**
   * Records the current price of every real venue's pair; returns how many marks were written. Each is
   * stored as that venue's (it values that venue's accounts first, in the history and `pnl`).
   */
  record(): number {
    const at = this.now()
    const marks: PriceMarkInput[] = []
    for (const q of this.board.all()) {
      if (q.venueId === SIM_LEDGER_ACCOUNT) continue
      marks.push({ asset: q.base, quote: q.quote, price: q.price, at, venue: q.venueId })
    }
    if (marks.length === 0) return 0
    try {
      return this.marks.record(marks)
    } catch (err) {
      this.log.error('could not store live market prices as price marks', err)
      return 0
    }
  }
}
