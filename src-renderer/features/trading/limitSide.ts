import { compareDecimal, formatDecimal } from '../../ui/decimal'
import type { ConditionalFields, ConditionalMode } from './ticketForm'

// A stop's or take-profit's limit on the far side of its trigger: once triggered, the limit order rests
// away from the price that triggered it and fills only if the market comes back to it. Sometimes meant
// (wait for a bounce), often a slip that leaves a stop-loss unfilled while the price runs: the ticket says
// so under the limit, and sends what was typed. Compares the typed decimals only; adds no money.

const PLAIN = /^\d+(?:\.\d+)?$/

/** The note for one leg (its order side, trigger and limit as typed), or null when the limit is on the near side or not a number yet. */
export function limitAcrossTrigger(side: 'buy' | 'sell', trigger: string, limit: string): string | null {
  const t = trigger.trim()
  const l = limit.trim()
  if (!PLAIN.test(t) || !PLAIN.test(l)) return null
  const cmp = compareDecimal(l, t)
  if (side === 'sell' && cmp > 0)
    return `Above the trigger: once triggered, this sell waits above the market; it fills only if the price reaches ${formatDecimal(l)}.`
  if (side === 'buy' && cmp < 0)
    return `Below the trigger: once triggered, this buy waits below the market; it fills only if the price comes down to ${formatDecimal(l)}.`
  return null
}

export type LimitField = 'limitPrice' | 'tpLimit' | 'slLimit'

/**
 * The notes for the ticket's limit fields. A single order and an OCO's legs trade on the ticket's side; a
 * bracket's take-profit and stop-loss close its entry, on the other side.
 */
export function limitSideNotes(mode: ConditionalMode, side: 'buy' | 'sell', c: Pick<ConditionalFields, 'triggerPrice' | 'limitPrice' | 'tpTrigger' | 'tpLimit' | 'slTrigger' | 'slLimit'>): Partial<Record<LimitField, string>> {
  const notes: Partial<Record<LimitField, string>> = {}
  const put = (field: LimitField, note: string | null) => {
    if (note !== null) notes[field] = note
  }
  if (mode === 'stop-limit' || mode === 'take-profit-limit') put('limitPrice', limitAcrossTrigger(side, c.triggerPrice, c.limitPrice))
  if (mode === 'oco' || mode === 'bracket') {
    const legSide = mode === 'bracket' ? (side === 'buy' ? 'sell' : 'buy') : side
    put('tpLimit', limitAcrossTrigger(legSide, c.tpTrigger, c.tpLimit))
    put('slLimit', limitAcrossTrigger(legSide, c.slTrigger, c.slLimit))
  }
  return notes
}
