import { AppError } from '../api/errors'

// What the order manager throws when the exchange refused an order for its rate limit (429, 418, Binance
// -1015, -1003) with a Retry-After (or, from Binance without one, the wait its reply said: venues/ccxt/binance-ban.ts)
// longer than the retries could wait: the exchange answered before taking the
// order, so it was certainly not placed; it is stored 'rejected' and the account's new orders are held for
// `holdMs` (for the request weight, -1003, everything to its host: orders/rate-limit-hit.ts). Whoever must still get that order out (a triggered stop: conditional/engine.ts) sends it again,
// under a new client id, once the hold ends. A send whose earlier attempt may have landed never ends so.

export class RateLimitRefusal extends AppError {
  constructor(
    message: string,
    readonly holdMs: number,
  ) {
    super('UNAVAILABLE', message)
    this.name = 'RateLimitRefusal'
  }
}

/**
 * What the order manager throws when it refuses a new order at once because the account is held for an
 * exchange's Retry-After (nothing sent). Its own class: other UNAVAILABLE refusals (markets that could not be
 * loaded, an exchange not reached, locked credentials) are no rate hold, and a stop refused by one of them
 * fails with that reason rather than wait for the hold.
 */
export class RateHoldRefusal extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message)
    this.name = 'RateHoldRefusal'
  }
}

/**
 * What the order manager throws when a send waiting to be made again (after a rate limit or a lost answer) is not
 * made because the kill switch halted trading meanwhile: certainly not placed (stored 'rejected'). A triggered stop
 * refused so is disarmed by the kill switch (conditional/engine.ts), as one refused by a rate limit while halted.
 */
export class HaltedRefusal extends AppError {
  constructor(message: string) {
    super('CONFLICT', message)
    this.name = 'HaltedRefusal'
  }
}
