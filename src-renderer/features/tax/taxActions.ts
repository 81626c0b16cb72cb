import type { Action } from '../../app/hotkeys/registry'
import { navigate } from '../../app/router'
import { useTax } from './taxStore'
import { TAX_IDS } from './taxIds'

export const TAX_PAGE = 'tax'

/** The Tax page's commands, from anywhere (palette): they open the page and act on what it asks. */
export function taxActions(): Action[] {
  const onPage = (run: () => void) => () => {
    navigate(TAX_PAGE)
    run()
  }
  return [
    { id: 'tax.exportCsv', title: 'Export the tax report as CSV', section: 'Tax', run: onPage(() => void useTax.getState().exportAs('csv')) },
    { id: 'tax.exportPdf', title: 'Export the tax report as PDF', section: 'Tax', run: onPage(() => void useTax.getState().exportAs('pdf')) },
    { id: 'tax.importRates', title: 'Import daily exchange rates (CSV)…', section: 'Tax', run: onPage(() => setTimeout(() => document.getElementById(TAX_IDS.ratesFile)?.click(), 0)) },
    { id: 'tax.refresh', title: 'Recompute the tax report', section: 'Tax', run: onPage(() => void useTax.getState().refresh()) },
    { id: 'tax.cancel', title: 'Cancel the tax report being computed', section: 'Tax', run: () => void useTax.getState().cancel() },
  ]
}
