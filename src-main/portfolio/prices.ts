import type { Arith } from './arith'

// PriceAt for the ledger: what one unit of an asset was worth in the reporting currency at a moment, from
// the ledger's own trades and the stored price marks. The ledger is replayed in time order and every trade
// and mark is observed as it passes, so "the last observation so far" IS the price at or before the
// entry's time — an O(1) lookup with no history kept in memory. Never a price from the future: an asset
// not observed yet is unpriced (the caller warns and counts it as 0).
//
// Each observation carries its time and an older one never replaces a newer one, so the live model, which
// applies entries and marks as they arrive (not always in time order across accounts), ends with the same
// prices as a replay in time order.

/** Stablecoins treated as one unit of the reporting currency when it is one of them (configurable). */
export const DEFAULT_EQUIVALENTS: readonly string[] = ['USDT', 'USD', 'USDC', 'BUSD']

/** The assets worth exactly 1 in the reporting currency: itself, plus its equivalents when it is one. */
export function cashAssets(reporting: string, equivalents: readonly string[] = DEFAULT_EQUIVALENTS): Set<string> {
  const cash = new Set([reporting])
  if (equivalents.includes(reporting)) for (const e of equivalents) cash.add(e)
  return cash
}

/**
 * For a reporting currency outside the dollar equivalents (EUR, GBP): every equivalent is priced as one
 * "USD", so BTC/USDT, ETH/USDC and a EUR/USDT (or USDT/EUR) mark chain into a EUR price. Empty otherwise
 * (the equivalents are cash then).
 */
export function priceAliases(reporting: string, equivalents: readonly string[] = DEFAULT_EQUIVALENTS): Map<string, string> {
  if (equivalents.includes(reporting) || equivalents.length === 0) return new Map()
  const hub = equivalents.includes('USD') ? 'USD' : (equivalents[0] as string)
  return new Map(equivalents.map((e) => [e, hub]))
}

interface Observation<N> {
  price: N
  at: number
  /** Set by prefer(): beats any observation that is not, whatever their times (an account's own venue). */
  preferred?: boolean
}

type Dated = Pick<Observation<unknown>, 'at' | 'preferred'>

/** Whether `o` prices better than `best`: a preferred one first, then the newer. */
function beats(o: Dated, best: Dated | null): boolean {
  if (best === null) return true
  if (!!o.preferred !== !!best.preferred) return !!o.preferred
  return o.at > best.at
}

export class PriceBook<N> {
  /** base → quote → last observation (quote per base). */
  private readonly last = new Map<string, Map<string, Observation<N>>>()
  /** quote → the bases observed against it (BTC/EUR: EUR → BTC), for pricing a currency seen only as a quote. */
  private readonly quotedBy = new Map<string, Set<string>>()

