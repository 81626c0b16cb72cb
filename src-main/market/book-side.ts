// One side of a price-level book on typed arrays: the streaming/display path of the market module.
//
// Prices and sizes are IEEE doubles here on purpose. This side feeds the screen (depth ladder, charts,
// aggregation for display) and house rule 7 allows plain numbers for streaming to the screen. It never
// decides money: orders, fills, fees and P&L use the venue's decimal strings through decimal.js. When
// the side is built with `keepText: true`, the exact decimal strings the venue sent are kept per level,
// so anything that must be exact can read `priceTextAt(i)` / `sizeTextAt(i)` instead of the double.
// They live in a slot pool (two string arrays plus a free list); the sorted arrays only carry an
// Int32Array of slot numbers, moved with the same copyWithin as the prices, so keeping the strings adds
// no per-level shifting of JS arrays. Numeric input (benchmarks, tests) leaves them undefined.
//
// Layout: levels are stored WORST first and BEST last. Almost all activity of a real book is near the
// top, so keeping the top at the end of the arrays makes an insert or delete near the top shift only the
// few levels above it (copyWithin over a handful of elements) instead of the whole side — the reason
// this beats a best-first sorted array (ccxt's OrderBookSide) by an order of magnitude. Lookups gallop
// from the top (exponential then binary search), so a change at rank r costs O(log r).
//
// Internally every price is kept as a key that ascends towards the best level: bids key = price,
// asks key = -price. Public reads always return real prices, ranked from the top (rank 0 = best).

export type SideKind = 'bids' | 'asks'

/** What a `set` did: nothing (deleting an absent level), updated a size, inserted or deleted a level. */
export const SetOutcome = { None: 0, Updated: 1, Inserted: 2, Deleted: 3 } as const
export type SetOutcome = (typeof SetOutcome)[keyof typeof SetOutcome]

export interface BookSideOptions {
  /** Starting capacity in levels; the arrays double when full. */
  capacity?: number
  /** Keep the venue's exact decimal strings per level (see the file comment). */
  keepText?: boolean
}

export class BookSide {
  readonly kind: SideKind
  readonly keepText: boolean
  /** Bumped on every change; cheap "did anything change" test for readers. */
  version = 0
  private keys: Float64Array
  private sizes: Float64Array
  private slots: Int32Array
  private readonly priceTexts: (string | undefined)[] = []
  private readonly sizeTexts: (string | undefined)[] = []
  private readonly freeSlots: number[] = []
  private n = 0
  private readonly sign: number

  constructor(kind: SideKind, options: BookSideOptions = {}) {
    this.kind = kind
    this.sign = kind === 'bids' ? 1 : -1
    this.keepText = options.keepText ?? false
    const capacity = Math.max(16, options.capacity ?? 256)
    this.keys = new Float64Array(capacity)
    this.sizes = new Float64Array(capacity)
    this.slots = new Int32Array(this.keepText ? capacity : 0)
  }

  get length(): number {
    return this.n
  }

  /** Best price, or NaN when the side is empty. */
  best(): number {
    return this.n > 0 ? this.sign * (this.keys[this.n - 1] as number) : NaN
  }

  /** Size at the best price, or 0 when the side is empty. */
  bestSize(): number {
    return this.n > 0 ? (this.sizes[this.n - 1] as number) : 0
  }

  /** Price at rank `rank` from the top (0 = best); NaN when out of range. */
  priceAt(rank: number): number {
    const i = this.n - 1 - rank
    return i >= 0 && rank >= 0 ? this.sign * (this.keys[i] as number) : NaN
  }

  /** Size at rank `rank` from the top; 0 when out of range. */
  sizeAt(rank: number): number {
    const i = this.n - 1 - rank
    return i >= 0 && rank >= 0 ? (this.sizes[i] as number) : 0
  }

  /** The venue's exact price string at `rank`, when kept. */
  priceTextAt(rank: number): string | undefined {
    const i = this.n - 1 - rank
    return i >= 0 && rank >= 0 && this.keepText ? this.priceTexts[this.slots[i] as number] : undefined
  }

