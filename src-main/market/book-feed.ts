// The one long-lived watch loop of one (venue, market) book, shared by every view of it (book streams,
// aggregates). Started by the first view, stopped by the last.
//
// Two ways in, picked by what the venue offers:
//  - diffs (venues with watchOrderBookDiffs: the simulated exchange): the engine's depth diffs with gapless
//    update ids go straight into OrderBook, which buffers them until a full snapshot (fetchOrderBook, its
//    `sequence` = last update id) arrives, bridges it, and detects gaps and bad data the Binance way. A gap
//    or bad data → 'resyncing' → a fresh snapshot (retried with backoff if it is unusable too).
//  - snapshots (ccxt venues): ccxt.pro keeps the book from the exchange's diffs itself and raises
//    InvalidNonce / ChecksumError on gaps; the adapter then re-subscribes (fresh snapshot). Here each
//    delivered book is applied as a snapshot (validated, crossed books rejected); the errors set
//    'resyncing' with the reason; bad data (the adapter's parse errors, or a book OrderBook rejects)
//    restarts the watch so ccxt starts over from a snapshot; a socket error marks the book 'stale' with
//    'socket closed' until data flows again.
// Either way a silent feed (no message for `staleAfterMs`) is 'stale' with 'no message since HH:MM:SS UTC' and the
// watch is restarted with backoff and jitter. An exchange stream sends nothing while a book does not change
// (an illiquid market), so in snapshot mode a silent book is first compared with the exchange's own top
// levels by REST (one small request): the same → the market is quiet and the book stays live; different,
// unreadable or too slow to answer → stale, as above.
import type { Logger } from '../log'
import type { BookDiff, BookSnapshot, Unwatch, Venue } from '../venues/port'
import { VenueError } from '../venues/port'
import { depthSnapshotOf, OrderBook, type BookReason, type BookStatus } from './order-book'
import type { CoalescerClock } from './view-coalescer'
import { backoffDelay } from './backoff'

export interface BookFeedOptions {
  clock: CoalescerClock
  log: Logger
  /** A live book with no message for longer than this goes 'stale' and its watch is restarted. */
  staleAfterMs: number
  /** How often the silence check runs. */
  checkEveryMs: number
  /** Restart delays by consecutive failure (the last repeats); each gets ±20 % jitter. */
  backoffMs: readonly number[]
  random: () => number
  /**
   * Whether silence means trouble for this venue. An in-process venue (the simulated exchange) has no
   * socket to go quiet: a book nobody trades is just quiet there. Default: every venue but 'sim'.
   */
  watchSilence?: (venue: Venue) => boolean
}

export class BookFeed {
  readonly book: OrderBook
  /** The market's tick (null until its markets are known). */
  tick: string | null = null
  takerFee = 0
  /** Set when the feed cannot run at all (unknown symbol, venue cannot be opened). */
  error: string | null = null
  restarts = 0
  private refs = 0
  private generation = 0
  private venue: Venue | null = null
  private unwatch: Unwatch | null = null
  private mode: 'diffs' | 'snapshots' = 'snapshots'
  private checkTimer: unknown = null
  private restartTimer: unknown = null
  private snapshotTimer: unknown = null
  private snapshotPending = false
  private snapshotAttempts = 0
  private failures = 0
  private startedAt = 0
  private nonce = 0
  /** Snapshots in a row older than the book (see onSnapshot). */
  private olderSnapshots = 0
  private depthTier = 100
  /** Levels a side can hold as sent: the tier of the watch whose book is shown (Infinity: a whole book). */
  private bookLimit = Infinity
  private silenceMatters = false
  /**
   * The next restart is for a live book gone silent: the venue drops its connection too (it may be
   * half-open). Not for a book that never came back (that connection is a new one, still subscribing).
   */
  private silentRestart = false
  /** The REST look at a silent book (snapshot mode): when it was asked, and what it found. */
  private probe: { gen: number; startedAt: number; verdict: 'pending' | 'same' | 'differs' } | null = null
  private readonly listeners = new Set<() => void>()

