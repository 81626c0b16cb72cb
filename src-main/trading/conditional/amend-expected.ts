import Decimal from 'decimal.js'
import { AppError } from '../../api/errors'
import type { ConditionalAmend } from '../../api/schemas/trading'
import type { StoredLeg } from './legs'

// Two windows may show the same conditional order. An amendment carries the terms its editor showed
// (`expected`); when another window changed them meanwhile, filling the fields this one did not send from
// the stored leg would make terms neither user chose (a trigger from one, a limit from the other), so the
// amendment is refused and names the terms as they are now. Compared as decimals: 95.00 is 95.

type Expected = NonNullable<ConditionalAmend['expected']>

/** Throws CONFLICT when `expected` (fields given) differs from the leg's stored terms. */
export function refuseChangedElsewhere(leg: StoredLeg, expected: Expected | undefined): void {
  if (expected === undefined) return
  const stored = { triggerPrice: leg.trailing === null ? leg.triggerPrice : null, limitPrice: leg.limitPrice, trailingValue: leg.trailing?.value ?? null }
  const differs = (['triggerPrice', 'limitPrice', 'trailingValue'] as const).some((k) => {
    const seen = expected[k]
    if (seen === undefined) return false
    const now = stored[k]
    return seen === null || now === null ? seen !== now : !new Decimal(seen).eq(now)
  })
  if (!differs) return
  throw new AppError('CONFLICT', `This conditional order was changed elsewhere: it is now ${termsText(leg)}; check it and amend again`)
}

function termsText(leg: StoredLeg): string {
  if (leg.trailing !== null) return `distance ${leg.trailing.value}${leg.trailing.unit === 'percent' ? ' %' : ''}`
  const trigger = `trigger ${leg.triggerPrice ?? '—'}`
  return leg.limitPrice === null ? trigger : `${trigger} limit ${leg.limitPrice}`
}
