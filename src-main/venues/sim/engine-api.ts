import type {
  Balance,
  BookLevel,
  BookSnapshot,
  Candle,
  DecimalString,
  Fill,
  MarketInfo,
  OrderType,
  PublicTrade,
  Side,
  Ticker,
  Timeframe,
  TimeInForce,
  VenueOrder,
} from '../port'

// The simulated exchange's matching engine, as seen by its users: the SimVenue adapter (the embedded
// default venue), the synthetic order flow and simulated traders, and the local exchange servers in
// tests/support/ that speak real exchange protocols on top of it. Everything is synchronous and exact
// (decimal.js inside, decimal strings outside); time comes from an injected clock.

/** A simulated market: the port's market description (always active) plus where its price starts. */
export interface SimMarketSpec extends Omit<MarketInfo, 'active'> {
  /** Reference price the synthetic flow starts from. */
  initialPrice: DecimalString
}

export interface SimOrderInput {
  accountId: string
  clientOrderId: string
  symbol: string
  side: Side
  type: OrderType
  amount: DecimalString
  /** Required for limit orders; must be a multiple of tickSize. */
  price?: DecimalString
  timeInForce: TimeInForce
  postOnly: boolean
}

export interface SimOrder extends VenueOrder {
  accountId: string
}

export type SimRejectReason =
  | 'unknown-market'
  /** An order whose side, type or time in force is none the engine knows. */
  | 'invalid-order'
  | 'invalid-amount'
  | 'invalid-price'
  | 'below-min-amount'
  | 'below-min-notional'
  | 'insufficient-funds'
  | 'post-only-would-take'
  | 'fok-unfillable'
  | 'duplicate-client-order-id'
  | 'unknown-order'
  | 'order-not-open'
  | 'unknown-account'

/** Thrown by placeOrder/cancelOrder; nothing changed when it is thrown. */
export class SimRejection extends Error {
  constructor(
    readonly reason: SimRejectReason,
    message: string,
  ) {
    super(message)
    this.name = 'SimRejection'
  }
}

export type SimEvent =
  /** Changed levels only (amount "0" = level removed). Update ids run firstSeq..seq with no gaps. */
  | { type: 'book'; symbol: string; firstSeq: number; seq: number; bids: BookLevel[]; asks: BookLevel[]; timestamp: number }
  | { type: 'trade'; trade: PublicTrade }
  | { type: 'order'; accountId: string; order: SimOrder }
  | { type: 'fill'; accountId: string; fill: Fill }
  /** The account's balances for the assets that changed. */
  | { type: 'balance'; accountId: string; balances: Balance[]; timestamp: number }

export type OrderRef = { venueOrderId: string } | { clientOrderId: string }

export interface MatchingEngine {
  now(): number
  markets(): SimMarketSpec[]
  market(symbol: string): SimMarketSpec

  /** Creates the account if missing; credits the deposits. */
  deposit(accountId: string, asset: string, amount: DecimalString): void
  /** Cancels the account's open orders and sets its balances to exactly these (paper-balance reset). */
  resetAccount(accountId: string, balances: Record<string, DecimalString>): void
  hasAccount(accountId: string): boolean
  balances(accountId: string): Balance[]

  /** Validates, reserves funds, matches with price-time priority, rests the remainder (GTC). */
  placeOrder(input: SimOrderInput): { order: SimOrder; fills: Fill[] }
  cancelOrder(accountId: string, symbol: string, ref: OrderRef): SimOrder
  getOrder(accountId: string, symbol: string, ref: OrderRef): SimOrder | undefined
  openOrders(accountId: string, symbol?: string): SimOrder[]
  fills(accountId: string, options?: { symbol?: string; since?: number; limit?: number }): Fill[]

  book(symbol: string, depth?: number): BookSnapshot
  trades(symbol: string, limit?: number): PublicTrade[]
  candles(symbol: string, timeframe: Timeframe, options?: { since?: number; limit?: number }): Candle[]
  /** How many candles of a timeframe are kept per market. */
  candleCapacity(timeframe: Timeframe): number
  /**
   * Synthetic history for a span the market was not running (before its first trade here, or while the
   * app was closed): candles oldest first, none older than the newest one kept.
   */
  backfillCandles(symbol: string, candles: Partial<Record<Timeframe, Candle[]>>): void
  ticker(symbol: string): Ticker

  /** Synchronous: events of one call are delivered before the call returns. */
  on(listener: (event: SimEvent) => void): () => void
}
