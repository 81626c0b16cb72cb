import type { WebSocket } from 'ws'

/** How often each socket is pinged; a socket that has not answered the previous ping by then is cut. */
export const PING_INTERVAL_MS = 30_000

type Every = (fn: () => void, ms: number) => () => void
const everyReal: Every = (fn, ms) => {
  const timer = setInterval(fn, ms)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * Pings every socket in `sockets` each `intervalMs` and terminates one that missed its pong: a half-open
 * connection (laptop asleep behind an SSH tunnel) never closes by itself, and its subscriptions would go
 * on costing the engine. Returns how to stop.
 */
export function keepAlive(sockets: Iterable<WebSocket>, intervalMs = PING_INTERVAL_MS, every: Every = everyReal): () => void {
  const awaiting = new WeakSet<WebSocket>()
  const watched = new WeakSet<WebSocket>()
  return every(() => {
    for (const socket of sockets) {
      if (!watched.has(socket)) {
        watched.add(socket)
        socket.on('pong', () => awaiting.delete(socket))
      }
      if (awaiting.has(socket)) {
        socket.terminate()
        continue
      }
      awaiting.add(socket)
      socket.ping()
    }
  }, intervalMs)
}
