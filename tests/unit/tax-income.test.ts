import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { computePortfolio, type PriceMarkInput } from '../../src-main/portfolio/pnl'
import { taxReportInputSchema, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput, LedgerTransferInput } from '../../src-main/portfolio/model'
import fs from 'node:fs'
import { openStore } from '../../src-main/store/open'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import { migrationsDir, tempDir } from '../support/temp-core'

// Income (staking and other rewards, interest, airdrops) through the portfolio and the tax report, over a
// hand-made ledger worked out by hand:
//   1 Jan 2025  buy 1 ETH at 3,000 USDT
//   1 Feb 2025  0.1 ETH staking reward; ETH is 3,200 then (a mark): income 320, the lot's cost 320
//   1 Mar 2025  sell 1.1 ETH at 3,500: 3,850 proceeds; FIFO 1 ETH (cost 3,000, gain 500) + 0.1 (cost 320, gain 30)

const at = (iso: string) => Date.parse(iso)
const base = { account: 'acct', fee: null, source: 'csv', externalId: null } as const
const trade = (side: 'buy' | 'sell', amount: string, price: string, iso: string): LedgerEntryInput => ({
  ...base, kind: 'trade', timestamp: at(iso), symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', side, price, amount,
})
const income = (asset: string, amount: string, iso: string): LedgerEntryInput => ({ ...base, kind: 'income', timestamp: at(iso), asset, amount })
const deposit = (asset: string, amount: string, iso: string): LedgerEntryInput => ({ ...base, kind: 'deposit', timestamp: at(iso), asset, amount })

const entries = [
  deposit('USDT', '5000', '2024-12-01T12:00:00Z'),
  trade('buy', '1', '3000', '2025-01-01T12:00:00Z'),
  income('ETH', '0.1', '2025-02-01T12:00:00Z'),
  trade('sell', '1.1', '3500', '2025-03-01T12:00:00Z'),
]
const marks: PriceMarkInput[] = [{ asset: 'ETH', quote: 'USDT', price: '3200', at: at('2025-02-01T12:00:00Z') }]
const report = (list: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>, m: PriceMarkInput[] = marks) =>
  buildTaxReport({ entries: list, marks: m, query: taxReportInputSchema.parse(input), includes: () => true, now: 0 })

describe('income', () => {
  it('is profit in the portfolio, not money put in: realized at its value when it arrived', () => {
    const p = computePortfolio({ entries, marks, reportingCurrency: 'USDT' })
    // 5,000 in; 5,000 − 3,000 + 3,850 = 5,850 USDT now: 850 of P&L = 320 income + 530 gains.
    expect(p.totals.netDeposits).toBe('5000')
    expect(p.totals.value).toBe('5850')
    expect(p.totals.realized).toBe('850')
  })

  it('US: ordinary income apart from capital gains; the coins’ cost basis is that value', () => {
    const { report: r, incomeLines } = report(entries, { jurisdiction: 'us', year: 2025 })
    expect(r.income).toMatchObject({ total: '320.00', count: 1, allowance: null, taxable: '320.00' })
    expect(incomeLines).toEqual([{ asset: 'ETH', amount: '0.1', receivedAt: at('2025-02-01T12:00:00Z'), value: '320.00', account: 'acct', what: null }])
    expect(r.income.notes[0]).toContain('ordinary income at its fair market value when received')
    expect(r.lines.map((l) => [l.amount, l.cost, l.proceeds, l.gain])).toEqual([
      ['1', '3000.00', '3500.00', '500.00'],
      ['0.1', '320.00', '350.00', '30.00'],
    ])
    expect([r.summary.all.gain, r.summary.taxable]).toEqual(['530.00', '530.00'])
    expect(r.warnings).toEqual([])
    // Another year has none.
    expect(report(entries, { jurisdiction: 'us', year: 2024 }).report.income).toMatchObject({ total: '0.00', count: 0, notes: [] })
  })

  it('DE: under the 256 € Freigrenze tax-free in full, at or above it taxable in full', () => {
    const eur: PriceMarkInput[] = [
      { asset: 'USDT', quote: 'EUR', price: '1', at: at('2024-11-01T00:00:00Z') },
      { asset: 'ETH', quote: 'EUR', price: '2550', at: at('2025-02-01T12:00:00Z') },
    ]
    const small = report(entries, { jurisdiction: 'de', year: 2025 }, eur).report.income
    expect(small).toMatchObject({ total: '255.00', allowance: { label: 'Freigrenze (§ 22 Nr. 3 EStG)', amount: '256.00' }, taxable: '0.00' })
    const more = report([...entries, income('ETH', '0.0004', '2025-02-01T12:00:01Z')], { jurisdiction: 'de', year: 2025 }, eur).report.income
    expect(more).toMatchObject({ total: '256.02', taxable: '256.02', count: 2 })
  })

  it('with no price it counts as 0 and says the report is incomplete', () => {
    const { report: r } = report([income('XYZ', '50', '2025-02-02T00:00:00Z')], { jurisdiction: 'us', year: 2025 }, [])
    expect(r.income).toMatchObject({ total: '0.00', count: 1 })
    expect(r.warnings.map((w) => [w.kind, w.asset])).toEqual([['unpriced-income', 'XYZ']])
    expect(r.summary.incomplete).not.toBeNull()
  })
})

