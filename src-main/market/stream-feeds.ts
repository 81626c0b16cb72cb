// Shared watch loops for trades, tickers and the forming candle: one per (venue, market[, timeframe]),
// started by the first view and stopped by the last, each throttled for the screen.
import type { Logger } from '../log'
import type { Candle, PublicTrade, RequestPacing, Ticker, Timeframe, TradeCursor, Unwatch, Venue } from '../venues/port'
import type { CoalescerClock } from './view-coalescer'
import { messageOf } from './book-feed'
import { Throttle } from './throttle'
import { Volume } from './volume'
import { backoffDelay } from './backoff'
import { fetchMissedTrades, missedTradesNote, reachesBack, rowsAfter, unfinishedRefillNote } from './trades-refill'

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
}

interface FeedContext {
  clock: CoalescerClock
  log: Logger
  /** Waits before opening the venue again after it could not be opened (backoff.ts). */
  backoffMs: readonly number[]
  random: () => number
}

/** Reference-counted listeners around one watch; `start` runs for the first, its stop after the last. */
abstract class SharedFeed<T> {
  protected readonly listeners = new Set<(value: T) => void>()
  /** Set when the feed ended for good (its venue was removed); nothing more comes. */
  error: string | null = null
  private stopWatch: Unwatch | null = null
  private generation = 0
  private retryTimer: unknown = null
  private failures = 0

  constructor(
    readonly venueId: string,
    readonly symbol: string,
    protected readonly openVenue: () => Promise<Venue>,
    protected readonly ctx: FeedContext,
  ) {}

  get views(): number {
    return this.listeners.size
  }

  /** Returns the function that removes this listener; true from it when it was the last. */
  add(listener: (value: T) => void): () => boolean {
    this.listeners.add(listener)
    if (this.listeners.size === 1 && this.error === null) this.open()
    this.greet(listener)
    let removed = false
    return () => {
      if (removed) return this.listeners.size === 0
      removed = true
      this.listeners.delete(listener)
      if (this.listeners.size > 0) return false
      this.stopAndEnd()
      return true
    }
  }

  /** Stop the watch whatever the listeners (engine shutdown). */
  close(): void {
    this.listeners.clear()
    this.stopAndEnd()
  }

  /**
   * The venue object was dropped and a fresh one replaces it (its account was edited): the listeners stay
   * and the watch starts over on the fresh venue; `restarted` says what of the old watch is kept.
   */
  venueReplaced(): void {
    if (this.listeners.size === 0 || this.error !== null) return
    this.stopWatching()
    this.restarted()
    this.open()
  }

  /** The venue is gone for good (its account was removed): the watch ends; the listeners stay until they leave. */
  venueRemoved(reason: string): void {
    this.error = reason
    this.stopAndEnd()
    this.endedForGood(reason)
  }

  private open(): void {
    const gen = ++this.generation
    this.openVenue().then(
      (venue) => {
        if (gen !== this.generation) return
        this.failures = 0
        this.stopWatch = this.begin(venue)
      },
      (err: unknown) => {
        if (gen !== this.generation) return
        // The venue could not be opened (unreachable exchange, connect timeout): try again while views
        // remain, with backoff, as a book does; the views keep their subscriptions meanwhile.
        const delayMs = backoffDelay(this.ctx.backoffMs, this.failures++, this.ctx.random)
        this.ctx.log.warn('market feed could not open its venue; trying again', { venue: this.venueId, symbol: this.symbol, error: messageOf(err), inMs: delayMs })
        this.retryTimer = this.ctx.clock.setTimeout(() => {
          this.retryTimer = null
          if (gen === this.generation && this.listeners.size > 0 && this.error === null) this.open()
        }, delayMs)
      },
    )
  }

  private stopAndEnd(): void {
    this.stopWatching()
    this.end()
  }

  private stopWatching(): void {
    this.generation++ // a venue still opening for the stopped watch is ignored
    if (this.retryTimer !== null) this.ctx.clock.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.failures = 0
    const stop = this.stopWatch
    this.stopWatch = null
    stop?.()
  }

  protected abstract begin(venue: Venue): Unwatch
  /** Send what a new listener should see at once (the latest value). */
  protected greet(_listener: (value: T) => void): void {}
  protected end(): void {}
  /** The watch is about to begin again on a fresh venue (venueReplaced): drop what belonged to the old run. */
  protected restarted(): void {}
  /** The feed ended for good (venueRemoved): tell the listeners, if the stream can say so. */
  protected endedForGood(_reason: string): void {}

  protected emit(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value)
      } catch (err) {
        this.ctx.log.error('market stream send failed', err)
      }
    }
  }
}

/** A batch for the tape: oldest first; `history` on the recent trades a view gets before the live ones. */
export interface TradesOut {
  trades: PublicTrade[]
  history: boolean
  /** The tape ended for good: why (the last batch, with no trades). */
  ended?: string
  /** Trades are missing from the tape before this batch's last ones, and which (a refill cut at its cap). */
  note?: string
}

export interface TradesFeedOptions {
  /** At most one batch per this (default 34 ms → ≤ 30/s). */
  intervalMs?: number
  /** Recent trades fetched at start and kept for views that join later (default 100). */
  historySize?: number
  /**
   * How long live trades wait for the recent ones before going out without them (default 3 s); per page of a
   * refill. Counted from when the request left for the exchange, not while it waits in the venue's rate-limit queue.
   */
  historyWaitMs?: number
  /** Most trades missed during a reconnect that one refill fetches (default 5,000); beyond it the tape says so. */
  refillCap?: number
  /** Trades asked per request of a refill (default 1,000, Binance's most; the venue may answer fewer). */
  refillPage?: number
}

