import type { ExchangeId } from '../../accounts/exchanges'
import type { Venue } from '../port'
import type { RequestHold } from '../ccxt/request-hold'
import { ipHoldKey } from '../ip-rate-limits'

/** Builds the venue a paper account reads an exchange's public data through. */
export type PublicVenueFactory = (config: { id: string; exchange: ExchangeId; apiBaseUrl: string | null }) => Venue | Promise<Venue>

/**
 * The rate holds (trading/orders/rate-holds.ts) a keyless connection keeps: none but its host's, where the
 * exchange counts limits per IP (Binance: ip-rate-limits.ts). A 429 with Retry-After answering it begins that hold
 * (from Binance without one, for the wait its reply says, with `said`, how it was read: ccxt/binance-ban.ts).
 */
export interface HostHolds {
  requestHold(key: string): RequestHold
  hold(key: string, ms: number, scope: 'all', said?: string): unknown
}

/**
 * An exchange through ccxt with no key: empty credentials, so ccxt signs nothing and skips its private
 * calls at loadMarkets (Binance's margin lists); only public endpoints (markets, book, trades, ticker,
 * candles, their WebSocket streams) are ever used. ccxt is loaded on first use.
 */
export function publicCcxtVenues(holds?: HostHolds): PublicVenueFactory {
  return async ({ id, exchange, apiBaseUrl }) => {
    const { createCcxtVenue } = await import('../ccxt/venue')
    const key = holds ? ipHoldKey({ exchange, sandbox: false, apiBaseUrl }) : undefined
    const held = holds && key !== undefined ? { hold: holds.requestHold(key), holdAll: (ms: number, said?: string) => void holds.hold(key, ms, 'all', said) } : {}
    return createCcxtVenue({ accountId: id, exchange, sandbox: false, apiBaseUrl, credentials: { apiKey: '', secret: '' }, ...held })
  }
}

/** A keyless connection held by nothing (tests; the app passes its holds: core.ts). */
export const publicCcxtVenue: PublicVenueFactory = publicCcxtVenues()