  constructor(
    readonly venueId: string,
    readonly symbol: string,
    private readonly openVenue: () => Promise<Venue>,
    private readonly opts: BookFeedOptions,
  ) {
    this.book = new OrderBook({
      venue: venueId,
      symbol,
      now: () => opts.clock.now(),
      log: opts.log,
      onResync: (_book, reason) => this.onResync(reason),
    })
  }

  get views(): number {
    return this.refs
  }

  get running(): boolean {
    return this.refs > 0
  }

  /** What views show: the book's health, or the feed's own error. */
  get health(): { status: BookStatus; reason: BookReason | string | null; silentSince: number | null } {
    if (this.error !== null) return { status: 'stale', reason: this.error, silentSince: null }
    return this.book.health
  }

  /**
   * The most levels a side of the book can hold as the venue sends it: a side holding this many was cut
   * there and the market goes on beyond it. Snapshot venues send the tier asked for (100, 500 or 1000) —
   * the tier of the watch that delivered the current book, not of one still waiting for its first;
   * diff venues start from a whole-book snapshot (Infinity).
   */
  get levelLimit(): number {
    return this.bookLimit
  }

  /** Called after every change that may show (levels, status). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * A view opens. `levels`: raw levels per side it needs (a grouped view needs many). Venues fed by
   * snapshots are asked for a book of that size (tiers of 100, 500, 1000 levels); a view needing a
   * bigger tier than the running watch restarts it.
   */
  acquire(levels = 100): void {
    const tier = levels <= 100 ? 100 : levels <= 500 ? 500 : 1000
    const bigger = tier > this.depthTier
    if (bigger) this.depthTier = tier
    this.refs++
    if (this.refs === 1) this.start()
    else if (bigger && this.mode === 'snapshots' && this.venue !== null) this.restart(this.generation)
  }

  /** Returns true when this was the last view (the loop is stopped). */
  release(): boolean {
    if (this.refs === 0) return true
    this.refs--
    if (this.refs > 0) return false
    this.stop()
    return true
  }

  /** Stop the loop now (whatever the views). */
  stop(): void {
    this.generation++
    this.stopWatch()
    for (const t of [this.checkTimer, this.restartTimer, this.snapshotTimer]) if (t !== null) this.opts.clock.clearTimeout(t)
    this.checkTimer = this.restartTimer = this.snapshotTimer = null
    this.snapshotPending = false
  }

  /**
   * The venue object this feed opened was dropped and a fresh one replaces it (its account was edited:
   * new keys, URL or sandbox flag). The views stay; the loop starts over on the fresh venue from a new
   * snapshot, 'resyncing' meanwhile.
   */
  venueReplaced(): void {
    this.venue = null
    this.error = null
    this.failures = 0
    if (this.refs === 0) return
    this.book.reset('venue replaced')
    this.restart(this.generation)
    this.changed()
  }

  /** The venue is gone for good (its account was removed): the loop ends, the views are told why. */
  venueRemoved(reason: string): void {
    this.stop()
    this.venue = null
    this.error = reason
    this.book.reset('venue removed')
    this.changed()
  }

  private start(): void {
    const gen = ++this.generation
    this.startedAt = this.opts.clock.now()
    this.scheduleCheck(gen)
    this.openVenue().then(
      (venue) => {
        if (gen !== this.generation) return
        this.venue = venue
        this.mode = typeof venue.watchOrderBookDiffs === 'function' ? 'diffs' : 'snapshots'
        this.silenceMatters = (this.opts.watchSilence ?? ((v: Venue) => v.exchange !== 'sim'))(venue)
        this.watch(gen)
      },
      (err: unknown) => {
        if (gen !== this.generation) return
        this.error = messageOf(err)
        this.changed()
        this.scheduleRestart(gen)
      },
    )
  }

