import Decimal from 'decimal.js'
import type { ArmedBuy } from '../model'
import { isArmable, type Leg } from './legs'

/**
 * The conditional buys among `legs` (one market's) that may still send an order, for the max position:
 * armed or waiting legs, and fired ones whose order the order manager does not know yet (it is being
 * checked and written: until then no open order counts it). An OCO pair (a bracket's exits too) counts
 * once, by its larger buy leg, since one leg firing cancels the other. A bracket's entry is an open
 * order of its own and is counted there.
 */
export function armedBuysOf(legs: Iterable<Leg>, orderKnown: (clientOrderId: string) => boolean): ArmedBuy[] {
  const seen = new Set<Leg>()
  const out: ArmedBuy[] = []
  for (const leg of legs) {
    if (seen.has(leg)) continue
    seen.add(leg)
    if (leg.sibling !== null) seen.add(leg.sibling)
    let best: Leg | null = null
    for (const l of leg.sibling === null ? [leg] : [leg, leg.sibling]) {
      if (l.side !== 'buy' || !mayStillSend(l, orderKnown)) continue
      if (best === null || new Decimal(l.amount).gt(best.amount)) best = l
    }
    if (best !== null && new Decimal(best.amount).gt(0)) out.push({ amount: best.amount, clientOrderId: best.status === 'triggered' ? best.clientOrderId : null })
  }
  return out
}

function mayStillSend(leg: Leg, orderKnown: (clientOrderId: string) => boolean): boolean {
  if (isArmable(leg.status)) return true
  return leg.status === 'triggered' && leg.clientOrderId !== null && !orderKnown(leg.clientOrderId)
}
