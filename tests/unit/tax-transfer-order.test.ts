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

describe('tax report: a withdrawal within the hour is not always the deposit', () => {
  // Kraken receives 1 BTC from outside at 12:00; Binance, unrelated, buys 1 BTC at 12:10 and withdraws it at 12:30.
  function unrelated(withdrawnAt: string) {
    const kraken = ledger('kraken')
    const binance = ledger('binance')
    const entries: LedgerEntryInput[] = [
      { ...kraken.deposit('BTC', '1'), timestamp: at('2024-06-01T12:00:00Z') },
      { ...binance.buy('BTC/USDT', '1', '60100'), timestamp: at('2024-06-01T12:10:00Z') },
      { ...binance.withdraw('BTC', '1'), timestamp: at(withdrawnAt) },
      { ...kraken.sell('BTC/USDT', '1', '65000'), timestamp: at('2024-07-01T12:00:00Z') },
    ]
    return { entries, marks: [{ asset: 'BTC', quote: 'USD', price: '60000', at: at('2024-06-01T11:00:00Z') }] }
  }

  for (const pooling of ['per-account', 'universal'] as const) {
    it(`is not moved in front of its own account's buy: the report is the same as with the withdrawal an hour later (${pooling})`, () => {
      const near = unrelated('2024-06-01T12:30:00Z')
      const far = unrelated('2024-06-01T13:01:00Z')
      const r = report(near.entries, { jurisdiction: 'us', year: 2024, pooling }, near.marks)
      const control = report(far.entries, { jurisdiction: 'us', year: 2024, pooling }, far.marks)
      if (pooling === 'per-account') expect(view(r)).toEqual([['kraken', '1', '2024-06-01', '60000.00', 'short']])
      expect(view(r)).toEqual(view(control))
      expect(r.warnings.map((w) => w.kind).sort()).toEqual(control.warnings.map((w) => w.kind).sort())
    })
  }

  it('a deposit covered by a withdrawal already in transit pulls no later one in front of another deposit', () => {
    // Kraken's 12:00 deposit is Binance's 11:59 withdrawal. Bitstamp gets 0.5 BTC from outside at 12:10;
    // Coinbase sends 1 BTC out at 12:20. That withdrawal is no one's deposit: Bitstamp's coins are of unknown origin.
    function run(coinbaseOut: string) {
      const binance = ledger('binance')
      const coinbase = ledger('coinbase')
      const kraken = ledger('kraken')
      const bitstamp = ledger('bitstamp')
      const entries: LedgerEntryInput[] = [
        { ...binance.buy('BTC/USDT', '1', '20000'), timestamp: at('2022-05-01T12:00:00Z') },
        { ...coinbase.buy('BTC/USDT', '1', '30000'), timestamp: at('2023-05-01T12:00:00Z') },
        { ...binance.withdraw('BTC', '1'), timestamp: at('2024-06-01T11:59:00Z') },
        { ...kraken.deposit('BTC', '1'), timestamp: at('2024-06-01T12:00:00Z') },
        { ...bitstamp.deposit('BTC', '0.5'), timestamp: at('2024-06-01T12:10:00Z') },
        { ...coinbase.withdraw('BTC', '1'), timestamp: at(coinbaseOut) },
        { ...kraken.sell('BTC/USDT', '1', '65000'), timestamp: at('2024-07-01T12:00:00Z') },
        { ...bitstamp.sell('BTC/USDT', '0.5', '65000'), timestamp: at('2024-07-01T13:00:00Z') },
      ]
      const marks = [{ asset: 'BTC', quote: 'USD', price: '60000', at: at('2024-06-01T00:00:00Z') }]
      return report(entries, { jurisdiction: 'us', year: 2024, pooling: 'per-account' }, marks)
    }
    const r = run('2024-06-01T12:20:00Z')
    expect(view(r)).toEqual([
      ['kraken', '1', '2022-05-01', '20000.00', 'long'],
      ['bitstamp', '0.5', '2024-06-01', '30000.00', 'short'],
    ])
    expect(view(r)).toEqual(view(run('2024-06-01T14:00:00Z')))
    expect(r.warnings.filter((w) => w.kind === 'unmatched-deposit').map((w) => w.asset)).toEqual(['BTC'])
  })
})
