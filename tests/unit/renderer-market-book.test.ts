import { describe, expect, it } from 'vitest'
import {
  buildLadder,
  changedPrices,
  changeTimes,
  FLASH_MS,
  FLASH_STEPS,
  flashStep,
  formatFixed,
  groupParam,
  nextGroup,
  priceDecimals,
  scaleStep,
  type Level,
} from '../../src-renderer/features/trade/book'

describe('grouping steps', () => {
  it('scales a tick by powers of ten exactly, on the digit string', () => {
    expect(scaleStep('0.01', 0)).toBe('0.01')
    expect(scaleStep('0.01', 1)).toBe('0.1')
    expect(scaleStep('0.01', 2)).toBe('1')
    expect(scaleStep('0.01', 3)).toBe('10')
    expect(scaleStep('0.00001', 3)).toBe('0.01')
    expect(scaleStep('0.5', 3)).toBe('500')
    expect(scaleStep('1', 2)).toBe('100')
    expect(scaleStep('0.1', 1)).toBe('1')
  })

  it('asks the stream for no grouping at 1× and tick × multiple otherwise', () => {
    expect(groupParam('0.01', 1)).toBeUndefined()
    expect(groupParam('0.01', 10)).toBe('0.1')
    expect(groupParam('0.01', 100)).toBe('1')
    expect(groupParam('0.01', 1000)).toBe('10')
    expect(groupParam('0.00001', 1000)).toBe('0.01')
  })

  it('cycles 1× → 10× → 100× → 1000× → 1×', () => {
    expect([nextGroup(1), nextGroup(10), nextGroup(100), nextGroup(1000)]).toEqual([10, 100, 1000, 1])
  })

  it('shows prices with the decimals of the grouping step in effect, else of the tick', () => {
    expect(priceDecimals('0.01', null)).toBe(2)
    expect(priceDecimals('0.01', '0.1')).toBe(1)
    expect(priceDecimals('0.01', '10')).toBe(0)
    expect(priceDecimals('0.00001', undefined)).toBe(5)
  })

  it('with the tick not known yet, shows prices with the decimals they have, never rounded to whole units', () => {
    const levels = [
      [100.03, 1],
      [100.5, 2],
    ] as const
    expect(priceDecimals(null, null, levels)).toBe(2)
    expect(priceDecimals(null, null, [[0.00001234, 1]])).toBe(8)
    expect(priceDecimals(null, null, [])).toBe(0)
    expect(priceDecimals(null, '0.5', levels)).toBe(1)
  })

  it('formats numbers at fixed decimals with thousands separators', () => {
    expect(formatFixed(64123.5, 2)).toBe('64,123.50')
    expect(formatFixed(64120, 0)).toBe('64,120')
    expect(formatFixed(0.000123, 5)).toBe('0.00012')
    expect(formatFixed(-1234.5, 1)).toBe('-1,234.5')
    expect(formatFixed(Number.NaN, 2)).toBe('—')
  })
})

describe('buildLadder', () => {
  const bids: Level[] = [
    [100, 1],
    [99, 2],
    [98, 3],
  ]
  const asks: Level[] = [
    [101, 0.5],
    [102, 0.5],
  ]

  it('sums sizes from the best level outwards on each side', () => {
    const ladder = buildLadder(bids, asks)
    expect(ladder.bids.map((r) => r.cum)).toEqual([1, 3, 6])
    expect(ladder.asks.map((r) => r.cum)).toEqual([0.5, 1])
    expect(ladder.maxCum).toBe(6)
  })

  it('puts both sides on one bar scale: the deeper side total is 1', () => {
    const ladder = buildLadder(bids, asks)
    expect(ladder.bids.map((r) => r.ratio)).toEqual([1 / 6, 3 / 6, 1])
    expect(ladder.asks.map((r) => r.ratio)).toEqual([0.5 / 6, 1 / 6])
  })

  it('limits rows per side and handles an empty book', () => {
    expect(buildLadder(bids, asks, 2).bids).toHaveLength(2)
    expect(buildLadder(bids, asks, 2).maxCum).toBe(3)
    const empty = buildLadder([], [])
    expect(empty).toEqual({ bids: [], asks: [], maxCum: 0 })
  })
})

describe('changedPrices', () => {
  it('marks levels whose size changed and new levels, not unchanged ones', () => {
    const before: Level[] = [
      [100, 1],
      [99, 2],
    ]
    const after: Level[] = [
      [100, 1],
      [99, 2.5],
      [98, 1],
    ]
    expect([...changedPrices(before, after)].sort()).toEqual([98, 99])
  })

  it('flashes nothing on the first frame', () => {
    expect(changedPrices(null, [[1, 1]]).size).toBe(0)
  })
})

describe('flashes of changed levels (stepped fade)', () => {
  it('marks a changed level with the strongest step, fading in FLASH_STEPS steps over FLASH_MS, then none', () => {
    expect(flashStep(undefined, 1_000)).toBe(0)
    expect(flashStep(1_000, 1_000)).toBe(1)
    expect(flashStep(1_000, 1_000 + FLASH_MS / FLASH_STEPS - 1)).toBe(1)
    expect(flashStep(1_000, 1_000 + FLASH_MS / FLASH_STEPS)).toBe(2)
    expect(flashStep(1_000, 1_000 + FLASH_MS - 1)).toBe(FLASH_STEPS)
    expect(flashStep(1_000, 1_000 + FLASH_MS)).toBe(0)
  })

  it('restarts the flash of a level that changes again, keeps the others, and forgets levels that left', () => {
    const first: Level[] = [
      [100, 1],
      [99, 2],
      [98, 3],
    ]
    const t0 = changeTimes(new Map(), null, first, 0)
    expect(t0.size).toBe(0) // the first frame flashes nothing
    const second: Level[] = [
      [100, 1.5],
      [99, 2],
      [97, 1],
    ]
    const t1 = changeTimes(t0, first, second, 100)
    expect([...t1]).toEqual([
      [100, 100],
      [97, 100],
    ])
    const third: Level[] = [
      [100, 2],
      [99, 2],
      [97, 1],
    ]
    const t2 = changeTimes(t1, second, third, 300)
    expect(t2.get(100)).toBe(300) // changed again: starts over
    expect(t2.get(97)).toBe(100) // still fading
    const t3 = changeTimes(t2, third, third, 100 + FLASH_MS)
    expect(t3.has(97)).toBe(false) // its flash is over
    expect(t3.get(100)).toBe(300)
  })
})
