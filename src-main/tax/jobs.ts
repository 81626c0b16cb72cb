import type { z } from 'zod'
import type { TaxExport, TaxIncomeLine, TaxLine, TaxReport, TaxReportQuery } from '../api/schemas/tax'
import { taxExportInputSchema, taxReportInputSchema } from '../api/schemas/tax'
import type { LedgerDb } from '../portfolio/sqlite'
import { isSimTraderAccount } from '../portfolio/sim-feed'
import { taxCsv } from './csv'
import { taxPdf } from './pdf'
import { buildTaxReport } from './report'
import { readCarryIn } from './carry-in'

// What a tax job does, on whichever thread runs it (the tax worker, or the caller's when there is none):
// a report, or a report's file. Only the user's accounts are counted unless one is named: the simulated
// traders keep their books in the same ledger, and their trades are not the user's to declare.

export type TaxJob = { kind: 'report'; query: TaxReportQuery; now: number } | { kind: 'export'; input: z.output<typeof taxExportInputSchema>; now: number }

/**
 * The user's report (never the simulated traders'), with every line on demand beside the capped `report.lines`,
 * starting from the losses the user entered as carried in from before the ledger.
 */
export function buildUserTaxReport(db: LedgerDb, query: TaxReportQuery, now: number): ReturnType<typeof buildTaxReport> {
  return buildTaxReport({ db, query, includes: (a) => !isSimTraderAccount(a), now, carryIn: readCarryIn(db, query.jurisdiction) })
}

export async function runTaxJob(db: LedgerDb, job: TaxJob): Promise<TaxReport | TaxExport> {
  if (job.kind === 'report') return buildUserTaxReport(db, job.query, job.now).report
  const { format, ...rest } = job.input
  const { report, allLines, incomeLines } = buildUserTaxReport(db, taxReportInputSchema.parse({ ...rest, lineLimit: 1 }), job.now)
  return taxFile(report, allLines(), format, incomeLines)
}

/** A report's file: every disposal line as CSV (Form 8949's columns for the US), or the PDF with the income too. */
export async function taxFile(report: TaxReport, lines: readonly TaxLine[], format: 'csv' | 'pdf', incomeLines: readonly TaxIncomeLine[] = []): Promise<TaxExport> {
  const name = `capital-gains-${report.jurisdiction}-${report.yearLabel.replace('/', '-')}-${report.method}${report.account ? `-${report.account.replace(/[^\w.-]+/g, '_')}` : ''}`
  if (format === 'csv') return { fileName: `${name}.csv`, mime: 'text/csv', encoding: 'utf8', data: taxCsv(report, lines) }
  const pdf = await taxPdf(report, lines, incomeLines)
  return { fileName: `${name}.pdf`, mime: 'application/pdf', encoding: 'base64', data: pdf.toString('base64') }
}
