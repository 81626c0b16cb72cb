import type { Exchange } from 'ccxt'

// A watch call subscribes (at start, possibly after the unsubscribe of the market's previous watch, or on a
// new connection after the socket dropped), but ccxt resolves it only with the next message: on a quiet
// market, minutes later. A ccxt client whose subscriptions name the watch and which is connected has sent its
// subscribe message (ccxt sends it as the connection opens), so from then on the stream delivers.

interface WsClientLike {
  subscriptions?: Record<string, unknown>
  futures?: Record<string, unknown>
  isConnected?: boolean
}

/**
 * ccxt's subscription keys for an account's own order and fill streams: "orders" (OKX, Bybit), "openOrders"
 * (Kraken), "spot.orders" (Gate), "order:trades" (Bitget), "spot@private.orders…" (MEXC), "user…" (Coinbase),
 * "myTrades", "executions", or the account type a user-data subscription is kept under (Binance's WebSocket
 * API: "spot"). Not the public books ("orderbook:…", "…@depth").
 */
export function namesPrivate(hash: string): boolean {
  // Without the market (a coin may be named ORDER: "trade::ORDER/USDT" is public).
  const channel = hash.split(/[:|#]/).filter((p) => !p.includes('/')).join(':')
  if (/book|depth/i.test(channel)) return false
  // "<symbol>@<stream>" is Binance's public stream; MEXC's private channels say so.
  if (channel.includes('@')) return /@private\./i.test(channel)
  return /^(spot|margin)$|^user|order|mytrade|execution|fill|private/i.test(channel)
}

/**
 * A ccxt client still waiting for the exchange to confirm a user-data subscription it already marked
 * (Binance's WebSocket API: "authenticate:signature:spot", deleted once answered). Not OKX's or Bybit's
 * "authenticated": ccxt keeps that future after the login succeeded.
 */
export function authenticating(futureKey: string): boolean {
  return futureKey.startsWith('authenticate:')
}

/** ccxt's message hashes for `symbol`'s public trades: "trade::BTC/USDT" (Binance), "trades:BTC/USDT" (most others). */
export function namesTrades(hash: string, symbol: string): boolean {
  const parts = hash.split(/[:@|#]/)
  if (!parts.includes(symbol)) return false
  // The channel is what is left without the symbol (a coin may be named ORDER: "trade::ORDER/USDT").
  const channel = parts.filter((p) => p !== symbol).join(':')
  return /trade/i.test(channel) && !/mytrade|order|fill/i.test(channel)
}

/**
 * Resolves true once a connected client carries a subscription `names` accepts (and, with `pending`, has no
 * future `pending` accepts: a subscription ccxt marks before the exchange confirmed it); false when `waiting`
 * turns false first (the watch delivered, failed again or stopped). Polls every `pollMs`.
 */
export async function subscribedNow(
  ex: Exchange,
  names: (hash: string) => boolean,
  waiting: () => boolean,
  pollMs = 25,
  pending?: (futureKey: string) => boolean,
): Promise<boolean> {
  while (waiting()) {
    const clients = Object.values((ex as unknown as { clients?: Record<string, WsClientLike> }).clients ?? {})
    const done = (c: WsClientLike) => pending === undefined || !Object.keys(c.futures ?? {}).some(pending)
    if (clients.some((c) => c.isConnected === true && Object.keys(c.subscriptions ?? {}).some(names) && done(c))) return true
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  return false
}
