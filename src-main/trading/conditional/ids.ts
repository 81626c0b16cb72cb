import crypto from 'node:crypto'

// Ids of conditional legs and of the orders they send. Client order ids follow the order manager's rule
// (trading/orders/client-ids.ts: letters and digits only, at most 32, so every venue takes them as they
// are) but cost no syscall on the trigger path: 'cc' + the time in base 36 + a random part drawn once per
// engine + a counter. Unique across restarts (the random part) and within one (the counter).

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

function randomBase36(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte < 252 && out.length < length) out += ALPHABET[byte % 36] // 252 = 7 × 36: no modulo bias
    }
  }
  return out
}

export class IdSource {
  private readonly salt = randomBase36(6)
  private counter = 0

  /** ~22 alphanumeric characters: 'cc' + time (base 36) + salt + counter. */
  clientOrderId(now: number): string {
    return `cc${now.toString(36)}${this.salt}${(this.counter++).toString(36)}`
  }

  /** A leg or group id. */
  legId(): string {
    return `cnd${randomBase36(16)}`
  }
}
