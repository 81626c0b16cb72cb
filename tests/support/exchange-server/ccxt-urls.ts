import { Agent } from 'node:http'

// Pointing a real ccxt exchange at a local server: every entry of urls.api (nested ones too) is rewritten
// from https://<host>/… or wss://<host>/… to the local REST / WebSocket base, keeping the path.

interface CcxtLike {
  urls: unknown
  httpAgent: unknown
}

export function pointAt<T extends CcxtLike>(exchange: T, restUrl: string, wsUrl: string): T {
  const urls = exchange.urls as Record<string, unknown>
  urls['api'] = rewrite(urls['api'], restUrl, wsUrl)
  return exchange
}

/** pointAt for a ccxt.pro class, which refuses plain ws:// URLs unless it has an http agent (what `await loadHttpProxyAgent()` sets up). */
export function pointProAt<T extends CcxtLike>(exchange: T, restUrl: string, wsUrl: string): T {
  pointAt(exchange, restUrl, wsUrl)
  exchange.httpAgent = new Agent()
  return exchange
}

function rewrite(value: unknown, restUrl: string, wsUrl: string): unknown {
  if (typeof value === 'string') return value.replace(/^https:\/\/[^/]+/, restUrl).replace(/^wss:\/\/[^/]+/, wsUrl)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = rewrite(v, restUrl, wsUrl)
    return out
  }
  return value
}