/**
 * Public trades, batched: at most one batch per `intervalMs`. At start the venue's recent trades are
 * fetched while the watch runs; live trades wait for them, so a view first gets one batch of the most
 * recent trades (history: true; deduplicated with the live ones by id, in time order), then live batches.
 * A view that joins a running feed gets the last `historySize` trades sent, also as one history batch.
 * When the fetch fails (or takes longer than `historyWaitMs`) it is logged and live trades flow without it.
 * After the stream dropped, the trades made meanwhile are fetched again (refill) as soon as the venue says
 * it is subscribed again (else on the first trade after the drop): on venues with fetchTradesAfter page by
 * page from the last trade sent until the pages meet the live trades, at most `refillCap` of them.
 * The same refill runs when the venue first says it is subscribed, from the newest recent trade: the
 * subscription may take effect after the recent fetch answered (it waits for the market's previous
 * unsubscribe), and the trades made in between come neither from the fetch nor from the stream.
 */
export class TradesFeed extends SharedFeed<TradesOut> {
  private readonly throttle: Throttle
  private readonly raw = new Set<(trades: PublicTrade[]) => void>()
  /** Told when trades flow again after a watch error, before those trades (addRaw's onResumed). */
  private readonly resumed = new Set<(delivering: boolean) => void>()
  /** Told the recent trades once (addRaw's onRecent), then forgotten. */
  private readonly recent = new Set<(trades: PublicTrade[]) => void>()
  private readonly historySize: number
  private readonly historyWaitMs: number
  /** 'loading': live trades are held in `held` until the recent ones are in (or given up on). */
  private phase: 'idle' | 'loading' | 'live' = 'idle'
  /** Bumped by every start and stop: a fetch answering for an earlier run is ignored. */
  private run = 0
  private waitTimer: unknown = null
  /** Aborted when the current fetch of recent or missed trades is given up or done: its requests not yet sent are dropped. */
  private loadAbort: AbortController | null = null
  private held: PublicTrade[] = []
  /** Waiting for the throttle; `pendingHistory` when it is the history batch. */
  private pending: PublicTrade[] = []
  private pendingHistory = false
  /** The last `historySize` trades sent, in the order sent (for views that join later). */
  private ring: PublicTrade[] = []
  /** Ids in ring, pending and held: a trade seen twice (fetched and watched) is sent once. */
  private readonly known = new Set<string>()
  /** The venue of the running watch (for the recent trades fetched again after a gap). */
  private venue: Venue | null = null
  /** The watch failed (the socket dropped): trades made until it delivers again were never sent. */
  private gap = false
  /**
   * A refill ran on the venue's "subscribed again": the first trade after it refills once more, for trades made
   * between the refill's answer and the subscription taking effect at the exchange (each trade still once).
   */
  private bridge = false
  /** This run's watch has not said yet that it is subscribed (its first "subscribed" refills from the recent trades). */
  private awaitingSubscribe = false
  /** It said so while the recent trades were being fetched: their answer goes on into a refill before anything is sent. */
  private subscribedWhileLoading = false
  /**
   * Live trades held during a refill when the stream dropped again: trades made after them were missed too, so
   * the refill's pages must reach the ones delivered after the drop, not stop at these.
   */
  private readonly heldBeforeDrop = new Set<string>()
  /** The newest trade taken (sent, pending or held): where a refill starts. */
  private newest: PublicTrade | null = null
  /** Bumped by every fetch of recent or missed trades: an answer for an earlier one is ignored. */
  private load = 0
  private readonly refillCap: number
  private readonly refillPage: number
  /** Waiting for the throttle with the history batch: the note it carries (refill cut short). */
  private pendingNote: TapeNote | undefined
  /** The last note sent, for views that join later while the recent trades they get still reach back to its hole. */
  private lastNote: TapeNote | undefined

  constructor(venueId: string, symbol: string, openVenue: () => Promise<Venue>, ctx: FeedContext, options: TradesFeedOptions = {}) {
    super(venueId, symbol, openVenue, ctx)
    this.historySize = Math.max(0, options.historySize ?? 100)
    this.historyWaitMs = options.historyWaitMs ?? 3000
    this.refillCap = Math.max(1, options.refillCap ?? 5000)
    this.refillPage = Math.max(1, options.refillPage ?? 1000)
    this.throttle = new Throttle(ctx.clock, options.intervalMs ?? Math.ceil(1000 / 30), () => this.flush())
  }

  /**
   * Unbatched live trades as they arrive (for the forming candle; never the history); counts as a listener
   * of the watch. `onRecent`, when given, hears the recent trades once: the fetched ones when they come in,
   * or at once those already sent when the feed runs (the last price of a market that trades rarely).
   * `onResumed`, when given, hears that trades flow again after a watch error (the trades made meanwhile
   * were never delivered): `delivering` just before the first ones delivered again; else the venue said it
   * subscribed again, and the exchange starts the stream a moment later (trades made until then come neither).
   */
  addRaw(
    listener: (trades: PublicTrade[]) => void,
    onRecent?: (trades: PublicTrade[]) => void,
    onResumed?: (delivering: boolean) => void,
  ): () => boolean {
    this.raw.add(listener)
    if (onResumed) this.resumed.add(onResumed)
    if (onRecent) {
      if (this.phase === 'live' && this.ring.length > 0) onRecent(byTime(this.ring.slice()))
      else this.recent.add(onRecent)
    }
    const off = this.add(() => {})
    return () => {
      this.raw.delete(listener)
      if (onRecent) this.recent.delete(onRecent)
      if (onResumed) this.resumed.delete(onResumed)
      return off()
    }
  }

