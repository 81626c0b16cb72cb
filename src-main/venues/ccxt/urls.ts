// A custom base URL (a proxy, a regional mirror, the local test exchange) replaces the origin of every
// entry of ccxt's urls.api — REST and WebSocket alike — and keeps each path. "https://api.{hostname}/x"
// with base "http://127.0.0.1:8080" becomes "http://127.0.0.1:8080/x"; "wss://stream.binance.com:9443/ws"
// becomes "ws://127.0.0.1:8080/ws" (ws for an http base, wss for https).

const ORIGIN = /^(https?|wss?):\/\/[^/?#]+/i

export function rewriteOrigin(url: string, base: URL): string {
  const match = ORIGIN.exec(url)
  if (!match) return url
  const scheme = (match[1] ?? '').toLowerCase()
  const secure = base.protocol === 'https:'
  const protocol = scheme.startsWith('ws') ? (secure ? 'wss:' : 'ws:') : base.protocol
  return `${protocol}//${base.host}${url.slice(match[0].length)}`
}

/** A copy of ccxt's urls.api (a string, or nested records of strings) with every origin replaced. */
export function rewriteApiUrls<T>(api: T, base: URL): T {
  if (typeof api === 'string') return rewriteOrigin(api, base) as T
  if (Array.isArray(api)) return api.map((entry: unknown) => rewriteApiUrls(entry, base)) as T
  if (api && typeof api === 'object') {
    return Object.fromEntries(
      Object.entries(api as Record<string, unknown>).map(([key, value]) => [key, rewriteApiUrls(value, base)]),
    ) as T
  }
  return api
}