  private watch(gen: number): void {
    const venue = this.venue
    if (venue === null) return
    this.startedAt = this.opts.clock.now()
    const onError = (err: Error) => {
      if (gen === this.generation) this.onWatchError(gen, err)
    }
    if (this.mode === 'diffs' && venue.watchOrderBookDiffs) {
      this.unwatch = venue.watchOrderBookDiffs(this.symbol, (diff) => gen === this.generation && this.onDiff(diff), onError)
      this.fetchSnapshot(gen)
    } else {
      const tier = this.depthTier
      let first = true
      const onBook = (snap: BookSnapshot) => {
        if (gen !== this.generation) return
        this.onSnapshot(gen, snap, tier, first)
        first = false
      }
      this.unwatch = venue.watchOrderBook(this.symbol, onBook, onError, tier)
    }
  }

  private onDiff(diff: BookDiff): void {
    const before = this.book.version
    const result = this.book.applyDiff({ firstUpdateId: diff.firstUpdateId, lastUpdateId: diff.lastUpdateId, bids: diff.bids, asks: diff.asks })
    if (result === 'applied') this.ok()
    if (this.book.version !== before) this.changed()
  }

  /** `first`: the first book of this watch (a new subscription: its ids may start over). */
  private onSnapshot(gen: number, snap: BookSnapshot, tier: number, first: boolean): void {
    // ccxt's nonce where the exchange has one; else a local counter (ccxt did the sequencing).
    const id = snap.sequence ?? ++this.nonce
    const result = this.book.applySnapshot({ lastUpdateId: id, bids: snap.bids, asks: snap.asks }, first)
    if (result === 'applied') this.bookLimit = tier
    if (result === 'dropped') {
      // Older than the book: passed over. Several in a row mean the venue's ids started over within the
      // subscription (not a late book): take the next one whatever its id.
      if (++this.olderSnapshots >= 3) this.book.resync('sequence gap')
      else return
    } else this.olderSnapshots = 0
    if (result === 'applied' && this.book.status === 'live') this.ok()
    else if (result !== 'dropped' && gen === this.generation) this.scheduleRestart(gen)
    this.changed()
  }

  private ok(): void {
    this.failures = 0
    if (this.error !== null) this.error = null
    // Live again before its silence restart ran (another book's restart dropped the shared socket and ccxt
    // subscribed this one anew): the restart would drop that fresh, healthy socket again, for every book on it.
    if (this.silentRestart && this.restartTimer !== null) {
      this.opts.clock.clearTimeout(this.restartTimer)
      this.restartTimer = null
      this.silentRestart = false
    }
  }

  private onWatchError(gen: number, err: Error): void {
    const cause = err instanceof VenueError ? err.cause : err
    const name = cause instanceof Error ? cause.name : ''
    this.opts.log.warn('book watch error', { venue: this.venueId, symbol: this.symbol, error: err.message })
    // Our own restart unsubscribed the previous watch; ccxt rejects the pending watch of that market with
    // UnsubscribeError. Nothing is wrong with the book; the adapter watches again by itself.
    if (name === 'UnsubscribeError') return
    // The connection under this watch failed (often another book's silence restart dropping the shared
    // socket): a silence restart still pending must not drop the new one ccxt is opening.
    this.silentRestart = false
    // ccxt's Binance and Gate raise ChecksumError on an update-id gap: only a venue that checks a checksum
    // the exchange sends has a checksum failure.
    if (name === 'ChecksumError') this.book.resync(this.venue?.capabilities.bookChecksum === true ? 'checksum failure' : 'sequence gap')
    else if (name === 'InvalidNonce') this.book.resync('sequence gap')
    else if (err instanceof VenueError && err.kind === 'bad-reply') this.book.reportInvalid(err.message)
    else if (err instanceof VenueError && (err.kind === 'unreachable' || err.kind === 'rate-limited')) this.book.markStale('socket closed')
    else if (err instanceof VenueError && err.kind === 'invalid-order') {
      // The venue does not know the market (the simulated exchange says so at watch time).
      this.error = err.message
    } else this.book.markStale('socket closed')
    this.changed()
    // ccxt's adapter re-subscribes by itself after an error (fresh snapshot); the diff feed needs a restart.
    if (this.mode === 'diffs' && this.error === null) this.scheduleRestart(gen)
  }

