// One venue's order book for one market: two typed-array sides plus Binance-style sequence handling,
// validation and health. No I/O here: when the book needs a fresh snapshot it calls `onResync`, and the
// caller (the watch loop) fetches one and hands it to `applySnapshot`.
//
// Sequence rules ("How to manage a local order book correctly", Binance):
//   - diffs that arrive before the snapshot are buffered;
//   - after a snapshot with lastUpdateId L, buffered and new diffs with u <= L are dropped;
//   - the first diff applied must bridge the snapshot: U <= L + 1 <= u;
//   - afterwards every diff's U must equal the previous u + 1, otherwise it is a gap → 'resyncing'.
// Validation: a non-numeric or non-positive price, a negative or non-numeric size, or a book that is
// crossed after a batch is applied is logged, counted on the health and triggers a resync. Invalid
// batches are rejected whole before anything is applied; a crossed book is cleared. Nothing here throws.
//
// Numbers are doubles for the screen (see book-side.ts); the venue's decimal strings are kept per level
// when `keepText` is on (the default), for anything that must be exact.
import type { Logger } from '../log'
import type { BookSnapshot } from '../venues/port'
import { BookSide, TopBuffers } from './book-side'

export type BookStatus = 'live' | 'resyncing' | 'stale'

export type BookReason =
  | 'awaiting snapshot'
  | 'sequence gap'
  | 'checksum failure'
  | `invalid data: ${string}`
  /** Silent since that time (UTC, HH:MM:SS): stays true however long the silence lasts. */
  | `no message since ${string} UTC`
  | 'socket closed'
  /** The feed moved to a fresh venue object (its account was edited), or its venue is gone (removed). */
  | 'venue replaced'
  | 'venue removed'

export interface BookHealth {
  status: BookStatus
  /** Why the book is not live (null when live). */
  reason: BookReason | null
  /** Engine time (ms) of the last applied snapshot or diff; null before the first. */
  lastUpdateAt: number | null
  /** Engine time (ms) of the last message received, applied or not. */
  lastMessageAt: number | null
  /** Stale for silence: engine time (ms) of the last message before it (the screen counts the age from it); else null. */
  silentSince: number | null
  /** Venue update id of the current state. */
  lastUpdateId: number
  /** Counters since construction. */
  applied: number
  dropped: number
  gaps: number
  invalid: number
  checksumFailures: number
  staleEvents: number
  resyncs: number
}

/** A price or a size as the venue sent it: a decimal string (the port's format) or an already-parsed number. */
export type RawNumber = string | number
export type RawLevel = readonly [price: RawNumber, size: RawNumber]

/** A depth diff in Binance's shape: U = first update id, u = last update id. */
export interface DepthDiff {
  firstUpdateId: number
  lastUpdateId: number
  bids: readonly RawLevel[]
  asks: readonly RawLevel[]
}

export interface DepthSnapshot {
  /** Binance's lastUpdateId / BookSnapshot.sequence. */
  lastUpdateId: number
  bids: readonly RawLevel[]
  asks: readonly RawLevel[]
}

/** The port's BookSnapshot as a depth snapshot; one without a `sequence` is rejected by applySnapshot. */
export function depthSnapshotOf(s: BookSnapshot): DepthSnapshot {
  return { lastUpdateId: s.sequence ?? NaN, bids: s.bids, asks: s.asks }
}

export type ApplyResult = 'applied' | 'buffered' | 'dropped' | 'rejected'

export interface OrderBookOptions {
  venue: string
  symbol: string
  /** Engine clock (ms). */
  now?: () => number
  /**
   * Called once each time the book enters 'resyncing' or 'stale' (and again when a snapshot it was given
   * is unusable): fetch a snapshot / resubscribe. Called synchronously from inside applyDiff and friends,
   * so schedule the fetch; do not call applySnapshot from within the callback.
   */
  onResync?: (book: OrderBook, reason: BookReason) => void
  log?: Logger
  /** Keep the venue's decimal strings per level (default true). */
  keepText?: boolean
  /** Diffs buffered while waiting for a snapshot (oldest dropped beyond this). Default 10,000. */
  maxBuffered?: number
  /** Starting capacity of each side, in levels. */
  capacity?: number
}

