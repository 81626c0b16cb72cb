import Decimal from 'decimal.js'
import type { LedgerWarning } from '../portfolio/model'
import type { PositionView } from '../api/schemas/portfolio'

/**
 * Warnings that leave an account's value or P&L short of the truth: a holding with no price is counted as
 * 0, coins with no cost basis as free (20,000 FDUSD deposited unpriced read as +20,000; income received
 * unpriced is counted at zero cost too). A stale price or an unpriced fee leaves the figure usable:
 * flagged only.
 */
const INCOMPLETE: ReadonlySet<string> = new Set(['unpriced-asset', 'missing-cost-basis', 'unpriced-income'])

/**
 * Whether the account's figures for the period starting at `periodStart` (null: all time) are short of the
 * truth: a warning of such a kind that happened in the period (a grouped one: its last time), or that is
 * about something held now — a held coin with no price, coins received at zero cost still held. A sale
 * beyond the holdings a year ago is in the all-time P&L, not in today's.
 */
export function incompleteFor(warnings: readonly LedgerWarning[], positions: readonly Pick<PositionView, 'asset' | 'amount' | 'price'>[], periodStart: number | null): boolean {
  const held = (asset: string) => positions.filter((p) => p.asset === asset && new Decimal(p.amount).gt(0))
  return warnings.some((w) => {
    if (!INCOMPLETE.has(w.kind)) return false
    if (periodStart === null || (w.lastAt ?? w.timestamp) >= periodStart) return true
    if (w.kind === 'unpriced-asset' && held(w.asset).some((p) => p.price === null)) return true
    return w.zeroCostLot === true && held(w.asset).length > 0
  })
}
