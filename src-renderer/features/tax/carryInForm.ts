import type { Jurisdiction } from '../../../src-main/api/contract'
import type { TaxCarryIn, TaxCarryInInput } from '../../../src-main/api/schemas/tax'
import { cleanNumber } from '../trading/ticketForm'

// The losses-carried-in form's draft and the tax.carryInSet command it becomes. Pure (no DOM), tested in Node.

export interface CarryInDraft {
  year: number
  amount: string
  shortTerm: string
  longTerm: string
}

export const draftOf = (entry: TaxCarryIn | undefined, year: number): CarryInDraft => ({
  year: entry?.year ?? year,
  amount: entry && entry.shortTerm === null ? entry.amount : '',
  shortTerm: entry?.shortTerm ?? '',
  longTerm: entry?.longTerm ?? '',
})

/**
 * The contract's input for a draft: US by term (an empty term is none), elsewhere one amount. Only commas
 * that group thousands go: '1500,75' is left for the engine to refuse, never saved as 150075.
 */
export function carryInput(jurisdiction: Jurisdiction, d: CarryInDraft): TaxCarryInInput {
  if (jurisdiction === 'us') return { jurisdiction, year: d.year, shortTerm: cleanNumber(d.shortTerm) || '0', longTerm: cleanNumber(d.longTerm) || '0' }
  return { jurisdiction, year: d.year, amount: cleanNumber(d.amount) }
}
