import type Decimal from 'decimal.js'
import type { MarketInfo } from '../venues/port'
import type { LeaderSource } from './leaders'

// What the copier needs from the rest of the engine, as small interfaces: core.ts wires them to the venue
// registry, the market rules, the market data service and the accounts (wiring.ts); tests and the bench
// inject their own (local exchange servers, fake clocks).

export interface FollowerVenue {
  id: string
  label: string
  kind: 'simulated' | 'exchange' | 'paper'
}

export interface FollowerVenues {
  list(): FollowerVenue[]
  /** The account's key may trade: false = read-only key; null = not known (not tested yet). */
  canTrade(venueId: string): boolean | null
  /** The venue's market, undefined when it has none; rejects (AppError UNAVAILABLE) when the venue cannot be reached. */
  market(venueId: string, symbol: string): Promise<MarketInfo | undefined>
  /** Best bid and ask now (the live book when one is running, else a snapshot); nulls when empty or unreadable. */
  top(venueId: string, symbol: string): Promise<{ bid: Decimal | null; ask: Decimal | null }>
  /** Equity in the valuation currency; null when it cannot be valued. */
  equity(venueId: string): Promise<Decimal | null>
  /** A last price for P&L (else the ticker's bid/ask mid); null when none. Also asked for a leader venue's prices. */
  mark(venueId: string, symbol: string): Promise<Decimal | null>
  /**
   * One unit of `asset` (a market's quote) in the valuation currency (USDT) on this venue; null when it has
   * no price. Optional: without it only par quotes (USDT, USDC, USD) can be valued.
   */
  quoteValue?(venueId: string, asset: string): Promise<Decimal | null>
  /**
   * The account's free balance of `asset` now (null when it cannot be read). Optional: without it a sale
   * asks for what the copies hold, as if nothing else had touched the coin.
   */
  free?(venueId: string, asset: string): Promise<Decimal | null>
  /** Optional: lets go of the live books held open on this venue for markets not in `symbols`. */
  retainBooks?(venueId: string, symbols: ReadonlySet<string>): void
}

export interface LeaderDirectory {
  list(): LeaderSource[]
  /** A leader there is now; undefined when there is none by that id (or it was closed / removed). */
  get(id: string): LeaderSource | undefined
  /** Optional: the name of a leader account that was closed or removed (for the refusal to follow it). */
  formerLabel?(id: string): string | undefined
}
