import type { Logger } from '../../log'
import type { CoalescerClock } from '../../market/view-coalescer'
import type { PublicTrade } from '../port'
import type { PaperBook, PaperMarketSource } from './market-source'
import { TakenLiquidity } from './matching'

/** One market the paper account follows: its held book, its trades, and the liquidity our orders took. */
export interface WatchedMarket {
  readonly symbol: string
  readonly book: PaperBook
  readonly taken: TakenLiquidity
}

interface Entry extends WatchedMarket {
  holds: number
  linger: unknown
  stop(): void
}

/**
 * The markets a paper account follows. A market is followed while something holds it (an order being
 * placed, each open order) and for `lingerMs` after the last hold, so consecutive orders reuse the running
 * loop instead of restarting it.
 */
export class MarketWatches {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly source: PaperMarketSource,
    private readonly handlers: { onBook(symbol: string): void; onTrades(symbol: string, trades: PublicTrade[]): void },
    private readonly clock: CoalescerClock,
    private readonly lingerMs: number,
    private readonly log: Logger,
  ) {}

  get(symbol: string): WatchedMarket | undefined {
    return this.entries.get(symbol)
  }

  /** Follows the market (if not yet) and holds it; returns it. */
  hold(symbol: string): WatchedMarket {
    let entry = this.entries.get(symbol)
    if (entry === undefined) {
      const book = this.source.book(symbol)
      const offBook = book.onChange(() => this.handlers.onBook(symbol))
      const offTrades = this.source.trades(symbol, (trades) => this.handlers.onTrades(symbol, trades))
      entry = {
        symbol,
        book,
        taken: new TakenLiquidity(),
        holds: 0,
        linger: null,
        stop: () => {
          offBook()
          offTrades()
          book.release()
        },
      }
      this.entries.set(symbol, entry)
    }
    if (entry.linger !== null) this.clock.clearTimeout(entry.linger)
    entry.linger = null
    entry.holds++
    return entry
  }

  unhold(symbol: string): void {
    const entry = this.entries.get(symbol)
    if (entry === undefined || entry.holds === 0) return
    entry.holds--
    if (entry.holds > 0) return
    entry.linger = this.clock.setTimeout(() => {
      if (this.entries.get(symbol) !== entry || entry.holds > 0) return
      this.entries.delete(symbol)
      this.stopEntry(entry)
    }, this.lingerMs)
  }

  /** Resolves when the market's book is live, or after `ms` (the caller checks which). */
  waitLive(market: WatchedMarket, ms: number): Promise<void> {
    if (market.book.health().status === 'live' || ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      let done = false
      const finish = () => {
        if (done) return
        done = true
        off()
        this.clock.clearTimeout(timer)
        resolve()
      }
      const off = market.book.onChange(() => {
        if (market.book.health().status === 'live') finish()
      })
      const timer = this.clock.setTimeout(finish, ms)
    })
  }

  stopAll(): void {
    for (const entry of this.entries.values()) {
      if (entry.linger !== null) this.clock.clearTimeout(entry.linger)
      this.stopEntry(entry)
    }
    this.entries.clear()
  }

  private stopEntry(entry: Entry): void {
    try {
      entry.stop()
    } catch (err) {
      this.log.warn('paper market watch did not stop cleanly', { symbol: entry.symbol, error: err instanceof Error ? err.message : String(err) })
    }
  }
}
