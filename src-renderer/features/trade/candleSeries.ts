import type { CandleView } from '../../../src-main/api/contract'
import { mergeLive } from './candles'

// One chart's candles: the history (market.candles) with the forming candle (market.candles.live) merged on
// top. Pure apart from the injected source, so it is tested in Node.

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
  /** Calls `reload` each time the connection comes back after a loss; returns its stop. */
  onReconnect(reload: () => void): () => void
  /** Runs `apply` in a coming drawing frame (a later call replaces an earlier one); returns a cancel. */
  schedule(apply: () => void): () => void
}

/**
 * Keeps `setSeries` up to date from `source` until the returned stop is called. The history is fetched at
 * the start and again each time the connection comes back: the minutes missed while it was down are only
 * in the engine's history, never in the live stream.
 */
export function watchCandleSeries(source: CandleSource, setSeries: (update: (s: CandleSeries) => CandleSeries) => void, keep: number): () => void {
  let closed = false
  // Live candles that arrive while a history request is out are kept and merged on top of its answer.
  let early: CandleView[] = []
  let fetching = false
  let loaded = false
  /** Bumped by each history request: an answer overtaken by a later request is dropped. */
  let run = 0
  // Live candles wait for the page's drawing clock (in order; a newer one of the same time replaces).
  let queued: CandleView[] = []
  let cancel = () => {}
  const apply = () => {
    const live = queued
    queued = []
    if (!closed && live.length > 0) setSeries((s) => ({ ...s, candles: live.reduce((all, c) => mergeLive(all, c), s.candles) }))
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
        setSeries((s) => ({ candles, error: null, loading: false, version: s.version + 1 }))
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
  load()
  const offReconnect = source.onReconnect(load)
  return () => {
    closed = true
    cancel()
    off()
    offReconnect()
  }
}
