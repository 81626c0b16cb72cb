// The market module's front: every book, trades, ticker and candle view of the screen goes through here.
// One long-lived watch loop per (venue, market) — a BookFeed, a TradesFeed, ... — shared by every view
// and stopped when its last view closes. Book views are coalesced to ≤ 60 frames/s per view by a
// ViewCoalescer and carry only their top N levels (grouped when asked).
import Decimal from 'decimal.js'
import type { Logger } from '../log'
import type { EventBus } from '../bus'
import { AppError } from '../api/errors'
import type {
  AggregateFrame,
  BookFrameView,
  BookHealthView,
  CandlesHistory,
  LiveCandle,
  MarketTimeframe,
  TickerFrame,
  TradesBatch,
} from '../api/schemas/market'
import type { MarketInfo, OnVenueDropped, PublicTrade, Venue, VenueDrop } from '../venues/port'
import { BookFeed, messageOf } from './book-feed'
import { effectiveGroup, GroupedSource, type SidedBook } from './grouping'
import type { BookSide } from './book-side'
import { CandleFeed, TIMEFRAME_MS, TickerFeed, TradesFeed, toNumbers } from './stream-feeds'
import { systemClock, ViewCoalescer, type CoalescerClock, type TopSource } from './view-coalescer'
import { AggregateView } from './aggregate-view'

/** Where venues come from (the VenueRegistry). */
export interface VenueDirectory {
  list(): readonly { id: string }[]
  open(id: string): Promise<Venue>
  /**
   * Told when a venue object it handed out was dropped: 'replaced' (its account was edited; open() now
   * gives a fresh one) or 'removed' (the id is gone). Returns the unsubscribe.
   */
  onDropped?: OnVenueDropped
}

/** What a view of a removed venue is told (book frames' reason; tradesError). */
export const VENUE_REMOVED = 'account removed: this venue sends nothing more'

export interface MarketDataOptions {
  venues: VenueDirectory
  log: Logger
  /** Where book status changes are announced (bookStatusChanged). */
  bus?: EventBus
  clock?: CoalescerClock
  /** A live book silent for longer than this is 'stale' and its watch restarted (default 10 s). */
  staleAfterMs?: number
  /** How often books are checked for silence (default 1 s, at most staleAfterMs / 2). */
  checkEveryMs?: number
  /** Watch restart delays by consecutive failure (default 250 ms, 1 s, 2 s, 5 s, 10 s), ±20 % jitter. */
  backoffMs?: readonly number[]
  /** Whether a silent book on this venue is stale (default: every venue but the in-process 'sim'). */
  watchSilence?: (venue: Venue) => boolean
  /** Book frames per second per view (default 60). */
  maxFramesPerSecond?: number
  random?: () => number
}

export interface BookViewParams {
  venueId: string
  symbol: string
  depth: number
  group?: string
}

interface BookKeyState {
  feed: BookFeed
  source: TopSource
  group: string | null
  offChange: () => void
}

const SEP = '\u0000'

export class MarketDataService {
  private readonly venues: VenueDirectory
  private readonly log: Logger
  private readonly clock: CoalescerClock
  private readonly staleAfterMs: number
  private readonly checkEveryMs: number
  private readonly backoffMs: readonly number[]
  private readonly random: () => number
  private readonly watchSilence: ((venue: Venue) => boolean) | undefined
  private readonly bus: EventBus | undefined
  private readonly books = new Map<string, BookFeed>()
  private readonly bookKeys = new Map<string, BookKeyState>()
  private readonly trades = new Map<string, TradesFeed>()
  private readonly tickers = new Map<string, TickerFeed>()
  private readonly candleFeeds = new Map<string, CandleFeed>()
  private readonly markets = new Map<string, MarketInfo[]>()
  private readonly loadingMarkets = new Map<string, Promise<MarketInfo[]>>()
  private readonly aggregates = new Set<AggregateView>()
  private readonly coalescer: ViewCoalescer
  private readonly offDropped: () => void
  private stopped = false