export class OrderBook {
  readonly venue: string
  readonly symbol: string
  readonly bids: BookSide
  readonly asks: BookSide
  /** Bumped on every applied snapshot or diff and on every health change. */
  version = 0
  private readonly h: BookHealth
  private readonly now: () => number
  private readonly onResync: ((book: OrderBook, reason: BookReason) => void) | undefined
  private readonly log: Logger | undefined
  private readonly maxBuffered: number
  private buffer: DepthDiff[] = []
  /** True until the first diff after a snapshot has bridged it. */
  private needBridge = true
  // Scratch for validated levels of one diff (grown as needed, never shrunk).
  private bp = new Float64Array(64)
  private bs = new Float64Array(64)
  private ap = new Float64Array(64)
  private as = new Float64Array(64)

  constructor(options: OrderBookOptions) {
    this.venue = options.venue
    this.symbol = options.symbol
    const keepText = options.keepText ?? true
    const capacity = options.capacity ?? 1024
    this.bids = new BookSide('bids', { keepText, capacity })
    this.asks = new BookSide('asks', { keepText, capacity })
    this.now = options.now ?? Date.now
    this.onResync = options.onResync
    this.log = options.log
    this.maxBuffered = options.maxBuffered ?? 10_000
    this.h = {
      status: 'resyncing',
      reason: 'awaiting snapshot',
      lastUpdateAt: null,
      lastMessageAt: null,
      silentSince: null,
      lastUpdateId: -1,
      applied: 0,
      dropped: 0,
      gaps: 0,
      invalid: 0,
      checksumFailures: 0,
      staleEvents: 0,
      resyncs: 0,
    }
  }

  /** Current health (a live object: copy it if you keep it). */
  get health(): Readonly<BookHealth> {
    return this.h
  }

  get status(): BookStatus {
    return this.h.status
  }

  /** Diffs waiting for a snapshot. */
  get buffered(): number {
    return this.buffer.length
  }

  /**
   * Load a snapshot, then replay the buffered diffs that follow it. One older than a live book's state
   * is 'dropped', unless `fresh`: the first of a new subscription, whose ids may have started over.
   */
  applySnapshot(snapshot: DepthSnapshot, fresh = false): ApplyResult {
    const t = this.now()
    this.h.lastMessageAt = t
    const bad = this.parseLevels(snapshot.bids, snapshot.asks)
    if (bad !== null || !Number.isFinite(snapshot.lastUpdateId)) {
      this.invalid(bad ?? 'snapshot without a numeric update id', true)
      return 'rejected'
    }
    // Older than the live state (a late REST reply, a stream behind another): applying it would roll the
    // book back. While not live any snapshot is what the book waits for.
    if (!fresh && this.h.status === 'live' && snapshot.lastUpdateId < this.h.lastUpdateId) {
      this.h.dropped++
      return 'dropped'
    }
    const nb = snapshot.bids.length
    const na = snapshot.asks.length
    this.bids.fromLevels(this.bp.subarray(0, nb), this.bs.subarray(0, nb), ...this.texts(snapshot.bids))
    this.asks.fromLevels(this.ap.subarray(0, na), this.as.subarray(0, na), ...this.texts(snapshot.asks))
    if (this.crossed()) {
      this.invalid('crossed book', true)
      return 'rejected'
    }
    this.h.lastUpdateId = snapshot.lastUpdateId
    this.h.lastUpdateAt = t
    this.needBridge = true
    this.setLive()
    const pending = this.buffer
    this.buffer = []
    for (let i = 0; i < pending.length; i++) {
      this.applyDiff(pending[i] as DepthDiff)
      if (this.h.status !== 'live') {
        // A gap or bad data while replaying: keep what follows for the next snapshot.
        for (let j = i + 1; j < pending.length; j++) this.bufferDiff(pending[j] as DepthDiff)
        break
      }
    }
    this.version++
    return 'applied'
  }

