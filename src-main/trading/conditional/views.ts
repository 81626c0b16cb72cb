import Decimal from 'decimal.js'
import type { ConditionalLiveFigure, ConditionalView } from '../../api/schemas/trading'
import type { StoredLeg } from './legs'
import { trailingTriggerOf } from './semantics'

// A leg as the contract shows it. Live figures (current price, trailing reference) come from the engine's
// market state; a leg that is not active shows none.

export interface LiveFigures {
  /** The trigger source's current price, or null. */
  currentPrice: string | null
  /** A trailing stop's live reference (overrides the stored one), or null. */
  reference: string | null
  /** A trailing stop's trigger for that reference, when the caller has it at hand (cached). */
  trailingTrigger?: string | null
}

/** The exact trailing trigger for a reference, as text. */
export function trailingTriggerText(leg: StoredLeg, reference: string | null): string | null {
  if (leg.trailing === null || reference === null) return null
  return trailingTriggerOf(leg.side, leg.trailing.unit, leg.trailing.value, new Decimal(reference)).toFixed()
}

/** The view's fields that move with the market (conditional.live), for a leg and its live figures. */
export function liveFiguresOf(leg: StoredLeg, live: LiveFigures | null): Omit<ConditionalLiveFigure, 'id'> {
  const reference = live?.reference ?? leg.trailing?.reference ?? null
  let triggerPrice = leg.triggerPrice
  if (leg.trailing !== null) triggerPrice = live?.trailingTrigger !== undefined ? live.trailingTrigger : trailingTriggerText(leg, reference)
  const currentPrice = live?.currentPrice ?? null
  // Distance to what happens next: the trigger, or a trailing stop's activation price before it starts;
  // once triggered, the limit price its order rests at (none for a market order: nothing left to reach).
  // For the screen only (a double is fine here), two decimals.
  const target =
    leg.status === 'triggered' ? leg.limitPrice : (triggerPrice ?? (leg.trailing !== null && !leg.trailing.activated ? leg.trailing.activationPrice : null))
  let distancePct: string | null = null
  if (currentPrice !== null && target !== null) {
    const cur = Number(currentPrice)
    if (cur > 0) distancePct = ((Math.abs(Number(target) - cur) / cur) * 100).toFixed(2)
  }
  return { currentPrice, distancePct, triggerPrice, reference: leg.trailing === null ? null : reference }
}

export function viewOf(leg: StoredLeg, venueLabel: string, live: LiveFigures | null): ConditionalView {
  const { currentPrice, distancePct, triggerPrice, reference } = liveFiguresOf(leg, live)
  return {
    id: leg.id,
    groupId: leg.groupId,
    groupType: leg.groupType,
    venueId: leg.venueId,
    venueLabel,
    symbol: leg.symbol,
    kind: leg.kind,
    side: leg.side,
    amount: leg.amount,
    trigger: leg.trigger,
    placement: leg.placement,
    triggerPrice,
    limitPrice: leg.limitPrice,
    trailing:
      leg.trailing === null
        ? null
        : {
            unit: leg.trailing.unit,
            value: leg.trailing.value,
            activationPrice: leg.trailing.activationPrice,
            activated: leg.trailing.activated || reference !== null,
            reference,
          },
    status: leg.status,
    reason: leg.reason,
    currentPrice,
    distancePct,
    clientOrderId: leg.clientOrderId,
    createdAt: leg.createdAt,
    updatedAt: leg.updatedAt,
  }
}
