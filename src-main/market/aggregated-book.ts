// Several venues' books for one asset pair seen as one: merged levels with each venue's share, the
// best bid/ask per venue, and the cross-venue arbitrage indicator. Quotes that are treated as the same
// money (USDT ≈ USDC ≈ USD by default, configurable) are merged at face value — a display convenience,
// not a conversion: money decisions still go through each venue's own decimal prices.
//
// Nothing is rebuilt when a venue's book changes: the merged top N is produced on demand by a k-way merge
// walking the venues' sides from the top (O(N · venues)), and best prices are O(1) reads of each side.
// Books that are not 'live' (resyncing, stale) are left out of everything and listed in `excluded`.
import { TopBuffers } from './book-side'
import type { BookReason, BookStatus, OrderBook } from './order-book'

export const defaultQuoteEquivalents: Readonly<Record<string, string>> = { USDT: 'USD', USDC: 'USD', USD: 'USD' }

export interface AggregatedBookOptions {
  /** The pair, e.g. "BTC/USD" (its quote is mapped through the equivalence map too). */
  symbol: string
  /** Quote asset → the canonical quote it counts as. Default: USDT, USDC and USD are all USD. */
  quoteEquivalents?: Readonly<Record<string, string>>
}

export interface VenueBest {
  venue: string
  symbol: string
  bid: number
  bidSize: number
  ask: number
  askSize: number
  status: BookStatus
  /** Left out of the merge and the arbitrage check (not live). */
  excluded: boolean
  reason: BookReason | null
}

export interface Arbitrage {
  /** Buy here (at its best ask)… */
  buyVenue: string
  buyPrice: number
  /** …and sell here (at its best bid). */
  sellVenue: string
  sellPrice: number
  /** Edge before fees, in basis points of the buy price. */
  grossBps: number
  /** Edge after both taker fees, in basis points of the all-in buy cost (> 0 when reported). */
  edgeBps: number
}

/** Caller-owned buffers for a merged top N with per-venue sizes (shares) per level. */
export class MergedLevels {
  readonly depth: number
  readonly venues: number
  readonly bidPrices: Float64Array
  readonly bidSizes: Float64Array
  /** bidShares[level * venues + v] = venue v's size at that level; the shares sum to the level size. */
  readonly bidShares: Float64Array
  readonly askPrices: Float64Array
  readonly askSizes: Float64Array
  readonly askShares: Float64Array
  bidCount = 0
  askCount = 0

  constructor(depth: number, venues: number) {
    this.depth = depth
    this.venues = venues
    this.bidPrices = new Float64Array(depth)
    this.bidSizes = new Float64Array(depth)
    this.bidShares = new Float64Array(depth * venues)
    this.askPrices = new Float64Array(depth)
    this.askSizes = new Float64Array(depth)
    this.askShares = new Float64Array(depth * venues)
  }
}

interface Member {
  book: OrderBook
  /** Taker fee as a fraction (0.001 = 10 bps). */
  takerFee: number
}

export class AggregatedBook {
  readonly symbol: string
  readonly base: string
  readonly quote: string
  private readonly equivalents: Readonly<Record<string, string>>
  private readonly members: Member[] = []
  // Merge scratch: each venue's top levels, and the merge cursors.
  private scratchDepth = 0
  private flatP = new Float64Array(0)
  private flatS = new Float64Array(0)
  private scratchP: Float64Array[] = []
  private scratchS: Float64Array[] = []
  private ends = new Int32Array(0)
  private heads = new Int32Array(0)
  private last: Arbitrage | null = null

  constructor(options: AggregatedBookOptions) {
    this.equivalents = options.quoteEquivalents ?? defaultQuoteEquivalents
    const [base, quote] = splitSymbol(options.symbol)
    this.symbol = options.symbol
    this.base = base
    this.quote = this.canonical(quote)
  }

  /** Venue ids in the order used by MergedLevels shares. */
  get venues(): string[] {
    return this.members.map((m) => m.book.venue)
  }

