import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'

// A transfer's network fee paid in coins is disposed of at their market value. Paid in a coin with no price
// anywhere, it is disposed of for 0: the report must say so and count itself incomplete, as it does for
// unpriced trades, income and deposits.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

describe('tax report: a withdrawal fee paid in a coin with no price', () => {
  const l = ledger('acct')
  const entries: LedgerEntryInput[] = [
    // The DOGE came in a year before (its own deposit is warned in that year's report).
    { ...l.deposit('DOGE', '100'), timestamp: at('2023-02-01T12:00:00Z') },
    { ...l.buy('BTC/USDT', '1', '40000'), timestamp: at('2024-02-01T12:00:00Z') },
    { ...l.withdraw('BTC', '0.5', { fee: { asset: 'DOGE', amount: '20' } }), timestamp: at('2024-03-01T12:00:00Z') },
    { ...l.withdraw('BTC', '0.25', { fee: { asset: 'DOGE', amount: '10' } }), timestamp: at('2024-04-01T12:00:00Z') },
  ]

  for (const pooling of ['universal', 'per-account'] as const) {
    it(`is warned as disposed of for 0, and the report is incomplete, saying why (${pooling})`, () => {
      const r = report(entries, { jurisdiction: 'us', year: 2024, pooling })
      const fees = r.lines.filter((x) => x.asset === 'DOGE')
      expect(fees.map((x) => [x.cause, x.proceeds, x.unpriced])).toEqual([
        ['fee', '0.00', true],
        ['fee', '0.00', true],
      ])
      const w = r.warnings.find((x) => x.kind === 'unpriced-transfer-fee')
      expect(w).toMatchObject({ asset: 'DOGE', count: 2, amount: '30', timestamp: at('2024-03-01T12:00:00Z') })
      expect(w?.message).toBe('no USD price for DOGE when its withdrawal fee was paid; the fee is counted as disposed of for 0 (import a price of DOGE for that day)')
      const text = r.summary.incomplete ?? ''
      expect(text).toMatch(/2 network fees paid in DOGE could not be valued in USD and count as disposed of for 0\./)
      expect(text).toContain('date,DOGE,USD,rate')
    })
  }

  it('a fee in a priced coin is not warned', () => {
    const priced = [
      { ...l.buy('BTC/USDT', '1', '40000'), timestamp: at('2024-02-01T12:00:00Z') },
      { ...l.withdraw('BTC', '0.5', { fee: { asset: 'BTC', amount: '0.001' } }), timestamp: at('2024-02-01T12:05:00Z') },
    ]
    const r = report(priced, { jurisdiction: 'us', year: 2024 })
    expect(r.lines.map((x) => [x.cause, x.proceeds, x.unpriced])).toEqual([['fee', '40.00', undefined]])
    expect(r.warnings.filter((x) => x.kind === 'unpriced-transfer-fee')).toEqual([])
    expect(r.summary.incomplete).toBeNull()
  })
})

describe('tax report: a transfer fee is valued on its own, not by the coin transferred', () => {
  it('a priced BTC fee on a deposit of SOL with no price is not marked "no price"', () => {
    const l = ledger('acct')
    const r = report(
      [
        { ...l.buy('BTC/USDT', '1', '40000'), timestamp: at('2024-02-01T12:00:00Z') },
        { ...l.deposit('SOL', '2', { fee: { asset: 'BTC', amount: '0.001' } }), timestamp: at('2024-02-01T12:05:00Z') },
      ],
      { jurisdiction: 'us', year: 2024 },
    )
    expect(r.lines.map((x) => [x.asset, x.cause, x.proceeds, x.unpriced])).toEqual([['BTC', 'fee', '40.00', undefined]])
  })

  it('a fresh BTC fee on a deposit brought back from a withdrawal is not warned for the SOL price being old', () => {
    const l = ledger('acct')
    const r = report(
      [
        { ...l.buy('SOL/USDT', '2', '20'), timestamp: at('2023-01-01T12:00:00Z') },
        { ...l.withdraw('SOL', '2'), timestamp: at('2023-01-02T12:00:00Z') },
        { ...l.buy('BTC/USDT', '1', '40000'), timestamp: at('2024-02-01T12:00:00Z') },
        { ...l.deposit('SOL', '2', { fee: { asset: 'BTC', amount: '0.001' } }), timestamp: at('2024-02-01T12:05:00Z') },
      ],
      { jurisdiction: 'us', year: 2024 },
    )
    expect(r.warnings.filter((w) => w.kind === 'stale-price')).toEqual([])
    expect(r.summary.incomplete).toBeNull()
  })
})
