import type { RateLimitHit } from '../../venues/port'
import type { HoldScope } from './rate-holds'

// An order's own 429 says which of the exchange's limits it hit (classify.ts). Binance's -1003 is the request
// weight, counted per IP: every request of this computer to that host is over it, whichever account sends it, so
// it holds everything — the host's hold on a per-IP exchange (rate-holds.ts), as a 429 to any other request does.
// Its -1015 (too many new orders) is the account's order count: that account's new orders only. A 429 that does
// not say is taken for the order count, the order's own limit. The trader is told which it was.

/** What an order's own 429 holds. */
export function orderHoldScope(limit: RateLimitHit | undefined): HoldScope {
  return limit === 'request-weight' ? 'all' : 'new-orders'
}

/** `message`, followed by the sentence naming the limit a 429 said was hit where it said. */
export function withLimitHit(message: string, limit: RateLimitHit | undefined, perIp: boolean): string {
  const note = limitHitNote(limit, perIp)
  return note === '' ? message : `${message}. ${note}`
}

function limitHitNote(limit: RateLimitHit | undefined, perIp: boolean): string {
  if (limit === 'request-weight') {
    return perIp
      ? "This computer's IP address used up its request weight at the exchange (a limit per IP): every account on this computer at that exchange, and its market data, wait until then too."
      : 'This account used up its request weight at the exchange.'
  }
  if (limit === 'order-count') return "This account placed too many new orders (the exchange's limit per account): other accounts are not held."
  return ''
}
