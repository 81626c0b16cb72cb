import type { PriceBook } from './prices'
import { OWN_PRICE_FRESH_MS, priceMayValue, VenueObservations, venueOfAccount, type GeneralPrices } from './venue-prices'

// What an entry was worth when it happened — a trade's quote side (the BTC of an ETH/BTC trade), a deposit,
// income, a withdrawal, a fee in a third coin (BNB) — for cost basis, realized P&L and tax. The rule of
// venue-prices.ts, at the entry's time: the account's own venue's prices first while at most a week old,
// else the newest price that may value the account (priceMayValue): from a real venue or of no venue (a
// rates file, a trade file) — the simulated exchange's synthetic prices value only its own accounts (the
// paper account 'sim', its traders, the paper accounts opened on it), never a real or imported one. No
// price allowed: null, and the book counts the entry as unpriced, as it does any price it lacks.

export class TradeTimePrices<N> {
  /** Each venue's newest price of each pair. */
  private readonly own = new VenueObservations<N>()
  /** venue → the general prices that may value its accounts, its own preferred (kept up to date once made). */
  private readonly books = new Map<string, PriceBook<N>>()

  constructor(
    /** Every price seen, the newest winning (observed by the caller before this is told). */
    private readonly general: GeneralPrices<N>,
  ) {}

  /** A price of base/quote seen at `at` on `venue` (null: of no venue, a price from anywhere). */
  observe(venue: string | null, base: string, quote: string, price: N, at: number): void {
    // A venue's book is keyed by the venue id, which is also the id of its account.
    for (const [v, book] of this.books) if (v !== venue && priceMayValue(venue, v, this.general.simPaper)) book.observe(base, quote, price, at)
    if (venue !== null && this.own.observe(venue, base, quote, price, at)) this.books.get(venue)?.prefer(base, quote, price, at)
  }

  /** What one unit of `asset` was worth at `t` to `account`, in the reporting currency; null when unpriced. */
  valueOf(account: string, asset: string, t: number): N | null {
    return this.priceAt(account, asset, t)?.price ?? null
  }

  /**
   * valueOf with when that price was seen (null: the reporting currency or an equivalent, always 1). The
   * fallback has no age limit — it may be years old — so the caller warns of an old one (lots.ts).
   */
  priceAt(account: string, asset: string, t: number): { price: N; at: number | null } | null {
    const book = this.bookOf(venueOfAccount(account, this.general.simPaper))
    if (book !== null) {
      const own = book.priced(asset)
      if (own !== null && (own.at === null || t - own.at <= OWN_PRICE_FRESH_MS)) return own
    }
    return this.general.for(account).priced(asset)
  }

  private bookOf(venue: string): PriceBook<N> | null {
    let book = this.books.get(venue)
    if (book === undefined) {
      if (!this.own.has(venue)) return null
      book = this.general.for(venue).clone()
      for (const o of this.own.of(venue)) book.prefer(o.base, o.quote, o.price, o.at)
      this.books.set(venue, book)
    }
    return book
  }
}
