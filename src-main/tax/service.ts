import type { z } from 'zod'
import type { TaxExport, TaxReport, TaxReportQuery } from '../api/schemas/tax'
import type { taxExportInputSchema } from '../api/schemas/tax'
import type { ReportWorker } from '../reports/worker'

// tax/: capital gains reports over the ledger, for the contract (tax.report, tax.export) and the CLI. The
// work runs on the report worker (reports/worker.ts), off the engine's thread.

export class TaxService {
  constructor(private readonly deps: { reports: ReportWorker; now: () => number }) {}

  report(query: TaxReportQuery): Promise<TaxReport> {
    return this.deps.reports.run<TaxReport>({ kind: 'report', query, now: this.deps.now() })
  }

  export(input: z.output<typeof taxExportInputSchema>): Promise<TaxExport> {
    return this.deps.reports.run<TaxExport>({ kind: 'export', input, now: this.deps.now() })
  }
}
