import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { deCarryforward, deOffsetCap, deYear, ukBroughtForward, ukYear, usCarryover, usYear } from '../../src-main/tax/carryforward'
import type { CarryInRow } from '../../src-main/tax/carry-in'
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
    // Starting from 2,000 entered from a return: −6,000 adds to it, then 8,000 − 6,000 exempt uses 2,000 of 8,000.
    expect(ukBroughtForward([{ year: 2022, short: k(-6000), long: 0n }, { year: 2023, short: k(8000), long: 0n }], () => k(6000), k(2000))).toBe(k(6000))
  })
})

describe('German loss carryforward (§ 23 Abs. 3, § 10d Abs. 2 EStG)', () => {
  it('tests the Freigrenze on the year’s own gain first, then offsets; a loss adds to what carries', () => {
    // 5,000 gain, 1,500 carried: all of it used, 3,500 taxable.
    expect(deYear(k(5000), k(1500), k(1000), 2024)).toEqual({ used: k(1500), carried: 0n, taxable: k(3500) })
    // 800 is under the 1,000 Freigrenze: tax-free, and the carryforward is not spent on it.
    expect(deYear(k(800), k(1500), k(1000), 2024)).toEqual({ used: 0n, carried: k(1500), taxable: 0n })
    // 1,200 is at or above it: taxable in full, and what is left after the offset stays taxable though under 1,000.
    expect(deYear(k(1200), k(500), k(1000), 2024)).toEqual({ used: k(500), carried: 0n, taxable: k(700) })
    expect(deYear(k(-300), k(500), k(1000), 2024)).toEqual({ used: 0n, carried: k(800), taxable: 0n })
    // Beyond 1,000,000 only 70 % (2024–2027) or 60 % (other years) of the excess may be offset.
    expect(deOffsetCap(k(3_000_000), 2025)).toBe(k(2_400_000))
    expect(deOffsetCap(k(3_000_000), 2023)).toBe(k(2_200_000))
    expect(deOffsetCap(k(900_000), 2023)).toBe(k(900_000))
    expect(deYear(k(3_000_000), k(5_000_000), k(1000), 2025)).toEqual({ used: k(2_400_000), carried: k(2_600_000), taxable: k(600_000) })
    expect(deCarryforward([{ year: 2023, short: k(-400), long: k(9000) }, { year: 2024, short: k(2000), long: 0n }], (y) => (y >= 2024 ? k(1000) : k(600)), k(1000))).toBe(0n)
  })
})

