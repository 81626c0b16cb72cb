import type { Candle, DecimalString, Fill, PublicTrade, Timeframe } from '../../port'
import type { MatchingEngine, SimEvent, SimOrder } from '../engine-api'

// The matching engine's persistent state: plain JSON (strings, numbers, arrays, records), so it can be
// written as one JSON document or split over tables. Produced by `engine.snapshot()`, accepted by
// `createMatchingEngine(specs, { state })`. Money is decimal strings, times integer ms UTC.

export const SIM_ENGINE_STATE_VERSION = 1

export interface SimEngineState {
  version: typeof SIM_ENGINE_STATE_VERSION
  /** engine.now() when the snapshot was taken. */
  savedAt: number
  /** Id and priority counters, so ids stay unique and arrival order continues after a restore. */
  counters: { nextOrderId: number; nextTradeId: number; nextPriority: number }
  /** Fees the venue collected, per asset (money conservation: balances + fees = deposits). */
  feesCollected: Record<string, DecimalString>
  accounts: SimAccountState[]
  markets: SimMarketState[]
}

export interface SimAccountState {
  accountId: string
  /** Per asset. `locked` must equal what the account's resting orders reserve (checked on restore). */
  balances: Record<string, { free: DecimalString; locked: DecimalString }>
  /** Finished orders (closed, canceled, expired), oldest first, bounded (default 1,000 per account). */
  recentOrders: SimOrder[]
  /** Fills, oldest first, bounded (default 5,000 per account). */
  fills: Fill[]
}

/** A resting (open) order; `priority` is its arrival number: lower = earlier in its price level's queue. */
export interface SimRestingOrderState extends SimOrder {
  priority: number
}

export interface SimMarketState {
  symbol: string
  /** Last book update id. */
  bookSeq: number
  /** Resting orders of both sides, in priority order. Reservations are recomputed from them. */
  orders: SimRestingOrderState[]
  lastTrade: PublicTrade | null
  /** Recent public trades, oldest first, bounded (default 1,000 per market). */
  trades: PublicTrade[]
  /** Per timeframe, oldest first; the last candle of each is the one still open. */
  candles: Partial<Record<Timeframe, Candle[]>>
}

export interface SimEngineLimits {
  /** Fills kept per account (default 5,000). */
  fillsPerAccount: number
  /** Finished orders kept per account for lookups (default 1,000). */
  finishedOrdersPerAccount: number
  /** Public trades kept per market (default 1,000). */
  tradesPerMarket: number
  /** Candles kept per market and timeframe (default 1,000; 1m always keeps at least a day). */
  candlesPerTimeframe: number
}

export const DEFAULT_SIM_LIMITS: SimEngineLimits = {
  fillsPerAccount: 5_000,
  finishedOrdersPerAccount: 1_000,
  tradesPerMarket: 1_000,
  candlesPerTimeframe: 1_000,
}

/**
 * Self-trade prevention, when an incoming order would match a resting order of the same account.
 * 'expire-maker' (default, Binance's default EXPIRE_MAKER): each own resting order in the way expires (its
 * reason says which order of the account it would have traded with) and the incoming order goes on
 * matching the others. 'expire-taker' (EXPIRE_TAKER): matching stops there and the incoming order's
 * remainder expires, saying why; the resting order is untouched. 'none': accounts may trade with themselves.
 */
export type SelfTradePrevention = 'expire-maker' | 'expire-taker' | 'none'

export interface MatchingEngineOptions {
  now?: () => number
  /** Restore from a snapshot (balances, resting orders with their priority, fills, trades, candles). */
  state?: SimEngineState
  /**
   * Accounts' own events (order, fill, balance) recorded after `state` was saved, oldest first: applied on
   * top of it, so an account journaled call by call does not go back to the last snapshot after a crash.
   */
  journal?: SimEvent[]
  /**
   * Called once per call that changed something, with all its events, before any listener sees them: a
   * journal written here is never behind what a listener recorded.
   */
  onCommit?: (events: readonly SimEvent[]) => void
  selfTradePrevention?: SelfTradePrevention
  limits?: Partial<SimEngineLimits>
  /** A listener threw; the others still get the event. Default: logged to stderr. */
  onListenerError?: (err: unknown, eventType: string) => void
}

/** The engine the factory returns: the shared MatchingEngine contract plus persistence and audit. */
export interface SimMatchingEngine extends MatchingEngine {
  snapshot(): SimEngineState
  /** Fees collected by the venue per asset since the start (or since the restored state's start). */
  feesCollected(): Record<string, DecimalString>
  selfTradePrevention(): SelfTradePrevention
}
