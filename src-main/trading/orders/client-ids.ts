import crypto from 'node:crypto'

// Client order ids every supported venue accepts as they are: OKX's clOrdId allows letters and digits only
// (at most 32), Binance's newClientOrderId at most 36, Bybit's orderLinkId at most 36. So: alphanumeric,
// at most 32 characters.

export const CLIENT_ORDER_ID = /^[A-Za-z0-9]{1,32}$/

/** "co" + the time in base 36 + 12 random base-36 characters: unique, sortable by time, ~22 characters. */
export function newClientOrderId(now: number): string {
  let random = ''
  while (random.length < 12) {
    for (const byte of crypto.randomBytes(16)) {
      if (byte < 252) random += (byte % 36).toString(36) // 252 = 7 × 36: no modulo bias
    }
  }
  return `co${now.toString(36)}${random.slice(0, 12)}`
}

export function isValidClientOrderId(id: string): boolean {
  return CLIENT_ORDER_ID.test(id)
}
