import type { z } from 'zod'
import type { Jurisdiction, TaxCarryIn, TaxCarryInInput, TaxExport, TaxReport, TaxReportQuery } from '../api/schemas/tax'
import type { CarryInStore } from './carry-in'
import type { taxExportInputSchema } from '../api/schemas/tax'
import type { ReportWorker } from '../reports/worker'
import { JobControl } from '../reports/job-control'

// tax/: capital gains reports over the ledger, for the contract (tax.report, tax.export) and the CLI, and
// the losses carried in from before the ledger that they start from. Reports run on the report worker
// (reports/worker.ts), off the engine's thread. A screen names itself (`view`): its newer report stops the
// one still computing for it (a user stepping through years waits for the last, not for each), and
// leaving the screen cancels it.

export class TaxService {
  /** The report computing for each view. */
  private readonly computing = new Map<string, JobControl>()

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

  async report(input: TaxReportQuery): Promise<TaxReport> {
    const { view, ...query } = input
    const control = new JobControl()
    if (view === undefined) return this.deps.reports.run<TaxReport>({ kind: 'report', query, now: this.deps.now() }, control)
    this.computing.get(view)?.cancel('superseded')
    this.computing.set(view, control)
    try {
      return await this.deps.reports.run<TaxReport>({ kind: 'report', query, now: this.deps.now() }, control)
    } finally {
      if (this.computing.get(view) === control) this.computing.delete(view)
    }
  }

  /** Stops the view's report still computing: it ends with CANCELED and its work stops at its next checkpoint. */
  cancel(view: string): { canceled: boolean } {
    const control = this.computing.get(view)
    if (!control) return { canceled: false }
    this.computing.delete(view)
    control.cancel('canceled')
    return { canceled: true }
  }

  export(input: z.output<typeof taxExportInputSchema>): Promise<TaxExport> {
    return this.deps.reports.run<TaxExport>({ kind: 'export', input, now: this.deps.now() })
  }
}