  protected begin(venue: Venue): Unwatch {
    const run = ++this.run
    this.venue = venue
    this.gap = false
    this.awaitingSubscribe = this.historySize > 0
    this.subscribedWhileLoading = false
    // The watch starts first; where the venue says when it is subscribed, a refill closes what falls between.
    this.phase = this.historySize === 0 ? 'live' : 'loading'
    const stop = venue.watchTrades(
      this.symbol,
      (trades) => this.onTrades(trades),
      (err) => {
        this.ctx.log.warn('trades watch error', { venue: this.venueId, symbol: this.symbol, error: err.message })
        if (run !== this.run) return
        this.gap = true
        if (this.phase === 'loading') for (const t of this.held) this.heldBeforeDrop.add(t.id)
      },
      () => {
        if (run === this.run) this.onSubscribed()
      },
    )
    if (this.historySize > 0) this.loadRecent(venue, run)
    return stop
  }

  /**
   * Fetches the recent trades while live ones are held ('loading'); startLive sends both, each trade once.
   * At start, after venueReplaced, and when trades flow again after a watch error (the gap's trades).
   */
  private loadRecent(venue: Venue, run: number): void {
    this.phase = 'loading'
    const load = ++this.load
    const current = () => run === this.run && load === this.load && this.phase === 'loading'
    const pacing = this.paced(current, () => {
      this.ctx.log.warn('recent trades took too long; the tape starts without them', { venue: this.venueId, symbol: this.symbol, waitedMs: this.historyWaitMs })
      this.startLive([])
    })
    // Through a promise, so that a venue that throws (or lacks the call) is a failed fetch, not a failed start.
    Promise.resolve()
      .then(() => venue.fetchTrades(this.symbol, this.historySize, pacing))
      .then((rows) => {
        if (run !== this.run || load !== this.load || this.phase !== 'loading') return
        if (!Array.isArray(rows)) throw new Error('the venue answered with something that is not a list')
        if (this.subscribedWhileLoading) return this.refillAfterRecent(venue, run, rows)
        this.startLive(rows)
      })
      .catch((err: unknown) => {
        if (run !== this.run || load !== this.load || this.phase !== 'loading') return
        this.ctx.log.warn('recent trades could not be fetched; the tape starts with live trades only', {
          venue: this.venueId,
          symbol: this.symbol,
          error: messageOf(err),
        })
        this.startLive([])
      })
  }

  /**
   * The trades made while the stream was down, paged from the newest trade taken (fetchTradesAfter) while
   * live ones are held; venues without it (or a feed with nothing taken yet) fetch the recent ones instead.
   */
  private refill(venue: Venue, run: number, from?: { after: PublicTrade; recent: readonly PublicTrade[] }): void {
    const after = from?.after ?? this.newest
    /** Recent trades fetched but not yet taken: they go out with the refill's. */
    const recent = from?.recent ?? []
    const fetchAfter = venue.fetchTradesAfter?.bind(venue)
    if (fetchAfter === undefined || after === null) return this.loadRecent(venue, run)
    this.phase = 'loading'
    const load = ++this.load
    const current = () => run === this.run && load === this.load && this.phase === 'loading'
    const where = { venue: this.venueId, symbol: this.symbol }
    let read: PublicTrade[] = []
    /** Where the first page that did not reach back to its cursor left a hole: trades after it may be unread. */
    let holeFrom: number | undefined
    let pacing: RequestPacing | undefined
    const onPage = () => {
      pacing = this.paced(current, () => {
        this.ctx.log.warn('missed trades took too long; the tape goes on without the rest', { ...where, read: read.length, waitedMs: this.historyWaitMs })
        const from = holeFrom ?? (read[read.length - 1] ?? cursor).timestamp
        const note = unfinishedRefillNote(from, this.liveFrom(), 'the exchange took too long to send them after the reconnect')
        const until = this.liveFrom()
        // Its note names the trades from where it stopped to the first live one: what the "subscribed again"
        // bridge would read. No bridge then: its request at the next trade would go to an exchange just found
        // slow, rate-limiting (Binance bans the IP for requests sent on after a 429) or down, and its note
        // would replace this one.
        this.bridge = false
        this.startLive([...recent, ...read], { all: true, note: { text: note, ...(until !== undefined ? { until } : {}) } })
      })
    }
    const cursor: TradeCursor = { id: after.id, timestamp: after.timestamp }
    fetchMissedTrades(
      async (from, limit) => {
        const rows = await fetchAfter(this.symbol, from, limit, pacing)
        if (!Array.isArray(rows)) return rows
        // (A page may start with the cursor's trade or older ones, of its millisecond too: not missed, though
        // the tape may no longer keep them.)
        read = read.concat(rowsAfter(rows, from).filter((t) => !this.known.has(t.id)))
        if (holeFrom === undefined && rows.length > 0 && !reachesBack(rows, from)) holeFrom = from.timestamp
        return rows
      },
      cursor,
      { cap: this.refillCap, page: this.refillPage, delivered: (id) => this.reached(id), current, onPage },
    ).then(
      (result) => {
        if (result.abandoned || !current()) return
        const text = missedTradesNote(result, this.liveFrom())
        // Its last hole ends at the first live trade held (capped), or at the first trade read after it.
        const until = result.capped ? this.liveFrom() : result.gap?.to
        const note = text === undefined ? undefined : { text, ...(until !== undefined ? { until } : {}) }
        if (result.capped) this.ctx.log.warn('missed trades reached the refill cap; the tape lacks the later ones', { ...where, cap: this.refillCap, to: result.trades.at(-1)?.timestamp })
        if (result.gap) this.ctx.log.warn('the venue gave only its newest trades; missed ones before them may be lacking', { ...where, ...result.gap })
        this.startLive([...recent, ...result.trades], { all: true, note })
      },
      (err: unknown) => {
        if (!current()) return
        this.loadAbort?.abort()
        this.ctx.log.warn('missed trades could not be fetched; the tape goes on without them', { ...where, error: messageOf(err) })
        const from = holeFrom ?? (read[read.length - 1] ?? cursor).timestamp
        const note = unfinishedRefillNote(from, this.liveFrom(), 'they could not be fetched after the reconnect')
        const until = this.liveFrom()
        this.bridge = false // (as when too slow)
        this.startLive([...recent, ...read], { all: true, note: { text: note, ...(until !== undefined ? { until } : {}) } })
      },
    )
  }

