import crypto from 'node:crypto'
import { isValidClientOrderId } from '../trading/orders/client-ids'

// The follower order's client id is a function of the relationship and the leader's fill (its market and
// trade id: Binance and OKX number trades per market) only: seeing the same leader fill again (a reconnect,
// a poll, a restart) yields the same id, and the order manager returns the existing order for an id it has,
// so a fill can never be copied twice.
//
// Every supported venue accepts letters and digits, at most 32 (OKX's clOrdId is the tightest):
// "cp" + 30 base-36 characters of SHA-256(followId \0 leaderSymbol \0 leaderTradeId) — 155 bits, no
// practical collision.

const PREFIX = 'cp'
const HASH_CHARS = 30

export function copyClientOrderId(followId: string, leaderSymbol: string, leaderTradeId: string): string {
  return derivedClientOrderId([followId, leaderSymbol, leaderTradeId])
}

/** The client id of "unfollow and close positions"'s sell in `symbol` (SHA-256 of followId \0 "close|" symbol). */
export function copyCloseClientOrderId(followId: string, symbol: string): string {
  return derivedClientOrderId([followId, `close|${symbol}`])
}

function derivedClientOrderId(parts: string[]): string {
  const hash = crypto.createHash('sha256')
  parts.forEach((part, i) => hash.update(i === 0 ? part : `\0${part}`))
  const digest = hash.digest()
  let n = BigInt(`0x${digest.toString('hex')}`)
  let out = ''
  while (out.length < HASH_CHARS) {
    out += (n % 36n).toString(36)
    n /= 36n
  }
  const id = `${PREFIX}${out}`
  if (!isValidClientOrderId(id)) throw new Error(`derived client order id ${id} is not valid`)
  return id
}

/** A new relationship id: "f" + time base 36 + 8 random base-36 characters. */
export function newFollowId(now: number): string {
  return `f${now.toString(36)}${randomBase36(8)}`
}

/** The leader trade id of a catch-up record (catch-up.ts): `catch-up:` + the leader fill at which it was decided. */
export const CATCH_UP_PREFIX = 'catch-up:'

export const isCatchUp = (r: { leaderTradeId?: string }): boolean => r.leaderTradeId?.startsWith(CATCH_UP_PREFIX) === true

/** A copy record id: the relationship and the leader's fill, market and trade id (also unique by the table's index). */
export function copyRecordId(followId: string, leaderSymbol: string, leaderTradeId: string): string {
  return `${followId}:${leaderSymbol}:${leaderTradeId}`
}

function randomBase36(n: number): string {
  let out = ''
  while (out.length < n) {
    for (const byte of crypto.randomBytes(16)) if (byte < 252 && out.length < n) out += (byte % 36).toString(36)
  }
  return out
}
