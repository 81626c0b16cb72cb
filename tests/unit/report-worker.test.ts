import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { TaxService } from '../../src-main/tax/service'
import { CarryInStore } from '../../src-main/tax/carry-in'
import { ReportWorker } from '../../src-main/reports/worker'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import { makeFills } from '../bench/portfolio-workload'
import { migrationsDir, tempDir } from '../support/temp-core'

// Tax reports run on the report worker thread with a read-only connection of their own: the same answer as on
// the engine's thread, while the engine's thread keeps turning (its timers fire during the computation,
// where on its own thread they fire only between chunks) — and if the thread cannot start, on the engine's thread after all.

let store: Store
const now = () => Date.UTC(2024, 0, 1)
const query = taxReportInputSchema.parse({ jurisdiction: 'us', year: 2023, method: 'hifo', lineLimit: 50 })

beforeAll(() => {
  store = openStore(tempDir('co-tax-worker-'), migrationsDir)
  const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
  portfolio.importBatch(makeFills(20_000), null)
}, 60_000)
afterAll(() => store.close())

/** Runs `work` and counts how often a 5 ms timer fired on this thread meanwhile. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ result: T; ticks: number }> {
  let ticks = 0
  const timer = setInterval(() => ticks++, 5)
  try {
    const result = await work()
    return { result, ticks }
  } finally {
    clearInterval(timer)
  }
}

describe('tax worker', () => {
  it('answers as the engine thread would, while the engine thread keeps turning', async () => {
    const inline = new TaxService({ reports: new ReportWorker({ db: store.db }), carryIn: new CarryInStore(store.db), now })
    const worker = new ReportWorker({ db: store.db, dbPath: store.path })
    const threaded = new TaxService({ reports: worker, carryIn: new CarryInStore(store.db), now })
    try {
      const here = await ticksDuring(() => inline.report(query))
      const there = await ticksDuring(() => threaded.report(query))
      expect(here.result.lineCount).toBeGreaterThan(1000)
      expect(there.result).toEqual(here.result)
      // On its own thread the report lets timers fire only between its chunks of work; on the worker they fire throughout.
      expect(there.ticks).toBeGreaterThanOrEqual(3)
      expect(there.ticks).toBeGreaterThan(here.ticks)
      const csv = await threaded.export({ ...query, format: 'csv' })
      expect(csv.data.trim().split('\r\n')).toHaveLength(there.result.lineCount + 1)
      // Losses entered as carried in are written on this thread and read by the worker's own connection.
      threaded.carryInSet({ jurisdiction: 'us', year: 2023, shortTerm: '1000', longTerm: '250.5' })
      const carried = await threaded.report(query)
      expect(carried.summary.carriedIn).toEqual({ short: '-1000.00', long: '-250.50', total: '-1250.50' })
      expect(carried.summary).toEqual((await inline.report(query)).summary)
      expect(threaded.carryInClear('us')).toEqual({ jurisdiction: 'us', cleared: true })
      expect((await threaded.report(query)).summary.carriedIn).toBeNull()
    } finally {
      await worker.stop()
    }
  }, 60_000)

  it('falls back to the engine thread when the worker cannot open the database', async () => {
    const errors: string[] = []
    const log = { ...silentLogger, error: (message: string) => errors.push(message) }
    const worker = new ReportWorker({ db: store.db, dbPath: '/nonexistent/dir/ledger.sqlite', log })
    const broken = new TaxService({ reports: worker, carryIn: new CarryInStore(store.db), now })
    try {
      const report = await broken.report(query)
      expect(report.lineCount).toBeGreaterThan(1000)
      expect(errors).toEqual(['report worker failed; reports run on the engine thread from now on'])
      expect((await broken.report(query)).summary).toEqual(report.summary)
    } finally {
      await worker.stop()
    }
  }, 60_000)
})
