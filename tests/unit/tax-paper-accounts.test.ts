import { describe, expect, it } from 'vitest'
import { openStore } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { PaperStore } from '../../src-main/venues/paper/store'
import { paperClosingEntries, paperOpeningEntries } from '../../src-main/portfolio/paper-funding'
import { formatTax, runTax, taxArgs } from '../../src-main/cli/tax-command'
import { runTaxJob } from '../../src-main/tax/jobs'
import { taxExportInputSchema, taxReportInputSchema, type TaxExport, type TaxReport } from '../../src-main/api/schemas/tax'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ledger } from './portfolio-support'
import { pdfText } from '../support/pdf-text'

// Paper trading is practice: a trader rehearsing on a paper account on Binance's real book (`paper:1`) or on
// the simulated exchange's own paper account (`sim`) has no gains to declare. A report over all accounts
// leaves them out and says so; named, a paper account still reports, marked as paper.
//
// kraken-file (imported): 1 BTC bought at 40,000, sold at 50,000 — gain 10,000.
// paper:1 "Binance paper": opened with 100,000 USDT, 1 BTC bought at 40,000, sold at 70,000 — gain 30,000; then closed.
// sim: opened with 10,000 USDT, 1 ETH bought at 2,000, sold at 2,500 — gain 500.

const t = (iso: string) => Date.parse(iso)

function withLedger(run: (db: ReturnType<typeof openStore>['db']) => Promise<void>) {
  const store = openStore(tempDir('co-tax-paper-'), migrationsDir)
  const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
  const paper = new PaperStore(store.db).createAccount({ label: 'Binance paper', sourceKind: 'exchange', sourceVenueId: null, exchange: 'binance', apiBaseUrl: null }, [{ asset: 'USDT', amount: '100000' }], t('2024-01-05T12:00:00Z'))
  expect(paper.id).toBe('paper:1')
  const real = ledger('kraken-file')
  const onPaper = ledger('paper:1')
  const onSim = ledger('sim')
  portfolio.importBatch(
    [
      { ...real.deposit('USDT', '50000'), timestamp: t('2024-01-02T12:00:00Z') },
      { ...real.buy('BTC/USDT', '1', '40000'), timestamp: t('2024-02-01T12:00:00Z') },
      { ...real.sell('BTC/USDT', '1', '50000'), timestamp: t('2024-03-01T12:00:00Z') },
      ...paperOpeningEntries('paper:1', [{ asset: 'USDT', amount: '100000' }], t('2024-01-05T12:00:00Z')),
      { ...onPaper.buy('BTC/USDT', '1', '40000', null, { source: 'app', externalId: 'p-1' }), timestamp: t('2024-02-02T12:00:00Z') },
      { ...onPaper.sell('BTC/USDT', '1', '70000', null, { source: 'app', externalId: 'p-2' }), timestamp: t('2024-04-01T12:00:00Z') },
      ...paperClosingEntries('paper:1', [{ asset: 'USDT', amount: '130000' }], t('2024-05-01T12:00:00Z')),
      ...paperOpeningEntries('sim', [{ asset: 'USDT', amount: '10000' }], t('2024-01-03T12:00:00Z')),
      { ...onSim.buy('ETH/USDT', '1', '2000', null, { source: 'app', externalId: 's-1' }), timestamp: t('2024-02-03T12:00:00Z') },
      { ...onSim.sell('ETH/USDT', '1', '2500', null, { source: 'app', externalId: 's-2' }), timestamp: t('2024-04-02T12:00:00Z') },
    ],
    null,
  )
  return run(store.db).finally(() => store.close())
}

const report = async (db: Parameters<typeof runTaxJob>[0], input: object) =>
  (await runTaxJob(db, { kind: 'report', query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2024, ...input }), now: 0 })) as TaxReport

