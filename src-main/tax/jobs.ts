import type { z } from 'zod'
import type { TaxExport, TaxIncomeLine, TaxLine, TaxReport, TaxReportQuery } from '../api/schemas/tax'
import { taxExportInputSchema, taxReportInputSchema } from '../api/schemas/tax'
import type { LedgerDb } from '../portfolio/sqlite'
import { isSimTraderAccount } from '../portfolio/sim-feed'
import { taxCsv } from './csv'
import { taxPdf } from './pdf'
import { buildTaxReport, buildTaxReportPausing, type BuiltTaxReport } from './report'
import { JobControl } from '../reports/job-control'
import { readCarryIn } from './carry-in'
import { checkReportAccount } from './report-accounts'
import { isPaperLedgerAccount, reportPaper } from './paper-accounts'

// What a tax job does, on whichever thread runs it (the tax worker, or the caller's when there is none):
// a report, or a report's file. Only the user's real accounts are counted unless one is named: the simulated
// traders keep their books in the same ledger, and their trades are not the user's to declare; nor are a
// paper account's (practice: paper-accounts.ts), which the report names as left out.

export type TaxJob = { kind: 'report'; query: TaxReportQuery; now: number } | { kind: 'export'; input: z.output<typeof taxExportInputSchema>; now: number }

/**
 * The user's report (never the simulated traders'), with every line on demand beside the capped `report.lines`,
 * starting from the losses the user entered as carried in from before the ledger.
 */
export function buildUserTaxReport(db: LedgerDb, query: TaxReportQuery, now: number): BuiltTaxReport {
  checkReportAccount(db, query.account)
  return buildTaxReport(userReportOptions(db, query, now))
}

const userReportOptions = (db: LedgerDb, query: TaxReportQuery, now: number) => ({
  db,
  query,
  includes: (a: string) => !isSimTraderAccount(a) && !isPaperLedgerAccount(a),
  paper: reportPaper(db, query.account),
  now,
  carryIn: readCarryIn(db, query.jurisdiction),
})

/** Hands the thread back between chunks, so a cancel (or the engine's own work, without a worker) gets a turn. */
const yieldThread = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Runs a job until done or until `control` is canceled: it then stops at its next checkpoint with CANCELED. */
export async function runTaxJob(db: LedgerDb, job: TaxJob, control: JobControl = new JobControl()): Promise<TaxReport | TaxExport> {
  control.step()
  checkReportAccount(db, job.kind === 'report' ? job.query.account : job.input.account)
  const build = (query: TaxReportQuery) => buildTaxReportPausing({ ...userReportOptions(db, query, job.now), step: () => control.step() }, yieldThread)
  if (job.kind === 'report') return (await build(job.query)).report
  const { format, ...rest } = job.input
  const { report, allLines, incomeLines } = await build(taxReportInputSchema.parse({ ...rest, lineLimit: 1 }))
  return taxFile(report, allLines(), format, incomeLines)
}

/** A report's file: every disposal line as CSV (Form 8949's columns for the US), or the PDF with the income too. */
export async function taxFile(report: TaxReport, lines: readonly TaxLine[], format: 'csv' | 'pdf', incomeLines: readonly TaxIncomeLine[] = []): Promise<TaxExport> {
  // A paper account's file says so in its name: it is not one to file.
  const name = `capital-gains-${report.jurisdiction}-${report.yearLabel.replace('/', '-')}-${report.method}${report.account ? `-${report.account.replace(/[^\w.-]+/g, '_')}` : ''}${report.paperAccount ? '-paper-trading' : ''}`
  if (format === 'csv') return { fileName: `${name}.csv`, mime: 'text/csv', encoding: 'utf8', data: taxCsv(report, lines) }
  const pdf = await taxPdf(report, lines, incomeLines)
  return { fileName: `${name}.pdf`, mime: 'application/pdf', encoding: 'base64', data: pdf.toString('base64') }
}
