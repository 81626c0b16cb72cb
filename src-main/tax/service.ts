import type { z } from 'zod'
import type { Jurisdiction, TaxCarryIn, TaxCarryInInput, TaxExport, TaxReport, TaxReportQuery } from '../api/schemas/tax'
import type { CarryInStore } from './carry-in'
import type { taxExportInputSchema } from '../api/schemas/tax'
import type { ReportWorker } from '../reports/worker'

// tax/: capital gains reports over the ledger, for the contract (tax.report, tax.export) and the CLI, and
// the losses carried in from before the ledger that they start from. Reports run on the report worker
// (reports/worker.ts), off the engine's thread.

export class TaxService {
  constructor(private readonly deps: { reports: ReportWorker; carryIn: CarryInStore; now: () => number }) {}

  carryInList(): { entries: TaxCarryIn[] } {
    return { entries: this.deps.carryIn.list() }
  }

  carryInSet(input: TaxCarryInInput): TaxCarryIn {
    return this.deps.carryIn.set(input, this.deps.now())
  }

  carryInClear(jurisdiction: Jurisdiction): { jurisdiction: Jurisdiction; cleared: boolean } {
    return { jurisdiction, cleared: this.deps.carryIn.clear(jurisdiction) }
  }

  report(query: TaxReportQuery): Promise<TaxReport> {
    return this.deps.reports.run<TaxReport>({ kind: 'report', query, now: this.deps.now() })
  }

  export(input: z.output<typeof taxExportInputSchema>): Promise<TaxExport> {
    return this.deps.reports.run<TaxExport>({ kind: 'export', input, now: this.deps.now() })
  }
}
