import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { TaxService } from '../../src-main/tax/service'
import { CarryInStore } from '../../src-main/tax/carry-in'
import { ReportWorker } from '../../src-main/reports/worker'
import type { JobControl } from '../../src-main/reports/job-control'
import { commands } from '../../src-main/api/contract'
import { AppError } from '../../src-main/api/errors'
import type { TaxReport, TaxReportQuery } from '../../src-main/api/schemas/tax'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import { makeFills } from '../bench/portfolio-workload'
import { migrationsDir, tempDir } from '../support/temp-core'
import { waitFor } from '../support/wait-for'

// A user stepping through tax years waits for the last year's report, not for every one before it: a newer
// report for the same view stops the older one (which ends with CANCELED "superseded by a newer request" and
// never answers with a report), tax.cancel stops one, and the stopped computation does not run on to its end
// (its count of checkpoints passed stays well below a whole report's).

let store: Store
const now = () => Date.UTC(2025, 0, 1)
const query = (over: Partial<TaxReportQuery> = {}) => taxReportInputSchema.parse({ jurisdiction: 'us', year: 2023, method: 'hifo', lineLimit: 10, ...over })

beforeAll(() => {
  store = openStore(tempDir('co-tax-cancel-'), migrationsDir)
  const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
  portfolio.importBatch(makeFills(20_000), null)
}, 60_000)
afterAll(() => store.close())

/** A tax service over `reports`, with every job's control kept (its steps are the work it did). */
function service(reports: ReportWorker): { tax: TaxService; controls: JobControl[] } {
  const controls: JobControl[] = []
  const run = reports.run.bind(reports)
  reports.run = ((job, control) => {
    if (control) controls.push(control)
    return run(job, control)
  }) as ReportWorker['run']
  return { tax: new TaxService({ reports, carryIn: new CarryInStore(store.db), now }), controls }
}

/** How the promise ended, without letting a rejection go unhandled meanwhile. */
function outcome(p: Promise<TaxReport>): Promise<{ report: TaxReport } | { error: AppError }> {
  return p.then(
    (report) => ({ report }),
    (error: AppError) => ({ error }),
  )
}

for (const where of ['worker', 'engine thread'] as const) {
  describe(`tax report jobs on the ${where}`, () => {
    let reports: ReportWorker
    beforeAll(() => {
      reports = new ReportWorker({ db: store.db, ...(where === 'worker' ? { dbPath: store.path } : {}) })
    })
    afterAll(() => reports.stop())

    it('a newer report for the same view supersedes the one computing, which stops early and never answers', async () => {
      const { tax, controls } = service(reports)
      await tax.report(query())
      const whole = controls[0]!.steps
      expect(whole).toBeGreaterThan(20)

      const older = outcome(tax.report(query({ view: 'tax-page-1' })))
      // Looked at every 1 ms: the job is caught a few checkpoints in, well before it could run to its end.
      await waitFor(() => controls[1]!.steps >= 3, 'the report three checkpoints in', 20_000, 1)
      const at = controls[1]!.steps
      const newer = await tax.report(query({ method: 'fifo', view: 'tax-page-1' }))
      expect(newer.method).toBe('fifo')
      expect(newer.lineCount).toBeGreaterThan(0)
      const old = await older
      expect(old).toEqual({ error: expect.objectContaining({ code: 'CANCELED', message: 'superseded by a newer request' }) })
      // The older job stopped at a checkpoint right after it was superseded, not at the end of its work.
      expect(controls[1]!.steps).toBeLessThanOrEqual(at + 5)
      expect(controls[1]!.steps).toBeLessThan(whole / 2)

      // Another view is not superseded by it.
      const [a, b] = await Promise.all([tax.report(query({ view: 'a' })), tax.report(query({ view: 'b' }))])
      expect(b).toEqual(a)
    }, 60_000)

    it('tax.cancel stops the view\'s report, which ends with CANCELED, and later reports run', async () => {
      const { tax, controls } = service(reports)
      await tax.report(query())
      const whole = controls[0]!.steps

      const running = outcome(tax.report(query({ view: 'tax-page-2' })))
      // Looked at every 1 ms: the job is caught a few checkpoints in, well before it could run to its end.
      await waitFor(() => controls[1]!.steps >= 3, 'the report three checkpoints in', 20_000, 1)
      const at = controls[1]!.steps
      expect(tax.cancel('tax-page-2')).toEqual({ canceled: true })
      expect(await running).toEqual({ error: expect.objectContaining({ code: 'CANCELED', message: 'canceled at your request' }) })
      expect(tax.cancel('tax-page-2')).toEqual({ canceled: false })

      const after = await tax.report(query({ view: 'tax-page-2' }))
      expect(after.lineCount).toBeGreaterThan(0)
      expect(controls[1]!.steps).toBeLessThanOrEqual(at + 5)
      expect(controls[1]!.steps).toBeLessThan(whole / 2)
    }, 60_000)
  })
}

describe('tax.cancel in the contract', () => {
  it('takes a view id and nothing else', () => {
    expect(commands['tax.cancel'].input.safeParse({ view: 'tax-page-1' }).success).toBe(true)
    expect(commands['tax.cancel'].input.safeParse({ view: '' }).success).toBe(false)
    expect(commands['tax.cancel'].input.safeParse({}).success).toBe(false)
    expect(commands['tax.cancel'].input.safeParse({ view: 'x', all: true }).success).toBe(false)
  })
})