  /**
   * The wait for one fetch (the recent trades, or a refill's page): `giveUp` runs when the exchange took over
   * `historyWaitMs` to answer it. Timed while its requests are out, not while they wait in the venue's own
   * rate-limit queue (ccxt spaces a Kraken account's requests 1.2 s apart: with several markets reconnecting,
   * later ones wait there for seconds though the exchange answers promptly). One page may take several
   * requests (Kraken asks on through a busy millisecond): the clock pauses while each waits in the queue and
   * goes on, not over, when it leaves, so the page's requests share the wait. Giving up, or a later fetch,
   * aborts the requests not yet sent.
   */
  private paced(current: () => boolean, giveUp: () => void): RequestPacing {
    this.loadAbort?.abort()
    const abort = new AbortController()
    this.loadAbort = abort
    /** What is left of the wait, and since when it runs down (null: paused, a request queued). */
    let leftMs = this.historyWaitMs
    let runningSince: number | null = null
    if (this.waitTimer !== null) this.ctx.clock.clearTimeout(this.waitTimer) // the fetch before's
    this.waitTimer = null
    const pauseClock = () => {
      if (this.waitTimer !== null) this.ctx.clock.clearTimeout(this.waitTimer)
      this.waitTimer = null
      if (runningSince !== null) leftMs -= this.ctx.clock.now() - runningSince
      runningSince = null
    }
    const runClock = () => {
      if (runningSince !== null) return // (a request that left without waiting in the queue)
      runningSince = this.ctx.clock.now()
      this.waitTimer = this.ctx.clock.setTimeout(
        () => {
          this.waitTimer = null
          if (!current()) return
          abort.abort()
          giveUp()
        },
        Math.max(0, leftMs),
      )
    }
    runClock()
    return {
      signal: abort.signal,
      onQueued: () => {
        if (current() && !abort.signal.aborted) pauseClock()
      },
      onSent: () => {
        if (current() && !abort.signal.aborted) runClock()
      },
    }
  }

  /**
   * The refill's pages reached the stream at this trade. One held before a second drop counts only while the
   * stream is still down: then its return refills from there (as any drop does); once back, the pages read on
   * to the trades it delivers (else they would page one new trade at a time, the tape frozen, until it is back).
   */
  private reached(id: string): boolean {
    return this.known.has(id) && (this.gap || !this.heldBeforeDrop.has(id))
  }

  /**
   * When the stream's trades start again after the refill's hole: the first live trade held that was delivered
   * after the last drop (those held before a second drop were followed by missed trades of their own). While
   * the stream is still down, the first one held: the pages stop there (reached), and its return refills from there.
   */
  private liveFrom(): number | undefined {
    return this.held.find((t) => this.gap || !this.heldBeforeDrop.has(t.id))?.timestamp
  }

  /**
   * The venue subscribed the stream: at start, or again after it failed. Refill now, not on the next trade
   * (which may be long); at start once the recent trades are in, from the newest of them.
   */
  private onSubscribed(): void {
    const first = this.awaitingSubscribe
    this.awaitingSubscribe = false
    if (!first && !this.gap) return
    if (this.gap) {
      this.gap = false
      for (const l of [...this.resumed]) l(false)
    }
    if (this.historySize === 0 || this.venue === null) return
    if (this.phase === 'live') {
      this.bridge = true
      this.refill(this.venue, this.run)
    } else if (first && this.phase === 'loading') this.subscribedWhileLoading = true
  }

  /**
   * The recent trades came after the venue said it subscribed: before any goes out, the trades made after the
   * newest of them are read too (the live ones are still held), so the tape has them all in time order.
   */
  private refillAfterRecent(venue: Venue, run: number, rows: PublicTrade[]): void {
    this.subscribedWhileLoading = false
    this.bridge = true
    const recent = byTime(rows.filter(isValidTrade)).slice(-this.historySize)
    const after = recent[recent.length - 1]
    // No trade to page from (or no paging): the recent trades once more, asked now that the stream is subscribed.
    if (after === undefined || venue.fetchTradesAfter === undefined) return this.loadRecent(venue, run)
    this.refill(venue, run, { after, recent })
  }

  protected override greet(listener: (value: TradesOut) => void): void {
    if (this.error !== null) listener({ trades: [], history: false, ended: this.error })
    else if (this.phase === 'live' && (this.ring.length > 0 || this.lastNote !== undefined)) {
      const note = this.noteInWindow()
      listener({ trades: byTime(this.ring.slice()), history: true, ...(note !== undefined ? { note } : {}) })
    }
  }

