import type { DecimalString, Fill, Side } from '../../port'
import type { SimOrder } from '../engine-api'
import type { Rng } from '../random'
import type { MarketGrid } from '../flow/quant'
import type { TrackedOrder } from '../flow/agent'

// Simulated traders: accounts named `trader:<slug>` that trade continuously on the simulated exchange
// through the public order API, each with its own style, parameters and starting balances. They decide
// from market data they read from the engine (book, trades, candles) and are deterministic from the seed.

export type SimTraderStyle =
  | 'trend-following'
  | 'mean-reversion'
  | 'scalping'
  | 'swing'
  | 'breakout'
  | 'grid'
  | 'reckless'
  | 'accumulation'
  | 'market-making'
  | 'arbitrage'

/** What the UI lists (and copy-trading can follow). Plain data. */
export interface SimTraderProfile {
  /** Account id on the engine: `trader:<slug>`. */
  id: string
  slug: string
  name: string
  style: SimTraderStyle
  /** One line. */
  description: string
  /** Markets it trades (it runs only when all are present). */
  symbols: string[]
  params: Record<string, number>
  startingBalances: Record<string, DecimalString>
}

export interface NumCandle {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

export interface Top {
  bid: number
  ask: number
  mid: number
  spread: number
}

/** A trader's view of the world; every call is safe (refusals come back as null/false, never throws). */
export interface TraderContext {
  readonly id: string
  readonly rng: Rng
  readonly params: Readonly<Record<string, number>>
  now(): number
  /** Runs fn every ~intervalMs (± jitter fraction), first after a random phase. */
  every(intervalMs: number, fn: () => void, jitter?: number): void
  after(delayMs: number, fn: () => void): void

  grid(symbol: string): MarketGrid
  top(symbol: string): Top | null
  /** Best levels as numbers. */
  depth(symbol: string, levels: number): { bids: [number, number][]; asks: [number, number][] }
  /** Candles, oldest first; the last one is still open. */
  candles(symbol: string, timeframe: '1m' | '5m' | '15m', limit: number): NumCandle[]
  /** Recent public trades, oldest first. */
  trades(symbol: string, limit: number): { price: number; amount: number; side: Side; timestamp: number }[]

  free(asset: string): number
  total(asset: string): number
  /** Value of everything the account holds, in USD (marked at mid prices). */
  equityUsd(): number
  usdPrice(asset: string): number

  /** Limit order; the price is rounded to the tick toward the passive side. Returns the order or null. */
  limit(symbol: string, side: Side, price: number, amount: number, options?: { postOnly?: boolean; ioc?: boolean }): SimOrder | null
  /** Market order for a base amount (clamped to what the balances allow). */
  market(symbol: string, side: Side, amount: number): SimOrder | null
  /** Market buy spending about `quoteAmount` of the quote asset. */
  buyWorth(symbol: string, quoteAmount: number): SimOrder | null
  cancel(symbol: string, venueOrderId: string): boolean
  cancelAll(symbol?: string): number
  openOrders(symbol?: string, side?: Side): TrackedOrder[]

  /** What the trader is doing, for the UI. */
  note(action: string): void
}

export interface TraderBot {
  start(ctx: TraderContext): void
  /** Each of the trader's fills (called from inside an engine call: record, schedule, do not trade here). */
  onFill?(fill: Fill): void
  /** An order left the book (filled, canceled, expired); same rule as onFill. */
  onOrderDone?(order: SimOrder): void
}

export interface SimTraderDefinition extends SimTraderProfile {
  create(): TraderBot
}

export interface SimTraderStatus {
  id: string
  name: string
  style: SimTraderStyle
  /** The runtime is running in real time (false while stopped or driven by advance()). */
  active: boolean
  equityUsd: number
  startEquityUsd: number
  pnlPct: number
  ordersPlaced: number
  fills: number
  rejections: number
  lastAction: string | null
  lastActionAt: number | null
}
