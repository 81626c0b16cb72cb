import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { computePortfolio, type PriceMarkInput } from '../../src-main/portfolio/pnl'
import { ledger } from './portfolio-support'

// A trade valued at a price far older than the trade (the only one the ledger has) is valued, but the
// report must say so: the figure may be far from the market's then, and a long/short split with it.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>, marks: PriceMarkInput[] = []): TaxReport {
  return buildTaxReport({ entries, marks, query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, iso: string, account = 'acct'): LedgerEntryInput {
  const l = ledger(account)
  return { ...(side === 'buy' ? l.buy(symbol, amount, price) : l.sell(symbol, amount, price)), timestamp: at(iso) }
}

describe('tax report: prices older than a week', () => {
  // BTC's only USD price is a 2021 trade; in June 2024 0.5 BTC buys 10 ETH, sold in July.
  const entries = [
    trade('buy', 'BTC/USDT', '1', '30000', '2021-01-05T12:00:00Z'),
    trade('buy', 'ETH/BTC', '10', '0.05', '2024-06-01T12:00:00Z'),
    trade('sell', 'ETH/USDT', '10', '3400', '2024-07-01T12:00:00Z'),
  ]

  it('a coin spent at its 2021 price is warned, naming the coin and the price’s date, and the report is incomplete', () => {
    const r = report(entries, { jurisdiction: 'us', year: 2024 })
    const stale = r.warnings.filter((w) => w.kind === 'stale-price')
    expect(stale.map((w) => [w.asset, w.timestamp])).toEqual([['BTC', at('2024-06-01T12:00:00Z')]])
    expect(stale[0]?.message).toContain('2021-01-05')
    expect(r.summary.incomplete).toMatch(/price more than a week old/)
    expect(r.summary.incomplete).toContain('BTC')
  })

  it('the P&L, valuing the same trade the same way, warns the same', () => {
    const p = computePortfolio({ entries, reportingCurrency: 'USD' })
    expect(p.warnings.filter((w) => w.kind === 'stale-price').map((w) => w.asset)).toEqual(['BTC'])
  })

  it('a price from the day before is no warning', () => {
    const fresh = [trade('buy', 'BTC/USDT', '1', '60000', '2024-05-31T12:00:00Z'), ...entries.slice(1)]
    const r = report(fresh, { jurisdiction: 'us', year: 2024 })
    expect(r.warnings.filter((w) => w.kind === 'stale-price')).toEqual([])
    expect(r.summary.incomplete).toBeNull()
  })

  it('EUR report: trades of 2024 valued at a EUR rate of 2022-12-30 are warned', () => {
    const marks = [{ asset: 'EUR', quote: 'USDT', price: '1.0666', at: at('2022-12-30T00:00:00Z') }]
    const r = report([trade('buy', 'BTC/USDT', '1', '40000', '2024-02-01T12:00:00Z'), trade('sell', 'BTC/USDT', '1', '60000', '2024-05-01T12:00:00Z')], { jurisdiction: 'de', year: 2024 }, marks)
    const stale = r.warnings.filter((w) => w.kind === 'stale-price')
    expect(stale.length).toBeGreaterThan(0)
    expect(stale[0]?.message).toContain('2022-12-30')
    expect(r.summary.incomplete).toMatch(/price more than a week old/)
  })
})

describe('tax report: an old price counts toward the year it was used in', () => {
  // 2021: an ETH/BTC trade valued at a two-month-old BTC price; all ETH and BTC sold in 2021.
  const y2021 = [
    trade('buy', 'BTC/USDT', '1', '30000', '2021-01-05T12:00:00Z'),
    trade('buy', 'ETH/BTC', '10', '0.05', '2021-03-01T12:00:00Z'),
    trade('sell', 'ETH/USDT', '10', '1500', '2021-04-01T12:00:00Z'),
    trade('sell', 'BTC/USDT', '0.5', '50000', '2021-04-01T12:00:00Z'),
  ]
  // 2024: only SOL/USDT trades, every one priced in USDT.
  const y2024 = [trade('buy', 'SOL/USDT', '10', '100', '2024-02-01T12:00:00Z'), trade('sell', 'SOL/USDT', '10', '150', '2024-05-01T12:00:00Z')]

  it('the 2021 report warns of it; the 2024 report, none of whose entries used an old price, is complete', () => {
    const r2021 = report([...y2021, ...y2024], { jurisdiction: 'us', year: 2021 })
    expect(r2021.warnings.filter((w) => w.kind === 'stale-price').map((w) => w.asset)).toEqual(['BTC'])
    expect(r2021.summary.incomplete).toMatch(/price more than a week old/)
    const r2024 = report([...y2021, ...y2024], { jurisdiction: 'us', year: 2024 })
    expect(r2024.warnings.filter((w) => w.kind === 'stale-price')).toEqual([])
    expect(r2024.summary.incomplete).toBeNull()
  })

  it('a coin valued at old prices in 2021 and again in 2024: the 2024 report counts and dates only its own', () => {
    const again = [trade('buy', 'ETH/BTC', '10', '0.05', '2024-06-01T12:00:00Z'), trade('sell', 'ETH/USDT', '10', '3400', '2024-07-01T12:00:00Z')]
    const r = report([...y2021, ...y2024, ...again], { jurisdiction: 'us', year: 2024 })
    const stale = r.warnings.filter((w) => w.kind === 'stale-price')
    expect(stale.map((w) => [w.asset, w.timestamp, w.count ?? 1])).toEqual([['BTC', at('2024-06-01T12:00:00Z'), 1]])
    expect(stale[0]?.message).toContain('on 2024-06-01')
    expect(r.summary.incomplete).toMatch(/1 entry was valued at a USD price more than a week old/)
  })

  it('a deposit valued at an old price in 2021 does not mark the 2024 report', () => {
    const l = ledger('acct')
    const deposit = [{ ...l.deposit('BTC', '0.5'), timestamp: at('2021-03-01T12:00:00Z') }, trade('sell', 'BTC/USDT', '1.5', '50000', '2021-04-01T12:00:00Z')]
    const entries = [trade('buy', 'BTC/USDT', '1', '30000', '2021-01-05T12:00:00Z'), ...deposit, ...y2024]
    expect(report(entries, { jurisdiction: 'us', year: 2021 }).warnings.map((w) => w.kind)).toContain('stale-price')
    const r2024 = report(entries, { jurisdiction: 'us', year: 2024 })
    expect(r2024.warnings.filter((w) => w.kind === 'stale-price')).toEqual([])
    expect(r2024.summary.incomplete).toBeNull()
  })
})
