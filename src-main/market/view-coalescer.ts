// Coalesces book updates into frames for the screen (house rule 8): each view gets at most `maxPerSecond`
// frames (60 by default), each frame carries only the view's top N levels, and a frame is sent only when
// those N levels (or the book's health) changed since the last one sent. Books call `notify(market)` on
// every applied update; the coalescer reads the source's top N into reused buffers, compares with what
// the view last received and sends the difference-worthy frames only. Clock and timers are injected so
// tests are deterministic. When the first view of a market opens `onStart` runs; when the last one
// closes `onStop` runs (so the watch loop can stop).
import type { Logger } from '../log'
import { TopBuffers } from './book-side'
import type { BookReason, BookStatus } from './order-book'

/** Anything that can fill top-N buffers: an OrderBook, an AggregatedBook source, a test double. */
export interface TopSource {
  readTop(out: TopBuffers): void
  readonly health?: { readonly status: BookStatus; readonly reason: BookReason | null }
}

export interface CoalescerClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: CoalescerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/** What the screen receives. Plain numbers: this is the streaming path (rule 7). */
export interface BookFrame {
  market: string
  bids: [price: number, size: number][]
  asks: [price: number, size: number][]
  status: BookStatus
  reason: BookReason | null
  /** Fewer (grouped) levels than asked could be built whole: the venue's book ends inside them. */
  truncated: boolean
  /** Per-view frame counter, from 1. */
  seq: number
  at: number
}

export interface ViewCoalescerOptions {
  /** Market id → where its top levels come from. */
  source: (market: string) => TopSource | undefined
  maxPerSecond?: number
  clock?: CoalescerClock
  onStart?: (market: string) => void
  onStop?: (market: string) => void
  log?: Logger
}

interface View {
  market: string
  send: (frame: BookFrame) => void
  scratch: TopBuffers
  last: TopBuffers
  lastStatus: BookStatus | null
  lastReason: BookReason | null
  lastSentAt: number
  timer: unknown
  seq: number
  closed: boolean
  /** Send the next frame even if the levels and health are the same (something else in it changed). */
  forced: boolean
}

export class ViewCoalescer {
  private readonly views = new Map<string, Set<View>>()
  private readonly clock: CoalescerClock
  private readonly intervalMs: number
  private readonly opts: ViewCoalescerOptions

  constructor(options: ViewCoalescerOptions) {
    this.opts = options
    this.clock = options.clock ?? systemClock
    const hz = options.maxPerSecond ?? 60
    if (!(hz > 0)) throw new Error(`maxPerSecond must be > 0, got ${hz}`)
    // Whole milliseconds, rounded up: 60/s → 17 ms apart (58.8/s), so no 1-second window can ever hold
    // more than `maxPerSecond` frames, whatever the float error of 1000 / 60.
    this.intervalMs = Math.ceil(1000 / hz)
  }

  /** Open a view of `market` showing `depth` levels a side; returns its close function. */
  subscribe(market: string, depth: number, send: (frame: BookFrame) => void): () => void {
    let set = this.views.get(market)
    const first = set === undefined
    if (set === undefined) {
      set = new Set()
      this.views.set(market, set)
    }
    const view: View = {
      market,
      send,
      scratch: new TopBuffers(depth),
      last: new TopBuffers(depth),
      lastStatus: null,
      lastReason: null,
      lastSentAt: -Infinity,
      timer: null,
      seq: 0,
      closed: false,
      forced: false,
    }
    set.add(view)
    if (first) this.opts.onStart?.(market)
    // The new view gets the current book straight away (if there is one).
    this.schedule(view)
    return () => this.close(view)
  }

  /** The market's book changed. */
  notify(market: string): void {
    const set = this.views.get(market)
    if (set === undefined) return
    for (const view of set) this.schedule(view)
  }

  /**
   * Something a frame carries besides the levels and health changed (the market's tick became known):
   * every view of the market gets a new frame, within its rate.
   */
  refresh(market: string): void {
    const set = this.views.get(market)
    if (set === undefined) return
    for (const view of set) {
      view.forced = true
      this.schedule(view)
    }
  }

  /** Open views of a market. */
  viewCount(market: string): number {
    return this.views.get(market)?.size ?? 0
  }

  private schedule(view: View): void {
    if (view.timer !== null) return // a flush is already due; it will read the latest state
    const wait = view.lastSentAt + this.intervalMs - this.clock.now()
    if (wait <= 0) {
      this.flush(view)
      return
    }
    view.timer = this.clock.setTimeout(() => {
      view.timer = null
      if (!view.closed) this.flush(view)
    }, wait)
  }

  private flush(view: View): void {
    const source = this.opts.source(view.market)
    if (source === undefined) return
    source.readTop(view.scratch)
    const status = source.health?.status ?? 'live'
    const reason = source.health?.reason ?? null
    if (!view.forced && view.lastStatus !== null && status === view.lastStatus && reason === view.lastReason && view.scratch.equals(view.last)) {
      return // nothing the view shows has changed
    }
    view.forced = false
    view.last.copyFrom(view.scratch)
    view.lastStatus = status
    view.lastReason = reason
    const now = this.clock.now()
    view.lastSentAt = now
    const s = view.scratch
    const bids: [number, number][] = new Array(s.bidCount)
    for (let i = 0; i < s.bidCount; i++) bids[i] = [s.bidPrices[i] as number, s.bidSizes[i] as number]
    const asks: [number, number][] = new Array(s.askCount)
    for (let i = 0; i < s.askCount; i++) asks[i] = [s.askPrices[i] as number, s.askSizes[i] as number]
    const frame: BookFrame = { market: view.market, bids, asks, status, reason, truncated: s.truncated, seq: ++view.seq, at: now }
    try {
      view.send(frame)
    } catch (err) {
      this.opts.log?.error('book view send failed', { market: view.market, error: err instanceof Error ? err.message : String(err) })
    }
  }

  private close(view: View): void {
    if (view.closed) return
    view.closed = true
    if (view.timer !== null) {
      this.clock.clearTimeout(view.timer)
      view.timer = null
    }
    const set = this.views.get(view.market)
    if (set === undefined) return
    set.delete(view)
    if (set.size === 0) {
      this.views.delete(view.market)
      this.opts.onStop?.(view.market)
    }
  }
}
