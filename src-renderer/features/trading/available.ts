// What the order ticket says is available to trade: the free balance of the asset an order spends (the
// quote for a buy, the base for a sell) on the ticket's venue, as the engine last reported it. Pure.

export type Available =
  | { state: 'known'; asset: string; free: string }
  /** The venue answered with an error (its own words). */
  | { state: 'error'; asset: string; message: string }
  /** Not reported yet. */
  | { state: 'unknown'; asset: string }

/** A venue's balances as it reported them, or its error. */
export interface ReportedBalances {
  balances: readonly { asset: string; free: string }[]
  error: string | null
}

/** `venue`: its balances as reported (null: not yet). */
export function availableOf(venue: ReportedBalances | null, side: 'buy' | 'sell', market: { base: string; quote: string }): Available {
  const asset = side === 'buy' ? market.quote : market.base
  if (venue === null) return { state: 'unknown', asset }
  if (venue.error !== null) return { state: 'error', asset, message: venue.error }
  return { state: 'known', asset, free: venue.balances.find((b) => b.asset === asset)?.free ?? '0' }
}
