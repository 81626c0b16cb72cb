// The TickSource of the trading module over the market module: what a conditional order triggers on.
// Top of book and health come from the market's shared BookFeed (the same loop the screen's book views
// use, with its staleness rules), the last price from the raw public-trades feed as trades arrive (until the
// first live one, from the recent trades) — not the screen's coalesced streams (≤ 60 frames/s books, ≤ 30
// batches/s tape), which would delay a trigger.
// One hold on the book loop and one trades listener per market, however many orders watch it; both are
// released when the last watcher stops.
import type { BookFeed } from './book-feed'
import type { MarketTick, TickSource } from '../trading/model'
import type { PublicTrade } from '../venues/port'

/** The part of MarketDataService this needs (the real one, or a fake in tests). */
export interface TickMarket {
  holdBook(venueId: string, symbol: string): { feed: BookFeed; release: () => void }
  watchRawTrades(venueId: string, symbol: string, listener: (trades: PublicTrade[]) => void, onRecent?: (trades: PublicTrade[]) => void): () => void
}

interface Watched {
  listeners: Set<(tick: MarketTick) => void>
  feed: BookFeed
  release: () => void
  offBook: () => void
  offTrades: () => void
  last: string | null
  lastAt: number
  /** The tick last sent (null before the first). */
  tick: MarketTick | null
}

export class MarketTickSource implements TickSource {
  private readonly watched = new Map<string, Watched>()

  constructor(
    private readonly market: TickMarket,
    private readonly now: () => number = Date.now,
  ) {}

  /** Number of markets held (for tests). */
  get size(): number {
    return this.watched.size
  }

  /**
   * Calls onTick on every change of the market's best bid / ask, last trade or book health — and at once
   * with the current state when the market is already watched.
   */
  watch(venueId: string, symbol: string, onTick: (tick: MarketTick) => void): () => void {
    const key = `${venueId}\u0000${symbol}`
    let w = this.watched.get(key)
    if (w === undefined) w = this.open(key, venueId, symbol)
    w.listeners.add(onTick)
    if (w.tick !== null) onTick(w.tick)
    const entry = w
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      entry.listeners.delete(onTick)
      if (entry.listeners.size > 0 || this.watched.get(key) !== entry) return
      this.watched.delete(key)
      entry.offBook()
      entry.offTrades()
      entry.release()
    }
  }

  private open(key: string, venueId: string, symbol: string): Watched {
    const { feed, release } = this.market.holdBook(venueId, symbol)
    const w: Watched = {
      listeners: new Set(),
      feed,
      release,
      offBook: () => {},
      offTrades: () => {},
      last: null,
      lastAt: 0,
      tick: null,
    }
    this.watched.set(key, w)
    w.offBook = feed.onChange(() => this.update(w, venueId, symbol))
    try {
      // New trades: each one is a last price, in time order. An exchange's socket hands over every trade
      // since its last message, so a dip and rebound inside one batch (100, 94, 99) must still reach a stop
      // at 95 — and a trailing stop's high water mark — not only the batch's newest price.
      const onTrades = (trades: PublicTrade[]) => {
        const fresh = trades.filter((t) => t.timestamp >= w.lastAt)
        if (fresh.length > 1) fresh.sort((a, b) => a.timestamp - b.timestamp) // stable: a batch's order within a millisecond
        for (const t of fresh) {
          w.last = t.price
          w.lastAt = t.timestamp
          this.update(w, venueId, symbol)
        }
      }
      // The recent trades give the last price before the next trade comes (a quiet market has one too): only
      // the newest of them — history from before anyone watched is not replayed into the triggers.
      const onRecent = (trades: PublicTrade[]) => {
        let newest: PublicTrade | undefined
        for (const t of trades) if (newest === undefined || t.timestamp >= newest.timestamp) newest = t
        if (newest === undefined || newest.timestamp < w.lastAt) return
        w.last = newest.price
        w.lastAt = newest.timestamp
        this.update(w, venueId, symbol)
      }
      w.offTrades = this.market.watchRawTrades(venueId, symbol, onTrades, onRecent)
    } catch (err) {
      this.watched.delete(key)
      w.offBook()
      release()
      throw err
    }
    this.update(w, venueId, symbol)
    return w
  }

  /** A new tick when something a trigger reads changed (a deeper level changing sends nothing). */
  private update(w: Watched, venueId: string, symbol: string): void {
    const book = w.feed.book
    const bid = topText(book.bids.priceTextAt(0), book.bids.best())
    const ask = topText(book.asks.priceTextAt(0), book.asks.best())
    const h = w.feed.health
    const reason = h.status === 'live' ? null : (h.reason ?? null)
    const prev = w.tick
    if (prev !== null && prev.bid === bid && prev.ask === ask && prev.last === w.last && prev.health === h.status && prev.reason === reason) return
    const tick: MarketTick = { venueId, symbol, bid, ask, last: w.last, at: this.now(), health: h.status, reason }
    w.tick = tick
    for (const l of [...w.listeners]) l(tick)
  }
}

/** The venue's exact text of the best price, else the number as text; null for an empty side. */
function topText(text: string | undefined, best: number): string | null {
  if (text !== undefined) return text
  return Number.isFinite(best) ? String(best) : null
}
