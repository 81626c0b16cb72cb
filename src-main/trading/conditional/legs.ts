import type { ConditionalKind, ConditionalStatus, TriggerSource } from '../../api/schemas/trading'
import type { Side } from '../../venues/port'
import type { Handle } from './trigger-index'

// A conditional leg as the engine holds it: the stored fields (one row of conditional_orders) plus what
// only lives while the engine runs (its place in the trigger index, its OCO partner, its market).

export type GroupType = 'single' | 'oco' | 'bracket'
export type CancelCause = 'sibling' | 'user' | 'kill-switch' | 'entry' | 'account-removed' | 'paper-reset'

export interface TrailingState {
  unit: 'percent' | 'price'
  value: string
  activationPrice: string | null
  activated: boolean
  /** Best price since activation, as last written (the live one is in the index). */
  reference: string | null
}

export interface StoredLeg {
  readonly id: string
  readonly groupId: string | null
  readonly groupType: GroupType
  readonly venueId: string
  readonly symbol: string
  readonly kind: ConditionalKind
  readonly side: Side
  amount: string
  readonly trigger: TriggerSource
  readonly placement: 'app' | 'exchange'
  /** Fixed trigger (null for a trailing stop); conditional.amend may move it while the leg is armed. */
  triggerPrice: string | null
  limitPrice: string | null
  readonly trailing: TrailingState | null
  status: ConditionalStatus
  reason: string | null
  cancelCause: CancelCause | null
  clientOrderId: string | null
  /** A triggered stop waiting for a rate limit's hold: when it is sent (ms UTC); null otherwise. */
  heldUntil: number | null
  filled: string | null
  readonly entryClientOrderId: string | null
  entryFilled: string | null
  readonly createdAt: number
  updatedAt: number
}

/** Per-market runtime state a leg points to (engine.ts owns it). */
export interface LegMarket {
  readonly venueId: string
  readonly symbol: string
}

export interface Leg extends StoredLeg {
  /** The other leg of an OCO or bracket. */
  sibling: Leg | null
  /** Its entry in the trigger index while it can fire or is waiting for its activation price. */
  handle: Handle<Leg> | null
  /** The market it is watched in while active (armed, waiting, triggered). */
  market: LegMarket | null
  /** The reference last written to the row. */
  savedReference: string | null
  /** The reference (index units) last copied into `trailing.reference`. */
  refUnits: number
  /** Live figures last sent on the bus (so unchanged ones are not sent again). */
  shown: string
  /** The trailing trigger text computed for `triggerFor` (exact decimal arithmetic, once per reference). */
  triggerText: string | null
  triggerFor: string | null
}

export const activeStatuses: readonly ConditionalStatus[] = ['armed', 'waiting', 'triggered']

export function isActive(status: ConditionalStatus): boolean {
  return status === 'armed' || status === 'waiting' || status === 'triggered'
}

/** Armed or waiting: not yet fired, may still fire. */
export function isArmable(status: ConditionalStatus): boolean {
  return status === 'armed' || status === 'waiting'
}

export function toLeg(stored: StoredLeg): Leg {
  return { ...stored, sibling: null, handle: null, market: null, savedReference: stored.trailing?.reference ?? null, refUnits: NaN, shown: '', triggerText: null, triggerFor: null }
}
