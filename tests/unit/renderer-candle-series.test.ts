import { describe, expect, it } from 'vitest'
import { LOADING_SERIES, watchCandleSeries, type CandleSeries, type CandleSource } from '../../src-renderer/features/trade/candleSeries'
import { barsPrepended, prependOlder } from '../../src-renderer/features/trade/candles'
import type { CandleView } from '../../src-main/api/contract'

// A chart's candles across a lost connection: the minutes missed while the link was down come back with
// the history fetched again on reconnect, and live candles stay merged on top of it. Scrolled back, older
// candles are put in front.

const M = 60_000
const T0 = 1_795_481_100_000 // 01:05 UTC
const candle = (minute: number, close: number, volume = 1): CandleView => ({ time: T0 + minute * M, open: 100, high: Math.max(100, close), low: Math.min(100, close), close, volume })

function harness(keep = 300, batch = keep) {
  let series: CandleSeries = LOADING_SERIES
  const answers: { resolve: (c: CandleView[]) => void; reject: (e: Error) => void }[] = []
  let push: (c: CandleView) => void = () => {}
  let reconnect: () => void = () => {}
  let frame: (() => void) | null = null
  const olderAsks: { until: number; limit: number; resolve: (c: CandleView[]) => void; reject: (e: Error) => void }[] = []
  const source: CandleSource = {
    live: (onCandle) => {
      push = onCandle
      return () => {}
    },
    history: () => new Promise((resolve, reject) => answers.push({ resolve, reject })),
    older: (until, limit) => new Promise((resolve, reject) => olderAsks.push({ until, limit, resolve, reject })),
    onReconnect: (reload) => {
      reconnect = reload
      return () => {
        reconnect = () => {}
      }
    },
    schedule: (apply) => {
      frame = apply
      return () => {
        frame = null
      }
    },
  }
  const watch = watchCandleSeries(source, (update) => (series = update(series)), keep, batch)
  const drawFrame = () => {
    const f = frame
    frame = null
    f?.()
  }
  const settle = () => new Promise((r) => setTimeout(r, 0))
  const minutes = () => series.candles.map((c) => (c.time - T0) / M)
  // What the chart does when scrolled back near its first candle.
  const scrollBack = () => watch.older(series.candles[0]!.time, series.candles.length)
  return {
    answers,
    olderAsks,
    scrollBack,
    push: (c: CandleView) => push(c),
    reconnect: () => reconnect(),
    drawFrame,
    settle,
    minutes,
    series: () => series,
    stop: watch.stop,
  }
}

describe('candle chart after the connection comes back', () => {
  it('fetches the history again: the minutes missed during the outage are drawn', async () => {
    const h = harness()
    h.answers[0]!.resolve([candle(0, 101), candle(1, 102), candle(2, 103)])
    await h.settle()
    h.push(candle(3, 104))
    h.drawFrame()
    expect(h.minutes()).toEqual([0, 1, 2, 3])
    // the link is down for minutes 4 and 5; back during minute 6
    h.reconnect()
    expect(h.answers).toHaveLength(2)
    h.push(candle(6, 99, 2)) // a live candle while the history is on its way: kept on top of it
    h.drawFrame()
    h.answers[1]!.resolve([candle(0, 101), candle(1, 102), candle(2, 103), candle(3, 105), candle(4, 106), candle(5, 107), candle(6, 98, 1)])
    await h.settle()
    expect(h.minutes()).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(h.series().candles[3]!.close).toBe(105) // minute 3 as the engine finished it
    expect(h.series().candles[6]).toEqual(candle(6, 99, 2))
    expect(h.series().error).toBeNull()
    h.stop()
  })

  it('a reload that fails keeps the candles shown and says why', async () => {
    const h = harness()
    h.answers[0]!.resolve([candle(0, 101)])
    await h.settle()
    h.reconnect()
    h.answers[1]!.reject(new Error('The engine is not reachable.'))
    await h.settle()
    expect(h.minutes()).toEqual([0])
    expect(h.series().error).toBe('The engine is not reachable.')
    h.push(candle(1, 102))
    h.drawFrame()
    expect(h.minutes()).toEqual([0, 1])
    h.stop()
  })

  it('an answer overtaken by a later reconnect is not drawn over the newer one', async () => {
    const h = harness()
    h.answers[0]!.resolve([candle(0, 101)])
    await h.settle()
    h.reconnect()
    h.reconnect()
    h.answers[2]!.resolve([candle(0, 101), candle(1, 102), candle(2, 103)])
    await h.settle()
    h.answers[1]!.resolve([candle(0, 101), candle(1, 102)])
    await h.settle()
    expect(h.minutes()).toEqual([0, 1, 2])
    h.stop()
  })

  it('stops listening for reconnects when the chart closes', async () => {
    const h = harness()
    h.answers[0]!.resolve([candle(0, 101)])
    await h.settle()
    h.stop()
    h.reconnect()
    expect(h.answers).toHaveLength(1)
  })
})