  /** From OrderBook (synchronously, inside apply/check): schedule what re-establishes the book. */
  private onResync(reason: BookReason): void {
    const gen = this.generation
    if (this.refs === 0) return
    if (reason === 'venue replaced' || reason === 'venue removed') return // venueReplaced / venueRemoved act themselves
    if (reason.startsWith('no message since')) {
      this.silentRestart = true
      this.scheduleRestart(gen)
      return
    }
    if (this.mode === 'diffs') {
      if (reason === 'socket closed') this.scheduleRestart(gen)
      else this.fetchSnapshot(gen)
      return
    }
    // Snapshot mode: bad data means ccxt's own book holds it too; start it over.
    if (reason.startsWith('invalid data')) this.scheduleRestart(gen)
  }

  private fetchSnapshot(gen: number): void {
    if (this.snapshotPending || this.venue === null) return
    this.snapshotPending = true
    const venue = this.venue
    const run = () => {
      this.snapshotTimer = null
      if (gen !== this.generation) return
      venue.fetchOrderBook(this.symbol).then(
        (snap) => {
          if (gen !== this.generation) return
          this.snapshotPending = false
          this.snapshotAttempts++
          const before = this.book.version
          const result = this.book.applySnapshot(depthSnapshotOf(snap))
          if (result === 'applied') this.bookLimit = Infinity // fetched without a depth: the whole book
          if (result === 'applied' && this.book.status === 'live') {
            this.snapshotAttempts = 0
            this.ok()
          }
          if (this.book.version !== before) this.changed()
        },
        (err: unknown) => {
          if (gen !== this.generation) return
          this.snapshotPending = false
          this.snapshotAttempts++
          this.opts.log.warn('book snapshot failed', { venue: this.venueId, symbol: this.symbol, error: messageOf(err) })
          this.fetchSnapshot(gen)
        },
      )
    }
    // The first snapshot at once; an unusable one is retried with backoff.
    if (this.snapshotAttempts === 0) run()
    else this.snapshotTimer = this.opts.clock.setTimeout(run, this.delay(this.snapshotAttempts - 1))
  }

  private scheduleRestart(gen: number): void {
    if (this.restartTimer !== null || gen !== this.generation) return
    const wait = this.delay(this.failures++)
    this.restartTimer = this.opts.clock.setTimeout(() => {
      this.restartTimer = null
      this.restart(gen)
    }, wait)
  }

  /** Stop the watch and watch again (a fresh snapshot). */
  private restart(gen: number): void {
    if (gen !== this.generation || this.refs === 0) return
    this.restarts++
    if (this.restartTimer !== null) this.opts.clock.clearTimeout(this.restartTimer)
    if (this.checkTimer !== null) this.opts.clock.clearTimeout(this.checkTimer)
    if (this.snapshotTimer !== null) this.opts.clock.clearTimeout(this.snapshotTimer)
    this.restartTimer = this.checkTimer = this.snapshotTimer = null
    this.stopWatch()
    // Unwatching a silent book goes over the same socket, and so would the new watch: a half-open one
    // carries nothing until ccxt's keep-alive gives up (minutes). Drop it; the watch below opens a new one.
    if (this.silentRestart && this.venue !== null) this.venue.reconnectBook?.(this.symbol)
    this.silentRestart = false
    this.snapshotPending = false
    this.snapshotAttempts = 0
    if (this.venue === null) {
      this.start() // never opened: open again (start() moves to a new generation)
      return
    }
    const next = ++this.generation
    this.scheduleCheck(next)
    this.watch(next)
  }

  private scheduleCheck(gen: number): void {
    if (this.checkTimer !== null) this.opts.clock.clearTimeout(this.checkTimer)
    this.checkTimer = this.opts.clock.setTimeout(() => {
      this.checkTimer = null
      if (gen !== this.generation) return
      this.check(gen)
      if (gen === this.generation && this.checkTimer === null) this.scheduleCheck(gen)
    }, this.opts.checkEveryMs)
  }