  /**
   * The last note while the recent trades kept still reach back to its hole (the oldest is not after the
   * first trade after it): a view whose trades all come after the hole was not shown one.
   */
  private noteInWindow(): string | undefined {
    const note = this.lastNote
    if (note === undefined) return undefined
    const oldest = this.ring[0]
    if (note.until !== undefined && oldest !== undefined && oldest.timestamp > note.until) return undefined
    return note.text
  }

  protected override endedForGood(reason: string): void {
    this.emit({ trades: [], history: false, ended: reason })
  }

  protected override end(): void {
    this.run++
    this.venue = null
    this.gap = false
    this.bridge = false
    this.awaitingSubscribe = false
    this.subscribedWhileLoading = false
    this.newest = null
    this.heldBeforeDrop.clear()
    this.pendingNote = undefined
    this.lastNote = undefined
    this.phase = 'idle'
    if (this.waitTimer !== null) this.ctx.clock.clearTimeout(this.waitTimer)
    this.waitTimer = null
    this.loadAbort?.abort()
    this.loadAbort = null
    this.throttle.cancel()
    this.held = []
    this.pending = []
    this.pendingHistory = false
    this.ring = []
    this.known.clear()
  }

  /**
   * A fresh venue: what was sent stays remembered (ring, ids), so its recent trades fill the gap as a
   * history batch without repeating any; held and pending live trades still go out. The old run's fetch
   * and wait are dropped.
   */
  protected override restarted(): void {
    this.run++
    if (this.waitTimer !== null) this.ctx.clock.clearTimeout(this.waitTimer)
    this.waitTimer = null
    this.loadAbort?.abort()
    this.loadAbort = null
  }

  /**
   * The recent trades are in (or given up on): one history batch of them and the held live ones, then live.
   * `all`: every fetched trade goes out (a refill), not only the newest `historySize`; `note` rides with it.
   */
  private startLive(fetched: readonly PublicTrade[], options: { all?: boolean; note?: TapeNote } = {}): void {
    if (this.waitTimer !== null) this.ctx.clock.clearTimeout(this.waitTimer)
    this.waitTimer = null
    this.subscribedWhileLoading = false // (the recent trades failed or took too long: the tape starts without them)
    this.heldBeforeDrop.clear()
    const held = this.held
    this.held = []
    const older: PublicTrade[] = []
    for (const t of fetched) {
      if (!isValidTrade(t) || this.known.has(t.id)) continue
      this.known.add(t.id)
      older.push(t)
    }
    // The newest `historySize` fetched trades; every held live trade stays.
    const recent = options.all ? byTime(older) : byTime(older).slice(-this.historySize)
    for (const t of older.slice(0, older.length - recent.length)) this.known.delete(t.id)
    this.phase = 'live'
    if (recent.length > 0) {
      const told = [...this.recent]
      this.recent.clear()
      for (const l of told) l(recent)
    }
    const batch = byTime([...recent, ...held])
    if (batch.length === 0 && options.note === undefined) return
    this.takeNewest(batch)
    // Live trades still waiting for the throttle are older than all of these (a refill starts after them).
    this.pending = this.pending.length === 0 ? batch : [...this.pending, ...batch]
    this.pendingHistory = recent.length > 0
    // (A note with no trade to ride on goes out in a batch of its own.)
    this.pendingNote = options.note ?? this.pendingNote
    this.throttle.request()
  }

  private onTrades(trades: PublicTrade[]): void {
    const valid = trades.filter(isValidTrade)
    if (valid.length === 0) return
    if (this.gap) {
      // Back after a watch error, and the venue did not say it subscribed again: what traded meanwhile is
      // fetched now (merged by id, as after venueReplaced); the forming candle is told first so it seeds itself again.
      this.gap = false
      this.bridge = false
      for (const l of [...this.resumed]) l(true)
      if (this.phase === 'live' && this.historySize > 0 && this.venue !== null) this.refill(this.venue, this.run)
    } else if (this.bridge) {
      this.bridge = false
      if (this.phase === 'live' && this.venue !== null) this.refill(this.venue, this.run)
    }
    for (const l of [...this.raw]) l(valid)
    if (this.phase === 'idle') return
    const fresh = valid.filter((t) => {
      if (this.known.has(t.id)) return false
      this.known.add(t.id)
      return true
    })
    if (fresh.length === 0) return
    if (this.phase === 'loading') {
      this.held.push(...fresh)
      return
    }
    this.takeNewest(fresh)
    this.pending.push(...fresh)
    this.throttle.request()
  }

  /** Remembers the newest of `trades` (oldest first) as where a refill starts. */
  private takeNewest(trades: readonly PublicTrade[]): void {
    const last = trades[trades.length - 1]
    if (last !== undefined && (this.newest === null || last.timestamp >= this.newest.timestamp)) this.newest = last
  }

  private flush(): boolean {
    if (this.pending.length === 0 && this.pendingNote === undefined) return false
    const batch = this.pending
    const history = this.pendingHistory
    const note = this.pendingNote
    this.pending = []
    this.pendingHistory = false
    this.pendingNote = undefined
    this.remember(batch)
    if (note !== undefined) this.lastNote = { ...note }
    this.emit({ trades: batch, history, ...(note !== undefined ? { note: note.text } : {}) })
    return true
  }

  private remember(sent: readonly PublicTrade[]): void {
    // A note whose hole had no trade after it yet: the hole ends at the first one sent after that note.
    if (this.lastNote !== undefined && this.lastNote.until === undefined && sent.length > 0) this.lastNote.until = oldestTime(sent)
    this.ring.push(...sent)
    const extra = this.ring.length - this.historySize
    if (extra <= 0) return
    for (const t of this.ring.slice(0, extra)) this.known.delete(t.id)
    this.ring = this.ring.slice(extra)
  }
}

