import Decimal from 'decimal.js'
import type { ConditionalKind, ConditionalLeg, TriggerSource } from '../../api/schemas/trading'
import type { ArmedOrder } from '../model'
import type { AmendedTerms } from './amend-terms'
import type { GroupType } from './legs'
import { isLimitKind, roleOf } from './semantics'

/**
 * The order a leg being armed may send, priced for the max order notional at arming: a limit kind at its
 * limit price, a stop or take-profit market at its trigger, a trailing stop at the price it trails from
 * (its activation price, or the price of its trigger source now). `priceNow` is asked only for a trailing
 * stop without an activation price (the caller has waited for that price).
 */
export function armedOrderOf(leg: ConditionalLeg, name: string, priceNow: (source: TriggerSource) => string): ArmedOrder {
  switch (leg.kind) {
    case 'stop-limit':
    case 'take-profit-limit':
      return { name, amount: leg.amount, price: leg.limitPrice, at: 'limit price' }
    case 'stop-market':
    case 'take-profit-market':
      return { name, amount: leg.amount, price: leg.triggerPrice, at: 'trigger price' }
    case 'trailing-stop':
      return { name, amount: leg.amount, price: leg.activationPrice ?? priceNow(leg.trigger), at: 'reference price' }
  }
}

/** How a refusal names a leg: "this stop-market buy", "OCO leg 2 (stop-market buy)". */
export function legName(leg: ConditionalLeg, oco?: number): string {
  const what = `${leg.kind} ${leg.side}`
  return oco === undefined ? `this ${what}` : `OCO leg ${oco} (${what})`
}

/**
 * The order an armed leg may send once conditional.amend moved its prices, held to the max order notional
 * as at arming (armedOrderOf): at its new limit price (limit kinds) or trigger. Null for a trailing stop: a
 * new distance leaves the price it is valued at (where it trails from) as it was. `amount`: what it may
 * trade — for a bracket's exit whose entry is still working, the entry's whole amount, as at creation.
 */
export function amendedOrderOf(
  leg: { kind: ConditionalKind; side: 'buy' | 'sell'; groupType: GroupType },
  terms: AmendedTerms,
  amount: string,
): ArmedOrder | null {
  if (leg.kind === 'trailing-stop' || new Decimal(amount).lte(0)) return null
  const name =
    leg.groupType === 'bracket' ? `the bracket's ${roleOf(leg.kind) === 'stop' ? 'stop-loss' : 'take-profit'}` : `this ${leg.kind} ${leg.side}`
  return isLimitKind(leg.kind) && terms.limitPrice !== null
    ? { name, amount, price: terms.limitPrice, at: 'limit price' }
    : { name, amount, price: terms.triggerPrice as string, at: 'trigger price' }
}