  /**
   * Add a venue's book (a configuration step: a book for another pair, or a duplicate venue, throws).
   * `takerFee` is a fraction: 0.001 = 0.1 %.
   */
  addVenue(book: OrderBook, takerFee: number): void {
    const [base, quote] = splitSymbol(book.symbol)
    if (base !== this.base || this.canonical(quote) !== this.quote) {
      throw new Error(`${book.venue} ${book.symbol} is not ${this.symbol} (quotes equivalent: ${this.quote})`)
    }
    if (this.members.some((m) => m.book.venue === book.venue)) throw new Error(`venue ${book.venue} already added`)
    if (!(takerFee >= 0 && takerFee < 1)) throw new Error(`taker fee ${takerFee} is not a fraction in [0, 1)`)
    this.members.push({ book, takerFee })
    this.scratchDepth = 0 // re-size the merge scratch for the new venue count
  }

  removeVenue(venue: string): void {
    const i = this.members.findIndex((m) => m.book.venue === venue)
    if (i < 0) return
    this.members.splice(i, 1)
    this.scratchDepth = 0
  }

  /** Run each book's staleness check; returns how many venues are live. */
  check(now: number, thresholdMs: number): number {
    let live = 0
    for (const m of this.members) if (m.book.check(now, thresholdMs) === 'live') live++
    return live
  }

  /** Best bid/ask per venue, with excluded (not live) books flagged. */
  bestPerVenue(): VenueBest[] {
    return this.members.map(({ book }) => {
      const excluded = book.status !== 'live'
      return {
        venue: book.venue,
        symbol: book.symbol,
        bid: excluded ? NaN : book.bids.best(),
        bidSize: excluded ? 0 : book.bids.bestSize(),
        ask: excluded ? NaN : book.asks.best(),
        askSize: excluded ? 0 : book.asks.bestSize(),
        status: book.status,
        excluded,
        reason: book.health.reason,
      }
    })
  }

  /** Venues left out right now, with why. */
  excluded(): { venue: string; status: BookStatus; reason: BookReason | null }[] {
    return this.members
      .filter((m) => m.book.status !== 'live')
      .map((m) => ({ venue: m.book.venue, status: m.book.status, reason: m.book.health.reason }))
  }

  /**
   * The best cross-venue arbitrage now: the best bid on venue A above the best ask on venue B after
   * both taker fees (sell at bidA·(1−feeA) > buy at askB·(1+feeB)). Null when there is none.
   * O(venues²) on best prices only — cheap enough to call after every book update.
   */
  arbitrage(): Arbitrage | null {
    let best: Arbitrage | null = null
    const ms = this.members
    for (let s = 0; s < ms.length; s++) {
      const sell = ms[s] as Member
      if (sell.book.status !== 'live') continue
      const bid = sell.book.bids.best()
      if (!(bid > 0)) continue
      const netBid = bid * (1 - sell.takerFee)
      for (let b = 0; b < ms.length; b++) {
        if (b === s) continue
        const buy = ms[b] as Member
        if (buy.book.status !== 'live') continue
        const ask = buy.book.asks.best()
        if (!(ask > 0)) continue
        const netAsk = ask * (1 + buy.takerFee)
        if (netBid <= netAsk) continue
        const edgeBps = ((netBid - netAsk) / netAsk) * 10_000
        if (best === null || edgeBps > best.edgeBps) {
          best = {
            buyVenue: buy.book.venue,
            buyPrice: ask,
            sellVenue: sell.book.venue,
            sellPrice: bid,
            grossBps: ((bid - ask) / ask) * 10_000,
            edgeBps,
          }
        }
      }
    }
    return best
  }

  /** Recompute the arbitrage indicator after a book changed; returns it (also kept as `lastArbitrage`). */
  refresh(): Arbitrage | null {
    this.last = this.arbitrage()
    return this.last
  }

  get lastArbitrage(): Arbitrage | null {
    return this.last
  }

