import { describe, expect, it } from 'vitest'
import { parseRates } from '../../src-main/portfolio/import/rates'
import { importRatesFile } from '../../src-main/portfolio/rates-import'
import { formatRates } from '../../src-main/cli/rates-command'
import { describeOutput } from '../../src-main/audit/policy'
import { openStore } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import { AppError } from '../../src-main/api/errors'
import { thrown } from '../support/thrown'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ledger } from './portfolio-support'

// Daily exchange rates from the three layouts into price marks, all or nothing, and what they do: a
// USDT history valued in EUR for a German report.

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`)

describe('rates files', () => {
  it('reads date,base,quote,rate', () => {
    const r = parseRates('date,base,quote,rate\n2024-01-05,GBP,USD,1.2712\n2024-01-08,gbp,usd,1.27\n')
    expect(r).toEqual({
      format: 'rates',
      rows: 2,
      marks: [
        { asset: 'GBP', quote: 'USD', price: '1.2712', at: day('2024-01-05') },
        { asset: 'GBP', quote: 'USD', price: '1.27', at: day('2024-01-08') },
      ],
    })
  })

  it('reads the ECB’s euro reference rates (newest first, N/A days skipped) as EUR/USD', () => {
    const ecb = 'Date,USD,JPY,BGN,CYP,\n2024-01-03,1.0919,155.42,1.9558,N/A,\n2024-01-02,N/A,155.91,1.9558,N/A,\n2023-12-29,1.105,156.33,1.9558,N/A,\n'
    const r = parseRates(ecb)
    expect(r.format).toBe('ecb')
    expect(r.rows).toBe(3)
    expect(r.marks).toEqual([
      { asset: 'EUR', quote: 'USD', price: '1.0919', at: day('2024-01-03') },
      { asset: 'EUR', quote: 'USD', price: '1.105', at: day('2023-12-29') },
    ])
  })

  it('reads the Bank of England’s XUDLUSS export as GBP/USD', () => {
    const r = parseRates('DATE,XUDLUSS\n02 Jan 2024,1.2689\n03 Jan 2024,1.2626\n')
    expect(r.format).toBe('boe')
    expect(r.marks.map((m) => [m.asset, m.quote, m.price, new Date(m.at).toISOString().slice(0, 10)])).toEqual([
      ['GBP', 'USD', '1.2689', '2024-01-02'],
      ['GBP', 'USD', '1.2626', '2024-01-03'],
    ])
  })

  it('names the line, the column and the value of a bad row, and the expected header of a wrong file', () => {
    expect(thrown(() => parseRates('date,base,quote,rate\n2024-01-05,GBP,USD,1.27\n2024-02-30,GBP,USD,1.28\n'), AppError).message).toBe('line 3, column "date": "2024-02-30" is not a valid date')
    expect(thrown(() => parseRates('date,base,quote,rate\n2024-01-05,GBP,USD,-1\n'), AppError).message).toMatch(/^line 2, column "rate": "-1" /)
    expect(thrown(() => parseRates('date,base,quote,rate\n2024-01-05,USD,USD,1\n'), AppError).message).toBe('line 2, column "quote": base and quote are both USD')
    expect(thrown(() => parseRates('when,price\n2024-01-05,1\n'), AppError).message).toBe(
      "line 1: not a rates file: expected the columns date,base,quote,rate, or the ECB's Date,USD,… or the Bank of England's DATE,XUDLUSS; found when,price",
    )
  })

  it('stores all or nothing, says what it stored, and values a USDT history in EUR for a German report', () => {
    const store = openStore(tempDir('co-rates-'), migrationsDir)
    try {
      const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
      const count = () => (store.sqlite.prepare('select count(*) as n from price_marks').get() as { n: number }).n
      const bad = thrown(() => importRatesFile(portfolio, 'ecb.csv', 'Date,USD,\n2024-01-03,1.10,\n2024-01-02,x,\n'), AppError)
      expect(bad.message).toBe('ecb.csv: line 3, column "USD": "x" is not a number; nothing was imported')
      expect(count()).toBe(0)

      // Rates of the trades' days: one more than a week old would leave the report incomplete.
      const ecb = 'Date,USD,\n2024-06-10,1.25,\n2024-05-31,1.25,\n2024-01-10,1.1,\n2024-01-02,1.1,\n'
      expect(importRatesFile(portfolio, 'ecb.csv', ecb)).toEqual({ format: 'ecb', rows: 4, rates: 4, inserted: 4, changed: 0, changes: [], pairs: ['EUR/USD'], from: day('2024-01-02'), to: day('2024-06-10') })
      expect(importRatesFile(portfolio, 'ecb.csv', ecb).inserted).toBe(0)

      const l = ledger('wallet')
      portfolio.importBatch(
        [
          { ...l.deposit('USDT', '44000'), timestamp: Date.parse('2024-01-05T12:00:00Z') },
          { ...l.buy('BTC/USDT', '1', '44000'), timestamp: Date.parse('2024-01-10T12:00:00Z') },
          { ...l.sell('BTC/USDT', '1', '55000'), timestamp: Date.parse('2024-06-10T12:00:00Z') },
        ],
        null,
      )
      const { report } = buildTaxReport({ db: store.db, query: taxReportInputSchema.parse({ jurisdiction: 'de', year: 2024 }), includes: () => true, now: 0 })
      // 44,000 USDT at 1.1 = 40,000 €; sold for 55,000 USDT at 1.25 = 44,000 €.
      expect(report.lines.map((x) => [x.asset, x.proceeds, x.cost, x.gain])).toEqual([
        ['USDT', '40000.00', '40000.00', '0.00'],
        ['BTC', '44000.00', '40000.00', '4000.00'],
      ])
      expect(report.summary.incomplete).toBeNull()
    } finally {
      store.close()
    }
  })

  it('replaces a stored rate that the file corrects, says how many changed, all or nothing', () => {
    const store = openStore(tempDir('co-rates-fix-'), migrationsDir)
    try {
      const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
      const stored = () => store.sqlite.prepare("select price from price_marks where asset = 'GBP' and quote = 'USD' order by at").pluck().all()
      const typo = importRatesFile(portfolio, 'typo.csv', 'date,base,quote,rate\n2024-02-01,GBP,USD,12.712\n2024-02-02,GBP,USD,1.27\n')
      expect(typo).toMatchObject({ inserted: 2, changed: 0 })
      const fixed = importRatesFile(portfolio, 'fixed.csv', 'date,base,quote,rate\n2024-02-01,GBP,USD,1.2712\n2024-02-02,GBP,USD,1.270\n2024-02-05,GBP,USD,1.26\n')
      expect(fixed).toMatchObject({ inserted: 1, changed: 1, changes: [{ pair: 'GBP/USD', at: day('2024-02-01'), from: '12.712', to: '1.2712' }] })
      expect(stored()).toEqual(['1.2712', '1.27', '1.26'])
      expect(formatRates(fixed)).toContain('1 new, 1 changed (GBP/USD on 2024-02-01: 12.712 → 1.2712), 1 already stored')
      // The audit log's entry for the app's import names the correction too.
      expect(describeOutput(fixed)).toBe('→ 1 changed (GBP/USD on 2024-02-01: 12.712 → 1.2712)')
      // A bad row anywhere: nothing is changed.
      expect(() => importRatesFile(portfolio, 'bad.csv', 'date,base,quote,rate\n2024-02-01,GBP,USD,1.3\n2024-02-30,GBP,USD,1.3\n')).toThrow(AppError)
      expect(stored()).toEqual(['1.2712', '1.27', '1.26'])
    } finally {
      store.close()
    }
  })
})
