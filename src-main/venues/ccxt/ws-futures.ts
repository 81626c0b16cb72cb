import type { Exchange } from 'ccxt'

// ccxt.pro makes some WebSocket futures that only a concurrent caller would await: Binance's user-data
// subscription creates "authenticate:signature:spot" ahead of its request and rejects it when the exchange
// refuses the key. With no such caller, that rejection is unhandled — one process-level "unhandled
// rejection" per refused subscription, on top of the error the watch itself gets. Every future of this
// exchange object's sockets is marked handled here; whoever awaits one still gets its rejection.

interface WsClient {
  future(messageHash: string): Promise<unknown>
}

const quieted = new WeakSet<object>()

export function quietUnawaitedFutures(ex: Exchange): void {
  const target = ex as unknown as { client(url: string): WsClient }
  const client = target.client.bind(ex)
  target.client = (url: string) => {
    const c = client(url)
    if (!quieted.has(c)) {
      quieted.add(c)
      const future = c.future.bind(c)
      c.future = (messageHash: string) => {
        const f = future(messageHash)
        f.catch(() => undefined)
        return f
      }
    }
    return c
  }
}
