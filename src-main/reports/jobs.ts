import type { LedgerDb } from '../portfolio/sqlite'
import { runTaxJob, type TaxJob } from '../tax/jobs'
import { runTradeStatsJob, type TradeStatsJob } from '../analytics/jobs'
import type { JobControl } from './job-control'

// The jobs the report worker runs: reports that replay the whole ledger (seconds of CPU on a large
// one), so they run off the engine's thread.

export type ReportJob = TaxJob | TradeStatsJob

/** Tax jobs stop at their next checkpoint once `control` is canceled; trade statistics run to the end. */
export function runReportJob(db: LedgerDb, job: ReportJob, control?: JobControl): Promise<unknown> {
  return job.kind === 'tradeStats' ? Promise.resolve(runTradeStatsJob(db, job)) : runTaxJob(db, job, control)
}
