import type { ExchangeId } from '../accounts/exchanges'
import type { TimeInForce, VenueCapabilities } from './port'

// Which times in force a venue's limit orders take, and the one refusal for one it does not. Plain data per
// exchange, so the venue list can say it before an account is connected; a connected venue's capabilities
// have the last word. Exchanges missing here take GTC, IOC and FOK.

export interface TimeInForceSupport {
  allowed: readonly TimeInForce[]
  /** Why not all of them, in words. */
  note: string
}

export const exchangeTimeInForce: Partial<Record<ExchangeId, TimeInForceSupport>> = {
  // docs.kraken.com AddOrder: timeinforce is GTC, IOC or GTD; spot has no fill-or-kill.
  kraken: { allowed: ['GTC', 'IOC'], note: 'Kraken spot takes good-till-canceled and immediate-or-cancel orders only, no fill-or-kill' },
}

/** Why `label` does not take a limit order with this time in force (a sentence), or null when it does. */
export function timeInForceRefusal(label: string, tif: TimeInForce, capabilities: Pick<VenueCapabilities, 'timeInForce' | 'timeInForceNote'>): string | null {
  const allowed = capabilities.timeInForce
  if (allowed === undefined || allowed.includes(tif)) return null
  const why = capabilities.timeInForceNote !== undefined ? ` (${capabilities.timeInForceNote})` : ''
  return `${label} does not take ${tif} orders${why}; choose ${allowed.join(' or ')}`
}