  constructor(options: MarketDataOptions) {
    this.venues = options.venues
    this.log = options.log
    this.clock = options.clock ?? systemClock
    this.staleAfterMs = options.staleAfterMs ?? 10_000
    this.checkEveryMs = Math.max(1, Math.min(options.checkEveryMs ?? 1000, Math.floor(this.staleAfterMs / 2)))
    this.backoffMs = options.backoffMs ?? [250, 1000, 2000, 5000, 10_000]
    this.random = options.random ?? Math.random
    this.watchSilence = options.watchSilence
    this.bus = options.bus
    this.coalescer = new ViewCoalescer({
      source: (key) => this.bookKeys.get(key)?.source,
      maxPerSecond: options.maxFramesPerSecond ?? 60,
      clock: this.clock,
      log: this.log,
      onStop: (key) => {
        const state = this.bookKeys.get(key)
        if (state === undefined) return
        this.bookKeys.delete(key)
        state.offChange()
      },
    })
    this.offDropped = this.venues.onDropped?.((venueId, how) => this.venueDropped(venueId, how)) ?? (() => {})
  }

  /** Load a venue's markets ahead of time, so that subscribes can refuse unknown symbols at once. */
  async preload(venueId: string): Promise<void> {
    await this.marketsOf(venueId).catch(() => undefined)
  }

  // ── streams ─────────────────────────────────────────────────────────────────────────────────────────

  /**
   * A book view: ≤ 60 frames/s, only when its top `depth` levels (grouped) or the status changed. A group
   * that is not a multiple of a known tick is refused; one asked for before the venue's markets are known
   * waits for the tick (no frame meanwhile) and then takes effect as the next multiple of it, so no
   * bucket is ever off the tick. Should the markets not load, the view shows the book ungrouped.
   */
  openBook(params: BookViewParams, emit: (frame: BookFrameView) => void): () => void {
    this.checkVenueAndSymbol(params.venueId, params.symbol)
    const known = this.marketInfo(params.venueId, params.symbol)?.tickSize
    if (params.group !== undefined && known !== undefined && !new Decimal(params.group).mod(known).isZero()) {
      throw new AppError('BAD_INPUT', `group ${params.group} is not a multiple of the tick ${known} of ${params.symbol}`)
    }
    // A grouped view needs many raw levels to fill its buckets.
    const feed = this.acquireBook(params.venueId, params.symbol, params.group === undefined ? params.depth : 1000)
    const view: { closed: boolean; close: (() => void) | null } = { closed: false, close: null }
    const attach = (group: string | null) => {
      if (!view.closed) view.close = this.attachBookView(feed, group, params.depth, emit)
    }
    if (params.group === undefined) attach(null)
    else if (feed.tick !== null) attach(effectiveGroup(params.group, feed.tick))
    else {
      const group = params.group
      this.marketsOf(params.venueId).then(
        (markets) => {
          const tick = markets.find((m) => m.symbol === params.symbol)?.tickSize ?? null
          attach(tick === null ? null : effectiveGroup(group, tick))
        },
        () => attach(null),
      )
    }
    return () => {
      if (view.closed) return
      view.closed = true
      view.close?.()
      this.releaseBook(feed)
    }
  }

  /** One view of a feed at a grouping step in effect (null: none) through the coalescer; returns its close. */
  private attachBookView(feed: BookFeed, group: string | null, depth: number, emit: (frame: BookFrameView) => void): () => void {
    const key = `${feed.venueId}${SEP}${feed.symbol}${SEP}${group ?? ''}`
    if (!this.bookKeys.has(key)) {
      const health = {
        get status() {
          return feed.health.status
        },
        get reason() {
          return feed.health.reason as never
        },
      }
      const source: TopSource =
        group === null ? { readTop: (out) => feed.book.readTop(out), health } : new GroupedSource(feed.book, group, health, () => feed.levelLimit)
      const offChange = feed.onChange(() => this.coalescer.notify(key))
      this.bookKeys.set(key, { feed, source, group, offChange })
    }
    return this.coalescer.subscribe(key, depth, (frame) => {
      // From the book's own best levels, whatever the grouping (a bucket's price is its edge, not a price).
      const { spread, mid } = spreadOf(feed.book)
      emit({
        venueId: feed.venueId,
        symbol: feed.symbol,
        status: frame.status,
        reason: frame.reason,
        // Read now, as the frame's reason was: the time that reason names.
        silentSince: frame.reason !== null && frame.reason === feed.health.reason ? feed.health.silentSince : null,
        lastUpdateAt: feed.book.health.lastUpdateAt,
        bids: frame.bids,
        asks: frame.asks,
        truncated: frame.truncated,
        spread,
        mid,
        tick: feed.tick,
        group,
        seq: frame.seq,
      })
    })
  }

