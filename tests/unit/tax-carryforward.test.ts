import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { ukBroughtForward, ukYear, usCarryover, usYear } from '../../src-main/tax/carryforward'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'

// Losses carried from earlier tax years: the arithmetic (amounts in cents, worked by hand), then through
// whole reports over hand-made ledgers.

const k = (usd: number) => BigInt(usd * 100)

describe('US capital loss carryover (Schedule D worksheet)', () => {
  it('offsets the terms, deducts at most 3,000 (short-term loss first) and carries the rest by term', () => {
    // −5,000 short + 1,000 long → −4,000 short; 3,000 deducted; −1,000 short carries.
    expect(usYear(k(-5000), k(1000))).toEqual({ net: k(-4000), deducted: k(3000), carry: { short: k(-1000), long: 0n } })
    // −1,000 short, −4,000 long: the deduction takes the 1,000 short first, then 2,000 long: −2,000 long carries.
    expect(usYear(k(-1000), k(-4000))).toEqual({ net: k(-5000), deducted: k(3000), carry: { short: 0n, long: k(-2000) } })
    // +2,000 short against −10,000 long → −8,000 long; −5,000 long carries.
    expect(usYear(k(2000), k(-10000))).toEqual({ net: k(-8000), deducted: k(3000), carry: { short: 0n, long: k(-5000) } })
    // A loss under 3,000 is deducted whole; a net gain carries nothing.
    expect(usYear(k(-1200), 0n)).toEqual({ net: k(-1200), deducted: k(1200), carry: { short: 0n, long: 0n } })
    expect(usYear(k(500), k(-200))).toEqual({ net: k(300), deducted: 0n, carry: { short: 0n, long: 0n } })
    // Over years: −10,000 (carries −7,000), then +2,000 (−5,000 after it, 3,000 deducted): −2,000 carries on.
    expect(usCarryover([{ year: 2022, short: k(-10000), long: 0n }, { year: 2023, short: k(2000), long: 0n }])).toEqual({ short: k(-2000), long: 0n })
  })
})

describe('UK losses brought forward', () => {
  it('same-year losses first; brought-forward losses only down to the annual exempt amount', () => {
    expect(ukYear(k(10000), k(5000), k(3000))).toEqual({ used: k(5000), carried: 0n, taxable: k(2000) })
    expect(ukYear(k(4000), k(5000), k(3000))).toEqual({ used: k(1000), carried: k(4000), taxable: 0n })
    expect(ukYear(k(2000), k(5000), k(3000))).toEqual({ used: 0n, carried: k(5000), taxable: 0n })
    expect(ukYear(k(-2000), k(5000), k(3000))).toEqual({ used: 0n, carried: k(7000), taxable: 0n })
    expect(ukBroughtForward([{ year: 2022, short: k(-6000), long: 0n }, { year: 2023, short: k(8000), long: 0n }], () => k(6000))).toBe(k(4000))
  })
})

const at = (iso: string) => Date.parse(iso)
function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, iso: string): LedgerEntryInput {
  const l = ledger('acct')
  return { ...(side === 'buy' ? l.buy(symbol, amount, price, null) : l.sell(symbol, amount, price, null)), timestamp: at(iso) }
}
function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

describe('tax reports carry losses from the ledger’s earlier years', () => {
  it('US: a 10,000 short-term loss in 2023 (3,000 deducted) leaves 7,000 against 2024’s 2,000 gain', () => {
    const entries = [
      trade('buy', 'BTC/USDT', '1', '30000', '2023-02-01T12:00:00-05:00'),
      trade('sell', 'BTC/USDT', '1', '20000', '2023-03-01T12:00:00-05:00'),
      trade('buy', 'BTC/USDT', '1', '20000', '2024-01-10T12:00:00-05:00'),
      trade('sell', 'BTC/USDT', '1', '22000', '2024-03-10T12:00:00-04:00'),
    ]
    const y2023 = report(entries, { jurisdiction: 'us', year: 2023 })
    expect([y2023.summary.net, y2023.summary.taxable, y2023.summary.deductible]).toEqual(['-10000.00', '0.00', '3000.00'])
    expect([y2023.summary.carriedIn, y2023.summary.carriedOut]).toEqual([null, { short: '-7000.00', long: '0.00', total: '-7000.00' }])
    const y2024 = report(entries, { jurisdiction: 'us', year: 2024 })
    expect(y2024.summary.net).toBe('2000.00')
    expect(y2024.summary.carriedIn).toEqual({ short: '-7000.00', long: '0.00', total: '-7000.00' })
    // 2,000 − 7,000 = −5,000: nothing taxable, 3,000 deducted, 2,000 carries to 2025.
    expect([y2024.summary.taxable, y2024.summary.deductible]).toEqual(['0.00', '3000.00'])
    expect(y2024.summary.carriedOut).toEqual({ short: '-2000.00', long: '0.00', total: '-2000.00' })
    expect(y2024.summary.notes).toContain('Capital loss carried in from 2023 (reckoned from this ledger the same way): short-term -7,000.00 USD, long-term 0.00 USD.')
    expect(y2024.summary.notes).toContain('Net capital loss -5,000.00 USD: 3,000.00 USD of it offsets other income this year (at most 3,000 USD, assuming that much other income); -2,000.00 USD carries to 2025.')
  })

  it('UK: a 5,000 loss in 2023/24 is used in 2024/25 only down to the 3,000 annual exempt amount', () => {
    const entries = [
      trade('buy', 'BTC/GBP', '1', '30000', '2023-05-01T12:00:00+01:00'),
      trade('sell', 'BTC/GBP', '1', '25000', '2023-07-01T12:00:00+01:00'),
      trade('buy', 'BTC/GBP', '1', '20000', '2024-05-01T12:00:00+01:00'),
      trade('sell', 'BTC/GBP', '1', '30000', '2024-08-01T12:00:00+01:00'),
    ]
    const r = report(entries, { jurisdiction: 'uk', year: 2024 })
    // 10,000 gain − 3,000 exempt = 7,000 room; the 5,000 loss brought forward uses 5,000 of it: 2,000 taxable.
    expect([r.summary.net, r.summary.taxable, r.summary.deductible]).toEqual(['10000.00', '2000.00', null])
    expect(r.summary.carriedIn).toEqual({ short: null, long: null, total: '-5000.00' })
    expect(r.summary.carriedOut).toBeNull()
    expect(r.summary.notes).toContain(
      'Losses brought forward from 2023/24 (this ledger): 5,000.00 GBP; 5,000.00 GBP used, only down to the annual exempt amount; 0.00 GBP carries on (a loss must be claimed within four years of its tax year).',
    )
  })

  it('DE: earlier private-sale losses are named, not applied (they need the tax office’s record)', () => {
    const entries = [
      trade('buy', 'BTC/EUR', '1', '30000', '2023-02-01T12:00:00+01:00'),
      trade('sell', 'BTC/EUR', '1', '29200', '2023-04-01T12:00:00+02:00'),
      trade('buy', 'BTC/EUR', '1', '20000', '2024-02-01T12:00:00+01:00'),
      trade('sell', 'BTC/EUR', '1', '21500', '2024-04-01T12:00:00+02:00'),
    ]
    const r = report(entries, { jurisdiction: 'de', year: 2024 })
    expect([r.summary.net, r.summary.taxable, r.summary.carriedIn, r.summary.carriedOut]).toEqual(['1500.00', '1500.00', null, null])
    expect(r.summary.notes.some((n) => n.startsWith('Earlier years in this ledger closed with private-sale losses (2023: -800.00 EUR).'))).toBe(true)
  })
})
