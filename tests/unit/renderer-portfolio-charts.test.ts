import { describe, expect, it } from 'vitest'
import { donutArcs, equitySeries, ringPath } from '../../src-renderer/features/portfolio/portfolioModel'

describe('equity series', () => {
  const p = (time: number, value: number, netDeposits = 0) => ({ time, value, netDeposits, deposited: Math.max(netDeposits, 0) })

  it('sorts the points, in UTC seconds, one per second (the later one wins)', () => {
    const { value, deposits } = equitySeries([p(3_000, 30, 5), p(1_000, 10), p(1_500, 15, 2)])
    expect(value).toEqual([
      { time: 1, value: 15 },
      { time: 3, value: 30 },
    ])
    expect(deposits).toEqual([
      { time: 1, value: 2 },
      { time: 3, value: 5 },
    ])
  })

  it('ends at the live total when it is newer than the last point, and never goes back in time', () => {
    expect(equitySeries([p(1_000, 10)], { at: 61_000, value: '12.345' }).value.at(-1)).toEqual({ time: 61, value: 12.345 })
    expect(equitySeries([p(61_000, 10)], { at: 61_400, value: '99' }).value).toEqual([{ time: 61, value: 10 }])
    expect(equitySeries([], { at: 5_000, value: '7' }).value).toEqual([{ time: 5, value: 7 }])
    expect(equitySeries([], { at: 5_000, value: 'n/a' }).value).toEqual([])
  })
})

describe('allocation donut', () => {
  it('draws each slice in the engine order with its share of the ring, labels kept as sent', () => {
    const arcs = donutArcs([
      { asset: 'BTC', value: '7500.00', share: '75.00' },
      { asset: 'USDT', value: '2500', share: '25.00' },
    ])
    expect(arcs.map((a) => [a.asset, a.share, a.slot])).toEqual([
      ['BTC', '75.00', 0],
      ['USDT', '25.00', 1],
    ])
    // BTC: from 12 o'clock, clockwise, past half the ring (large arc) to 9 o'clock.
    expect(arcs[0]!.path).toMatch(/^M 60\.000 0\.000 A 60 60 0 1 1 0\.000 60\.000 L 22\.000 60\.000 A 38 38 0 1 0 60\.000 22\.000 Z$/)
    expect(arcs[1]!.path).toContain('A 60 60 0 0 1 60.000 0.000')
  })

  it('skips zero or negative shares and draws a lone asset as a whole ring', () => {
    const arcs = donutArcs([
      { asset: 'BTC', value: '1', share: '100.00' },
      { asset: 'DUST', value: '0', share: '0.00' },
      { asset: 'NEG', value: '-1', share: '-1' },
    ])
    expect(arcs[1]!.path).toBe('')
    expect(arcs[2]!.path).toBe('')
    expect(arcs[0]!.path.match(/M /g)).toHaveLength(2)
  })

  it('scales shares that add up to a bit over 100 (rounding) to fit the ring', () => {
    const arcs = donutArcs([
      { asset: 'A', value: '1', share: '50.01' },
      { asset: 'B', value: '1', share: '50.01' },
    ])
    // The second slice ends exactly where the first began.
    expect(arcs[1]!.path).toMatch(/A 60 60 0 0 1 60\.000 0\.000 /)
  })

  it('has no path for an empty span', () => {
    expect(ringPath(0.3, 0.3, 60, 38)).toBe('')
  })
})