  private check(gen: number): void {
    if (this.venue !== null && !this.silenceMatters) return
    const now = this.opts.clock.now()
    if (this.quietMarket(gen, now)) return
    const before = this.book.version
    const status = this.book.check(now, this.opts.staleAfterMs)
    if (this.book.version !== before) this.changed()
    // Not live and nothing arriving at all (no snapshot ever came, a reconnect or resync that never
    // completes): restart the watch too, after twice the threshold (the adapter may be reconnecting).
    if (status !== 'live' && gen === this.generation) {
      const since = Math.max(this.book.health.lastMessageAt ?? this.startedAt, this.startedAt)
      if (now - since > 2 * this.opts.staleAfterMs) this.scheduleRestart(gen)
    }
  }

  /**
   * Snapshot mode, live, silent past the threshold: asks the exchange's book once (true while that answer is
   * awaited, for at most one more threshold). A match confirms the quiet; otherwise the usual check follows.
   */
  private quietMarket(gen: number, now: number): boolean {
    const venue = this.venue
    if (this.mode !== 'snapshots' || venue === null || this.book.status !== 'live') return false
    const silentSince = this.book.health.lastMessageAt ?? now
    if (now - silentSince <= this.opts.staleAfterMs) return false
    const probe = this.probe?.gen === gen && this.probe.startedAt >= silentSince ? this.probe : null
    if (probe === null) {
      const started = { gen, startedAt: now, verdict: 'pending' as const }
      let asked: Promise<BookSnapshot>
      try {
        asked = venue.fetchOrderBook(this.symbol, QUIET_PROBE_LEVELS)
      } catch {
        this.probe = { ...started, verdict: 'differs' } // cannot be asked: the silence counts as it is
        return false
      }
      this.probe = started
      asked.then(
        (snap) => {
          if (this.probe !== started || gen !== this.generation) return
          this.probe = { ...started, verdict: sameTop(this.book, snap, QUIET_PROBE_LEVELS) ? 'same' : 'differs' }
          if (this.probe.verdict === 'same') this.book.confirmQuiet(this.opts.clock.now())
        },
        () => {
          if (this.probe === started) this.probe = { ...started, verdict: 'differs' }
        },
      )
      return true
    }
    return probe.verdict === 'pending' && now - probe.startedAt <= this.opts.staleAfterMs
  }

  private delay(attempt: number): number {
    return backoffDelay(this.opts.backoffMs, attempt, this.opts.random)
  }

  private stopWatch(): void {
    const stop = this.unwatch
    this.unwatch = null
    try {
      stop?.()
    } catch (err) {
      this.opts.log.warn('book unwatch failed', { venue: this.venueId, symbol: this.symbol, error: messageOf(err) })
    }
  }

  private changed(): void {
    for (const l of [...this.listeners]) {
      try {
        l()
      } catch (err) {
        this.opts.log.error('book listener failed', err)
      }
    }
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Levels per side a quiet-market look compares (Binance's smallest REST depth). */
const QUIET_PROBE_LEVELS = 5

/** Whether the book's top `levels` per side are the snapshot's, price and size, exactly. */
function sameTop(book: OrderBook, snap: BookSnapshot, levels: number): boolean {
  const side = (ours: OrderBook['bids'], theirs: BookSnapshot['bids']): boolean => {
    const n = Math.min(levels, theirs.length)
    if (ours.length < n) return false
    for (let i = 0; i < n; i++) {
      const [price, size] = theirs[i] as [string, string]
      if (!sameNumber(ours.priceTextAt(i) ?? String(ours.priceAt(i)), price) || !sameNumber(ours.sizeTextAt(i) ?? String(ours.sizeAt(i)), size)) return false
    }
    return n > 0 || ours.length === 0
  }
  return side(book.bids, snap.bids) && side(book.asks, snap.asks)
}

/** '100.10' and '100.1' are the same price. */
function sameNumber(a: string, b: string): boolean {
  return a === b || Number(a) === Number(b)
}
