import { describe, expect, it } from 'vitest'
import { depthGeometry } from '../../src-renderer/features/trade/depth'
import { candleRange, mergeLive, niceTicks } from '../../src-renderer/features/trade/candles'
import { compact, nextSort, sortByColumn, sortMarkets } from '../../src-renderer/features/trade/watchlist'
import type { CandleView, MarketView } from '../../src-main/api/contract'

describe('depthGeometry', () => {
  const bids = [
    [99, 1],
    [98, 2],
  ] as const
  const asks = [
    [101, 1],
    [103, 1],
  ] as const

  it('centres the mid and spans the deeper side symmetrically', () => {
    const g = depthGeometry(bids, asks, 200, 100)!
    // mid 100; farthest level 103 → half-range 3 → 97..103.
    expect(g.minPrice).toBe(97)
    expect(g.maxPrice).toBe(103)
    expect(g.midX).toBe(100)
    expect(g.maxCum).toBe(3)
  })

  it('draws bids as a step line rising leftwards to the left edge, asks rightwards to the right edge', () => {
    const g = depthGeometry(bids, asks, 200, 100)!
    const x = (p: number) => ((p - 97) / 6) * 200
    const near = (points: readonly (readonly [number, number])[], want: [number, number][]) => {
      expect(points).toHaveLength(want.length)
      points.forEach(([px, py], i) => {
        expect(px).toBeCloseTo(want[i]![0], 9)
        expect(py).toBeCloseTo(want[i]![1], 9)
      })
    }
    near(g.bids, [
      [x(99), 100],
      [x(99), 100 - 100 / 3],
      [x(98), 100 - 100 / 3],
      [x(98), 0],
      [0, 0],
    ])
    near(g.asks, [
      [x(101), 100],
      [x(101), 100 - 100 / 3],
      [x(103), 100 - 100 / 3],
      [x(103), 100 - 200 / 3],
      [200, 100 - 200 / 3],
    ])
    // Cumulative heights only grow away from the mid.
    const ys = g.bids.map(([, y]) => y)
    expect([...ys].sort((a, b) => b - a)).toEqual(ys)
  })

  it('is not squeezed by a small order far out: the range shows the bulk of each side, the scale what is shown', () => {
    // A 0.01 bid at 70 (30 % away) is 0.3 % of the bids: the range stays 97..103 and it runs off the left edge.
    const g = depthGeometry([...bids, [70, 0.01]], asks, 200, 100)!
    expect(g.minPrice).toBe(97)
    expect(g.maxPrice).toBe(103)
    expect(g.maxCum).toBe(3)
    expect(g.bids.some(([x]) => x < 0)).toBe(true)
    // A wall larger than the rest is the bulk: the range reaches it.
    const wall = depthGeometry([...bids, [90, 5]], asks, 200, 100)!
    expect(wall.minPrice).toBe(90)
    expect(wall.maxPrice).toBe(110)
    expect(wall.maxCum).toBe(8)
  })

  it('copes with one empty side and refuses an empty box or book', () => {
    const g = depthGeometry(bids, [], 100, 50)!
    expect(g.asks).toEqual([])
    expect(g.bids.length).toBeGreaterThan(0)
    expect(depthGeometry([], [], 100, 50)).toBeNull()
    expect(depthGeometry(bids, asks, 0, 50)).toBeNull()
  })
})

describe('candles', () => {
  const c = (time: number, close: number, volume = 1): CandleView => ({ time, open: close, high: close + 1, low: close - 1, close, volume })

  it('replaces the forming candle or appends the next one; ignores older ones', () => {
    const history = [c(0, 10), c(60_000, 11)]
    expect(mergeLive(history, c(60_000, 12)).map((k) => k.close)).toEqual([10, 12])
    expect(mergeLive(history, c(120_000, 13)).map((k) => k.time)).toEqual([0, 60_000, 120_000])
    expect(mergeLive(history, c(0, 99))).toBe(history)
    expect(mergeLive([], c(0, 1))).toHaveLength(1)
    expect(mergeLive(history, c(120_000, 1), 2).map((k) => k.time)).toEqual([60_000, 120_000])
  })

  it('pads the price range and finds the largest volume', () => {
    const r = candleRange([c(0, 10, 5), c(1, 20, 7)])!
    expect(r.maxVolume).toBe(7)
    // Lows to highs is 9..21; 5 % of 12 each way.
    expect(r.lo).toBeCloseTo(8.4)
    expect(r.hi).toBeCloseTo(21.6)
    expect(candleRange([])).toBeNull()
  })

  it('picks nice axis values', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10])
    expect(niceTicks(64_013, 64_187, 4)).toEqual([64_050, 64_100, 64_150])
    expect(niceTicks(0.0512, 0.0538, 3)).toEqual([0.052, 0.053])
    expect(niceTicks(5, 5)).toEqual([5])
  })
})

describe('watchlist sorting', () => {
  const m = (symbol: string, last: string | null, change: string | null, volume: string | null): MarketView => ({
    venueId: 'sim',
    venueLabel: 'Sim',
    symbol,
    base: symbol.split('/')[0]!,
    quote: symbol.split('/')[1]!,
    last,
    changePct24h: change,
    volume24h: volume,
    tickSize: '0.01',
    stepSize: '0.0001',
    minNotional: '5',
  })
  const rows = [m('ETH/USDT', '3000', '-1.5', '900'), m('BTC/USDT', '64000', '2.25', '120'), m('SOL/USDT', null, null, null)]

  it('sorts by column with unknown figures last, and cycles with s', () => {
    expect(sortMarkets(rows, { key: 'symbol', dir: 'asc' }).map((r) => r.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT'])
    expect(sortMarkets(rows, { key: 'change', dir: 'desc' }).map((r) => r.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT'])
    expect(sortMarkets(rows, { key: 'change', dir: 'asc' }).map((r) => r.symbol)).toEqual(['ETH/USDT', 'BTC/USDT', 'SOL/USDT'])
    expect(sortMarkets(rows, { key: 'volume', dir: 'desc' }).map((r) => r.symbol)).toEqual(['ETH/USDT', 'BTC/USDT', 'SOL/USDT'])
    expect(sortMarkets(rows, { key: 'last', dir: 'desc' })[0]!.symbol).toBe('BTC/USDT')
    expect(nextSort({ key: 'symbol', dir: 'asc' })).toEqual({ key: 'change', dir: 'desc' })
    expect(nextSort({ key: 'last', dir: 'desc' })).toEqual({ key: 'symbol', dir: 'asc' })
    expect(sortByColumn({ key: 'change', dir: 'desc' }, 'change')).toEqual({ key: 'change', dir: 'asc' })
    expect(sortByColumn({ key: 'change', dir: 'desc' }, 'symbol')).toEqual({ key: 'symbol', dir: 'asc' })
  })

  it('compacts volumes for a narrow column', () => {
    expect(compact(0.5)).toBe('0.5000')
    expect(compact(12.345)).toBe('12.35')
    expect(compact(1234)).toBe('1234')
    expect(compact(12_345)).toBe('12.3K')
    expect(compact(4_560_000)).toBe('4.56M')
  })
})
