import { orderStatuses, terminalOrderStatuses, type OrderStatus } from '../../api/schemas/trading'

// Order status is a table (house rule 4): every allowed move is one row keyed by (status, event). The
// order manager moves an order only through `transition`; anything the table does not list is refused,
// logged and surfaced on the order, never applied.

export { orderStatuses, type OrderStatus }

export const orderEvents = [
  /** The intent leaves for the venue (first attempt). */
  'send',
  /** Sent again with the same client id after a rate limit or an unreachable venue. */
  'retry',
  /** The venue has it resting, nothing filled. */
  'accepted',
  /** Some (more) of it filled; not all. */
  'partially-filled',
  /** All of it filled. */
  'filled',
  /** We asked the venue to cancel it. */
  'cancel-requested',
  'canceled',
  /** The venue refused it (its words go to `error`). */
  'rejected',
  /** The venue ended it unfilled or partly filled by its own rule (IOC/FOK remainder, expiry). */
  'expired',
  /** The cancel did not go through: back to resting (open, or partially-filled when something filled). */
  'cancel-failed',
  /** The venue did not know it, after a second look. */
  'not-found',
  /** A 'lost' order the venue reports after all: back to resting, then its real status follows. */
  'found',
  /** Its account was removed: the app can no longer reach it, wherever it is on the venue. */
  'account-removed',
] as const

export type OrderEvent = (typeof orderEvents)[number]

/** A target that depends on the order's fills: 'open' when nothing filled, else 'partially-filled'. */
export const RESTING = 'resting' as const
type Target = OrderStatus | typeof RESTING

/** The venue's verdicts on an order still in flight or resting (the same from each of those statuses). */
const outcomes = {
  'partially-filled': 'partially-filled',
  filled: 'filled',
  canceled: 'canceled',
  expired: 'expired',
} as const satisfies Partial<Record<OrderEvent, Target>>

/** Any unfinished order whose account is removed is left where it is: on the venue, or on its way there. */
const left = { 'account-removed': 'left-on-exchange' } as const satisfies Partial<Record<OrderEvent, Target>>

export const statusTable: Readonly<Record<OrderStatus, Readonly<Partial<Record<OrderEvent, Target>>>>> = {
  // Written, not sent. A venue report for it only comes at a restart (the crashed run had sent it): adopt.
  pending: { send: 'submitting', accepted: 'open', ...outcomes, rejected: 'rejected', 'not-found': 'lost', ...left },
  submitting: { retry: 'submitting', accepted: 'open', ...outcomes, rejected: 'rejected', 'not-found': 'lost', ...left },
  open: { ...outcomes, 'cancel-requested': 'canceling', 'not-found': 'lost', ...left },
  'partially-filled': { ...outcomes, 'cancel-requested': 'canceling', 'not-found': 'lost', ...left },
  // A fill may still arrive while the cancel is on its way; the order stays 'canceling' until the verdict.
  canceling: {
    'partially-filled': 'canceling',
    filled: 'filled',
    canceled: 'canceled',
    expired: 'expired',
    'cancel-failed': RESTING,
    'not-found': 'lost',
    ...left,
  },
  filled: {},
  canceled: {},
  rejected: {},
  expired: {},
  lost: { found: RESTING },
  // Final: with the key gone no report can reach it (a late one from a request in flight is refused).
  'left-on-exchange': {},
}

export type Transition =
  | { ok: true; from: OrderStatus; event: OrderEvent; to: OrderStatus }
  | { ok: false; from: OrderStatus; event: OrderEvent; reason: string }

/**
 * Where `event` takes an order in `from`; `filledSome` resolves the 'resting' targets. Refusals say why in
 * words ("a filled order cannot become accepted").
 */
export function transition(from: OrderStatus, event: OrderEvent, filledSome: boolean): Transition {
  const target = statusTable[from][event]
  if (target === undefined) {
    return { ok: false, from, event, reason: `event "${event}" is not allowed for an order that is ${from}` }
  }
  const to: OrderStatus = target === RESTING ? (filledSome ? 'partially-filled' : 'open') : target
  return { ok: true, from, event, to }
}

const terminal = new Set<OrderStatus>(terminalOrderStatuses)

/** Filled, canceled, rejected, expired, lost or left on the exchange: nothing more is sent for it. */
export function isTerminal(status: OrderStatus): boolean {
  return terminal.has(status)
}

/**
 * A new cancel of the order is left to one on its way: the order is 'canceling' and the venue accepted that
 * cancel (or said it is carrying one out) and the app still follows it (OKX, Bybit process cancels
 * asynchronously). That cancel's outcome decides — canceled, filled meanwhile, or back to resting when it did
 * not go through — so nothing asks to cancel it again meanwhile: a second request costs rate limit (a 429 on
 * a cancel-all) and may be refused "being canceled". (A cancel still waiting for its answer shares that
 * answer: the order manager keeps those.) An order 'canceling' with no such cancel — its cancel's answer was
 * lost, its follow ended with it still open, or it was left so by a restart — may well be live: a cancel of it
 * is sent (one refused because the venue is carrying out the first is no failure: 'cancel-pending').
 */
export function cancelOnItsWay(status: OrderStatus, acceptedAndFollowed: boolean): boolean {
  return status === 'canceling' && acceptedAndFollowed
}

export const activeOrderStatuses: readonly OrderStatus[] = orderStatuses.filter((s) => !terminal.has(s))
