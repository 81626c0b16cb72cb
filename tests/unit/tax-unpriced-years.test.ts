import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'

// A trade that could not be valued (no USD price of ARB anywhere) counts toward the report of its own
// year, and toward a later year's only where that year's lines use the coins it acquired.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, iso: string): LedgerEntryInput {
  const l = ledger('acct')
  return { ...(side === 'buy' ? l.buy(symbol, amount, price) : l.sell(symbol, amount, price)), timestamp: at(iso) }
}

const unpricedBuy = trade('buy', 'ETH/ARB', '1', '2500', '2021-03-05T12:00:00Z')
// 2024: SOL/USDT only, every trade priced in USDT.
const sol = [trade('buy', 'SOL/USDT', '10', '100', '2024-02-01T12:00:00Z'), trade('sell', 'SOL/USDT', '10', '150', '2024-05-01T12:00:00Z')]
const unpricedKinds = (r: TaxReport) => r.warnings.filter((w) => w.kind === 'unpriced-asset').map((w) => [w.asset, w.timestamp, w.count ?? 1])

describe('tax report: a trade that could not be valued counts toward its own year', () => {
  it('coins of an unpriced 2021 trade all sold in 2021: the 2024 report, with unrelated trades, is complete', () => {
    const entries = [unpricedBuy, trade('sell', 'ETH/USDT', '1', '1800', '2021-04-01T12:00:00Z'), ...sol]
    const r = report(entries, { jurisdiction: 'us', year: 2024 })
    expect(r.lines.map((x) => [x.asset, x.unpriced ?? false])).toEqual([['SOL', false]])
    expect(unpricedKinds(r)).toEqual([])
    expect(r.summary.incomplete).toBeNull()
  })

  it('the 2021 report, the year of the trade, is still incomplete', () => {
    const entries = [unpricedBuy, trade('sell', 'ETH/USDT', '1', '1800', '2021-04-01T12:00:00Z'), ...sol]
    const r = report(entries, { jurisdiction: 'us', year: 2021 })
    expect(unpricedKinds(r)).toEqual([['ARB', at('2021-03-05T12:00:00Z'), 1]])
    expect(r.summary.incomplete).toMatch(/^Incomplete: 1 trade could not be valued in USD \(no USD price for ARB/)
  })

  it('coins acquired through it in 2021 and sold in 2024: the 2024 report is incomplete and names the lines', () => {
    const entries = [unpricedBuy, trade('sell', 'ETH/USDT', '1', '3500', '2024-03-01T12:00:00Z'), ...sol]
    const r = report(entries, { jurisdiction: 'us', year: 2024 })
    expect(r.lines.filter((x) => x.unpriced).map((x) => [x.asset, x.acquiredAt, x.cost])).toEqual([['ETH', at('2021-03-05T12:00:00Z'), '0.00']])
    expect(unpricedKinds(r)).toEqual([['ARB', at('2021-03-05T12:00:00Z'), 1]])
    expect(r.summary.incomplete).toContain('1 line of this year uses coins acquired through trades that could not be valued (first on 2021-03-05).')
    // Not this year's trades: none of 2024 went unvalued.
    expect(r.summary.incomplete).not.toMatch(/trades? could not be valued in USD/)
    expect(r.summary.incomplete).toContain('Add a USD price of ARB')
  })

  it('a UK report, whose Section 104 pool carries no dates, names the line the same way', () => {
    const entries = [unpricedBuy, trade('sell', 'ETH/USDT', '1', '3500', '2024-03-01T12:00:00Z'), ...sol]
    const r = report(entries, { jurisdiction: 'uk', year: 2023 })
    // (USDT has no GBP price here either, without dollar rates: that is this year's own.)
    expect(r.lines.filter((x) => x.asset === 'ETH').map((x) => [x.rule, x.unpriced ?? false])).toEqual([['section-104', true]])
    expect(r.summary.incomplete).toContain('1 line of this year uses coins acquired through trades that could not be valued (first on 2021-03-05).')
  })

  it('an unpriced trade in 2021 and another in 2024: the 2024 report names only its own', () => {
    // OP: no USD price in 2024 either (ARB would have one by then, through ETH/ARB and ETH/USDT).
    const entries = [
      unpricedBuy,
      trade('sell', 'ETH/USDT', '1', '1800', '2021-04-01T12:00:00Z'),
      trade('buy', 'DOGE/OP', '1000', '0.05', '2024-06-01T12:00:00Z'),
      trade('sell', 'DOGE/USDT', '1000', '0.1', '2024-07-01T12:00:00Z'),
      ...sol,
    ]
    const r = report(entries, { jurisdiction: 'us', year: 2024 })
    expect(unpricedKinds(r)).toEqual([['OP', at('2024-06-01T12:00:00Z'), 1]])
    expect(r.summary.incomplete).toMatch(/^Incomplete: 1 trade could not be valued in USD \(no USD price for OP at the time\)/)
    expect(r.summary.incomplete).not.toContain('line of this year')
  })
})
