import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import type { PriceMarkInput } from '../../src-main/portfolio/pnl'
import { ledger } from './portfolio-support'

// Two exchanges' files stamp the two ends of one transfer by their own clocks: the deposit can come a few
// seconds before the withdrawal it is. It is still that transfer: the coins keep their 2022 lot.

const at = (iso: string) => Date.parse(iso)
const YEAR = 365 * 86_400_000

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>, marks: PriceMarkInput[]): TaxReport {
  return buildTaxReport({ entries, marks, query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

function ledgerFor(withdrawnAt: string, shift = 0, received = '1') {
  const binance = ledger('binance')
  const kraken = ledger('kraken')
  const entries: LedgerEntryInput[] = [
    { ...binance.buy('BTC/USDT', '1', '20000'), timestamp: at('2022-05-01T12:00:00Z') },
    { ...kraken.deposit('BTC', received), timestamp: at('2024-06-01T12:00:00Z') + shift },
    { ...binance.withdraw('BTC', '1'), timestamp: at(withdrawnAt) + shift },
    { ...kraken.sell('BTC/USDT', received, '65000'), timestamp: at('2024-07-01T12:00:00Z') + shift },
  ]
  const marks = [{ asset: 'BTC', quote: 'USD', price: '60000', at: at('2024-06-01T00:00:00Z') + shift }]
  return { entries, marks }
}

const view = (r: TaxReport) => r.lines.map((l) => [l.account, l.amount, l.acquiredAt === null ? null : new Date(l.acquiredAt).toISOString().slice(0, 10), l.cost, l.term])

describe('tax report: a deposit stamped seconds before its withdrawal', () => {
  const cases = [
    ['one pool', 2024, 'universal', 0],
    ['account by account', 2024, 'per-account', 0],
    ['account by account from 2025', 2025, undefined, YEAR],
  ] as const
  for (const [name, year, pooling, shift] of cases) {
    it(`is the same transfer: the 2022 lot, long term, no deposit of unknown origin (${name})`, () => {
      const { entries, marks } = ledgerFor('2024-06-01T12:00:05Z', shift)
      const r = report(entries, { jurisdiction: 'us', year, ...(pooling ? { pooling } : {}) }, marks)
      expect(view(r)).toEqual([['kraken', '1', '2022-05-01', '20000.00', 'long']])
      expect(r.warnings.filter((w) => w.kind === 'unmatched-deposit')).toEqual([])
    })
  }

  it('the network fee taken from what arrived is still the same transfer', () => {
    const { entries, marks } = ledgerFor('2024-06-01T12:00:05Z', 0, '0.9995')
    const r = report(entries, { jurisdiction: 'us', year: 2024, pooling: 'per-account' }, marks)
    expect(view(r)).toEqual([['kraken', '0.9995', '2022-05-01', '19990.00', 'long']])
    expect(r.warnings.filter((w) => w.kind === 'unmatched-deposit')).toEqual([])
  })

  it('a withdrawal hours after the deposit is another movement: the deposit is of unknown origin', () => {
    const { entries, marks } = ledgerFor('2024-06-01T15:00:00Z')
    const r = report(entries, { jurisdiction: 'us', year: 2024, pooling: 'per-account' }, marks)
    expect(view(r)).toEqual([['kraken', '1', '2024-06-01', '60000.00', 'short']])
    expect(r.warnings.filter((w) => w.kind === 'unmatched-deposit').map((w) => w.asset)).toEqual(['BTC'])
  })
})
