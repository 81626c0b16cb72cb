import { exchangeSpecs, type ExchangeId } from '../accounts/exchanges'

// Binance counts request weight per IP, not per key, keyless requests included, and bans the IP (HTTP 418) of
// a client that keeps sending after a 429. So on such an exchange a Retry-After answering any request of this
// machine holds every connection to that host: all its accounts and its keyless connection (paper accounts on
// its public data). The hold is kept under the host's key below, next to the accounts' own holds
// (trading/orders/rate-holds.ts, stored by rate-hold-store.ts). Exchanges counting per key/UID have no such key.

/** Where a connection sends its requests. */
export interface HostOf {
  exchange: ExchangeId
  sandbox: boolean
  /** Origin replacing the exchange's own, or null. */
  apiBaseUrl: string | null
}

/** The key of the hold shared by every connection to this host, or undefined where limits are per key. */
export function ipHoldKey(conn: HostOf): string | undefined {
  const spec = exchangeSpecs[conn.exchange]
  if (spec.requestLimitsPer !== 'ip') return undefined
  // The sandbox (testnet) is another host with its own limits.
  const host = conn.apiBaseUrl !== null ? originOf(conn.apiBaseUrl) : conn.sandbox ? 'sandbox' : spec.defaultApiOrigin
  return `ip:${conn.exchange}@${host}`
}

/** Whether `key` is a host's hold key (ipHoldKey), not an account's id. */
export function isIpHoldKey(key: string): boolean {
  return key.startsWith('ip:')
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}
