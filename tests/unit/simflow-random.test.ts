import { describe, expect, it } from 'vitest'
import { Rng, hashString, seedToUint32 } from '../../src-main/venues/sim/random'
import { MarketGrid, StepGrid } from '../../src-main/venues/sim/flow/quant'
import { defaultSimMarkets } from '../../src-main/venues/sim/markets'

describe('seeded PRNG', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const draw = (seed: number | string) => {
      const rng = new Rng(seed)
      return Array.from({ length: 8 }, () => rng.uint32())
    }
    expect(draw(42)).toEqual(draw(42))
    expect(draw('btc')).toEqual(draw('btc'))
    expect(draw(42)).not.toEqual(draw(43))
    expect(draw(0)).not.toEqual(draw(2 ** 32)) // high bits of the seed count
    expect(seedToUint32(42)).toBe(seedToUint32(42))
    expect(hashString('a')).not.toBe(hashString('b'))
    expect(() => new Rng(Number.NaN)).toThrow(RangeError)
  })

  it('forks depend on the parent seed and label only, not on what the parent drew', () => {
    const a = new Rng(7)
    const b = new Rng(7)
    for (let i = 0; i < 100; i++) b.next()
    expect(a.fork('mm:BTC/USDT').state()).toEqual(b.fork('mm:BTC/USDT').state())
    expect(a.fork('mm:BTC/USDT').state()).not.toEqual(a.fork('mm:ETH/USDT').state())
    expect(new Rng(8).fork('x').state()).not.toEqual(a.fork('x').state())
  })

  it('draws with the right ranges and moments', () => {
    const rng = new Rng(1)
    const n = 100_000
    let sum = 0
    let sumSq = 0
    let normalSum = 0
    let normalSq = 0
    let expSum = 0
    let min = 1
    let max = 0
    const ints = new Set<number>()
    for (let i = 0; i < n; i++) {
      const u = rng.next()
      min = Math.min(min, u)
      max = Math.max(max, u)
      sum += u
      sumSq += u * u
      const z = rng.normal()
      normalSum += z
      normalSq += z * z
      expSum += rng.exponential(4)
      ints.add(rng.int(-2, 2))
    }
    expect(min).toBeGreaterThanOrEqual(0)
    expect(max).toBeLessThan(1)
    expect(sum / n).toBeCloseTo(0.5, 2)
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2)
    expect(normalSum / n).toBeCloseTo(0, 1)
    expect(normalSq / n).toBeCloseTo(1, 1)
    expect(expSum / n).toBeCloseTo(0.25, 2)
    expect([...ints].sort()).toEqual([-1, -2, 0, 1, 2])
    expect(rng.pick([])).toBeUndefined()
    expect(rng.pareto(2, 1.5)).toBeGreaterThanOrEqual(2)
    expect(rng.exponential(0)).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('exact prices and amounts from step counts', () => {
  it('formats multiples of any step without floating-point noise', () => {
    expect(new StepGrid('0.01').format(9_500_001)).toBe('95000.01')
    expect(new StepGrid('0.00001').format(3)).toBe('0.00003')
    expect(new StepGrid('0.0001').format(22_000)).toBe('2.2000')
    expect(new StepGrid('0.5').format(3)).toBe('1.5')
    expect(new StepGrid('1').format(12)).toBe('12')
    expect(new StepGrid('0.1').format(3)).toBe('0.3') // 3 × 0.1 is not 0.30000000000000004 here
    const tick = new StepGrid('0.01')
    expect(tick.floor(95000.019)).toBe(9_500_001)
    expect(tick.ceil(95000.011)).toBe(9_500_002)
    expect(tick.floor(0.29)).toBe(29) // 0.29 / 0.01 = 28.999999999999996
    expect(tick.unitsOf('95000.01')).toBe(9_500_001)
    expect(() => new StepGrid('0')).toThrow(RangeError)
  })

  it('raises amounts to the market minimums', () => {
    const btc = new MarketGrid(defaultSimMarkets[0] as (typeof defaultSimMarkets)[number])
    // 5 USDT minimum notional at 95,000: at least 6 steps of 0.00001.
    expect(btc.minUnitsAt(95_000)).toBe(6)
    expect(btc.amountUnits(0.5, 95_000)).toBe(50_000)
    expect(btc.amountUnits(0, 95_000)).toBe(0)
  })
})
