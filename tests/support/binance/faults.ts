import { Countdowns } from '../exchange-server/countdowns'
import { FaultKnobs } from '../exchange-server/faults'
import { gatewayPage } from '../exchange-server/gateway-page'
import type { RequestLogEntry as LogEntry } from '../exchange-server/logs'

// Fault knobs and the request log. The REST layer and the stream layer consult this object; tests drive it.
// The generic part (logs, respondWith, delay, dropSockets) is ../exchange-server/faults.ts; here are Binance's
// default error bodies and its own knobs.

export type { InjectedResponse } from '../exchange-server/faults'
export type { WsLogEntry } from '../exchange-server/logs'

/** params: decoded query + body parameters (signature included); code: Binance error code of an error body. */
export type RequestLogEntry = LogEntry<Record<string, string>, number>

export interface OrderRejection {
  code: number
  msg: string
  status: number
}

/** A reply the server withheld (holdReply): the request was processed; `send` delivers the reply late. */
export interface HeldReply {
  entry: RequestLogEntry
  send(): void
}

export class Faults extends FaultKnobs<RequestLogEntry> {
  private readonly skips = new Countdowns()
  private readonly orderRejections: OrderRejection[] = []
  private readonly holds: { method: string; path: string; remaining: number }[] = []
  /** Replies withheld so far, in arrival order. */
  readonly held: HeldReply[] = []

  /**
   * respondWith's default bodies: 429 → -1003 with Retry-After, 418 → -1003 IP ban, 500 → -1001 JSON, other
   * 5xx → an HTML gateway page (what a CDN in front of Binance sends).
   */
  constructor(private readonly symbolId: (symbol: string) => string) {
    super({ body: defaultBody, headers: defaultHeaders })
  }

  /** The next `n` diff-depth messages for `symbol` ("BTC/USDT" or "BTCUSDT") are not sent to anyone. */
  skipSequence(symbol: string, n = 1): void {
    this.skips.add(this.symbolId(symbol), n)
  }

  /** The next POST /api/v3/order is rejected with this code and message (default -2010, HTTP 400). */
  rejectNextOrder(code = -2010, msg = 'Order rejected.', status = 400): void {
    this.orderRejections.push({ code, msg, status })
  }

  /**
   * The next `count` successful requests to `method path` (e.g. 'POST', '/api/v3/order') are processed as
   * usual (the order is placed) but their reply is withheld, as when the connection dies after the exchange
   * acted: the client waits until it times out or is killed. `held` keeps them (send() delivers one late).
   */
  holdReply(method: string, path: string, count = 1): void {
    this.holds.push({ method, path, remaining: count })
  }

  /** Clears every pending fault (not the log). */
  override reset(): void {
    super.reset()
    this.skips.clear()
    this.orderRejections.length = 0
    this.holds.length = 0
  }

  // ---- used by the server -------------------------------------------------------------------------------

  takeSkip(symbolId: string): boolean {
    return this.skips.take(symbolId)
  }

  takeOrderRejection(): OrderRejection | undefined {
    return this.orderRejections.shift()
  }

  /** True (and counted) when this reply is to be withheld. */
  takeHold(method: string, path: string): boolean {
    const i = this.holds.findIndex((h) => h.method === method && h.path === path)
    const hold = this.holds[i]
    if (hold === undefined) return false
    hold.remaining -= 1
    if (hold.remaining <= 0) this.holds.splice(i, 1)
    return true
  }
}

/** Binance's 429 body for the request weight, counted per IP (respondWith's default for 429). */
export const TOO_MUCH_WEIGHT = {
  code: -1003,
  msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
} as const

/** Binance's 429 body for the account's new orders (an order's own limit): respondWith(429, n, { body: TOO_MANY_ORDERS }). */
export const TOO_MANY_ORDERS = { code: -1015, msg: 'Too many new orders; current limit is 50 orders per 10 SECOND.' } as const

/**
 * Binance's body for an IP ban (HTTP 418, respondWith's default with `until` 2 minutes on), in the words of its
 * error list. Binance's 418 and 429 carry "Retry-After"; `headers: {}` sends one without it (a proxy may drop it):
 * respondWith(418, 1, { body: ipBanned(Date.now() + 5_000), headers: {} }).
 */
export function ipBanned(until: number | string): { code: -1003; msg: string } {
  return { code: -1003, msg: `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.` }
}

function defaultBody(status: number): unknown {
  if (status === 429) return TOO_MUCH_WEIGHT
  if (status === 418) return ipBanned(Date.now() + 120_000)
  if (status === 500) return { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' }
  if (status >= 500) return gatewayPage(status)
  return { code: -1000, msg: 'An unknown error occurred while processing the request.' }
}

function defaultHeaders(status: number): Record<string, string> {
  return status === 429 || status === 418 ? { 'Retry-After': '60' } : {}
}
