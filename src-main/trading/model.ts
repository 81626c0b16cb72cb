import type { Fill, Side, TimeInForce, OrderType, OrderTrigger } from '../venues/port'
import type { OrderOrigin, OrderStatus, TriggerSource } from '../api/schemas/trading'

// The trading module's own vocabulary, shared by the order manager, the conditional engine, the ticket,
// the risk gate and (later) the copier. Money is decimal strings; timestamps integer ms UTC.

export type { OrderOrigin, OrderStatus, TriggerSource, OrderTrigger }

/** An order the engine has decided to send: already sized, rounded to the market's rules and checked. */
export interface OrderIntent {
  venueId: string
  symbol: string
  side: Side
  type: OrderType
  timeInForce: TimeInForce
  postOnly: boolean
  /** Base amount, rounded to the market's step. */
  amount: string
  /** Limit price, rounded to the tick; absent for market orders. */
  price?: string
  origin: OrderOrigin
  /**
   * Normally left out (the manager makes one). The copier passes one derived from the leader's trade id so
   * a restart can never copy the same fill twice; submitting an id that already exists returns that order.
   */
  clientOrderId?: string
  /** A native stop / take-profit held by the venue until its price trades (only venues with nativeStops). */
  trigger?: OrderTrigger
  /** The ticket's idempotency key for this order, recorded with the intent (see IdempotencyKey). */
  idempotency?: IdempotencyKey
  /** An amend's replacement: the client id of the order it replaces (recorded on that order with the intent). */
  replaces?: string
  /**
   * Set by the conditional engine on the order a protective exit sends when it fires (a sell stop or
   * take-profit, a bracket's exit closing what its entry opened): the risk gate does not hold it to the
   * price band or the daily loss limit, so a position is never left unprotected by them. Honoured only
   * with origin 'conditional'.
   */
  protective?: boolean
}

/**
 * The key a ticket sends with one order it means to place, and that order as the ticket asked for it
 * (canonical JSON of its fields as typed: a resend of "100 % of the balance" after it filled is the same
 * order). Per account; the engine forgets it after ORDER_KEY_TTL_MS.
 */
export interface IdempotencyKey {
  key: string
  fingerprint: string
}

/** An order as the engine knows it (the row in `orders`). */
export interface OrderRecord {
  clientOrderId: string
  venueOrderId: string | null
  venueId: string
  symbol: string
  side: Side
  type: OrderType
  timeInForce: TimeInForce
  postOnly: boolean
  amount: string
  price: string | null
  filled: string
  /** Quote value of the fills so far (average price = cost / filled). */
  cost: string
  status: OrderStatus
  origin: OrderOrigin
  error: string | null
  attempts: number
  createdAt: number
  updatedAt: number
  /** A native stop / take-profit order's trigger (absent for plain orders). */
  trigger?: OrderTrigger
  /**
   * Rejected for the exchange's rate limit (a Retry-After longer than the retries): the wait it asked for.
   * Certainly not placed; a triggered stop goes again under a new client id once the hold ends.
   */
  retryAfterMs?: number
}

/** A fill of one of our orders, as stored (deduplicated by venue + trade id). */
export interface FillRecord extends Fill {
  venueId: string
}

/**
 * What every order takes on its way out: the order manager implements it; the ticket, the conditional
 * engine, "flatten" and the copier use it. Risk limits are checked inside submit, so no path skips them.
 */
export interface OrderGateway {
  /** Checks risk, writes the intent (status pending), sends it, follows it. Rejects with AppError on refusal. */
  submit(intent: OrderIntent): Promise<OrderRecord>
  /**
   * The answer already given for this account's idempotency key (the order, or its refusal), or undefined
   * when the key is new; rejects with CONFLICT when the key was used for an order with other parameters.
   */
  replay?(venueId: string, idempotency: IdempotencyKey): Promise<OrderRecord> | undefined
  cancel(clientOrderId: string): Promise<OrderRecord>
  get(clientOrderId: string): OrderRecord | undefined
  /** Non-terminal orders, optionally for one venue / market. */
  open(filter?: { venueId?: string; symbol?: string }): OrderRecord[]
  /**
   * Fees the order's fills paid in the market's base asset ("0" when none): a buy charged in the coin
   * bought leaves that much less to sell. Absent: fees are taken as paid elsewhere.
   */
  baseFeePaid?(clientOrderId: string): string
  /** Fees the order's fills paid in the market's quote asset ("0" when none): a sale's proceeds less them. */
  quoteFeePaid?(clientOrderId: string): string
  /** How long (ms) the account's new orders are held because its exchange answered Retry-After; 0 when not. */
  rateHoldMs?(venueId: string): number
}

/** Checks an intent against the risk limits; throws AppError('CONFLICT', specific message) to refuse it. */
export interface RiskGate {
  /** Refuses (AppError) an order a limit forbids; `replacing`: the open order an amend replaces (left out of the position). */
  check(intent: OrderIntent, options?: { replacing?: string }): Promise<void>
  /** Refuses at once while trading is halted; asked again right before an order is written. */
  assertOpen?(): void
}

/**
 * A conditional buy that may still send an order (the max position counts it as working): one per group,
 * an OCO's larger buy leg only (one cancels the other). `clientOrderId`: set once it fired and its order
 * is on its way (that order's own check leaves it out).
 */
export interface ArmedBuy {
  amount: string
  clientOrderId: string | null
}

/**
 * One order a conditional order being armed may send, priced as the max order notional sees it then: at its
 * trigger, its limit price (limit kinds), the price a trailing stop trails from, a bracket entry's price.
 * `name` says which leg it is in a refusal ("this stop-market buy", "OCO leg 2 (…)", "the bracket's entry").
 */
export interface ArmedOrder {
  name: string
  amount: string
  price: string
  at: 'trigger price' | 'limit price' | 'reference price' | 'entry price'
}

/**
 * What arming a conditional order asks the risk gate: the orders it may send (max order notional), the
 * base amount it may buy (max position; null for sells — an OCO's larger buy leg, one cancels the other),
 * and whether it may send a buy the daily loss limit would refuse (`buys`: false for sells and for a
 * bracket's exits, which close what its entry opened).
 */
export interface ArmCheck {
  venueId: string
  symbol: string
  orders: ArmedOrder[]
  buy: string | null
  buys: boolean
}

/** The prices a conditional order can trigger on, with the book's health (a stale book never triggers). */
export interface MarketTick {
  venueId: string
  symbol: string
  bid: string | null
  ask: string | null
  /** Price of the latest public trade. */
  last: string | null
  at: number
  health: 'live' | 'resyncing' | 'stale'
  /** Why not live, in words; null when live. */
  reason: string | null
}

export interface TickSource {
  /** Calls onTick on every change of the market's top of book, last trade or health; returns the stop. */
  watch(venueId: string, symbol: string, onTick: (tick: MarketTick) => void): () => void
}
