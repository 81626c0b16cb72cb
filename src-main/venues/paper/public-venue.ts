import type { ExchangeId } from '../../accounts/exchanges'
import type { Venue } from '../port'

/** Builds the venue a paper account reads an exchange's public data through. */
export type PublicVenueFactory = (config: { id: string; exchange: ExchangeId; apiBaseUrl: string | null }) => Venue | Promise<Venue>

/**
 * An exchange through ccxt with no key: empty credentials, so ccxt signs nothing and skips its private
 * calls at loadMarkets (Binance's margin lists); only public endpoints (markets, book, trades, ticker,
 * candles, their WebSocket streams) are ever used. ccxt is loaded on first use.
 */
export const publicCcxtVenue: PublicVenueFactory = async ({ id, exchange, apiBaseUrl }) => {
  const { createCcxtVenue } = await import('../ccxt/venue')
  return createCcxtVenue({ accountId: id, exchange, sandbox: false, apiBaseUrl, credentials: { apiKey: '', secret: '' } })
}
