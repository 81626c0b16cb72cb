import type { Exchange } from 'ccxt'

// ccxt.pro makes some WebSocket futures that only a concurrent caller would await: Binance's user-data
// subscription creates "authenticate:signature:spot" ahead of its request and rejects it when the exchange
// refuses the key. With no such caller, that rejection is unhandled — one process-level "unhandled
// rejection" per refused subscription, on top of the error the watch itself gets. Every future of this
// exchange object's sockets is marked handled here; whoever awaits one still gets its rejection.
//
// The same goes for sends: ccxt's watch() sends a subscribe once its WebSocket rate limiter allows and
// drops the promise of that send. A socket closed while subscribes wait their turn (the account closed or
// reconnected) failed each of them with "WebSocket is not open" as an unhandled rejection. Nothing is lost
// by marking them handled: the closed socket has already rejected the watches waiting on it.

interface WsClient {
  future(messageHash: string): Promise<unknown>
  send(message: unknown): Promise<unknown>
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
      c.future = (messageHash: string) => handled(future(messageHash))
      const send = c.send.bind(c)
      c.send = (message: unknown) => handled(send(message))
    }
    return c
  }
}

function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}
