// One drawing clock for the Trade page's stream views. Every view (ladder, depth chart, tape, aggregated book,
// candles, ticker) hands its latest update to the clock instead of setting state as frames arrive; the clock
// applies all pending updates together in one animation frame, so React renders them in one pass and the page
// paints one frame for all of them, rather than one frame per view and per message. The pacing spaces the
// applied frames: a fixed gap (0: every animation frame), or adaptive — at screen rate while drawing is cheap,
// and, on a machine where a frame costs more (software rendering, a slow CPU), spaced so that drawing takes
// at most its share of the main thread, up to a longest gap; the market data arriving meanwhile is not kept
// waiting behind the drawing. While it waits, the clock waits on a timer, not on animation frames, so the
// page is not asked to draw frames that change nothing. Pure apart from the injected scheduler, so it is
// tested in Node.

export interface FrameScheduler {
  /** Next animation frame. */
  frame(callback: () => void): unknown
  cancelFrame(handle: unknown): void
  /** A plain timer. */
  delay(callback: () => void, ms: number): unknown
  cancelDelay(handle: unknown): void
  now(): number
  /**
   * Runs `callback` once the current frame's rendering (style, layout, paint) is done: how long a drawn
   * frame held the main thread. Needed for adaptive pacing only.
   */
  afterFrame?(callback: () => void): void
}

/** Adaptive pacing: a frame that held the main thread c ms is followed by a gap of c ÷ share, at most maxGapMs. */
export interface DrawPacing {
  share: number
  maxGapMs: number
}

/** How fast the measured frame cost follows a change (exponential average). */
const COST_WEIGHT = 0.25

export interface FrameClock {
  /**
   * Runs `apply` in a coming drawing frame. A later call with the same `owner` before then replaces the
   * earlier one (only the latest state of a view matters). Returns a cancel function.
   */
  schedule(owner: object, apply: () => void): () => void
  /** The spacing between applied frames now (ms; adaptive pacing changes it). */
  readonly gapMs: number
}

export function createFrameClock(scheduler: FrameScheduler, pacing: number | DrawPacing = 0): FrameClock {
  const pending = new Map<object, () => void>()
  let frame: unknown = null
  let timer: unknown = null
  let lastAt = -Infinity
  let minGapMs = typeof pacing === 'number' ? pacing : 0
  const adaptive = typeof pacing === 'number' || scheduler.afterFrame === undefined ? null : pacing
  let cost = -1 // ms, exponential average; -1 before the first measured frame
  const measured = (startedAt: number) => () => {
    if (adaptive === null) return
    const c = scheduler.now() - startedAt
    cost = cost < 0 ? c : cost + COST_WEIGHT * (c - cost)
    minGapMs = Math.min(adaptive.maxGapMs, cost / adaptive.share)
  }
  const tick = () => {
    frame = null
    if (pending.size === 0) return
    lastAt = scheduler.now()
    const jobs = [...pending.values()]
    pending.clear()
    for (const job of jobs) job()
    if (adaptive !== null) scheduler.afterFrame?.(measured(lastAt))
  }
  const arm = () => {
    if (frame !== null || timer !== null) return
    // 1 ms slack for timer jitter.
    const wait = lastAt + minGapMs - scheduler.now()
    if (wait > 1) {
      timer = scheduler.delay(() => {
        timer = null
        if (pending.size > 0) frame = scheduler.frame(tick)
      }, wait)
    } else frame = scheduler.frame(tick)
  }
  return {
    get gapMs() {
      return minGapMs
    },
    schedule(owner, apply) {
      pending.set(owner, apply)
      arm()
      return () => {
        if (pending.get(owner) !== apply) return
        pending.delete(owner)
        if (pending.size > 0) return
        if (frame !== null) scheduler.cancelFrame(frame)
        if (timer !== null) scheduler.cancelDelay(timer)
        frame = timer = null
      }
    },
  }
}
