import type { CandleView } from '../../../src-main/api/contract'
import { mergeLive, prependOlder } from './candles'

// One chart's candles: the history (market.candles) with the forming candle (market.candles.live) merged on
// top, and older candles put in front when the user scrolls back. Pure apart from the injected source, so it
// is tested in Node.

export interface CandleSeries {
  candles: CandleView[]
  error: string | null
  loading: boolean
  /** Bumped each time the history is (re)loaded: the chart redraws the whole series, not just its last bar. */
  version: number
}
export const LOADING_SERIES: CandleSeries = { candles: [], error: null, loading: true, version: 0 }

export interface CandleSource {
  /** market.candles.live for the chart's market and timeframe; returns its stop. */
  live(onCandle: (candle: CandleView) => void, onError: (message: string) => void): () => void
  /** market.candles: the latest candles, oldest first. */
  history(): Promise<CandleView[]>
  /** market.candles with `until`: at most `limit` candles opened before `until`, oldest first. */
  older(until: number, limit: number): Promise<CandleView[]>
  /** Calls `reload` each time the connection comes back after a loss; returns its stop. */
  onReconnect(reload: () => void): () => void
  /** Runs `apply` in a coming drawing frame (a later call replaces an earlier one); returns a cancel. */
  schedule(apply: () => void): () => void
}

export interface CandleWatch {
  stop(): void
  /**
   * Asks for up to `batch` candles before `first` (the chart's first candle; it holds `count`) and puts them
   * in front. One request at a time; none once the venue had no older ones or the chart holds `keep`, until
   * the history is loaded again. Returns whether it asked.
   */
  older(first: number, count: number): boolean
}

/**
 * Keeps `setSeries` up to date from `source` until `stop` is called, at most `keep` candles. The history is
 * fetched at the start and again each time the connection comes back: the minutes missed while it was down
 * are only in the engine's history, never in the live stream.
 */
export function watchCandleSeries(
  source: CandleSource,
  setSeries: (update: (s: CandleSeries) => CandleSeries) => void,
  keep: number,
  batch = keep,
): CandleWatch {
  let closed = false
  // Live candles that arrive while a history request is out are kept and merged on top of its answer.
  let early: CandleView[] = []
  let fetching = false
  let loaded = false
  /** Bumped by each history request: an answer overtaken by a later request is dropped (older ones too). */
  let run = 0
  let olderOut = false
  /** The venue had nothing before the first candle (or failed): no more asking until the next history. */
  let olderDone = false
  // Live candles wait for the page's drawing clock (in order; a newer one of the same time replaces).
  let queued: CandleView[] = []
  let cancel = () => {}
  const apply = () => {
    const live = queued
    queued = []
    if (!closed && live.length > 0) setSeries((s) => ({ ...s, candles: live.reduce((all, c) => mergeLive(all, c, keep), s.candles) }))
  }
  const off = source.live(
    (candle) => {
      if (closed) return
      if (fetching) early.push(candle)
      // Before the first history there is nothing to draw on; during a reload the chart keeps moving.
      if (loaded) {
        queued = mergeLive(queued, candle, keep)
        cancel = source.schedule(apply)
      }
    },
    (message) => !closed && setSeries((s) => ({ ...s, error: message })),
  )
  const load = () => {
    const mine = ++run
    fetching = true
    olderDone = false
    early = []
    source.history().then(
      (history) => {
        if (closed || mine !== run) return
        fetching = false
        loaded = true
        let candles = history
        for (const c of early) candles = mergeLive(candles, c)
        early = []
        // Anything still waiting for a frame is in the history or in `early`.
        queued = []
        cancel()
        // Older candles the user scrolled back to stay when the new history joins them (no gap between).
        setSeries((s) => {
          const last = s.candles.at(-1)
          const joined = last !== undefined && candles.length > 0 && (candles[0] as CandleView).time <= last.time
          return { candles: joined ? prependOlder(candles, s.candles, keep) : candles, error: null, loading: false, version: s.version + 1 }
        })
      },
      (err: unknown) => {
        if (closed || mine !== run) return
        fetching = false
        loaded = true
        early = []
        setSeries((s) => ({ ...s, loading: false, error: err instanceof Error ? err.message : String(err) }))
      },
    )
  }
  const older = (first: number, count: number): boolean => {
    if (closed || !loaded || fetching || olderOut || olderDone || count >= keep) return false
    const mine = run
    olderOut = true
    source.older(first, Math.min(batch, keep - count)).then(
      (candles) => {
        olderOut = false
        // A switch of market or timeframe (closed) or a reloaded history (run) makes the answer stale.
        if (closed || mine !== run) return
        if (!candles.some((c) => c.time < first)) {
          olderDone = true
          return
        }
        setSeries((s) => ({ ...s, candles: prependOlder(s.candles, candles, keep) }))
      },
      (err: unknown) => {
        olderOut = false
        if (closed || mine !== run) return
        olderDone = true
        setSeries((s) => ({ ...s, error: `Could not load older candles: ${err instanceof Error ? err.message : String(err)}` }))
      },
    )
    return true
  }
  load()
  const offReconnect = source.onReconnect(load)
  return {
    stop: () => {
      closed = true
      cancel()
      off()
      offReconnect()
    },
    older,
  }
}
