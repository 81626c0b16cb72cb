import { describe, expect, it } from 'vitest'
import { openStore } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { runTax, taxArgs } from '../../src-main/cli/tax-command'
import { UsageError } from '../../src-main/cli/usage'
import { runTaxJob } from '../../src-main/tax/jobs'
import { taxReportInputSchema, taxExportInputSchema } from '../../src-main/api/schemas/tax'
import { AppError } from '../../src-main/api/errors'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ledger } from './portfolio-support'

// A report for an account the ledger does not have is an empty year that looks like a true one (no gains,
// nothing wrong): a mistyped name must be refused, naming the accounts there are.

function withLedger(run: (db: ReturnType<typeof openStore>['db']) => Promise<void>) {
  const store = openStore(tempDir('co-tax-acct-'), migrationsDir)
  const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
  const l = ledger('kraken-file')
  portfolio.importBatch([{ ...l.buy('BTC/USDT', '1', '40000'), timestamp: Date.parse('2024-02-01T12:00:00Z') }, { ...l.sell('BTC/USDT', '1', '50000'), timestamp: Date.parse('2024-03-01T12:00:00Z') }], null)
  return run(store.db).finally(() => store.close())
}

describe('tax for one account', () => {
  it('the CLI refuses an account the ledger does not have, naming those it has (a usage error: exit 2)', () =>
    withLedger(async (db) => {
      const err = await runTax(taxArgs(['--jurisdiction', 'us', '--year', '2024', '--account', 'nosuch']), db, 0).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(UsageError)
      expect((err as Error).message).toBe('tax: --account "nosuch" is not a ledger account (known: kraken-file)')
      // The account it has still reports.
      const ok = await runTax(taxArgs(['--jurisdiction', 'us', '--year', '2024', '--account', 'kraken-file']), db, 0)
      expect(ok.report.summary.all.gain).toBe('10000.00')
    }))

  it('tax.report and tax.export refuse it as NOT_FOUND', () =>
    withLedger(async (db) => {
      const report = await runTaxJob(db, { kind: 'report', query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2024, account: 'nosuch' }), now: 0 }).catch((e: unknown) => e)
      expect(report).toBeInstanceOf(AppError)
      expect((report as AppError).code).toBe('NOT_FOUND')
      expect((report as Error).message).toBe('account "nosuch" is not a ledger account (known: kraken-file)')
      const file = await runTaxJob(db, { kind: 'export', input: taxExportInputSchema.parse({ jurisdiction: 'us', year: 2024, account: 'nosuch', format: 'csv' }), now: 0 }).catch((e: unknown) => e)
      expect((file as AppError).code).toBe('NOT_FOUND')
    }))
})
