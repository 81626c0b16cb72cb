import type { Exchange } from 'ccxt'
import { paced } from './request-pacing'

// ccxt.pro asks a REST snapshot for each book subscription it opens (Binance's diff-depth streams). While the
// connection is rate-held (request-hold.ts) none can be sent, nothing arrives, and the book feed starts its
// watch over again and again: each start asks another snapshot, and without this every one of them would go
// out when the hold ends — Binance's heaviest reads (depth, weight up to 250), into the limit that just held
// the machine, ahead of anything else. A snapshot asked while an identical one still waits unsent (for the hold,
// or in ccxt's throttle queue) takes that one's answer: it is sent after both were asked, so it is as fresh.

type Snapshots = { fetchRestOrderBookSafe(symbol: string, limit?: number, params?: Record<string, unknown>): Promise<unknown> }

export function shareWaitingSnapshots(ex: Exchange): void {
  const x = ex as unknown as Snapshots
  const fetch = x.fetchRestOrderBookSafe.bind(ex)
  const waiting = new Map<string, Promise<unknown>>()
  x.fetchRestOrderBookSafe = (symbol, limit, params = {}) => {
    const key = JSON.stringify([symbol, limit ?? null, params])
    const unsent = waiting.get(key)
    if (unsent !== undefined) return unsent
    const leave = () => {
      if (waiting.get(key) === request) waiting.delete(key)
    }
    // (onSent: the request left the hold and ccxt's queue; a later ask is then answered by a request of its own.)
    const request: Promise<unknown> = paced({ onSent: leave }, () => fetch(symbol, limit, params))
    waiting.set(key, request)
    request.then(leave, leave)
    return request
  }
}