/**
 * A note for the tape (trades may be missing) and where its hole ends: `until`, the time of the first trade
 * after it (undefined: none yet, the hole ends at the next trade sent).
 */
interface TapeNote {
  text: string
  until?: number
}

function oldestTime(trades: readonly PublicTrade[]): number {
  let min = Infinity
  for (const t of trades) if (t.timestamp < min) min = t.timestamp
  return min
}

/** Sorted by time, stable: trades of the same millisecond keep the venue's order. */
function byTime(trades: PublicTrade[]): PublicTrade[] {
  return trades.sort((a, b) => a.timestamp - b.timestamp)
}

/** The ticker, sent when a shown figure changed, at most once per `intervalMs`. */
export class TickerFeed extends SharedFeed<Ticker> {
  private last: Ticker | null = null
  private lastKey = ''
  private sentKey = ''
  private readonly throttle: Throttle

  constructor(venueId: string, symbol: string, openVenue: () => Promise<Venue>, ctx: FeedContext, intervalMs = 100) {
    super(venueId, symbol, openVenue, ctx)
    this.throttle = new Throttle(ctx.clock, intervalMs, () => this.flush())
  }

  protected begin(venue: Venue): Unwatch {
    return venue.watchTicker(
      this.symbol,
      (t) => this.onTicker(t),
      (err) => this.ctx.log.warn('ticker watch error', { venue: this.venueId, symbol: this.symbol, error: err.message }),
    )
  }

  protected override greet(listener: (value: Ticker) => void): void {
    if (this.last !== null) listener(this.last)
  }

  protected override end(): void {
    this.throttle.cancel()
    this.last = null
    this.lastKey = this.sentKey = ''
  }

  private onTicker(t: Ticker): void {
    this.last = t
    this.lastKey = [t.last, t.bid, t.ask, t.high24h, t.low24h, t.changePct24h, t.volume24h].join('|')
    if (this.lastKey !== this.sentKey) this.throttle.request()
  }

  private flush(): boolean {
    if (this.last === null || this.lastKey === this.sentKey) return false
    this.sentKey = this.lastKey
    this.emit(this.last)
    return true
  }
}

export interface FormingCandle {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/** The forming candle as kept here: its volume exact (volume.ts), sent as the number nearest it. */
interface Forming extends Omit<FormingCandle, 'volume'> {
  volume: Volume
}

/**
 * The forming candle of one timeframe: seeded from the venue's latest candles, then kept from the trades
 * feed; sent when it changed, at most once per `intervalMs` (250 ms → ≤ 4/s).
 */
export class CandleFeed extends SharedFeed<FormingCandle> {
  private candle: Forming | null = null
  private sent: string = ''
  private readonly throttle: Throttle
  private offTrades: (() => boolean) | null = null
  private early: PublicTrade[] = []
  private seeded = false
  /** Bumped by every seed and stop: a seed answering for an earlier one (or a stopped watch) is ignored. */
  private seedToken = 0
  /** Aborted when the seed out is superseded or the watch stops: its request, if still queued, is not sent. */
  private seedAbort: AbortController | null = null
  private venue: Venue | null = null
  /** Trades flow again after the socket dropped: the next batch delivered seeds the candle (again). */
  private seedOnTrade = false
  /** What stands should the seed out be given up (seed's `previous`): null, the trades held make the candle. */
  private fallback: SeedAnswer | null = null
  /** Requests of one seed at most, while trades keep coming during each (the cut is then by estimate). */
  static readonly SEED_ASKS = 4
  /**
   * More trades than this made during one request: the market will not pause for a round trip either (a busy
   * Binance market trades every few ms), so it is not asked again, for nothing but a later candle.
   */
  static readonly SEED_BUSY = 2
  /**
   * Candles a seed asks for at most: enough to reach back to the one forming here after an outage of that many
   * (an hour of minutes); the finished ones before the latest replace what the chart has of them.
   */
  static readonly SEED_BACK = 60

  constructor(
    venueId: string,
    symbol: string,
    readonly timeframe: Timeframe,
    openVenue: () => Promise<Venue>,
    ctx: FeedContext,
    private readonly trades: TradesFeed,
    intervalMs = 250,
  ) {
    super(venueId, symbol, openVenue, ctx)
    this.throttle = new Throttle(ctx.clock, intervalMs, () => this.flush())
  }

  protected begin(venue: Venue): Unwatch {
    this.venue = venue
    // Kept across venueReplaced (the trades feed follows the fresh venue by itself); made again after end().
    this.offTrades ??= this.trades.addRaw(
      (trades) => {
        if (this.seedOnTrade && this.venue !== null) {
          this.seedOnTrade = false
          return this.seed(this.venue, trades)
        }
        if (!this.seeded) this.early.push(...trades)
        else this.onTrades(trades)
      },
      undefined,
      // Trades flow again after the socket dropped: those made meanwhile never came. The exchange's candle
      // has them; seed again, the gap being the seeding window. When the venue only said it subscribed again,
      // the trades made after the exchange built that answer and before it started the stream come in neither:
      // the first trade delivered seeds once more (the stream runs by then). The tape does the same (bridge).
      (delivering) => {
        if (this.venue === null) return
        if (!delivering) this.seed(this.venue)
        this.seedOnTrade = true
      },
    )
    this.seed(venue)
    return () => {
      this.seedToken++
      this.seedAbort?.abort()
      this.venue = null
      this.seedOnTrade = false
    }
  }