  /** Apply one depth diff (a batch of level changes). Never throws. */
  applyDiff(diff: DepthDiff): ApplyResult {
    const t = this.now()
    this.h.lastMessageAt = t
    const first = diff.firstUpdateId
    const last = diff.lastUpdateId
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first > last) {
      // Not even buffered: a diff without usable ids could never be placed in the sequence.
      this.invalid(`update ids ${String(first)}..${String(last)}`)
      return 'rejected'
    }
    if (this.h.status === 'resyncing') {
      this.bufferDiff(diff)
      return 'buffered'
    }
    const prev = this.h.lastUpdateId
    if (last <= prev) {
      this.h.dropped++
      return 'dropped'
    }
    if (this.needBridge ? !(first <= prev + 1 && prev + 1 <= last) : first !== prev + 1) {
      this.h.gaps++
      this.log?.warn('book sequence gap', { venue: this.venue, symbol: this.symbol, expected: prev + 1, got: first })
      this.enterResync('sequence gap')
      this.bufferDiff(diff)
      return 'buffered'
    }
    // Validate the whole batch before touching the book.
    const bids = diff.bids
    const asks = diff.asks
    const bad = this.parseLevels(bids, asks)
    if (bad !== null) {
      this.invalid(bad)
      return 'rejected'
    }
    const keep = this.bids.keepText
    const bp = this.bp
    const bs = this.bs
    for (let i = 0; i < bids.length; i++) {
      if (keep) {
        const lv = bids[i] as RawLevel
        this.bids.set(bp[i] as number, bs[i] as number, textOf(lv[0]), textOf(lv[1]))
      } else this.bids.set(bp[i] as number, bs[i] as number)
    }
    const ap = this.ap
    const as = this.as
    for (let i = 0; i < asks.length; i++) {
      if (keep) {
        const lv = asks[i] as RawLevel
        this.asks.set(ap[i] as number, as[i] as number, textOf(lv[0]), textOf(lv[1]))
      } else this.asks.set(ap[i] as number, as[i] as number)
    }
    if (this.crossed()) {
      this.invalid('crossed book')
      return 'rejected'
    }
    this.needBridge = false
    this.h.lastUpdateId = last
    this.h.lastUpdateAt = t
    this.h.applied++
    if (this.h.status === 'stale') this.setLive()
    this.version++
    return 'applied'
  }

  /** A venue checksum (OKX, Kraken, ...) did not match this book: resync. */
  checksumFailed(): void {
    this.h.checksumFailures++
    this.log?.warn('book checksum failure', { venue: this.venue, symbol: this.symbol })
    this.bids.clear()
    this.asks.clear()
    this.enterResync('checksum failure')
  }

  /**
   * The feed says continuity is lost (a venue adapter's own sequence or checksum check failed, a watch
   * was restarted): resync with that reason. The levels are kept for display until the snapshot.
   */
  resync(reason: BookReason): void {
    if (reason === 'checksum failure') this.h.checksumFailures++
    else if (reason === 'sequence gap') this.h.gaps++
    this.enterResync(reason)
  }

  /** Bad data found before it reached the book (e.g. by a venue adapter's parser): count it and resync. */
  reportInvalid(what: string): void {
    this.invalid(what)
  }

  /**
   * The feed went quiet or its socket closed: the levels are the last known ones. Returns to 'live' with
   * the next applied snapshot (or diff). No-op unless live.
   */
  /**
   * The exchange's own book, read by REST while the stream was silent, matched this one: the market is
   * quiet, not the stream dead. Counts as a message (the silence clock starts again); nothing else changes.
   */
  confirmQuiet(at: number): void {
    if (this.h.status === 'live') this.h.lastMessageAt = at
  }

  markStale(reason: BookReason): void {
    if (this.h.status !== 'live') return
    this.h.status = 'stale'
    this.h.reason = reason
    this.h.silentSince = null
    this.h.staleEvents++
    this.version++
  }

  /**
   * The book's venue object is gone (replaced by a fresh one, or removed): its levels and buffered diffs
   * belong to another connection — possibly another endpoint or sandbox — so none of them is kept or shown.
   * 'resyncing' until a snapshot from the new venue arrives.
   */
  reset(reason: 'venue replaced' | 'venue removed'): void {
    this.bids.clear()
    this.asks.clear()
    this.buffer = []
    this.enterResync(reason, true)
  }

  /** The socket carrying this book closed: continuity is lost, a new snapshot is needed. */
  socketClosed(): void {
    this.enterResync('socket closed')
  }

  /**
   * Staleness check: a live book with no message for more than `thresholdMs` becomes 'stale' (and
   * `onResync` is asked to re-establish it). Returns the status after the check.
   */
  check(now: number, thresholdMs: number): BookStatus {
    if (this.h.status !== 'live') return this.h.status
    const since = this.h.lastMessageAt ?? now
    const silent = now - since
    if (silent > thresholdMs) {
      this.h.status = 'stale'
      // The time of the last message, not the silence's length: a length is only true the moment it is
      // computed, and the reason is kept (and shown, and written on waiting orders) until the book is back.
      this.h.reason = `no message since ${utcClock(since)} UTC`
      this.h.silentSince = since
      this.h.staleEvents++
      this.version++
      this.log?.warn('book stale', { venue: this.venue, symbol: this.symbol, silentMs: silent })
      this.onResync?.(this, this.h.reason)
    }
    return this.h.status
  }

  /** Top `out.depth` levels of both sides into caller-owned buffers; allocates nothing. */
  readTop(out: TopBuffers): void {
    out.bidCount = this.bids.top(out.depth, out.bidPrices, out.bidSizes)
    out.askCount = this.asks.top(out.depth, out.askPrices, out.askSizes)
  }

  /** `again`: already resyncing but the snapshot we got is unusable, so ask for another one. */
  private enterResync(reason: BookReason, again = false): void {
    if (this.h.status === 'resyncing' && !again) return
    if (this.h.status !== 'resyncing') this.buffer = []
    this.h.status = 'resyncing'
    this.h.reason = reason
    this.h.silentSince = null
    this.h.resyncs++
    this.needBridge = true
    this.version++
    this.onResync?.(this, reason)
  }

  private invalid(what: string, again = false): void {
    this.h.invalid++
    this.log?.warn('book invalid data', { venue: this.venue, symbol: this.symbol, what })
    // Whatever is in the book can no longer be trusted: nothing of it may reach the screen.
    this.bids.clear()
    this.asks.clear()
    this.enterResync(`invalid data: ${what}`, again)
  }

  private setLive(): void {
    this.h.status = 'live'
    this.h.reason = null
    this.h.silentSince = null
    this.version++
  }

  private bufferDiff(diff: DepthDiff): void {
    if (this.buffer.length >= this.maxBuffered) this.buffer.shift()
    this.buffer.push(diff)
  }

  private crossed(): boolean {
    const b = this.bids.best()
    const a = this.asks.best()
    return b >= a // NaN (an empty side) compares false
  }

  /** Parse both sides of a diff into the scratch arrays; returns a problem or null. */
  private parseLevels(bids: readonly RawLevel[], asks: readonly RawLevel[]): string | null {
    if (bids.length > this.bp.length) {
      this.bp = new Float64Array(bids.length * 2)
      this.bs = new Float64Array(bids.length * 2)
    }
    if (asks.length > this.ap.length) {
      this.ap = new Float64Array(asks.length * 2)
      this.as = new Float64Array(asks.length * 2)
    }
    return parseInto(bids, this.bp, this.bs, 'bid') ?? parseInto(asks, this.ap, this.as, 'ask')
  }

  private texts(levels: readonly RawLevel[]): [(string | undefined)[] | undefined, (string | undefined)[] | undefined] {
    if (!this.bids.keepText) return [undefined, undefined]
    return [levels.map((l) => textOf(l[0])), levels.map((l) => textOf(l[1]))]
  }
}

/** 'HH:MM:SS' of an engine time, in UTC (the engine does not know the zone the screen shows times in). */
function utcClock(at: number): string {
  return new Date(at).toISOString().slice(11, 19)
}

function textOf(v: RawNumber): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** A strict-enough number parse for venue decimals: NaN for empty, blank-led or non-numeric text. */
function num(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v !== 'string' || v.length === 0 || v.charCodeAt(0) <= 32) return NaN
  return +v
}

function parseInto(levels: readonly RawLevel[], prices: Float64Array, sizes: Float64Array, label: string): string | null {
  for (let i = 0; i < levels.length; i++) {
    const lv = levels[i]
    if (!Array.isArray(lv)) return `${label} level ${i} is not a [price, size] pair`
    const p = num(lv[0])
    const s = num(lv[1])
    // !(p > 0) also catches NaN.
    if (!(p > 0) || p === Infinity) return `${label} price ${JSON.stringify(lv[0])} is not a positive number`
    if (!(s >= 0) || s === Infinity) return `${label} size ${JSON.stringify(lv[1])} is not a number >= 0`
    prices[i] = p
    sizes[i] = s
  }
  return null
}
