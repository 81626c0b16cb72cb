import type { Arith } from './arith'
import { PriceBook } from './prices'
import { SIM_LEDGER_ACCOUNT } from './sim-feed'
import { OWN_PRICE_FRESH_MS, VenueObservations, venueOfAccount } from './venue-prices'

// What an entry was worth when it happened — a trade's quote side (the BTC of an ETH/BTC trade), a deposit,
// income, a withdrawal, a fee in a third coin (BNB) — for cost basis, realized P&L and tax. The rule of
// venue-prices.ts, at the entry's time: the account's own venue's prices first while at most a week old,
// else the newest price from a real venue or of no venue (a rates file, a trade file). The simulated
// exchange's prices are synthetic (its traders fill every second, far from real prices): they value only
// its own accounts (the paper account 'sim' and its traders), never a real or imported one. No price
// allowed: null, and the book counts the entry as unpriced, as it does any price it lacks.

const isSimVenue = (venue: string): boolean => venue === SIM_LEDGER_ACCOUNT

export class TradeTimePrices<N> {
  /** Every price but the simulated exchange's. */
  private readonly real: PriceBook<N>
  /** Each venue's newest price of each pair. */
  private readonly own = new VenueObservations<N>()
  /** venue → `real` with that venue's own prices preferred (kept up to date once made). */
  private readonly books = new Map<string, PriceBook<N>>()

  constructor(
    ar: Arith<N>,
    reporting: string,
    cash: ReadonlySet<string>,
    alias: ReadonlyMap<string, string> | undefined,
    /** Every price, the simulated exchange's included: what a simulated account falls back to. */
    private readonly all: PriceBook<N>,
  ) {
    this.real = new PriceBook(ar, reporting, cash, alias)
  }

  /** A price of base/quote seen at `at` on `venue` (null: of no venue, a price from anywhere). */
  observe(venue: string | null, base: string, quote: string, price: N, at: number): void {
    if (venue === null || !isSimVenue(venue)) {
      this.real.observe(base, quote, price, at)
      for (const [v, book] of this.books) if (v !== venue) book.observe(base, quote, price, at)
    }
    if (venue !== null && this.own.observe(venue, base, quote, price, at)) this.books.get(venue)?.prefer(base, quote, price, at)
  }

  /** What one unit of `asset` was worth at `t` to `account`, in the reporting currency; null when unpriced. */
  valueOf(account: string, asset: string, t: number): N | null {
    const venue = venueOfAccount(account)
    const book = this.bookOf(venue)
    if (book !== null) {
      const price = book.valueOf(asset)
      const observed = book.observedAt(asset)
      if (price !== null && (observed === null || t - observed <= OWN_PRICE_FRESH_MS)) return price
    }
    return (isSimVenue(venue) ? this.all : this.real).valueOf(asset)
  }

  private bookOf(venue: string): PriceBook<N> | null {
    let book = this.books.get(venue)
    if (book === undefined) {
      if (!this.own.has(venue)) return null
      book = this.real.clone()
      for (const o of this.own.of(venue)) book.prefer(o.base, o.quote, o.price, o.at)
      this.books.set(venue, book)
    }
    return book
  }
}
