import { Agent } from 'node:http'
import ccxt from 'ccxt'
import type { OkxServer } from './index'

// ccxt's real okx classes pointed at the local server: every entry of urls.api (urls.api.rest
// "https://{hostname}" and pro's urls.api.ws "wss://ws.okx.com:8443/ws/v5") is rewritten to
// http://127.0.0.1:<port>… / ws://127.0.0.1:<port>…, keeping the path.

export type OkxRest = InstanceType<typeof ccxt.okx>
export type OkxPro = InstanceType<typeof ccxt.pro.okx>

export interface OkxCredentials {
  apiKey: string
  secret: string
  /** OKX's passphrase (ccxt calls it `password`). */
  passphrase: string
}

/** Spot only (otherwise loadMarkets also asks for futures, swaps and two option underlyings). */
const BASE_OPTIONS = { fetchMarkets: { types: ['spot'] } }

function config(credentials: OkxCredentials | undefined, options: Record<string, unknown>) {
  const creds = credentials === undefined ? {} : { apiKey: credentials.apiKey, secret: credentials.secret, password: credentials.passphrase }
  return { ...creds, options: { ...BASE_OPTIONS, ...options } }
}

export function okxRest(server: OkxServer, credentials?: OkxCredentials, options: Record<string, unknown> = {}): OkxRest {
  const exchange = new ccxt.okx(config(credentials, options))
  pointAt(exchange.urls as Record<string, unknown>, server)
  return exchange
}

export function okxPro(server: OkxServer, credentials?: OkxCredentials, options: Record<string, unknown> = {}): OkxPro {
  const exchange = new ccxt.pro.okx(config(credentials, options))
  pointAt(exchange.urls as Record<string, unknown>, server)
  // ccxt refuses plain ws:// URLs unless it has an http agent (what `await loadHttpProxyAgent()` sets up).
  exchange.httpAgent = new Agent()
  return exchange
}

function pointAt(urls: Record<string, unknown>, server: OkxServer): void {
  urls['api'] = rewrite(urls['api'], server)
}

function rewrite(value: unknown, server: OkxServer): unknown {
  if (typeof value === 'string') {
    return value.replace(/^https:\/\/[^/]+/, server.restUrl).replace(/^wss:\/\/[^/]+/, `ws://127.0.0.1:${server.port}`)
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = rewrite(v, server)
    return out
  }
  return value
}
