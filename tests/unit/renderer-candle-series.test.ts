import { describe, expect, it } from 'vitest'
import { LOADING_SERIES, watchCandleSeries, type CandleSeries, type CandleSource } from '../../src-renderer/features/trade/candleSeries'
import type { CandleView } from '../../src-main/api/contract'

// A chart's candles across a lost connection: the minutes missed while the link was down come back with
// the history fetched again on reconnect, and live candles stay merged on top of it.

const M = 60_000
const T0 = 1_795_481_100_000 // 01:05 UTC
const candle = (minute: number, close: number, volume = 1): CandleView => ({ time: T0 + minute * M, open: 100, high: Math.max(100, close), low: Math.min(100, close), close, volume })

function harness() {
  let series: CandleSeries = LOADING_SERIES
  const answers: { resolve: (c: CandleView[]) => void; reject: (e: Error) => void }[] = []
  let push: (c: CandleView) => void = () => {}
  let reconnect: () => void = () => {}
  let frame: (() => void) | null = null
  const source: CandleSource = {
    live: (onCandle) => {
      push = onCandle
      return () => {}
    },
    history: () => new Promise((resolve, reject) => answers.push({ resolve, reject })),
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
  const stop = watchCandleSeries(source, (update) => (series = update(series)), 300)
  const drawFrame = () => {
    const f = frame
    frame = null
    f?.()
  }
  const settle = () => new Promise((r) => setTimeout(r, 0))
  const minutes = () => series.candles.map((c) => (c.time - T0) / M)
  return { answers, push: (c: CandleView) => push(c), reconnect: () => reconnect(), drawFrame, settle, minutes, series: () => series, stop }
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