describe('candle chart scrolled back', () => {
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => candle(from + i, 100 + from + i))

  it('puts older candles in front, one request at a time, until the venue has none', async () => {
    const h = harness(12, 4)
    h.answers[0]!.resolve(range(10, 14))
    await h.settle()
    expect(h.scrollBack()).toBe(true)
    expect(h.olderAsks.map((a) => [(a.until - T0) / M, a.limit])).toEqual([[10, 4]])
    // The range keeps changing while the answer is out: no second request.
    expect(h.scrollBack()).toBe(false)
    expect(h.olderAsks).toHaveLength(1)
    // The venue's answer may overlap the chart's first candle: that one stays as the chart has it.
    h.olderAsks[0]!.resolve([...range(6, 9), candle(10, 999)])
    await h.settle()
    expect(h.minutes()).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14])
    expect(h.series().candles[4]!.close).toBe(110)
    // Live candles still go on top.
    h.push(candle(15, 120))
    h.drawFrame()
    expect(h.minutes().at(-1)).toBe(15)
    // Only what fits under the cap (12) is asked for; an empty answer ends the scroll-back quietly.
    expect(h.scrollBack()).toBe(true)
    expect(h.olderAsks[1]!.limit).toBe(2)
    h.olderAsks[1]!.resolve([])
    await h.settle()
    expect(h.scrollBack()).toBe(false)
    expect(h.minutes()).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    expect(h.series().error).toBeNull()
    // A reloaded history (reconnect) that joins the candles shown keeps the older ones, and asking starts again.
    h.reconnect()
    h.answers[1]!.resolve(range(12, 16))
    await h.settle()
    expect(h.minutes()).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
    expect(h.scrollBack()).toBe(true)
    h.stop()
  })

  it('asks nothing when the chart is full', async () => {
    const h = harness(5, 4)
    h.answers[0]!.resolve(range(10, 14))
    await h.settle()
    expect(h.scrollBack()).toBe(false)
    expect(h.olderAsks).toHaveLength(0)
  })

  it('drops an answer that comes after the market or timeframe changed, or after the history was reloaded', async () => {
    const switched = harness()
    switched.answers[0]!.resolve(range(10, 14))
    await switched.settle()
    switched.scrollBack()
    switched.stop() // the panel closes the watch when its market or timeframe changes
    switched.olderAsks[0]!.resolve(range(5, 9))
    await switched.settle()
    expect(switched.minutes()).toEqual([10, 11, 12, 13, 14])

    const reloaded = harness()
    reloaded.answers[0]!.resolve(range(10, 14))
    await reloaded.settle()
    reloaded.scrollBack()
    reloaded.reconnect()
    reloaded.answers[1]!.resolve(range(40, 44)) // back after a long outage: no link to the old candles
    await reloaded.settle()
    reloaded.olderAsks[0]!.resolve(range(5, 9))
    await reloaded.settle()
    expect(reloaded.minutes()).toEqual([40, 41, 42, 43, 44])
    reloaded.stop()
  })

  it('a failed request keeps the chart, says why and does not retry on every scroll', async () => {
    const h = harness()
    h.answers[0]!.resolve(range(10, 14))
    await h.settle()
    h.scrollBack()
    h.olderAsks[0]!.reject(new Error('The venue is not reachable.'))
    await h.settle()
    expect(h.minutes()).toEqual([10, 11, 12, 13, 14])
    expect(h.series().error).toBe('Could not load older candles: The venue is not reachable.')
    expect(h.scrollBack()).toBe(false)
    h.stop()
  })

  it('merges by time and counts the bars put in front (the view moves by as many)', () => {
    const shown = range(10, 12)
    const merged = prependOlder(shown, [candle(9, 1), candle(7, 1), candle(9, 2), candle(12, 5), candle(8, 1)], 100)
    expect(merged.map((c) => (c.time - T0) / M)).toEqual([7, 8, 9, 10, 11, 12])
    expect(merged[2]!.close).toBe(2)
    expect(merged.slice(3)).toEqual(shown)
    // Capped: the newest of the older ones that fit.
    expect(prependOlder(shown, range(0, 9), 5).map((c) => (c.time - T0) / M)).toEqual([8, 9, 10, 11, 12])
    expect(prependOlder(shown, range(0, 9), 3)).toBe(shown)
    expect(barsPrepended(merged, T0 + 10 * M)).toBe(3)
    expect(barsPrepended(merged, T0 + 99 * M)).toBe(0)
    expect(barsPrepended(merged, undefined)).toBe(0)
  })
})
