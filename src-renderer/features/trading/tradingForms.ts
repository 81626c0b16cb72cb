import { cleanNumber } from './ticketForm'
import type { CommandInput, RiskLimits } from '../../../src-main/api/contract'

// The risk form and the paper-account form, mapped to their commands' inputs. The engine validates; this
// only turns text fields into the contract's shape. Pure (no DOM), so it is tested in Node.

export const LIMITS = ['maxOrderNotional', 'maxPositionNotional', 'priceBandPct', 'dailyLossLimit'] as const
export type Limit = (typeof LIMITS)[number]

/** The form's text fields to risk.set's input: an empty field is no limit. */
export function riskInput(draft: Record<Limit, string>): RiskLimits {
  const out = {} as RiskLimits
  for (const key of LIMITS) {
    const v = cleanNumber(draft[key])
    out[key] = v === '' ? null : v
  }
  return out
}

export interface BalanceDraft {
  asset: string
  amount: string
}

type PaperOpenInput = CommandInput<'paper.open'>

/** The form to paper.open's input. `source` is 'venue:<id>' or 'exchange:<id>'. */
export function paperOpenInput(source: string, apiBaseUrl: string, label: string, balances: readonly BalanceDraft[]): PaperOpenInput {
  const [kind, ...rest] = source.split(':')
  const id = rest.join(':')
  const url = apiBaseUrl.trim()
  const src: PaperOpenInput['source'] =
    kind === 'venue'
      ? { kind: 'venue', venueId: id }
      : { kind: 'exchange', exchange: id as Extract<PaperOpenInput['source'], { kind: 'exchange' }>['exchange'], ...(url ? { apiBaseUrl: url } : {}) }
  const rows = balances
    .map((b) => ({ asset: b.asset.trim().toUpperCase(), amount: cleanNumber(b.amount) }))
    .filter((b) => b.asset !== '' || b.amount !== '')
  return { source: src, ...(label.trim() ? { label: label.trim() } : {}), balances: rows }
}
