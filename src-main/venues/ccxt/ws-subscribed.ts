import type { Exchange } from 'ccxt'

// A watch call subscribes (at start, possibly after the unsubscribe of the market's previous watch, or on a
// new connection after the socket dropped), but ccxt resolves it only with the next message: on a quiet
// market, minutes later. A ccxt client whose subscriptions name the watch and which is connected has sent its
// subscribe message (ccxt sends it as the connection opens), so from then on the stream delivers.

interface WsClientLike {
  subscriptions?: Record<string, unknown>
  isConnected?: boolean
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
 * Resolves true once a connected client carries a subscription `names` accepts; false when `waiting`
 * turns false first (the watch delivered, failed again or stopped). Polls every `pollMs`.
 */
export async function subscribedNow(ex: Exchange, names: (hash: string) => boolean, waiting: () => boolean, pollMs = 25): Promise<boolean> {
  while (waiting()) {
    const clients = Object.values((ex as unknown as { clients?: Record<string, WsClientLike> }).clients ?? {})
    if (clients.some((c) => c.isConnected === true && Object.keys(c.subscriptions ?? {}).some(names))) return true
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  return false
}