  /** The venue's exact size string at `rank`, when kept. */
  sizeTextAt(rank: number): string | undefined {
    const i = this.n - 1 - rank
    return i >= 0 && rank >= 0 && this.keepText ? this.sizeTexts[this.slots[i] as number] : undefined
  }

  /** Size resting at exactly `price`, 0 if none. */
  sizeOf(price: number): number {
    const key = this.sign * price
    const i = this.search(key)
    return i < this.n && this.keys[i] === key ? (this.sizes[i] as number) : 0
  }

  /** Rank from the top of the level at exactly `price`, or -1. */
  rankOf(price: number): number {
    const key = this.sign * price
    const i = this.search(key)
    return i < this.n && this.keys[i] === key ? this.n - 1 - i : -1
  }

  /**
   * Set the size at a price; size 0 deletes the level. The caller validates (finite price > 0, finite
   * size >= 0): this is the hot path and does no checks of its own.
   */
  set(price: number, size: number, priceText?: string, sizeText?: string): SetOutcome {
    const key = this.sign * price
    const n = this.n
    const i = this.search(key)
    const keys = this.keys
    if (i < n && keys[i] === key) {
      if (size === 0) {
        if (this.keepText) this.freeSlot(this.slots[i] as number)
        // Delete: move the levels above i (towards the best) down by one.
        if (i < n - 1) {
          keys.copyWithin(i, i + 1, n)
          this.sizes.copyWithin(i, i + 1, n)
          if (this.keepText) this.slots.copyWithin(i, i + 1, n)
        }
        this.n = n - 1
        this.version++
        return SetOutcome.Deleted
      }
      this.sizes[i] = size
      if (this.keepText) this.sizeTexts[this.slots[i] as number] = sizeText
      this.version++
      return SetOutcome.Updated
    }
    if (size === 0) return SetOutcome.None
    if (n === keys.length) this.grow()
    const k = this.keys
    const s = this.sizes
    if (i < n) {
      // Insert: move the levels from i up by one to open slot i.
      k.copyWithin(i + 1, i, n)
      s.copyWithin(i + 1, i, n)
      if (this.keepText) this.slots.copyWithin(i + 1, i, n)
    }
    k[i] = key
    s[i] = size
    if (this.keepText) {
      const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.priceTexts.length
      this.priceTexts[slot] = priceText
      this.sizeTexts[slot] = sizeText
      this.slots[i] = slot
    }
    this.n = n + 1
    this.version++
    return SetOutcome.Inserted
  }

  /**
   * Copy the top `n` levels (best first) into caller-owned buffers; returns how many were written.
   * Allocates nothing.
   */
  top(n: number, prices: Float64Array, sizes: Float64Array): number {
    const count = Math.min(n, this.n, prices.length, sizes.length)
    const keys = this.keys
    const sz = this.sizes
    const sign = this.sign
    let j = this.n - 1
    for (let r = 0; r < count; r++, j--) {
      prices[r] = sign * (keys[j] as number)
      sizes[r] = sz[j] as number
    }
    return count
  }

  /** Sum of sizes over the top `n` levels. */
  depth(n: number): number {
    let total = 0
    const stop = Math.max(0, this.n - n)
    for (let j = this.n - 1; j >= stop; j--) total += this.sizes[j] as number
    return total
  }

  clear(): void {
    if (this.keepText) {
      this.priceTexts.length = 0
      this.sizeTexts.length = 0
      this.freeSlots.length = 0
    }
    this.n = 0
    this.version++
  }

  /**
   * Replace the whole side with already-validated levels, in any order (a venue snapshot arrives best
   * first; duplicates resolve to the last one, zero sizes are skipped).
   */
  fromLevels(prices: ArrayLike<number>, sizes: ArrayLike<number>, priceTexts?: readonly (string | undefined)[], sizeTexts?: readonly (string | undefined)[]): void {
    this.clear()
    const count = Math.min(prices.length, sizes.length)
    // A snapshot is best first: inserting in reverse order appends at the top each time (no shifts).
    // Going backwards, the last of a price sent twice comes first: a repeat met later is passed over (a
    // run of repeats by the one before it, a repeat elsewhere by the level already there).
    for (let r = count - 1; r >= 0; r--) {
      const price = prices[r] as number
      if (r + 1 < count && prices[r + 1] === price) continue
      const size = sizes[r] as number
      if (size === 0 || this.rankOf(price) >= 0) continue
      this.set(price, size, priceTexts?.[r], sizeTexts?.[r])
    }
  }