const at = (iso: string) => Date.parse(iso)
function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, iso: string): LedgerEntryInput {
  const l = ledger('acct')
  return { ...(side === 'buy' ? l.buy(symbol, amount, price, null) : l.sell(symbol, amount, price, null)), timestamp: at(iso) }
}
function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>, carryIn: CarryInRow | null = null): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0, carryIn }).report
}
const entered = (jurisdiction: string, year: number, amount: string, longTerm: string | null = null): CarryInRow => ({ jurisdiction, year, amount, longTerm, updatedAt: 0 })

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

  it('US: a year with no disposals still deducts 3,000 of the loss carried through it', () => {
    const entries = [
      trade('buy', 'BTC/USDT', '1', '40000', '2022-01-05T12:00:00-05:00'),
      trade('sell', 'BTC/USDT', '1', '20000', '2022-06-05T12:00:00-04:00'), // 2022: −20,000 short
      trade('buy', 'ETH/USDT', '10', '1000', '2023-01-05T12:00:00-05:00'), // 2023: a buy, no disposal
      trade('sell', 'ETH/USDT', '10', '2000', '2024-06-05T12:00:00-04:00'), // 2024: +10,000 long
    ]
    // 2022: 3,000 deducted, −17,000 carries; 2023: 3,000 deducted, −14,000 carries; 2024: 10,000 − 14,000 = −4,000, 3,000 deducted.
    const y2023 = report(entries, { jurisdiction: 'us', year: 2023 })
    expect(y2023.summary.carriedOut?.total).toBe('-14000.00')
    const y2024 = report(entries, { jurisdiction: 'us', year: 2024 })
    expect(y2024.summary.carriedIn).toEqual(y2023.summary.carriedOut)
    expect(y2024.summary.carriedOut).toEqual({ short: '-1000.00', long: '0.00', total: '-1000.00' })
    expect(y2024.summary.notes).toContain('Capital loss carried in from 2022 to 2023 (reckoned from this ledger the same way): short-term -14,000.00 USD, long-term 0.00 USD.')
    // An entry for 2022 with no ledger disposal until 2024: 2022 and 2023 each deduct 3,000 of it.
    const typed = report(entries.slice(2), { jurisdiction: 'us', year: 2024 }, entered('us', 2022, '20000.00', '0.00'))
    expect(typed.summary.carriedIn).toEqual({ short: '-14000.00', long: '0.00', total: '-14000.00' })
    expect(typed.summary.carriedOut?.total).toBe('-1000.00')
    expect(typed.summary.notes).toContain(
      'Losses carried into 2022 from before this ledger, as you entered them: short-term -20,000.00 USD, long-term 0.00 USD. Ledger years before 2022 are not reckoned; 2022 to 2023 are reckoned from this ledger on top.',
    )
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

describe('tax reports start from losses entered from before the ledger', () => {
  // 2023: a 10,000 short-term loss; 2024: a 2,000 short-term gain (as above).
  const us = [
    trade('buy', 'BTC/USDT', '1', '30000', '2023-02-01T12:00:00-05:00'),
    trade('sell', 'BTC/USDT', '1', '20000', '2023-03-01T12:00:00-05:00'),
    trade('buy', 'BTC/USDT', '1', '20000', '2024-01-10T12:00:00-05:00'),
    trade('sell', 'BTC/USDT', '1', '22000', '2024-03-10T12:00:00-04:00'),
  ]

  it('US: an entry for 2024 replaces the ledger’s 2023; one for 2023 is carried through it', () => {
    // Into 2024: −4,000 short, −2,000 long. 2,000 − 4,000 → −2,000 short, −2,000 long; 3,000 deducted
    // (the 2,000 short first): −1,000 long carries. The ledger's 2023 loss is the return's business now.
    const r = report(us, { jurisdiction: 'us', year: 2024 }, entered('us', 2024, '4000.00', '2000.00'))
    expect(r.summary.carriedIn).toEqual({ short: '-4000.00', long: '-2000.00', total: '-6000.00' })
    expect([r.summary.taxable, r.summary.deductible]).toEqual(['0.00', '3000.00'])
    expect(r.summary.carriedOut).toEqual({ short: '0.00', long: '-1000.00', total: '-1000.00' })
    expect(r.summary.notes).toContain('Losses carried into 2024 from before this ledger, as you entered them: short-term -4,000.00 USD, long-term -2,000.00 USD. Ledger years before 2024 are not reckoned.')
    // Into 2023: −1,000 short, then the ledger's 2023 (−10,000 → −11,000; 3,000 deducted) brings −8,000
    // into 2024; 2,000 gain → −6,000, 3,000 deducted, −3,000 carries.
    const through = report(us, { jurisdiction: 'us', year: 2024 }, entered('us', 2023, '1000.00', '0.00'))
    expect(through.summary.carriedIn).toEqual({ short: '-8000.00', long: '0.00', total: '-8000.00' })
    expect(through.summary.carriedOut).toEqual({ short: '-3000.00', long: '0.00', total: '-3000.00' })
    expect(through.summary.notes).toContain('Losses carried into 2023 from before this ledger, as you entered them: short-term -1,000.00 USD, long-term 0.00 USD. Ledger years before 2023 are not reckoned; 2023 is reckoned from this ledger on top.')
    // A year before the entry's is reckoned from the ledger as before.
    expect(report(us, { jurisdiction: 'us', year: 2023 }, entered('us', 2024, '4000.00', '2000.00')).summary.carriedIn).toBeNull()
  })

  it('an entry is the person’s: a one-account report does not apply it, and says so', () => {
    const r = report(us, { jurisdiction: 'us', year: 2024, account: 'acct' }, entered('us', 2024, '4000.00', '2000.00'))
    expect(r.summary.carriedIn).toEqual({ short: '-7000.00', long: '0.00', total: '-7000.00' })
    expect(r.summary.notes).toContain(
      "The losses you entered as carried into 2024 apply to the report over all your accounts, not to one account's; this report reckons only this account's earlier years.",
    )
  })

  it('UK: losses brought forward from a return are used only down to the annual exempt amount', () => {
    const uk = [trade('buy', 'BTC/GBP', '1', '20000', '2024-05-01T12:00:00+01:00'), trade('sell', 'BTC/GBP', '1', '30000', '2024-08-01T12:00:00+01:00')]
    // 10,000 gain − 3,000 exempt = 7,000 room: 7,000 of 10,000 used, 3,000 carries on, nothing taxable.
    const r = report(uk, { jurisdiction: 'uk', year: 2024 }, entered('uk', 2024, '10000.00'))
    expect([r.summary.taxable, r.summary.carriedIn?.total, r.summary.carriedOut?.total]).toEqual(['0.00', '-10000.00', '-3000.00'])
  })

  it('DE: the recorded carryforward is applied after the Freigrenze test, and kept through a tax-free year', () => {
    const de = [
      trade('buy', 'BTC/EUR', '1', '30000', '2023-02-01T12:00:00+01:00'),
      trade('sell', 'BTC/EUR', '1', '29200', '2023-04-01T12:00:00+02:00'), // 2023: −800
      trade('buy', 'BTC/EUR', '1', '20000', '2024-02-01T12:00:00+01:00'),
      trade('sell', 'BTC/EUR', '1', '20800', '2024-04-01T12:00:00+02:00'), // 2024: +800, under the 1,000 Freigrenze
      trade('buy', 'BTC/EUR', '1', '20000', '2025-02-01T12:00:00+01:00'),
      trade('sell', 'BTC/EUR', '1', '21200', '2025-04-01T12:00:00+02:00'), // 2025: +1,200
    ]
    // Recorded at the end of 2022: 1,500. 2023's −800 adds (once declared): 2,300. 2024's 800 is tax-free
    // and spends nothing. 2025's 1,200 is taxable in full, and the 2,300 offsets all of it: 1,100 carries on.
    const r = report(de, { jurisdiction: 'de', year: 2025 }, entered('de', 2023, '1500'))
    expect([r.summary.net, r.summary.taxable, r.summary.carriedIn?.total, r.summary.carriedOut?.total]).toEqual(['1200.00', '0.00', '-2300.00', '-1100.00'])
    const y2024 = report(de, { jurisdiction: 'de', year: 2024 }, entered('de', 2023, '1500'))
    expect([y2024.summary.taxable, y2024.summary.carriedIn?.total, y2024.summary.carriedOut?.total]).toEqual(['0.00', '-2300.00', '-2300.00'])
    // Without an entry nothing is applied: 2025's 1,200 is taxable.
    expect(report(de, { jurisdiction: 'de', year: 2025 }).summary.taxable).toBe('1200.00')
  })
})

describe('UK: whether the year must be reported', () => {
  const sale = (buy: string, sell: string, year: number) => [
    trade('buy', 'BTC/GBP', '1', buy, `${year}-05-01T12:00:00+01:00`),
    trade('sell', 'BTC/GBP', '1', sell, `${year}-08-01T12:00:00+01:00`),
  ]
  const reporting = (r: TaxReport) => r.summary.notes.find((n) => n.startsWith('Reporting:'))
  it('names why: tax due, proceeds over the limit (50,000 from 2023/24; four times the exempt amount before), a loss to claim', () => {
    expect(reporting(report(sale('40000', '52000', 2024), { jurisdiction: 'uk', year: 2024 }))).toContain('tax is due on these gains')
    // 60,000 proceeds at a loss: no tax, but over 50,000.
    expect(reporting(report(sale('61000', '60000', 2024), { jurisdiction: 'uk', year: 2024 }))).toBe(
      'Reporting: no tax is due, but the disposals’ proceeds (60,000.00 GBP) exceed 50,000.00 GBP: if you are registered for Self Assessment, they go on your return.',
    )
    // 2022/23: the limit was 4 × 12,300 = 49,200.
    expect(reporting(report(sale('49250', '49250', 2022), { jurisdiction: 'uk', year: 2022 }))).toContain('exceed 49,200.00 GBP (four times the annual exempt amount)')
    expect(reporting(report(sale('49250', '49250', 2023), { jurisdiction: 'uk', year: 2023 }))).toContain('within 50,000.00 GBP: nothing to report')
    expect(reporting(report(sale('30000', '20000', 2024), { jurisdiction: 'uk', year: 2024 }))).toContain('claim it on a return within four years')
  })

  it('losses taking gains over the annual exempt amount down to none taxable: the year must still be reported', () => {
    // 2024/25: a 10,000 gain and an 8,000 loss, 24,000 proceeds. Net 2,000 is under the 3,000 exempt
    // amount, but the gains before losses (10,000) exceed it: HMRC wants the return, with the losses.
    const gainAndLoss = [
      ...sale('10000', '20000', 2024),
      trade('buy', 'ETH/GBP', '4', '3000', '2024-05-01T12:00:00+01:00'),
      trade('sell', 'ETH/GBP', '4', '1000', '2024-07-01T12:00:00+01:00'),
    ]
    const r = report(gainAndLoss, { jurisdiction: 'uk', year: 2024 })
    expect([r.summary.gains, r.summary.losses, r.summary.taxable, r.summary.all.proceeds]).toEqual(['10000.00', '-8000.00', '0.00', '24000.00'])
    expect(reporting(r)).toBe(
      'Reporting: no tax is due after losses, but the gains before losses (10,000.00 GBP) exceed the 3,000.00 GBP annual exempt amount: you must report these disposals, and the losses set against them, on a Self Assessment return.',
    )
    // The same with losses brought forward: a 10,000 gain brought down to the exempt amount by 7,000 of them.
    const forward = report(sale('20000', '30000', 2024), { jurisdiction: 'uk', year: 2024 }, entered('uk', 2024, '10000.00'))
    expect(forward.summary.taxable).toBe('0.00')
    expect(reporting(forward)).toContain('you must report these disposals, and the losses set against them')
    // Gains within the exempt amount before losses: nothing to report.
    expect(reporting(report(sale('20000', '22500', 2024), { jurisdiction: 'uk', year: 2024 }))).toContain('nothing to report')
  })
})
