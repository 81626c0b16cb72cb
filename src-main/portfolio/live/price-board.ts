import { LedgerDecimal } from '../arith'
import { canonicalDecimal } from '../decimal-text'
import { splitSymbol } from '../symbols'

// Live prices for the P&L view: the latest price of each pair on each venue, from what the engine already
// receives — the simulated exchange's trades, and the mid of every live book of a watched market on a real
// venue. Kept per venue, because one venue's price of a pair is not another's (a thin venue's price of a
// small coin must not value a Binance account): an account is valued at its own venue's prices first (see
// account-prices.ts). Exact decimal strings (the venue's own texts; a mid is (bid + ask) / 2 in decimal).
// Not stored here: the mark recorder writes them to price_marks once a minute.

export interface LiveQuote {
  base: string
  quote: string
  price: string
  at: number
  /** Where it came from: a venue id. */
  venueId: string
}

export class LivePriceBoard {
  /** venue id → "BASE/QUOTE" → its latest quote there. */
  private readonly venues = new Map<string, Map<string, LiveQuote>>()
  private readonly listeners = new Set<(q: LiveQuote) => void>()

  /** Sets a pair's price on a venue from `symbol` ("BTC/USDT", "BTC/USDT:USDT"); tells listeners when it changed. */
  set(venueId: string, symbol: string, priceText: string, at: number): boolean {
    const pair = splitSymbol(symbol)
    const price = canonicalDecimal(priceText)
    if (pair === null || price === null || price === '0' || price.startsWith('-')) return false
    const key = `${pair.base}/${pair.quote}`
    let pairs = this.venues.get(venueId)
    if (pairs === undefined) this.venues.set(venueId, (pairs = new Map()))
    const seen = pairs.get(key)
    if (seen !== undefined && seen.price === price) {
      seen.at = Math.max(seen.at, at)
      return false
    }
    if (seen !== undefined && seen.at > at) return false
    const q: LiveQuote = { base: pair.base, quote: pair.quote, price, at, venueId }
    pairs.set(key, q)
    for (const l of [...this.listeners]) l(q)
    return true
  }

  /** Every venue's quotes. */
  *all(): Iterable<LiveQuote> {
    for (const pairs of this.venues.values()) yield* pairs.values()
  }

  /** One venue's quotes (none when it has no live price). */
  ofVenue(venueId: string): Iterable<LiveQuote> {
    return this.venues.get(venueId)?.values() ?? []
  }

  onChange(listener: (q: LiveQuote) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/** (bid + ask) / 2 of two decimal strings, exactly; null when either is missing or they are crossed. */
export function midOf(bid: string | undefined, ask: string | undefined): string | null {
  if (bid === undefined || ask === undefined) return null
  const b = new LedgerDecimal(bid)
  const a = new LedgerDecimal(ask)
  if (!b.isFinite() || !a.isFinite() || b.lte(0) || a.lt(b)) return null
  return b.plus(a).div(2).toFixed()
}