  constructor(
    private readonly ar: Arith<N>,
    private readonly reporting: string,
    private readonly cash: ReadonlySet<string>,
    private readonly alias: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** A price of `base` in `quote` seen at `at` (ms); ignored when the pair has a newer one already. */
  observe(base: string, quote: string, price: N, at: number): void {
    this.put(base, quote, price, at, false)
  }

  /**
   * A price that wins over every other observation of the asset not preferred too, newer ones included
   * (a venue's own live price when valuing that venue's account); its time still dates it.
   */
  prefer(base: string, quote: string, price: N, at: number): void {
    this.put(base, quote, price, at, true)
  }

  private put(base: string, quote: string, price: N, at: number, preferred: boolean): void {
    if (this.alias.size > 0) {
      base = this.alias.get(base) ?? base
      quote = this.alias.get(quote) ?? quote
    }
    if (base === quote || this.ar.sign(price) <= 0) return
    let quotes = this.last.get(base)
    if (!quotes) this.last.set(base, (quotes = new Map()))
    const seen = quotes.get(quote)
    if (seen === undefined) {
      quotes.set(quote, preferred ? { price, at, preferred } : { price, at })
      let bases = this.quotedBy.get(quote)
      if (!bases) this.quotedBy.set(quote, (bases = new Set()))
      bases.add(base)
    }
    else if (preferred || (!seen.preferred && at >= seen.at)) {
      seen.price = price
      seen.at = at
      if (preferred) seen.preferred = true
    }
  }

  /** Price in the reporting currency of one unit of `asset`, as last observed; null when unknown. */
  valueOf(asset: string): N | null {
    if (this.cash.has(asset)) return this.ar.one
    return this.quote(asset)?.price ?? null
  }

  /** valueOf and observedAt in one lookup; null when unpriced. */
  priced(asset: string): { price: N; at: number | null } | null {
    if (this.cash.has(asset)) return { price: this.ar.one, at: null }
    const o = this.quote(asset)
    return o === null ? null : { price: o.price, at: o.at }
  }

  /**
   * When the price valueOf gives was observed (the older leg of a two-step price); null for the reporting
   * currency and its equivalents (always 1) and for an unknown price.
   */
  observedAt(asset: string): number | null {
    if (this.cash.has(asset)) return null
    return this.quote(asset)?.at ?? null
  }

  /**
   * The observation pricing a non-cash asset: the newer of its direct price and its price through one other
   * asset (the product, dated by its older leg) — ETH/BTC trading now outweighs an ETH/USDT fill of months
   * ago. On a tie, the direct one.
   */
  private quote(asset: string): Observation<N> | null {
    if (this.alias.size > 0) asset = this.alias.get(asset) ?? asset
    const direct = this.direct(asset)
    const hop = this.viaOneHop(asset)
    return hop !== null && beats(hop, direct) ? hop : direct
  }

  /** A copy to lay newer observations over (live prices) without touching this one. */
  clone(): PriceBook<N> {
    const copy = new PriceBook(this.ar, this.reporting, this.cash, this.alias)
    for (const [base, quotes] of this.last) {
      const q = new Map<string, Observation<N>>()
      for (const [quote, o] of quotes) q.set(quote, { ...o })
      copy.last.set(base, q)
    }
    for (const [quote, bases] of this.quotedBy) copy.quotedBy.set(quote, new Set(bases))
    return copy
  }

  /**
   * Quoted against the reporting currency or an equivalent, or the inverse of such a quote: the newest of
   * them (a BTC/USD fill of last year must not outweigh BTC/USDT trading now); on a tie, the reporting
   * currency's own quote.
   */
  private direct(asset: string): Observation<N> | null {
    let best: Observation<N> | null = null
    let bestOwn = false
    const quotes = this.last.get(asset)
    if (quotes) {
      for (const [quote, o] of quotes) {
        if (!this.cash.has(quote)) continue
        const own = quote === this.reporting
        const tie = best !== null && !!o.preferred === !!best.preferred && o.at === best.at
        if (beats(o, best) || (tie && own && !bestOwn)) {
          best = o
          bestOwn = own
        }
      }
    }
    let inverse: Observation<N> | null = null
    for (const c of this.cash) {
      const o = this.last.get(c)?.get(asset)
      if (o !== undefined && beats(o, best) && beats(o, inverse)) inverse = o
    }
    if (inverse !== null) return { price: this.ar.div(this.ar.one, inverse.price), at: inverse.at, ...(inverse.preferred ? { preferred: true } : {}) }
    return best
  }

  /**
   * Through one other asset that has a direct price, the newest such way: ETH/BTC × BTC/USDT, or for an
   * asset only ever seen as a quote (EUR on Kraken's BTC/EUR) BTC/USDT ÷ BTC/EUR. Dated by the older leg.
   */
  private viaOneHop(asset: string): Observation<N> | null {
    let best: Observation<N> | null = null
    // A hop is preferred when the asset's own leg is (ETH/BTC on the account's venue); the other leg only
    // converts (BTC into the reporting currency), from wherever prices it best.
    const consider = (price: () => N, own: Observation<N>, other: Observation<N>) => {
      const hop = { at: Math.min(own.at, other.at), ...(own.preferred ? { preferred: true } : {}) }
      if (beats(hop, best)) best = { price: price(), ...hop }
    }
    for (const [quote, o] of this.last.get(asset) ?? []) {
      if (this.cash.has(quote)) continue
      const q = this.direct(quote)
      if (q !== null) consider(() => this.ar.mul(o.price, q.price), o, q)
    }
    for (const base of this.quotedBy.get(asset) ?? []) {
      const o = this.last.get(base)?.get(asset)
      if (o === undefined || this.cash.has(base)) continue
      const q = this.direct(base)
      if (q !== null) consider(() => this.ar.div(q.price, o.price), o, q)
    }
    return best
  }
}
