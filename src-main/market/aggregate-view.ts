// One `market.aggregate` view: the books of one pair on several venues merged (AggregatedBook), sent
// at most `maxPerSecond` times a second and only when something shown changed. Venues are resolved
// asynchronously (their markets may need loading); a venue that cannot be opened or does not list the
// pair is listed in `excluded` as 'unavailable' with why.
import type { Logger } from '../log'
import type { AggregateFrame } from '../api/schemas/market'
import type { MarketInfo } from '../venues/port'
import { AggregatedBook, defaultQuoteEquivalents, MergedLevels } from './aggregated-book'
import { messageOf, type BookFeed } from './book-feed'
import type { CoalescerClock } from './view-coalescer'

export interface AggregateViewOptions {
  base: string
  quote: string
  depth: number
  venueIds: string[]
  marketsOf(venueId: string): Promise<MarketInfo[]>
  acquire(venueId: string, symbol: string): BookFeed
  release(feed: BookFeed): void
  clock: CoalescerClock
  log: Logger
  emit(frame: AggregateFrame): void
  maxPerSecond?: number
}

export class AggregateView {
  private readonly book: AggregatedBook
  private readonly canonicalQuote: string
  private readonly feeds: BookFeed[] = []
  private readonly offs: (() => void)[] = []
  private readonly unavailable = new Map<string, string>()
  private merged: MergedLevels | null = null
  private closed = false
  private timer: unknown = null
  private lastSentAt = -Infinity
  private lastKey = ''
  private readonly intervalMs: number

  constructor(private readonly o: AggregateViewOptions) {
    this.canonicalQuote = defaultQuoteEquivalents[o.quote] ?? o.quote
    this.book = new AggregatedBook({ symbol: `${o.base}/${o.quote}` })
    this.intervalMs = Math.ceil(1000 / (o.maxPerSecond ?? 10))
  }

  start(): void {
    for (const id of this.o.venueIds) {
      this.o.marketsOf(id).then(
        (markets) => {
          if (this.closed) return
          const m = this.pick(markets)
          if (m === undefined) {
            this.unavailable.set(id, `no ${this.o.base}/${this.canonicalQuote} market`)
          } else {
            const feed = this.o.acquire(id, m.symbol)
            const fee = Number(m.takerFee)
            this.book.addVenue(feed.book, fee >= 0 && fee < 1 ? fee : 0)
            this.feeds.push(feed)
            this.offs.push(feed.onChange(() => this.schedule()))
            this.merged = null
          }
          this.schedule()
        },
        (err: unknown) => {
          if (this.closed) return
          this.unavailable.set(id, messageOf(err))
          this.schedule()
        },
      )
    }
    this.schedule()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.timer !== null) this.o.clock.clearTimeout(this.timer)
    this.timer = null
    for (const off of this.offs) off()
    for (const f of this.feeds) this.o.release(f)
    this.feeds.length = 0
  }

  /** The venue's market for the pair: the exact quote first, else an equivalent one (USDT ≈ USDC ≈ USD). */
  private pick(markets: MarketInfo[]): MarketInfo | undefined {
    const spot = markets.filter((m) => m.base === this.o.base && !m.symbol.includes(':'))
    return (
      spot.find((m) => m.quote === this.o.quote) ??
      spot.find((m) => (defaultQuoteEquivalents[m.quote] ?? m.quote) === this.canonicalQuote)
    )
  }

  private schedule(): void {
    if (this.closed || this.timer !== null) return
    const wait = this.lastSentAt + this.intervalMs - this.o.clock.now()
    if (wait <= 0) {
      this.flush()
      return
    }
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null
      this.flush()
    }, wait)
  }

  private flush(): void {
    if (this.closed) return
    const frame = this.frame()
    const { at: _at, ...shown } = frame
    const key = JSON.stringify(shown)
    if (key === this.lastKey) return
    this.lastKey = key
    this.lastSentAt = frame.at
    this.o.emit(frame)
  }

  private frame(): AggregateFrame {
    const venues = this.book.venues
    if (this.merged === null || this.merged.venues !== venues.length) this.merged = new MergedLevels(this.o.depth, venues.length)
    const m = this.merged
    this.book.readMerged(m)
    const k = venues.length
    const level = (prices: Float64Array, sizes: Float64Array, shares: Float64Array, i: number) => ({
      price: prices[i] as number,
      size: sizes[i] as number,
      shares: Array.from(shares.subarray(i * k, (i + 1) * k)),
    })
    const bids = Array.from({ length: m.bidCount }, (_, i) => level(m.bidPrices, m.bidSizes, m.bidShares, i))
    const asks = Array.from({ length: m.askCount }, (_, i) => level(m.askPrices, m.askSizes, m.askShares, i))
    const feedOf = new Map(this.feeds.map((f) => [f.venueId, f]))
    const best = this.book.bestPerVenue().map((b) => {
      const f = feedOf.get(b.venue)
      const h = f?.health ?? { status: b.status, reason: b.reason }
      const finite = (x: number) => (Number.isFinite(x) ? x : null)
      return {
        venueId: b.venue,
        symbol: b.symbol,
        bid: finite(b.bid),
        bidSize: b.excluded ? null : finite(b.bidSize),
        ask: finite(b.ask),
        askSize: b.excluded ? null : finite(b.askSize),
        status: h.status,
        reason: h.reason,
      }
    })
    const arb = this.book.refresh()
    const excluded: AggregateFrame['excluded'] = [
      ...this.book.excluded().map((e) => ({
        venueId: e.venue,
        status: e.status === 'live' ? ('stale' as const) : e.status,
        reason: feedOf.get(e.venue)?.health.reason ?? e.reason ?? e.status,
      })),
      ...[...this.unavailable].map(([venueId, reason]) => ({ venueId, status: 'unavailable' as const, reason })),
    ]
    const pending = this.o.venueIds.filter((id) => !feedOf.has(id) && !this.unavailable.has(id))
    for (const venueId of pending) excluded.push({ venueId, status: 'unavailable', reason: 'loading markets' })
    return {
      base: this.o.base,
      quote: this.canonicalQuote,
      venues,
      bids,
      asks,
      best,
      arbitrage:
        arb === null
          ? null
          : { buyVenueId: arb.buyVenue, buyPrice: arb.buyPrice, sellVenueId: arb.sellVenue, sellPrice: arb.sellPrice, grossBps: arb.grossBps, edgeBps: arb.edgeBps },
      excluded,
      at: this.o.clock.now(),
    }
  }
}
