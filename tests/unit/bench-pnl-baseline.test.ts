import { describe, expect, it } from 'vitest'
import { makeFills, endPrices } from '../bench/portfolio-workload'
import { floatPnl } from '../bench/portfolio/float-pnl'
import { computePortfolio } from '../../src-main/portfolio/pnl'

// The pnl bench compares the ledger's exact P&L with a float loop "doing the same work", and stops when
// their realized P&L differ. When the ledger's pricing rules change (a price through another asset), the
// float loop must follow, or `npm run bench` fails: checked here on a small workload, so it fails in CI.

describe('the pnl bench baseline', () => {
  for (const method of ['fifo', 'average'] as const) {
    it(`realizes what the ledger realizes (${method}, 20,000 fills of the bench's workload)`, () => {
      const entries = makeFills(20_000)
      const exact = Number(computePortfolio({ entries, method, prices: endPrices(entries) }).totals.realized)
      const float = floatPnl(entries, method).realized
      expect(exact).not.toBe(0)
      expect(Math.abs(float - exact) / Math.abs(exact)).toBeLessThan(1e-6)
    })
  }
})