describe('tax: paper accounts', () => {
  it('a report over all accounts leaves paper trading out and names the paper accounts it left out', () =>
    withLedger(async (db) => {
      const all = await report(db, {})
      expect(all.summary.all.gain).toBe('10000.00')
      expect(new Set(all.lines.map((l) => l.account))).toEqual(new Set(['kraken-file']))
      // Nor do their starting balances and closing withdrawals warn (deposits of unknown origin, and so on).
      expect(all.warnings.filter((w) => w.account !== 'kraken-file')).toEqual([])
      expect(all.paperLeftOut).toEqual([
        { account: 'paper:1', label: 'Binance paper' },
        { account: 'sim', label: 'Simulated exchange' },
      ])
      expect(all.paperAccount).toBe(false)

      // The files over all accounts hold the real account's lines only.
      const csv = (await runTaxJob(db, { kind: 'export', input: taxExportInputSchema.parse({ jurisdiction: 'us', year: 2024, format: 'csv' }), now: 0 })) as TaxExport
      expect(csv.data).toContain('kraken-file')
      expect(csv.data).not.toContain('paper:1')
      expect(csv.data).not.toMatch(/\bETH\b/)
      const pdf = (await runTaxJob(db, { kind: 'export', input: taxExportInputSchema.parse({ jurisdiction: 'us', year: 2024, format: 'pdf' }), now: 0 })) as TaxExport
      const text = await pdfText(Buffer.from(pdf.data, 'base64'))
      expect(text).toContain('Paper accounts are not in this report (paper:1 Binance paper, sim Simulated exchange).')
      expect(text).toContain('Taxable gain: 10,000.00 USD')
    }))

  it('named, a paper account reports its own trades, marked as paper so that no one files it', () =>
    withLedger(async (db) => {
      const paper = await report(db, { account: 'paper:1' })
      expect(paper.summary.all.gain).toBe('30000.00')
      expect(paper.paperAccount).toBe(true)
      expect(paper.paperLeftOut).toEqual([])
      expect(paper.summary.notes[0]).toBe('paper:1 (Binance paper) is a paper account: its trades were practice, not a tax return’s to declare.')
      const sim = await report(db, { account: 'sim' })
      expect(sim.summary.all.gain).toBe('500.00')
      expect(sim.paperAccount).toBe(true)
      const real = await report(db, { account: 'kraken-file' })
      expect(real.paperAccount).toBe(false)
      expect(real.summary.notes.join(' ')).not.toContain('paper account')
      // Its file says so in its name.
      const csv = (await runTaxJob(db, { kind: 'export', input: taxExportInputSchema.parse({ jurisdiction: 'us', year: 2024, account: 'paper:1', format: 'csv' }), now: 0 })) as TaxExport
      expect(csv.fileName).toBe('capital-gains-us-2024-fifo-paper_1-paper-trading.csv')
      const pdf = (await runTaxJob(db, { kind: 'export', input: taxExportInputSchema.parse({ jurisdiction: 'us', year: 2024, account: 'paper:1', format: 'pdf' }), now: 0 })) as TaxExport
      expect(await pdfText(Buffer.from(pdf.data, 'base64'))).toContain('Paper account: practice trades, not for a tax return.')
    }))

  it('the CLI says which paper accounts it left out, and how to see one', () =>
    withLedger(async (db) => {
      const all = await runTax(taxArgs(['--jurisdiction', 'us', '--year', '2024']), db, 0)
      expect(all.report.summary.all.gain).toBe('10000.00')
      const text = formatTax(all)
      expect(text.split('\n')[1]).toBe('Paper accounts are not in this report (paper:1 Binance paper, sim Simulated exchange): name one with --account to see it alone')
      const named = formatTax(await runTax(taxArgs(['--jurisdiction', 'us', '--year', '2024', '--account', 'paper:1']), db, 0))
      expect(named.split('\n')[0]).toMatch(/ for paper:1 — a paper account: practice, not for a tax return$/)
      expect(named).toContain('gain 30000.00')
    }))
})