  /**
   * Seeds the forming candle from the venue's latest (with those before it back to the one forming here, the
   * finished minutes should the latest start a later one); trades delivered meanwhile wait in `early`, after the `delivered` ones that
   * prompted it. `ask` counts the requests of this seed: one answered while its minute traded is asked again
   * (`early` kept). `previous` takes the answer before, should this request fail or answer with no candle.
   */
  private seed(venue: Venue, delivered: readonly PublicTrade[] = [], ask = 1, previous: SeedAnswer | null = null): void {
    const token = ++this.seedToken
    this.seeded = false
    this.fallback = previous
    if (ask === 1) this.early = [...delivered]
    const live = () => token === this.seedToken
    let askedAt = this.ctx.clock.now()
    /** Trades delivered before this request left were made before it: in its answer (if of its minute). */
    let before = this.early.length
    // Paced as the trades refill's requests (request-pacing.ts): one that waited in the venue's rate-limit queue
    // (many markets reconnecting at once) left when it is sent, not when asked; one superseded while it waited
    // is not sent (its answer would be ignored).
    this.seedAbort?.abort()
    const abort = (this.seedAbort = new AbortController())
    const pacing: RequestPacing = {
      signal: abort.signal,
      onSent: () => {
        askedAt = this.ctx.clock.now()
        before = this.early.length
      },
    }
    // The latest candles back to the one forming here, two at least: after the minute turned (a reseed after a
    // socket drop, which may span several turns), those before the latest are the finished minutes, complete with
    // the trades made while the socket was down. A candle whose volume is no decimal (the venue port promises
    // one) fails the request.
    const span = TIMEFRAME_MS[this.timeframe]
    const back = this.candle === null ? 0 : Math.floor((this.ctx.clock.now() - this.candle.time) / span)
    const limit = Math.min(CandleFeed.SEED_BACK, Math.max(2, back + 2))
    const asked = venue
      .fetchCandles(this.symbol, this.timeframe, undefined, limit, pacing)
      .then((rows) => rows.slice(-limit).map(toForming).sort((a, b) => a.time - b.time))
    asked.then(
      (rows) => {
        if (!live()) return
        const last = rows[rows.length - 1]
        const finished = rows.slice(0, -1)
        // A request asked again that answers with no candle tells nothing the answer before did not: that one
        // stands, as when the request fails.
        if (last === undefined && previous !== null) return this.takeSeed(previous)
        const seed = last ?? null
        const inSeed = (t: PublicTrade) => seed !== null && Math.floor(t.timestamp / span) * span === seed.time
        // The exchange's candle counts every trade made until it built its answer, at a moment of the round
        // trip not known here (a request slow on its way out, as on a new connection, is built late). The
        // trades of its minute delivered before it left, or while it was out but made before it left, are in
        // it; of those made while it was out, no one can tell. When there are such, it is asked again: the next
        // answer holds all of them, unless more trade meanwhile. The venue port lists no trades since a time,
        // so the cut is by time, not by trade id: it assumes the exchange's clock (the trades' stamps) agrees
        // with ours to well within the round trip (NTP-synced machines).
        const unsure = this.early.filter((t, i) => i >= before && inSeed(t) && t.timestamp >= askedAt).length
        // Taken while its minute traded (a market that did not pause for a round trip, or the next request
        // failed): the best guess is that it was built halfway (a trade made near that moment counted twice or
        // not at all).
        const builtAt = askedAt + (this.ctx.clock.now() - askedAt) / 2
        const answer: SeedAnswer = { seed, finished, before, cut: unsure > 0, builtAt }
        if (unsure > 0 && unsure <= CandleFeed.SEED_BUSY && ask < CandleFeed.SEED_ASKS) return this.seed(venue, [], ask + 1, answer)
        this.takeSeed(answer, previous)
      },
      (err: unknown) => {
        if (!live()) return
        this.ctx.log.warn('candle seed failed', { venue: this.venueId, symbol: this.symbol, error: messageOf(err) })
        // A request asked again failed (a timeout, the exchange's rate limit): the answer before it stands, as
        // it would had it not been asked again; the trades delivered since are after it.
        this.giveUpSeed()
      },
    )
  }

  /** The seed out has no answer to take: the one before it stands (`fallback`), else the trades held make the candle. */
  private giveUpSeed(): void {
    const fallback = this.fallback
    this.fallback = null
    if (fallback !== null) return this.takeSeed(fallback)
    this.seeded = true
    const early = this.early
    this.early = []
    this.onTrades(early)
  }

  /**
   * The watch starts over on a fresh venue (venueReplaced), which may take a while (a venue that cannot be opened
   * is tried again after a backoff) while the trades feed delivers already. A seed out is given up, so those trades
   * go into the candle as they come rather than pile up waiting for an answer that is ignored: the seed asked
   * when the venue opens replaces its minute anyway.
   */
  protected override restarted(): void {
    if (!this.seeded) this.giveUpSeed()
  }