  /** A tape view: first the market's recent trades (one batch, history: true), then live batches at ≤ 30/s. */
  openTrades(params: { venueId: string; symbol: string }, emit: (batch: TradesBatch) => void): () => void {
    this.checkVenueAndSymbol(params.venueId, params.symbol)
    const feed = this.tradesFeed(params.venueId, params.symbol)
    const off = feed.add(({ trades, history, ended, note }) =>
      emit({
        venueId: feed.venueId,
        symbol: feed.symbol,
        trades: trades.map((t) => ({ id: t.id, time: Math.trunc(t.timestamp), price: t.price, amount: t.amount, side: t.side })),
        ...(history ? { history: true } : {}),
        ...(ended !== undefined ? { ended } : {}),
        ...(note !== undefined ? { note } : {}),
      }),
    )
    return () => {
      if (off()) this.trades.delete(keyOf(feed.venueId, feed.symbol))
    }
  }

  openTicker(params: { venueId: string; symbol: string }, emit: (ticker: TickerFrame) => void): () => void {
    this.checkVenueAndSymbol(params.venueId, params.symbol)
    const key = keyOf(params.venueId, params.symbol)
    let feed = this.tickers.get(key)
    if (feed === undefined) {
      feed = new TickerFeed(params.venueId, params.symbol, () => this.venues.open(params.venueId), this.ctx())
      this.tickers.set(key, feed)
    }
    const off = feed.add((t) =>
      emit({
        venueId: params.venueId,
        symbol: params.symbol,
        last: decimalOrNull(t.last),
        bid: decimalOrNull(t.bid),
        ask: decimalOrNull(t.ask),
        high24h: decimalOrNull(t.high24h),
        low24h: decimalOrNull(t.low24h),
        changePct24h: decimalOrNull(t.changePct24h),
        volume24h: decimalOrNull(t.volume24h),
        time: Math.trunc(t.timestamp),
      }),
    )
    return () => {
      if (off()) this.tickers.delete(key)
    }
  }

  openLiveCandle(params: { venueId: string; symbol: string; timeframe: MarketTimeframe }, emit: (c: LiveCandle) => void): () => void {
    this.checkVenueAndSymbol(params.venueId, params.symbol)
    const key = `${keyOf(params.venueId, params.symbol)}${SEP}${params.timeframe}`
    let feed = this.candleFeeds.get(key)
    if (feed === undefined) {
      const trades = this.tradesFeed(params.venueId, params.symbol)
      feed = new CandleFeed(params.venueId, params.symbol, params.timeframe, () => this.venues.open(params.venueId), this.ctx(), trades)
      this.candleFeeds.set(key, feed)
    }
    const off = feed.add((candle) => emit({ venueId: params.venueId, symbol: params.symbol, timeframe: params.timeframe, candle }))
    return () => {
      if (!off()) return
      this.candleFeeds.delete(key)
      const tk = keyOf(params.venueId, params.symbol)
      if (this.trades.get(tk)?.views === 0) this.trades.delete(tk)
    }
  }

  openAggregate(
    params: { base: string; quote: string; venueIds?: string[] | undefined; depth: number },
    emit: (frame: AggregateFrame) => void,
  ): () => void {
    const known = new Set(this.venues.list().map((v) => v.id))
    for (const id of params.venueIds ?? []) {
      if (!known.has(id)) throw new AppError('NOT_FOUND', `No venue "${id}"`)
    }
    const view = new AggregateView({
      base: params.base.toUpperCase(),
      quote: params.quote.toUpperCase(),
      depth: params.depth,
      venueIds: params.venueIds ?? [...known],
      marketsOf: (id) => this.marketsOf(id),
      acquire: (id, symbol) => this.acquireBook(id, symbol, params.depth),
      release: (feed) => this.releaseBook(feed),
      clock: this.clock,
      log: this.log,
      emit,
    })
    this.aggregates.add(view)
    view.start()
    return () => {
      this.aggregates.delete(view)
      view.close()
    }
  }