  /** Merged top levels (sizes summed across live venues) into caller-owned buffers; allocates nothing. */
  readTop(out: TopBuffers): void {
    out.bidCount = this.merge('bids', out.depth, out.bidPrices, out.bidSizes, null)
    out.askCount = this.merge('asks', out.depth, out.askPrices, out.askSizes, null)
  }

  /** Merged top levels with each venue's share per level (venue order = `venues`). */
  readMerged(out: MergedLevels): void {
    if (out.venues !== this.members.length) throw new Error(`MergedLevels sized for ${out.venues} venues, book has ${this.members.length}`)
    out.bidShares.fill(0)
    out.askShares.fill(0)
    out.bidCount = this.merge('bids', out.depth, out.bidPrices, out.bidSizes, out.bidShares)
    out.askCount = this.merge('asks', out.depth, out.askPrices, out.askSizes, out.askShares)
  }

  /** A view-coalescer source for the merged book. */
  topSource(): { readTop(out: TopBuffers): void } {
    return { readTop: (out) => this.readTop(out) }
  }

  /**
   * k-way merge from the top of each live venue's side. No venue can contribute more than `depth`
   * levels to the merged top `depth`, so each side's top `depth` is first copied into scratch typed
   * arrays (BookSide.top, a tight loop) and the merge then runs over those.
   */
  private merge(kind: 'bids' | 'asks', depth: number, prices: Float64Array, sizes: Float64Array, shares: Float64Array | null): number {
    const ms = this.members
    const k = ms.length
    const max = Math.min(depth, prices.length, sizes.length)
    if (this.scratchDepth < max || this.scratchP.length !== k) {
      const d = Math.max(max, this.scratchDepth)
      this.scratchDepth = d
      this.flatP = new Float64Array(k * d)
      this.flatS = new Float64Array(k * d)
      // Per-venue views into the flat arrays, for BookSide.top to write into.
      this.scratchP = ms.map((_, v) => this.flatP.subarray(v * d, (v + 1) * d))
      this.scratchS = ms.map((_, v) => this.flatS.subarray(v * d, (v + 1) * d))
      this.ends = new Int32Array(k)
      this.heads = new Int32Array(k)
    }
    const d = this.scratchDepth
    const fp = this.flatP
    const fs = this.flatS
    const ends = this.ends
    const heads = this.heads
    for (let v = 0; v < k; v++) {
      const book = (ms[v] as Member).book
      heads[v] = v * d
      const n = book.status === 'live' ? (kind === 'bids' ? book.bids : book.asks).top(max, this.scratchP[v] as Float64Array, this.scratchS[v] as Float64Array) : 0
      ends[v] = v * d + n
    }
    const bids = kind === 'bids'
    let count = 0
    while (count < max) {
      // Best head price across venues (max for bids, min for asks).
      let best = NaN
      for (let v = 0; v < k; v++) {
        const h = heads[v] as number
        if (h >= (ends[v] as number)) continue
        const p = fp[h] as number
        if (best !== best || (bids ? p > best : p < best)) best = p
      }
      if (best !== best) break
      let total = 0
      for (let v = 0; v < k; v++) {
        const h = heads[v] as number
        if (h >= (ends[v] as number) || fp[h] !== best) continue
        const size = fs[h] as number
        total += size
        if (shares !== null) shares[count * k + v] = size
        heads[v] = h + 1
      }
      prices[count] = best
      sizes[count] = total
      count++
    }
    return count
  }

  private canonical(quote: string): string {
    return this.equivalents[quote] ?? quote
  }
}

/** "BTC/USDT" or "BTC/USDT:USDT" → ["BTC", "USDT"]. */
function splitSymbol(symbol: string): [string, string] {
  const slash = symbol.indexOf('/')
  if (slash <= 0) throw new Error(`not a BASE/QUOTE symbol: ${symbol}`)
  const colon = symbol.indexOf(':', slash)
  return [symbol.slice(0, slash), symbol.slice(slash + 1, colon < 0 ? undefined : colon)]
}
