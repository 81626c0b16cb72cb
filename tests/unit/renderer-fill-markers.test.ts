import { describe, expect, it } from 'vitest'
import { fillMarkers, MAX_FILL_MARKERS } from '../../src-renderer/features/trade/fillMarkers'
import { fill } from '../support/order-views'

// The candle chart's fill arrows: which of the engine's fills are drawn on a market, in which candle, at
// what price and with what label.

const MIN = 60_000
const T0 = Date.UTC(2026, 10, 22, 12, 0)
const candles = [T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]

describe('fillMarkers', () => {
  it('each fill in the candle holding its time, at its price; buys and sells; oldest first; only this venue and market', () => {
    const markers = fillMarkers(
      [
        fill('t3', T0 + 3 * MIN + 59_999, 'sim', { side: 'sell', price: '95100.5', amount: '0.0200' }),
        fill('t1', T0 + 30_000, 'sim', { price: '94990' }),
        fill('t2', T0 + 2 * MIN, 'sim', { price: '95010', amount: '0.5' }),
        fill('eth', T0 + 30_000, 'sim', { symbol: 'ETH/USDT' }),
        fill('other', T0 + 30_000, 'binance-main'),
      ],
      'sim',
      'BTC/USDT',
      candles,
    )
    expect(markers).toEqual([
      { id: 't1', candleTime: T0, price: 94990, side: 'buy', text: 'B 0.001' },
      { id: 't2', candleTime: T0 + 2 * MIN, price: 95010, side: 'buy', text: 'B 0.5' },
      { id: 't3', candleTime: T0 + 3 * MIN, price: 95100.5, side: 'sell', text: 'S 0.02' },
    ])
  })

  it('a fill older than the first candle held is left out; a fill after the forming candle opened is in it', () => {
    const markers = fillMarkers([fill('old', T0 - 1), fill('new', T0 + 10 * MIN)], 'sim', 'BTC/USDT', candles)
    expect(markers.map((m) => [m.id, m.candleTime])).toEqual([['new', T0 + 3 * MIN]])
    expect(fillMarkers([fill('x', T0)], 'sim', 'BTC/USDT', [])).toEqual([])
  })

  it(`keeps the newest ${MAX_FILL_MARKERS}`, () => {
    const many = Array.from({ length: MAX_FILL_MARKERS + 50 }, (_, i) => fill(`t${String(i).padStart(4, '0')}`, T0 + i))
    const markers = fillMarkers(many, 'sim', 'BTC/USDT', candles)
    expect(markers).toHaveLength(MAX_FILL_MARKERS)
    expect(markers[0]!.id).toBe('t0050')
    expect(markers.at(-1)!.id).toBe(`t${String(MAX_FILL_MARKERS + 49).padStart(4, '0')}`)
  })
})