  // ── commands ────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The latest `limit` candles, or the first `limit` from `since`; with `until` only those opened before it.
   * `until` alone asks from `until` − limit × timeframe, which is how every venue (ccxt's fetchOHLCV takes
   * only a start) gives the `limit` candles before it.
   */
  async candles(input: {
    venueId: string
    symbol: string
    timeframe: MarketTimeframe
    limit: number
    since?: number | undefined
    until?: number | undefined
  }): Promise<CandlesHistory> {
    this.checkVenue(input.venueId)
    const markets = await this.marketsOf(input.venueId).catch((err: unknown) => {
      throw new AppError('UNAVAILABLE', `Could not load the markets of ${input.venueId}: ${messageOf(err)}`)
    })
    if (!markets.some((m) => m.symbol === input.symbol)) throw new AppError('NOT_FOUND', `No market ${input.symbol} on ${input.venueId}`)
    const venue = await this.venues.open(input.venueId)
    let rows
    try {
      const since = input.since ?? (input.until === undefined ? undefined : Math.max(0, input.until - input.limit * TIMEFRAME_MS[input.timeframe]))
      rows = await venue.fetchCandles(input.symbol, input.timeframe, since, input.limit)
    } catch (err) {
      throw new AppError('UNAVAILABLE', `Could not fetch ${input.timeframe} candles of ${input.symbol}: ${messageOf(err)}`)
    }
    const candles = rows
      .map(toNumbers)
      .filter((c) => Number.isFinite(c.open) && Number.isFinite(c.high) && Number.isFinite(c.low) && Number.isFinite(c.close) && Number.isFinite(c.volume))
      .filter((c) => input.until === undefined || c.time < input.until)
      .sort((a, b) => a.time - b.time)
      .slice(-input.limit)
    return { venueId: input.venueId, symbol: input.symbol, timeframe: input.timeframe, candles }
  }

  /** Every active book (with at least one view) and its health. */
  health(): BookHealthView[] {
    return [...this.books.values()].map((f) => {
      const h = f.book.health
      const shown = f.health
      return {
        venueId: f.venueId,
        symbol: f.symbol,
        status: shown.status,
        reason: shown.reason,
        lastUpdateAt: h.lastUpdateAt,
        lastMessageAt: h.lastMessageAt,
        views: f.views,
        counters: {
          applied: h.applied,
          dropped: h.dropped,
          gaps: h.gaps,
          invalid: h.invalid,
          checksumFailures: h.checksumFailures,
          staleEvents: h.staleEvents,
          resyncs: h.resyncs,
          restarts: f.restarts,
        },
      }
    })
  }

  /** The live book feed of a market, if any view has it open (for other engine modules and tests). */
  bookFeed(venueId: string, symbol: string): BookFeed | undefined {
    return this.books.get(keyOf(venueId, symbol))
  }

  /** Holds a market's book loop open for another engine module (the paper venue); release it once. */
  holdBook(venueId: string, symbol: string): { feed: BookFeed; release: () => void } {
    const feed = this.acquireBook(venueId, symbol, 100)
    let held = true
    return {
      feed,
      release: () => {
        if (held) this.releaseBook(feed)
        held = false
      },
    }
  }

  /**
   * A market's live public trades as they arrive, unbatched, on the tape's shared loop; `onRecent` hears
   * the recent (fetched or already sent) trades once. Returns the stop.
   */
  watchRawTrades(venueId: string, symbol: string, listener: (trades: PublicTrade[]) => void, onRecent?: (trades: PublicTrade[]) => void): () => void {
    const feed = this.tradesFeed(venueId, symbol)
    const off = feed.addRaw(listener, onRecent)
    return () => {
      if (off() && this.trades.get(keyOf(venueId, symbol)) === feed) this.trades.delete(keyOf(venueId, symbol))
    }
  }

