import type { LedgerSource } from './model'
import type { PriceBook } from './prices'
import { isSimTraderAccount, SIM_LEDGER_ACCOUNT } from './sim-feed'
import { sqliteOf, type LedgerDb } from './sqlite'

// Stored prices per venue. One venue's price of a pair is not another's — the simulated exchange's BTC/USDT
// is synthetic and can be far from Binance's — so an account is valued at its own venue's prices first:
// the venue's price marks and its accounts' trades, as of the moment valued. A pair its venue has not priced
// within a week of that moment (the age at which the Portfolio page warns of a stale price), and every pair
// of an imported account (no venue), takes the newest price known that may value the account
// (priceMayValue: never the simulated exchange's for a real or imported account) — the same rule as the
// live prices (live/account-prices.ts) and as what a trade, deposit or fee was worth when it happened (cost
// basis, realized P&L, tax: trade-prices.ts).

/** An own-venue price older than this at the moment valued gives way to a newer one from elsewhere. */
export const OWN_PRICE_FRESH_MS = 7 * 86_400_000

/**
 * The paper accounts opened on the simulated exchange (`paper:<n>`, open or closed): they fill at its
 * synthetic prices, so they are simulated accounts like 'sim' and its traders. Read from the store where a
 * computation starts (simulatedPaperAccounts) and passed down: paper ids repeat across databases.
 */
export type SimPaperAccounts = ReadonlySet<string>
export const NO_SIM_PAPER: SimPaperAccounts = new Set()

/** The paper accounts whose source venue is the simulated exchange, from the store (paper_accounts). */
export function simulatedPaperAccounts(db: LedgerDb): SimPaperAccounts {
  const ids = sqliteOf(db)
    .prepare("select id from paper_accounts where source_kind = 'venue' and source_venue_id = ?")
    .pluck()
    .all(SIM_LEDGER_ACCOUNT) as string[]
  return new Set(ids)
}

/** The venue whose prices value a ledger account: its own id (exchange, `paper:<n>`, 'sim'); the simulated exchange for its traders and paper accounts. */
export function venueOfAccount(account: string, simPaper: SimPaperAccounts): string {
  return isSimTraderAccount(account) || simPaper.has(account) ? SIM_LEDGER_ACCOUNT : account
}

/** Whether `account` (or the venue of that id) is simulated: 'sim', its traders, its paper accounts. */
const isSimAccount = (account: string, simPaper: SimPaperAccounts): boolean => venueOfAccount(account, simPaper) === SIM_LEDGER_ACCOUNT

/**
 * Whether a price from `venue` (null: of no venue — a rates file, a trade file) may value `account`. The
 * simulated exchange's prices (its marks, its paper accounts' and traders' fills, its live trades) are
 * synthetic, often far from real ones: they value only the simulated accounts, never a real or imported one.
 */
export function priceMayValue(venue: string | null, account: string, simPaper: SimPaperAccounts): boolean {
  return venue === null || !isSimAccount(venue, simPaper) || isSimAccount(account, simPaper)
}

/** Stands for every real or imported account (no account is named ''): what may value them all. */
const ANY_REAL_ACCOUNT = ''

/**
 * Every price known, the newest winning, kept twice: all of them, and the real ones (every venue's but
 * the simulated exchange's). What an account falls back to is the book of the prices that may value it.
 */
export class GeneralPrices<N> {
  constructor(
    /** Every price, the simulated exchange's included. */
    readonly all: PriceBook<N>,
    /** The prices that may value any account (priceMayValue). */
    readonly real: PriceBook<N>,
    /** The simulated paper accounts of the ledger valued. */
    readonly simPaper: SimPaperAccounts,
  ) {}

  /** A price of base/quote seen at `at` on `venue` (null: of no venue). */
  observe(venue: string | null, base: string, quote: string, price: N, at: number): void {
    this.all.observe(base, quote, price, at)
    if (priceMayValue(venue, ANY_REAL_ACCOUNT, this.simPaper)) this.real.observe(base, quote, price, at)
  }

  /** The newest prices that may value `account`. */
  for(account: string): PriceBook<N> {
    return priceMayValue(SIM_LEDGER_ACCOUNT, account, this.simPaper) ? this.all : this.real
  }

  clone(): GeneralPrices<N> {
    return new GeneralPrices(this.all.clone(), this.real.clone(), this.simPaper)
  }
}

/** The venue a ledger trade's price is from; null for a file's (an import has no venue). */
export function venueOfTrade(account: string, source: LedgerSource | string, simPaper: SimPaperAccounts): string | null {
  return source === 'csv' ? null : venueOfAccount(account, simPaper)
}

interface Observed<N> {
  base: string
  quote: string
  price: N
  at: number
}

/** The newest stored price of each pair on each venue. */
export class VenueObservations<N> {
  private readonly venues = new Map<string, Map<string, Observed<N>>>()

  /** A price of base/quote on `venue` seen at `at`; an older one than the pair's last there is ignored (false). */
  observe(venue: string, base: string, quote: string, price: N, at: number): boolean {
    let pairs = this.venues.get(venue)
    if (pairs === undefined) this.venues.set(venue, (pairs = new Map()))
    const key = `${base}/${quote}`
    const seen = pairs.get(key)
    if (seen !== undefined && seen.at > at) return false
    pairs.set(key, { base, quote, price, at })
    return true
  }

  of(venue: string): Iterable<Observed<N>> {
    return this.venues.get(venue)?.values() ?? []
  }

  has(venue: string): boolean {
    return this.venues.has(venue)
  }
}

/**
 * The prices valuing each account at `at`: the general ones that may value it (the newest winning) with the
 * account's venue's stored prices of the last week preferred; one book per venue, made when first asked.
 * `extra` lays more of a venue's own prices over those (its live ones).
 */
export function pricesByVenue<N>(
  general: GeneralPrices<N>,
  own: VenueObservations<N>,
  at: number,
  extra?: { has(venue: string): boolean; lay(venue: string, book: PriceBook<N>): void },
): (account: string) => PriceBook<N> {
  const books = new Map<string, PriceBook<N>>()
  return (account) => {
    const venue = venueOfAccount(account, general.simPaper)
    let book = books.get(venue)
    if (book === undefined) {
      // One venue's accounts are all simulated or all not: the same fallback for each.
      book = general.for(account)
      if (own.has(venue) || extra?.has(venue)) {
        book = book.clone()
        for (const o of own.of(venue)) if (at - o.at <= OWN_PRICE_FRESH_MS) book.prefer(o.base, o.quote, o.price, o.at)
        extra?.lay(venue, book)
      }
      books.set(venue, book)
    }
    return book
  }
}
