import { describe, expect, it } from 'vitest'
import { shareCents } from '../../src-main/tax/shares'

// A disposal's proceeds (whole cents) shared among its lines by the units each line has.

const sum = (xs: readonly bigint[]) => xs.reduce((n, x) => n + x, 0n)

describe('shareCents: largest remainder', () => {
  it('every share is the floor or the ceiling of its exact share, none negative, and they add up', () => {
    // 495 cents over ten weights of 330 and one of 1 (3301 in all): exact shares 49.48... and 0.149...
    const shares = shareCents(495n, [...Array.from({ length: 10 }, () => 330n), 1n])
    expect(sum(shares)).toBe(495n)
    expect(shares.every((s) => s >= 0n)).toBe(true)
    expect(shares.slice(0, 10).every((s) => s === 49n || s === 50n)).toBe(true)
  })

  it('leftover cents go to the largest remainders, ties to the earlier line', () => {
    // 310 × 50/90 = 172.2, 310 × 20/90 = 68.9, 68.9: two cents left, to the two .9s.
    expect(shareCents(31000n, [50n, 20n, 20n])).toEqual([17222n, 6889n, 6889n])
    // 1 cent over three equal lines: the first line takes it.
    expect(shareCents(1n, [1n, 1n, 1n])).toEqual([1n, 0n, 0n])
    expect(shareCents(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n])
  })

  it('random splits always add up, stay within a cent of the exact share and are never negative', () => {
    let seed = 7
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    for (let run = 0; run < 500; run++) {
      const weights = Array.from({ length: 1 + rand(12) }, () => BigInt(rand(3) === 0 ? rand(5) : rand(1_000_000_000)))
      if (sum(weights) === 0n) weights[0] = 1n
      const total = BigInt(rand(10_000_000))
      const shares = shareCents(total, weights)
      expect(sum(shares)).toBe(total)
      const w = sum(weights)
      shares.forEach((s, i) => {
        const floor = (total * weights[i]!) / w
        expect(s === floor || s === floor + 1n).toBe(true)
      })
    }
  })

  it('a negative total shares as its mirror image', () => {
    expect(shareCents(-31000n, [50n, 20n, 20n])).toEqual([-17222n, -6889n, -6889n])
  })
})
