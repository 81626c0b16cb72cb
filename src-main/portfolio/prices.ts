import type { Arith } from './arith'

// PriceAt for the ledger: what one unit of an asset was worth in the reporting currency at a moment, from
// the ledger's own trades and the stored price marks. The ledger is replayed in time order and every trade
// and mark is observed as it passes, so "the last observation so far" IS the price at or before the
// entry's time — an O(1) lookup with no history kept in memory. Never a price from the future: an asset
// not observed yet is unpriced (the caller warns and counts it as 0).

/** Stablecoins treated as one unit of the reporting currency when it is one of them (configurable). */
export const DEFAULT_EQUIVALENTS: readonly string[] = ['USDT', 'USD', 'USDC', 'BUSD']

/** The assets worth exactly 1 in the reporting currency: itself, plus its equivalents when it is one. */
export function cashAssets(reporting: string, equivalents: readonly string[] = DEFAULT_EQUIVALENTS): Set<string> {
  const cash = new Set([reporting])
  if (equivalents.includes(reporting)) for (const e of equivalents) cash.add(e)
  return cash
}

export class PriceBook<N> {
  /** base → quote → last price (quote per base). */
  private readonly last = new Map<string, Map<string, N>>()

  constructor(
    private readonly ar: Arith<N>,
    private readonly reporting: string,
    private readonly cash: ReadonlySet<string>,
  ) {}

  observe(base: string, quote: string, price: N): void {
    if (base === quote || this.ar.sign(price) <= 0) return
    let quotes = this.last.get(base)
    if (!quotes) this.last.set(base, (quotes = new Map()))
    quotes.set(quote, price)
  }

  /** Price in the reporting currency of one unit of `asset`, as last observed; null when unknown. */
  valueOf(asset: string): N | null {
    if (this.cash.has(asset)) return this.ar.one
    return this.direct(asset) ?? this.viaOneHop(asset)
  }

  /** Quoted against the reporting currency or an equivalent, or the inverse of such a quote. */
  private direct(asset: string): N | null {
    const quotes = this.last.get(asset)
    if (quotes) {
      const own = quotes.get(this.reporting)
      if (own !== undefined) return own
      for (const [quote, price] of quotes) if (this.cash.has(quote)) return price
    }
    for (const c of this.cash) {
      const inverse = this.last.get(c)?.get(asset)
      if (inverse !== undefined) return this.ar.div(this.ar.one, inverse)
    }
    return null
  }

  /** ETH/BTC × BTC/USDT: through one other asset that has a direct price. */
  private viaOneHop(asset: string): N | null {
    const quotes = this.last.get(asset)
    if (!quotes) return null
    for (const [quote, price] of quotes) {
      const q = this.direct(quote)
      if (q !== null) return this.ar.mul(price, q)
    }
    return null
  }
}
