import type { ConditionalLeg, TriggerSource } from '../../api/schemas/trading'
import type { ArmedOrder } from '../model'

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
