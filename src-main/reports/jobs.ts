import type { LedgerDb } from '../portfolio/sqlite'
import { runTaxJob, type TaxJob } from '../tax/jobs'
import { runTradeStatsJob, type TradeStatsJob } from '../analytics/jobs'

// The jobs the report worker runs: reports that replay the whole ledger (seconds of CPU on a large
// one), so they run off the engine's thread.

export type ReportJob = TaxJob | TradeStatsJob

export function runReportJob(db: LedgerDb, job: ReportJob): Promise<unknown> {
  return job.kind === 'tradeStats' ? Promise.resolve(runTradeStatsJob(db, job)) : runTaxJob(db, job)
}
