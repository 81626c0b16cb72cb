import type { HandlerSlice } from '../router'
import type { TaxService } from '../../tax/service'

/** Capital gains reports (tax.report, tax.cancel), their CSV / PDF files (tax.export), and the losses carried in from before the ledger. */
export function taxHandlers(tax: TaxService): HandlerSlice<'tax.report' | 'tax.export' | 'tax.cancel' | 'tax.carryInList' | 'tax.carryInSet' | 'tax.carryInClear'> {
  return {
    'tax.report': (query) => tax.report(query),
    'tax.export': (input) => tax.export(input),
    'tax.cancel': ({ view }) => tax.cancel(view),
    'tax.carryInList': () => tax.carryInList(),
    'tax.carryInSet': (input) => tax.carryInSet(input),
    'tax.carryInClear': ({ jurisdiction }) => tax.carryInClear(jurisdiction),
  }
}
