import Decimal from 'decimal.js'
import type { Venue } from '../../venues/port'
import type { PriceOf } from '../../venues/valuation'
import { readBook, type BookRead, type LiveBooks } from '../ticket/live-book'
import type { MarketRules } from '../ticket/markets'

/**
 * Prices one risk check needs on one venue, each read at most once per check: books (live or a REST
 * snapshot) for touch and mid, and last prices for valuing in USDT (the live book's mid, else the ticker).
 */
export class CheckPrices {
  private readonly booksRead = new Map<string, Promise<BookRead>>()
  private readonly lasts = new Map<string, Promise<string | null>>()
  /** Prices that could not be read (the venue failed), by market: not the same as a market without a price. */
  readonly failures = new Map<string, string>()

  constructor(
    private readonly venue: Venue,
    private readonly rules: MarketRules,
    private readonly books: LiveBooks | undefined,
  ) {}

  book(symbol: string): Promise<BookRead> {
    let read = this.booksRead.get(symbol)
    if (read === undefined) this.booksRead.set(symbol, (read = readBook(this.books, this.venue, this.venue.id, symbol)))
    return read
  }

  /** Whether any market on the venue trades the asset (a coin none trades cannot change by trading). */
  tradable(asset: string): Promise<boolean> {
    return this.rules.trades(this.venue, asset)
  }

  /** For valuation: null when the venue has no such market or no price for it. */
  readonly priceOf: PriceOf = (symbol) => {
    let last = this.lasts.get(symbol)
    if (last === undefined) this.lasts.set(symbol, (last = this.readLast(symbol)))
    return last
  }

  private async readLast(symbol: string): Promise<string | null> {
    try {
      if ((await this.rules.find(this.venue, symbol)) === undefined) return null
      const feed = this.books?.bookFeed(this.venue.id, symbol)
      if (feed !== undefined && feed.health.status === 'live') {
        const bid = feed.book.bids.priceTextAt(0) ?? feed.book.bids.priceAt(0)
        const ask = feed.book.asks.priceTextAt(0) ?? feed.book.asks.priceAt(0)
        if (feed.book.bids.length > 0 && feed.book.asks.length > 0) return new Decimal(bid).plus(ask).div(2).toFixed()
      }
      const ticker = await this.venue.fetchTicker(symbol)
      return ticker.last
    } catch (err) {
      this.failures.set(symbol, err instanceof Error ? err.message : String(err))
      return null
    }
  }
}
