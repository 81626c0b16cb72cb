import { describe, expect, it } from 'vitest'
import { bestOfAlternating } from '../bench/best-of'

// Bench figures compare ours with a baseline: both get the same number of rounds, each goes first in turn.
describe('bestOfAlternating', () => {
  it('runs both the same number of times, alternating which goes first', () => {
    const calls: string[] = []
    const [a, b] = bestOfAlternating(3, () => calls.push('a'), () => calls.push('b'))
    expect(calls).toEqual(['a', 'b', 'b', 'a', 'a', 'b'])
    expect(a.result).toBe(5)
    expect(b.result).toBe(6)
  })

  it('keeps the fastest round of each', () => {
    let n = 0
    const spin = (ms: number) => {
      const end = performance.now() + ms
      while (performance.now() < end);
    }
    const [slowFirst] = bestOfAlternating(3, () => spin(++n === 1 ? 60 : 1), () => undefined)
    expect(slowFirst.seconds).toBeLessThan(0.05)
  })
})
