import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import type { PriceMarkInput } from '../../src-main/portfolio/pnl'

// A report of one account: coins moved into it from another of the user's accounts keep the cost and date
// they were bought at there (the other account's ledger rows are read for it), and the report holds only
// that account's own sales, income and earlier years.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>, marks: PriceMarkInput[] = []): TaxReport {
  return buildTaxReport({ entries, marks, query: taxReportInputSchema.parse(input), includes: (a) => a !== 'sim', now: 0 }).report
}

function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, iso: string, account: string): LedgerEntryInput {
  const [base, quote] = symbol.split('/') as [string, string]
  return { kind: 'trade', account, timestamp: at(iso), symbol, base, quote, side, price, amount, fee: null, source: 'csv', externalId: null }
}

function flow(kind: 'deposit' | 'withdrawal' | 'income', asset: string, amount: string, iso: string, account: string): LedgerEntryInput {
  return { kind, account, timestamp: at(iso), asset, amount, fee: null, source: 'csv', externalId: null } as LedgerEntryInput
}

const lineView = (r: TaxReport) => r.lines.map((l) => [l.account, l.amount, new Date(l.acquiredAt ?? 0).toISOString().slice(0, 10), l.proceeds, l.cost, l.gain, l.term])
const freshDeposit = (r: TaxReport) => r.warnings.filter((w) => /deposited without an earlier withdrawal/.test(w.message))

/** 1 BTC bought in A on 1 March 2023, moved to B on 1 March 2025 (worth 45,000 then), sold from B on 1 April 2025. */
function moved(quote: string): { entries: LedgerEntryInput[]; marks: PriceMarkInput[] } {
  return {
    entries: [
      trade('buy', `BTC/${quote}`, '1', '20000', '2023-03-01T12:00:00Z', 'A'),
      flow('withdrawal', 'BTC', '1', '2025-03-01T12:00:00Z', 'A'),
      flow('deposit', 'BTC', '1', '2025-03-01T12:30:00Z', 'B'),
      trade('sell', `BTC/${quote}`, '1', '50000', '2025-04-01T12:00:00Z', 'B'),
    ],
    marks: [{ asset: 'BTC', quote, price: '45000', at: at('2025-03-01T12:15:00Z') }],
  }
}

describe('tax report of one account: transfers in from the user’s other accounts', () => {
  it('US: the coins keep their 2023 cost and date, as in the report over all accounts', () => {
    const { entries, marks } = moved('USD')
    const b = report(entries, { jurisdiction: 'us', year: 2025, account: 'B' }, marks)
    expect(lineView(b)).toEqual([['B', '1', '2023-03-01', '50000.00', '20000.00', '30000.00', 'long']])
    expect(b.summary.all).toEqual({ disposals: 1, proceeds: '50000.00', cost: '20000.00', gain: '30000.00' })
    expect(freshDeposit(b)).toEqual([])
    expect(lineView(b)).toEqual(lineView(report(entries, { jurisdiction: 'us', year: 2025 }, marks)))
  })

  it('UK: the coins arrive with their pooled cost', () => {
    const { entries, marks } = moved('GBP')
    const b = report(entries, { jurisdiction: 'uk', year: 2024, account: 'B' }, marks)
    expect(b.lines.map((l) => [l.account, l.cost, l.gain])).toEqual([['B', '20000.00', '30000.00']])
    expect(freshDeposit(b)).toEqual([])
  })

  it('DE: held more than a year across both wallets, the sale is tax-free', () => {
    const { entries, marks } = moved('EUR')
    for (const pooling of ['universal', 'per-account'] as const) {
      const b = report(entries, { jurisdiction: 'de', year: 2025, account: 'B', pooling }, marks)
      expect(lineView(b)).toEqual([['B', '1', '2023-03-01', '50000.00', '20000.00', '30000.00', 'long']])
      expect(b.summary.taxable).toBe('0.00')
      expect(freshDeposit(b)).toEqual([])
    }
  })

  it('holds only the named account’s sales, income and earlier years', () => {
    const entries = [
      trade('buy', 'BTC/USD', '2', '20000', '2023-03-01T12:00:00Z', 'A'),
      // A's loss in 2024 is A's: B's report carries nothing in from it.
      trade('buy', 'ETH/USD', '1', '10000', '2024-01-10T12:00:00Z', 'A'),
      trade('sell', 'ETH/USD', '1', '1000', '2024-06-10T12:00:00Z', 'A'),
      flow('withdrawal', 'BTC', '1', '2025-03-01T12:00:00Z', 'A'),
      flow('deposit', 'BTC', '1', '2025-03-01T12:30:00Z', 'B'),
      trade('sell', 'BTC/USD', '1', '50000', '2025-04-01T12:00:00Z', 'B'),
      trade('sell', 'BTC/USD', '1', '40000', '2025-05-01T12:00:00Z', 'A'),
      flow('income', 'ETH', '0.1', '2025-02-01T12:00:00Z', 'A'),
      flow('income', 'ETH', '0.2', '2025-02-01T12:00:00Z', 'B'),
    ]
    const marks: PriceMarkInput[] = [
      { asset: 'BTC', quote: 'USD', price: '45000', at: at('2025-03-01T12:15:00Z') },
      { asset: 'ETH', quote: 'USD', price: '3000', at: at('2025-02-01T12:00:00Z') },
    ]
    const all = report(entries, { jurisdiction: 'us', year: 2025 }, marks)
    expect(all.summary.carriedIn?.total).toBe('-6000.00')
    const b = report(entries, { jurisdiction: 'us', year: 2025, account: 'B' }, marks)
    expect(lineView(b)).toEqual([['B', '1', '2023-03-01', '50000.00', '20000.00', '30000.00', 'long']])
    expect(b.summary.all).toEqual({ disposals: 1, proceeds: '50000.00', cost: '20000.00', gain: '30000.00' })
    expect(b.summary.carriedIn).toBeNull()
    expect(b.income.lines.map((l) => [l.account, l.amount, l.value])).toEqual([['B', '0.2', '600.00']])
    const a = report(entries, { jurisdiction: 'us', year: 2025, account: 'A' }, marks)
    expect(lineView(a)).toEqual([['A', '1', '2023-03-01', '40000.00', '20000.00', '20000.00', 'long']])
    expect(a.summary.carriedIn?.total).toBe('-6000.00')
  })

  it('an account left out of the user’s (a paper one) still reports on its own rows alone', () => {
    const entries = [trade('buy', 'BTC/USD', '1', '20000', '2025-01-10T12:00:00Z', 'A'), trade('sell', 'BTC/USD', '1', '30000', '2025-02-10T12:00:00Z', 'sim')]
    const sim = report(entries, { jurisdiction: 'us', year: 2025, account: 'sim' })
    expect(sim.lines.map((l) => [l.account, l.cost, l.rule])).toEqual([['sim', '0.00', 'no-cost-basis']])
  })
})