  /** Why a market's tape ended for good (its venue was removed); null while it runs or when no view has it. */
  tradesError(venueId: string, symbol: string): string | null {
    return this.trades.get(keyOf(venueId, symbol))?.error ?? null
  }

  /** Number of running watch loops (books, trades, tickers, candles). */
  get activeLoops(): number {
    return this.books.size + this.trades.size + this.tickers.size + this.candleFeeds.size
  }

  stop(): void {
    this.stopped = true
    this.offDropped()
    for (const a of [...this.aggregates]) a.close()
    this.aggregates.clear()
    for (const f of this.books.values()) f.stop()
    this.books.clear()
    for (const f of [...this.candleFeeds.values(), ...this.tickers.values(), ...this.trades.values()]) f.close()
    this.candleFeeds.clear()
    this.tickers.clear()
    this.trades.clear()
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────

  private ctx() {
    return { clock: this.clock, log: this.log, backoffMs: this.backoffMs, random: this.random }
  }

  private tradesFeed(venueId: string, symbol: string): TradesFeed {
    const key = keyOf(venueId, symbol)
    let feed = this.trades.get(key)
    if (feed === undefined) {
      feed = new TradesFeed(venueId, symbol, () => this.venues.open(venueId), this.ctx())
      this.trades.set(key, feed)
    }
    return feed
  }

  private acquireBook(venueId: string, symbol: string, levels: number): BookFeed {
    if (this.stopped) throw new AppError('UNAVAILABLE', 'The market module is stopped')
    const key = keyOf(venueId, symbol)
    let feed = this.books.get(key)
    if (feed === undefined) {
      feed = new BookFeed(venueId, symbol, () => this.venues.open(venueId), {
        clock: this.clock,
        log: this.log,
        staleAfterMs: this.staleAfterMs,
        checkEveryMs: this.checkEveryMs,
        backoffMs: this.backoffMs,
        random: this.random,
        ...(this.watchSilence ? { watchSilence: this.watchSilence } : {}),
      })
      this.books.set(key, feed)
      const created = feed
      if (this.bus !== undefined) {
        const bus = this.bus
        let last = `${created.health.status}|${created.health.reason ?? ''}`
        created.onChange(() => {
          const h = created.health
          const now = `${h.status}|${h.reason ?? ''}`
          if (now === last) return
          last = now
          bus.emit('bookStatusChanged', { venueId, symbol, status: h.status, reason: h.reason, at: this.clock.now() })
        })
      }
      this.resolveInfo(created)
    }
    feed.acquire(levels)
    return feed
  }

  /** The market's tick and fee onto the feed, once its venue's markets are known; an unlisted market stops it. */
  private resolveInfo(feed: BookFeed): void {
    const info = this.marketInfo(feed.venueId, feed.symbol)
    if (info !== undefined) {
      this.applyInfo(feed, info)
      return
    }
    void this.marketsOf(feed.venueId).then(
      (markets) => {
        const m = markets.find((x) => x.symbol === feed.symbol)
        if (m !== undefined) this.applyInfo(feed, m)
        else {
          feed.error = `No market ${feed.symbol} on ${feed.venueId}`
          feed.stop()
        }
        // The frames carry the tick: the views get it now, not with the book's next change.
        this.coalescerRefresh(feed)
      },
      () => undefined, // the feed shows its own error when the venue cannot be opened
    )
  }

  /**
   * A venue object was dropped by the directory. Replaced: every loop on it starts over on the fresh one
   * (views keep their subscriptions; books resync from a new snapshot) and its markets are loaded again
   * (a new URL or sandbox may list others). Removed: every loop on it ends, telling its views why.
   */
  private venueDropped(venueId: string, how: VenueDrop): void {
    if (this.stopped) return
    this.markets.delete(venueId)
    this.loadingMarkets.delete(venueId)
    const books = [...this.books.values()].filter((f) => f.venueId === venueId)
    // The tapes before the candles: a forming candle rides on its market's tape.
    const streams = [...this.trades.values(), ...this.tickers.values(), ...this.candleFeeds.values()].filter((f) => f.venueId === venueId)
    for (const feed of books) {
      if (how === 'removed') feed.venueRemoved(VENUE_REMOVED)
      else {
        feed.venueReplaced()
        this.resolveInfo(feed)
      }
    }
    for (const feed of streams) {
      if (how === 'removed') feed.venueRemoved(VENUE_REMOVED)
      else feed.venueReplaced()
    }
    const loops = books.length + streams.length
    if (loops > 0) this.log.info(how === 'removed' ? `market loops on ${venueId} ended: venue removed` : `market loops on ${venueId} restarted on a fresh venue`, { loops })
  }

  private releaseBook(feed: BookFeed): void {
    if (feed.release()) this.books.delete(keyOf(feed.venueId, feed.symbol))
  }

  private applyInfo(feed: BookFeed, info: MarketInfo): void {
    feed.tick = info.tickSize
    const fee = Number(info.takerFee)
    feed.takerFee = fee >= 0 && fee < 1 ? fee : 0
  }

  private coalescerRefresh(feed: BookFeed): void {
    for (const [key, state] of this.bookKeys) if (state.feed === feed) this.coalescer.refresh(key)
  }

  private checkVenue(venueId: string): void {
    if (!this.venues.list().some((v) => v.id === venueId)) throw new AppError('NOT_FOUND', `No venue "${venueId}"`)
  }

  /** Unknown venue → NOT_FOUND; unknown symbol → NOT_FOUND when the venue's markets are known already. */
  private checkVenueAndSymbol(venueId: string, symbol: string): void {
    this.checkVenue(venueId)
    const markets = this.markets.get(venueId)
    if (markets === undefined) {
      void this.marketsOf(venueId).catch(() => undefined)
      return
    }
    if (!markets.some((m) => m.symbol === symbol)) throw new AppError('NOT_FOUND', `No market ${symbol} on ${venueId}`)
  }

  private marketInfo(venueId: string, symbol: string): MarketInfo | undefined {
    return this.markets.get(venueId)?.find((m) => m.symbol === symbol)
  }

  private marketsOf(venueId: string): Promise<MarketInfo[]> {
    const known = this.markets.get(venueId)
    if (known !== undefined) return Promise.resolve(known)
    const pending = this.loadingMarkets.get(venueId)
    if (pending !== undefined) return pending
    // A load that outlives its venue object (dropped meanwhile) answers its callers but is not kept.
    const loading: Promise<MarketInfo[]> = this.venues
      .open(venueId)
      .then((v) => v.loadMarkets())
      .then((markets) => {
        if (this.loadingMarkets.get(venueId) === loading) this.markets.set(venueId, markets)
        return markets
      })
      .finally(() => {
        if (this.loadingMarkets.get(venueId) === loading) this.loadingMarkets.delete(venueId)
      })
    this.loadingMarkets.set(venueId, loading)
    return loading
  }
}

function keyOf(venueId: string, symbol: string): string {
  return `${venueId}${SEP}${symbol}`
}

const DECIMAL = /^-?\d+(\.\d+)?$/

function decimalOrNull(v: string | null | undefined): string | null {
  return typeof v === 'string' && DECIMAL.test(v) ? v : null
}

/**
 * The market's spread and mid from its best bid and ask, exact: decimal arithmetic on the prices the
 * venue sent (their doubles where no text was kept: a double's shortest text is the decimal it was
 * parsed from), so no float noise to round off and no tick needed; plain numbers only at the end. Null when a side is empty.
 */
function spreadOf(book: SidedBook): { spread: number | null; mid: number | null } {
  const bid = priceOf(book.bids)
  const ask = priceOf(book.asks)
  if (bid === null || ask === null) return { spread: null, mid: null }
  return { spread: ask.minus(bid).toNumber(), mid: ask.plus(bid).div(2).toNumber() }
}

function priceOf(side: BookSide): Decimal | null {
  if (side.length === 0) return null
  const text = side.priceTextAt(0)
  try {
    return new Decimal(text ?? side.best())
  } catch {
    return new Decimal(side.best())
  }
}
