import ccxt, { type Exchange } from 'ccxt'

// A book that went silent may sit on a half-open socket: no bytes arrive and nothing fails, and ccxt notices
// only through its ping/pong keep-alive (Binance: 180 s × 2 missed pongs). Unsubscribing and watching again
// goes over the same dead socket, so the socket itself has to go: ccxt then opens a new one on the next watch.

/** WebSocket readyState OPEN. */
const OPEN = 1

interface WsClientLike {
  url: string
  subscriptions?: Record<string, unknown>
  futures?: Record<string, unknown>
  onError(error: Error): void
  close(): unknown
  connection?: { readyState?: number; terminate?: () => void }
}

/**
 * Closes every ccxt WebSocket client whose subscriptions (or pending watches) name `symbol`'s book, with a
 * NetworkError: the watches pending on it (other markets multiplexed on that socket too) fail with it, ccxt
 * forgets the client, and each watch that goes on subscribes again over a new connection. Returns how many
 * connections were dropped.
 */
export function dropBookConnections(ex: Exchange, symbol: string, why: string): number {
  const clients = Object.values((ex as unknown as { clients?: Record<string, WsClientLike> }).clients ?? {})
  let dropped = 0
  for (const client of clients) {
    const hashes = [...Object.keys(client.subscriptions ?? {}), ...Object.keys(client.futures ?? {})]
    if (!hashes.some((hash) => namesBook(hash, symbol))) continue
    // Only an open socket can be half-open. One still connecting (ccxt's reconnect backoff) is left alone:
    // ccxt's own connection timeout covers it, and a client dropped then would still dial later, orphaned,
    // and feed its messages into the same books as its replacement.
    if (client.connection?.readyState !== OPEN) continue
    // onError rejects every pending future and removes the client from ex.clients (its error is set).
    client.onError(new ccxt.NetworkError(`${ex.id} connection ${client.url} dropped: ${why}`))
    // A half-open socket would wait for the peer's close frame (ws: 30 s): end it at once.
    try {
      if (typeof client.connection?.terminate === 'function') client.connection.terminate()
      else void Promise.resolve(client.close()).catch(() => undefined)
    } catch {
      // already closed
    }
    dropped++
  }
  return dropped
}

/** ccxt's message hashes for a book: "orderbook::BTC/USDT" (Binance), "orderbook:BTC/USDT" (most others). */
function namesBook(hash: string, symbol: string): boolean {
  if (!/book|depth|level2/i.test(hash)) return false
  return hash.split(/[:@|#]/).includes(symbol)
}
