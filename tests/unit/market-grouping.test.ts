import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { BookSide } from '../../src-main/market/book-side'
import { groupSide } from '../../src-main/market/grouping'

// Bucket edges of a grouped book against exact decimal arithmetic: a bid falls into the bucket at or
// below its price, an ask into the bucket at or above, for any price size and step.

function bucketOf(kind: 'bids' | 'asks', price: string, step: string): number {
  const side = new BookSide(kind)
  side.set(Number(price), 1)
  const prices = new Float64Array(1)
  const sizes = new Float64Array(1)
  groupSide(side, Number(step), new Decimal(step).decimalPlaces(), 1, prices, sizes)
  return prices[0] as number
}

function exact(kind: 'bids' | 'asks', price: string, step: string): number {
  const q = new Decimal(price).div(step)
  return Number((kind === 'bids' ? q.floor() : q.ceil()).mul(step).toFixed())
}

describe('groupSide bucket edges', () => {
  it('keeps a price on a bucket edge in that bucket however large price ÷ step is', () => {
    expect(bucketOf('bids', '999999.7', '0.05')).toBe(999999.7)
    expect(bucketOf('bids', '1000000.45', '0.05')).toBe(1000000.45)
    expect(bucketOf('asks', '3.2999995', '0.0000001')).toBe(3.2999995)
    expect(bucketOf('asks', '3.3000001', '0.0000001')).toBe(3.3000001)
  })

  it('matches exact decimal floor (bids) and ceil (asks) across ticks, steps and price ranges', () => {
    const cases: [tick: string, step: string][] = [
      ['0.01', '0.1'],
      ['0.01', '0.05'],
      ['0.01', '100'],
      ['0.1', '2.5'],
      ['0.001', '0.003'],
      ['0.00000001', '0.0000001'],
      ['0.0000001', '0.0000003'],
      ['0.00001', '0.0001'],
      ['1000', '5000'],
    ]
    const bases = ['0.0001234', '0.07', '1.23', '3.3', '19.99', '2500', '65000', '123456.78', '1000000', '140000000']
    const wrong: string[] = []
    for (const [tick, step] of cases) {
      const t = new Decimal(tick)
      for (const base of bases) {
        for (let k = -30; k <= 30; k++) {
          const p = new Decimal(base).toDecimalPlaces(t.decimalPlaces(), Decimal.ROUND_DOWN).plus(t.mul(k))
          // A price beyond 15 significant digits has no double of its own (a 140,000,000 price at a 1e-8
          // tick): the streaming path cannot carry it, whatever the grouping.
          if (p.lte(0) || p.precision(true) > 15) continue
          for (const kind of ['bids', 'asks'] as const) {
            const got = bucketOf(kind, p.toFixed(), step)
            const want = exact(kind, p.toFixed(), step)
            if (got !== want) wrong.push(`${kind} ${p.toFixed()} step ${step}: ${got} ≠ ${want}`)
          }
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([])
  })
})
