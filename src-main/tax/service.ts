import type { TaxExport, TaxReport, TaxReportQuery } from '../api/schemas/tax'
import { taxExportInputSchema, taxReportInputSchema } from '../api/schemas/tax'
import type { z } from 'zod'
import type { LedgerDb } from '../portfolio/sqlite'
import { isSimTraderAccount } from '../portfolio/sim-feed'
import { taxCsv } from './csv'
import { taxPdf } from './pdf'
import { buildTaxReport } from './report'

// tax/: capital gains reports over the ledger, for the contract (tax.report, tax.export) and the CLI.
// Only the user's accounts are counted unless one is named: the simulated traders keep their books in the
// same ledger, and their trades are not the user's to declare.

export class TaxService {
  constructor(private readonly deps: { db: LedgerDb; now: () => number }) {}

  report(query: TaxReportQuery): TaxReport {
    return this.build(query).report
  }

  async export(input: z.output<typeof taxExportInputSchema>): Promise<TaxExport> {
    const { format, ...rest } = input
    const { report, lines } = this.build(taxReportInputSchema.parse({ ...rest, lineLimit: 1 }))
    const name = `capital-gains-${report.jurisdiction}-${report.yearLabel.replace('/', '-')}-${report.method}${report.account ? `-${report.account.replace(/[^\w.-]+/g, '_')}` : ''}`
    if (format === 'csv') return { fileName: `${name}.csv`, mime: 'text/csv', encoding: 'utf8', data: taxCsv(report, lines) }
    const pdf = await taxPdf(report, lines)
    return { fileName: `${name}.pdf`, mime: 'application/pdf', encoding: 'base64', data: pdf.toString('base64') }
  }

  private build(query: TaxReportQuery) {
    return buildTaxReport({ db: this.deps.db, query, includes: (a) => !isSimTraderAccount(a), now: this.deps.now() })
  }
}
