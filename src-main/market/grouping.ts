// Price grouping for a book view: levels merged into buckets of `step` (a multiple of the market's tick).
// Bids fall into the bucket at or below their price, asks into the bucket at or above, so a grouped book
// never shows a crossed or tighter spread than the real one. Reads the book's sides from the top and
// stops once `depth` buckets are filled; allocates nothing.
// A venue sends at most so many levels: a side holding that many was cut, and the bucket it ends in may
// hold more beyond the cut than is known. That bucket is left out (never shown short as if whole) and the
// view is told fewer buckets than asked could be built.
import Decimal from 'decimal.js'
import type { BookSide, TopBuffers } from './book-side'
import type { TopSource } from './view-coalescer'

export interface SidedBook {
  readonly bids: BookSide
  readonly asks: BookSide
}

/**
 * The step in effect for `group` on a market whose tick is `tick`: the group itself when it is a multiple
 * of the tick, else the next multiple up. Null when no grouping applies (no group, or group ≤ tick).
 */
export function effectiveGroup(group: string | undefined, tick: string | null): string | null {
  if (group === undefined) return null
  const g = new Decimal(group)
  if (!g.gt(0)) return null
  if (tick === null) return g.toFixed()
  const t = new Decimal(tick)
  if (!t.gt(0)) return g.toFixed()
  if (g.lte(t)) return null
  return g.div(t).ceil().mul(t).toFixed()
}

/**
 * Buckets of `side` into `prices`/`sizes`, best first; returns how many. `cut`: the side ends where the
 * venue stopped sending, not where the book ends — the bucket of its last level is dropped unless that
 * level lies on the bucket's outer edge (then nothing of the bucket can be missing).
 */
export function groupSide(side: BookSide, step: number, decimals: number, depth: number, prices: Float64Array, sizes: Float64Array, cut = false): number {
  const bids = side.kind === 'bids'
  // Edges in whole units of the step's last decimal: edge k = k × units / scale, one correctly rounded
  // division, i.e. the very double the edge's decimal text parses to. A price is the double of its own
  // text, so comparing the two compares the decimals exactly, however large price ÷ step is.
  const scale = 10 ** decimals
  const units = Math.round(step * scale)
  const max = Math.min(depth, prices.length, sizes.length)
  let count = 0
  let current = NaN
  const n = side.length
  for (let r = 0; r < n; r++) {
    const p = side.priceAt(r)
    // The float quotient is a guess within a bucket of the truth; exact comparisons with the edges settle it.
    let k = bids ? Math.floor(p / step) : Math.ceil(p / step)
    if (bids) {
      while (((k + 1) * units) / scale <= p) k++
      while ((k * units) / scale > p) k--
    } else {
      while (((k - 1) * units) / scale >= p) k--
      while ((k * units) / scale < p) k++
    }
    const bucket = (k * units) / scale
    if (bucket !== current) {
      if (count === max) break
      prices[count] = bucket
      sizes[count] = 0
      count++
      current = bucket
    }
    sizes[count - 1] = (sizes[count - 1] as number) + side.sizeAt(r)
    if (r === n - 1 && cut && bucket !== p) count-- // every level read: the last bucket runs past the cut
  }
  return count
}

/** A TopSource showing `book` grouped by `step`. */
export class GroupedSource implements TopSource {
  private readonly stepNum: number
  private readonly decimals: number

  /**
   * `levelLimit`: how many levels a side of the book can hold at most as the venue sends it (Infinity
   * for a whole book); a side holding that many was cut.
   */
  constructor(
    private readonly book: SidedBook,
    step: string,
    readonly health?: TopSource['health'],
    private readonly levelLimit: () => number = () => Infinity,
  ) {
    this.stepNum = Number(step)
    this.decimals = new Decimal(step).decimalPlaces()
  }

  readTop(out: TopBuffers): void {
    const limit = this.levelLimit()
    const bidsCut = this.book.bids.length >= limit
    const asksCut = this.book.asks.length >= limit
    out.bidCount = groupSide(this.book.bids, this.stepNum, this.decimals, out.depth, out.bidPrices, out.bidSizes, bidsCut)
    out.askCount = groupSide(this.book.asks, this.stepNum, this.decimals, out.depth, out.askPrices, out.askSizes, asksCut)
    // Fewer buckets than asked on a cut side: the book goes on beyond what the venue sent.
    out.truncated = (bidsCut && out.bidCount < out.depth) || (asksCut && out.askCount < out.depth)
    out.bestBid = this.book.bids.best()
    out.bestAsk = this.book.asks.best()
  }
}