  /**
   * The candle is the answer's `seed` (kept when null), plus the trades waiting in `early` it does not hold: those
   * of a later candle, and when `cut`, those of its own delivered after its request left (from index `before`)
   * and made after `builtAt`. The candle it replaces goes out first, finished: as the answer's `finished` has it
   * (the exchange's), else as `prior` (the answer before, when this one was asked again; of an earlier candle, the
   * minute turned during the second request) made it, else as last traded.
   */
  private takeSeed(answer: SeedAnswer, prior: SeedAnswer | null = null): void {
    const { seed } = answer
    const span = TIMEFRAME_MS[this.timeframe]
    const minute = (t: PublicTrade) => Math.floor(t.timestamp / span) * span
    /** The trades held that this answer's candle does not count (of its own, or a later, candle). */
    const beyond = (a: SeedAnswer, t: PublicTrade, i: number) =>
      a.seed === null || minute(t) > a.seed.time || (minute(t) === a.seed.time && a.cut && i >= a.before && t.timestamp > a.builtAt)
    this.fallback = null
    const old = this.candle
    // The finished candles, when the seed starts a later one: the answer's own candles before the seed's, of the
    // minute forming here or later (the exchange had started the next one: they are complete, what traded while
    // the socket was down included); else, when asked again, the answer before's, as that answer would have made it.
    const own = seed === null || old === null ? [] : answer.finished.filter((c) => c.time >= old.time && c.time < seed.time)
    const finished: { candles: Forming[]; adds: (t: PublicTrade, i: number) => boolean } | null =
      own.length > 0
        ? { candles: own, adds: () => false }
        : seed !== null && prior?.seed != null && prior.seed.time < seed.time && (old === null || prior.seed.time >= old.time)
          ? { candles: [prior.seed], adds: (t, i) => beyond(prior, t, i) }
          : null
    if (seed !== null && old !== null && seed.time > old.time && (finished === null || old.time < finished.candles[0]!.time)) {
      // The seed starts a later candle: the one it replaces is finished, and the chart keeps it as last sent. Its
      // trades held while the seed was out (none of them counted in it yet) and its changes still waiting for the
      // throttle go out now, as when a trade starts the next candle.
      this.apply(this.early.filter((t) => minute(t) === old.time))
      this.flush()
    }
    // Each goes out, oldest first, before the seed replaces it: the chart keeps a minute as last sent.
    if (finished !== null) {
      for (const done of finished.candles) {
        this.candle = { ...done }
        this.apply(this.early.filter((t, i) => minute(t) === done.time && finished.adds(t, i)))
        this.flush()
      }
    }
    // An answer of a minute before the one forming (an exchange lagging behind) says nothing of the forming one,
    // and its own minute is finished and already sent as last traded: the forming candle stays (the chart must
    // not go back a minute); the trades held are added to it as they come (those of the old minute change nothing).
    if (seed !== null && (old === null || seed.time >= old.time)) this.candle = seed
    this.seeded = true
    const early = this.early.filter((t, i) => beyond(answer, t, i))
    this.early = []
    if (early.length > 0) this.onTrades(early)
    else this.schedule()
  }

  protected override greet(listener: (value: FormingCandle) => void): void {
    if (this.candle !== null) listener(shown(this.candle))
  }

  protected override end(): void {
    this.offTrades?.()
    this.offTrades = null
    this.throttle.cancel()
    this.early = []
    this.fallback = null
    this.candle = null
    this.sent = ''
  }

  private onTrades(trades: PublicTrade[]): void {
    this.apply(trades)
    this.schedule()
  }

  /** Adds the trades to the forming candle; one of a later candle sends the one it replaces first. */
  private apply(trades: readonly PublicTrade[]): void {
    const span = TIMEFRAME_MS[this.timeframe]
    for (const t of trades) {
      const price = Number(t.price)
      const open = Math.floor(t.timestamp / span) * span
      const c = this.candle
      if (c === null || open > c.time) {
        // The candle being replaced is finished: its last changes may still wait for the throttle, and
        // nothing would ever send them, so it goes out now (the chart keeps a minute as last sent).
        this.flush()
        this.candle = { time: open, open: price, high: price, low: price, close: price, volume: new Volume(t.amount) }
      } else if (open === c.time) {
        c.high = Math.max(c.high, price)
        c.low = Math.min(c.low, price)
        c.close = price
        c.volume = c.volume.plus(t.amount)
      } // a trade older than the forming candle changes nothing shown
    }
  }

  private schedule(): void {
    if (this.candle !== null) this.throttle.request()
  }

  /** Sends the candle if it changed since it was last sent. */
  private flush(): boolean {
    const c = this.candle
    if (c === null) return false
    const key = `${c.time}|${c.open}|${c.high}|${c.low}|${c.close}|${c.volume}`
    if (key === this.sent) return false
    this.sent = key
    this.emit(shown(c))
    return true
  }
}

/** One answer to the forming candle's seed request, with where its count of the trades held ends (takeSeed). */
interface SeedAnswer {
  seed: Forming | null
  /** The exchange's candles before `seed`, oldest first (takeSeed uses them only when the seed starts a later minute). */
  finished: Forming[]
  before: number
  cut: boolean
  builtAt: number
}

export function toNumbers(c: Candle): FormingCandle {
  return { time: c.time, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume) }
}

/** A venue's candle as the forming one starts from: its volume kept exact, trades' amounts are added to it. */
function toForming(c: Candle): Forming {
  return { ...toNumbers(c), volume: new Volume(c.volume) }
}

/** The candle as the chart takes it: plain numbers (house rule 7), the volume the number nearest the exact sum. */
function shown(c: Forming): FormingCandle {
  return { ...c, volume: c.volume.toNumber() }
}

const DECIMAL = /^\d+(\.\d+)?$/

/** A trade the screen can show: plain decimal strings (the contract's format), positive price. */
function isValidTrade(t: PublicTrade): boolean {
  if (!DECIMAL.test(t.price) || !DECIMAL.test(t.amount)) return false
  const p = Number(t.price)
  const a = Number(t.amount)
  return p > 0 && Number.isFinite(p) && a >= 0 && Number.isFinite(a) && Number.isFinite(t.timestamp)
}
