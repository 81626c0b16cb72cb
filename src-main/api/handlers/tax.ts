import type { HandlerSlice } from '../router'
import type { TaxService } from '../../tax/service'

/** Capital gains reports (tax.report) and their CSV / PDF files (tax.export), computed from the ledger. */
export function taxHandlers(tax: TaxService): HandlerSlice<'tax.report' | 'tax.export'> {
  return {
    'tax.report': (query) => tax.report(query),
    'tax.export': (input) => tax.export(input),
  }
}