  /** Index of the first key >= `key`, galloping down from the top (where the activity is). */
  private search(key: number): number {
    const keys = this.keys
    const n = this.n
    if (n === 0 || (keys[n - 1] as number) < key) return n
    // Gallop: find hi..lo bracket of size 2^k from the top.
    let hi = n - 1 // keys[hi] >= key
    let step = 1
    let lo = hi - step
    while (lo >= 0 && (keys[lo] as number) >= key) {
      hi = lo
      step <<= 1
      lo = hi - step
    }
    // Invariant: keys[hi] >= key, and (lo < 0 or keys[lo] < key). Binary search in (lo, hi].
    let l = lo < 0 ? 0 : lo + 1
    let h = hi
    while (l < h) {
      const mid = (l + h) >>> 1
      if ((keys[mid] as number) < key) l = mid + 1
      else h = mid
    }
    return l
  }

  private grow(): void {
    const capacity = this.keys.length * 2
    const keys = new Float64Array(capacity)
    keys.set(this.keys)
    const sizes = new Float64Array(capacity)
    sizes.set(this.sizes)
    this.keys = keys
    this.sizes = sizes
    if (this.keepText) {
      const slots = new Int32Array(capacity)
      slots.set(this.slots)
      this.slots = slots
    }
  }

  private freeSlot(slot: number): void {
    this.priceTexts[slot] = undefined
    this.sizeTexts[slot] = undefined
    this.freeSlots.push(slot)
  }
}

/** Caller-owned buffers for the top levels of both sides (best first), reused across reads. */
export class TopBuffers {
  readonly depth: number
  readonly bidPrices: Float64Array
  readonly bidSizes: Float64Array
  readonly askPrices: Float64Array
  readonly askSizes: Float64Array
  bidCount = 0
  askCount = 0
  /**
   * Set by a grouped source: the book the venue sends ends inside the buckets asked for (it was cut at
   * the venue's level limit), so fewer buckets than `depth` could be built whole.
   */
  truncated = false
  /**
   * Set by a grouped source: the book's real best bid and ask (NaN: none). Its buckets can stay the same
   * while these move inside them, and the spread and mid shown must follow.
   */
  bestBid = NaN
  bestAsk = NaN

  constructor(depth: number) {
    this.depth = depth
    this.bidPrices = new Float64Array(depth)
    this.bidSizes = new Float64Array(depth)
    this.askPrices = new Float64Array(depth)
    this.askSizes = new Float64Array(depth)
  }

  /** Same counts and same numbers level by level. */
  equals(other: TopBuffers): boolean {
    if (this.bidCount !== other.bidCount || this.askCount !== other.askCount || this.truncated !== other.truncated) return false
    if (!Object.is(this.bestBid, other.bestBid) || !Object.is(this.bestAsk, other.bestAsk)) return false
    for (let i = 0; i < this.bidCount; i++) {
      if (this.bidPrices[i] !== other.bidPrices[i] || this.bidSizes[i] !== other.bidSizes[i]) return false
    }
    for (let i = 0; i < this.askCount; i++) {
      if (this.askPrices[i] !== other.askPrices[i] || this.askSizes[i] !== other.askSizes[i]) return false
    }
    return true
  }

  copyFrom(other: TopBuffers): void {
    const b = Math.min(other.bidCount, this.depth)
    const a = Math.min(other.askCount, this.depth)
    this.bidPrices.set(other.bidPrices.subarray(0, b))
    this.bidSizes.set(other.bidSizes.subarray(0, b))
    this.askPrices.set(other.askPrices.subarray(0, a))
    this.askSizes.set(other.askSizes.subarray(0, a))
    this.bidCount = b
    this.askCount = a
    this.truncated = other.truncated
    this.bestBid = other.bestBid
    this.bestAsk = other.bestAsk
  }
}