describe('what each income was', () => {
  const earned = (asset: string, amount: string, iso: string, extra: Partial<LedgerTransferInput> = {}): LedgerTransferInput => ({ ...base, kind: 'income', timestamp: at(iso), asset, amount, ...extra })
  const rewards: LedgerEntryInput[] = [
    deposit('USDT', '5000', '2024-12-01T12:00:00Z'),
    trade('buy', '1', '3000', '2025-01-01T12:00:00Z'),
    earned('ETH', '0.1', '2025-02-01T12:00:00Z', { memo: 'ETH 2.0 Staking' }),
    earned('ETH', '0.05', '2025-02-02T12:00:00Z', { fee: { asset: 'ETH', amount: '0.001' }, memo: 'airdrop' }),
    income('ETH', '0.01', '2025-02-03T12:00:00Z'),
  ]
  const ethMarks: PriceMarkInput[] = [{ asset: 'ETH', quote: 'USDT', price: '3200', at: at('2025-02-01T00:00:00Z') }]

  it('each income line says what it was in its source’s words, from entries and from the database alike', () => {
    const fromEntries = report(rewards, { jurisdiction: 'us', year: 2025 }, ethMarks).incomeLines.map((l) => [l.amount, l.what])
    // The airdrop's fee in ETH makes its flow 0.049, not the entry's 0.05: still found by account, asset and time.
    expect(fromEntries).toEqual([
      ['0.1', 'ETH 2.0 Staking'],
      ['0.049', 'airdrop'],
      ['0.01', null],
    ])
    const dir = tempDir('co-tax-memo-')
    const store = openStore(dir, migrationsDir)
    try {
      new LedgerWriter(store.db).importBatch(rewards)
      for (const m of ethMarks) store.sqlite.prepare('insert into price_marks (asset, quote, price, at) values (?, ?, ?, ?)').run(m.asset, m.quote, m.price, m.at)
      const fromDb = buildTaxReport({ db: store.db, query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2025 }), includes: () => true, now: 0 })
      expect(fromDb.incomeLines.map((l) => [l.amount, l.what])).toEqual(fromEntries)
      expect(fromDb.report.income.lines.map((l) => l.what)).toEqual(['ETH 2.0 Staking', 'airdrop', null])
    } finally {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('names airdrops for review where the rules may not count them as income (UK, DE), and leaves the figures alone', () => {
    const gbp: PriceMarkInput[] = [
      { asset: 'USDT', quote: 'GBP', price: '0.8', at: at('2024-11-01T00:00:00Z') },
      { asset: 'ETH', quote: 'GBP', price: '2500', at: at('2025-01-31T00:00:00Z') },
    ]
    const uk = report(rewards, { jurisdiction: 'uk', year: 2024 }, gbp).report.income
    // UK tax year 2024/25 (to 5 April 2025): all three; the airdrop's 0.049 ETH at 2,500 GBP = 122.50.
    expect(uk.count).toBe(3)
    expect(uk.notes.find((n) => n.startsWith('Check'))).toBe(
      'Check 1 line named airdrops (122.50 GBP, counted above): an airdrop received without doing anything in return is not income (HMRC Cryptoassets Manual, CRYPTO21250); one received for a service is.',
    )
    expect(uk.total).toBe('397.50') // (0.1 + 0.049 + 0.01) × 2,500: the airdrop stays counted
    const us = report(rewards, { jurisdiction: 'us', year: 2025 }, ethMarks).report.income
    expect(us.notes.some((n) => n.includes('airdrop'))).toBe(false)
  })

  it('a memo is descriptive: the same income with and without one is stored once; a bad memo is refused, naming the entry', () => {
    const dir = tempDir('co-ledger-memo-')
    const store = openStore(dir, migrationsDir)
    try {
      const writer = new LedgerWriter(store.db)
      const plain = earned('DOT', '1.5', '2025-04-01T00:00:00Z')
      expect(writer.importBatch([plain]).inserted).toBe(1)
      expect(writer.importBatch([{ ...plain, memo: 'staking' }])).toMatchObject({ inserted: 0, duplicates: 1 })
      expect(() => writer.importBatch([plain, earned('DOT', '2', '2025-04-02T00:00:00Z', { memo: 'x'.repeat(121) })])).toThrow(/entry 2: memo is 121 characters, at most 120/)
      expect(() => writer.importBatch([earned('DOT', '2', '2025-04-02T00:00:00Z', { memo: 'a\nb' })])).toThrow(/entry 1: memo must not hold control characters/)
      expect(store.sqlite.prepare("select count(*) as n from ledger_entries where base = 'DOT'").get()).toEqual({ n: 1 })
    } finally {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
