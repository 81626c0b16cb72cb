import { Agent } from 'node:http'
import ccxt from 'ccxt'
import type { BinanceServer } from './index'

// ccxt's real binance classes pointed at the local server: every entry of urls.api (nested ones too, e.g.
// pro's urls.api.ws.spot and urls.api.ws['ws-api'].spot) is rewritten from https://<host>/… or
// wss://<host>/… to http://127.0.0.1:<port>/… or ws://127.0.0.1:<port>/…, keeping the path.

export type BinanceRest = InstanceType<typeof ccxt.binance>
export type BinancePro = InstanceType<typeof ccxt.pro.binance>

export interface Credentials {
  apiKey: string
  secret: string
}

const BASE_OPTIONS = { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false }

export function binanceRest(server: BinanceServer, credentials?: Credentials, options: Record<string, unknown> = {}): BinanceRest {
  const exchange = new ccxt.binance({ ...credentials, options: { ...BASE_OPTIONS, ...options } })
  pointAt(exchange.urls as Record<string, unknown>, server)
  return exchange
}

export function binancePro(server: BinanceServer, credentials?: Credentials, options: Record<string, unknown> = {}): BinancePro {
  const exchange = new ccxt.pro.binance({ ...credentials, options: { ...BASE_OPTIONS, ...options } })
  pointAt(exchange.urls as Record<string, unknown>, server)
  // ccxt refuses plain ws:// URLs unless it has an http agent (what `await loadHttpProxyAgent()` sets up).
  exchange.httpAgent = new Agent()
  return exchange
}

function pointAt(urls: Record<string, unknown>, server: BinanceServer): void {
  urls['api'] = rewrite(urls['api'], server)
}

function rewrite(value: unknown, server: BinanceServer): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/^https:\/\/[^/]+/, server.restUrl)
      .replace(/^wss:\/\/[^/]+/, server.wsUrl)
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = rewrite(v, server)
    return out
  }
  return value
}
