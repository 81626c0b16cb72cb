import Decimal from 'decimal.js'
import { AppError } from '../../api/errors'
import type { ConditionalAmend, ConditionalLeg } from '../../api/schemas/trading'
import type { MarketInfo } from '../../venues/port'
import type { StoredLeg } from './legs'
import { firesOn, isLimitKind, roleOf, trailingTriggerOf } from './semantics'
import { checkLeg, sourceWord } from './validate'

// What conditional.amend may change on an armed leg, checked as at creation (tick, the order value at its
// limit or trigger, a trailing distance under 100 %) and against the trigger source's current price: a
// trigger the market has already crossed is refused, since the order would fire at once. A bracket's exit
// whose entry has not filled yet is not armed (the price may go anywhere meanwhile): it is checked against
// the entry's price instead, as at creation, since it arms at that price. (Once the entry filled, a stop
// moved beyond the entry price — to break even, say — is the trader's call.) While the book is stale the
// last price seen stands in for the current one: a trigger it has crossed would fire as the book comes back.

export interface AmendedTerms {
  triggerPrice: string | null
  limitPrice: string | null
  /** A trailing stop's new distance (in its unit); null for other kinds. */
  trailingValue: string | null
}

/**
 * What the new trigger is checked against: its source's price (with `stale`, the book's health now: the last
 * price seen while it was live), or a bracket's unfilled entry price (null: unknown).
 */
export type AmendAgainst = { current: string | null; stale?: string } | { entryPrice: string | null }

export interface Current {
  price: string
  /** Set when the price is the last one seen while the book was live: its health now ("stale: no message since 14:03:21 UTC"). */
  stale: string | undefined
}

/** The leg's terms after the amendment, or a BAD_INPUT naming what to change. */
export function amendedTerms(leg: StoredLeg, market: MarketInfo, input: ConditionalAmend, against: AmendAgainst): AmendedTerms {
  const current = 'current' in against && against.current !== null ? { price: against.current, stale: against.stale } : null
  if (leg.trailing !== null) return trailingTerms(leg, market, input, current)
  const terms = fixedTerms(leg, market, input, current)
  if ('entryPrice' in against && against.entryPrice !== null) refuseBeyondEntry(leg, new Decimal(terms.triggerPrice as string), against.entryPrice)
  return terms
}

function fixedTerms(leg: StoredLeg, market: MarketInfo, input: ConditionalAmend, current: Current | null): AmendedTerms {
  if (input.trailingValue !== undefined) throw new AppError('BAD_INPUT', `Only a trailing stop has a distance; move this ${roleOf(leg.kind)}'s trigger price instead`)
  if (input.limitPrice !== undefined && !isLimitKind(leg.kind)) throw new AppError('BAD_INPUT', `A ${leg.kind} order has no limit price`)
  const triggerPrice = input.triggerPrice ?? (leg.triggerPrice as string)
  const limitPrice = input.limitPrice ?? leg.limitPrice
  const base = { kind: leg.kind, side: leg.side, amount: leg.amount, trigger: leg.trigger, triggerPrice }
  checkLeg((isLimitKind(leg.kind) ? { ...base, limitPrice } : base) as ConditionalLeg, market, { amountKnown: new Decimal(leg.amount).gt(0) })
  refuseCrossed(leg, new Decimal(triggerPrice), current, 'trigger price')
  // Stored as at creation (engine.ts): 93.50 is kept as 93.5, as the views and the trigger index read it.
  return { triggerPrice: new Decimal(triggerPrice).toFixed(), limitPrice: limitPrice === null ? null : new Decimal(limitPrice).toFixed(), trailingValue: null }
}

/** A trailing stop's distance; its trigger from the reference it has (the caller synced it from the index). */
function trailingTerms(leg: StoredLeg, market: MarketInfo, input: ConditionalAmend, current: Current | null): AmendedTerms {
  const t = leg.trailing as NonNullable<StoredLeg['trailing']>
  if (input.triggerPrice !== undefined || input.limitPrice !== undefined) {
    throw new AppError('BAD_INPUT', 'A trailing stop has no fixed trigger: give it a new distance (trailingValue) instead')
  }
  const value = input.trailingValue as string
  const spec = { kind: 'trailing-stop', side: leg.side, amount: leg.amount, trigger: leg.trigger, distance: { unit: t.unit, value } }
  // The trigger is checked from where the trail stands: its reference once activated, else its activation
  // price, else the price now (a sell distance wider than that would put the trigger at or below zero).
  const from = t.activated && t.reference !== null ? t.reference : (t.activationPrice ?? current?.price ?? null)
  checkLeg(spec as ConditionalLeg, market, { amountKnown: new Decimal(leg.amount).gt(0), ...(from !== null ? { price: new Decimal(from) } : {}) })
  if (t.activated && t.reference !== null) refuseCrossed(leg, trailingTriggerOf(leg.side, t.unit, value, new Decimal(t.reference)), current, 'trailing trigger')
  return { triggerPrice: null, limitPrice: null, trailingValue: new Decimal(value).toFixed() }
}

/** A bracket exit on the entry's side of its price would fire as the entry fills (a buy: take-profit above, stop-loss below). */
function refuseBeyondEntry(leg: StoredLeg, trigger: Decimal, entryPrice: string): void {
  const entrySide = leg.side === 'sell' ? 'buy' : 'sell'
  const takeProfit = roleOf(leg.kind) === 'take-profit'
  const above = takeProfit === (entrySide === 'buy')
  if (above ? trigger.gt(entryPrice) : trigger.lt(entryPrice)) return
  throw new AppError(
    'BAD_INPUT',
    `The ${takeProfit ? 'take-profit' : 'stop-loss'} (${trigger.toFixed()}) must be ${above ? 'above' : 'below'} the entry price (${new Decimal(entryPrice).toFixed()}) ` +
      `for a ${entrySide} bracket: it arms when the entry fills, and would fire at once`,
  )
}

/**
 * Refuses a trigger the market has already crossed (it would fire at once). Also asked of a new single
 * order (engine.ts createSingle), with the same words.
 */
export function refuseCrossed(leg: Pick<StoredLeg, 'kind' | 'side' | 'trigger'>, trigger: Decimal, current: Current | null, what: 'trigger price' | 'trailing trigger'): void {
  if (current === null) return
  const price = current.price
  const rise = firesOn(leg.kind, leg.side) === 'rise'
  if (rise ? trigger.gt(price) : trigger.lt(price)) return
  const fix = what === 'trigger price' ? `Choose a trigger ${rise ? 'above' : 'below'} ${price}` : 'Choose a wider distance'
  const seen = current.stale === undefined ? `the ${sourceWord(leg.trigger)} is ${price}` : `the ${sourceWord(leg.trigger)} was ${price} when the book was last live (now ${current.stale})`
  const when = current.stale === undefined ? '' : ' It would fire as soon as the book is live again.'
  throw new AppError(
    'BAD_INPUT',
    `The ${what} ${trigger.toFixed()} is already crossed: ${seen}, and this ${leg.side} ${roleOf(leg.kind)} ` +
      `fires at or ${rise ? 'above' : 'below'} its trigger.${when} ${fix}`,
  )
}
