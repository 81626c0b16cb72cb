import ccxt from 'ccxt'
import { pointAt, pointProAt } from '../exchange-server/ccxt-urls'
import type { OkxServer } from './index'

// ccxt's real okx classes pointed at the local server (../exchange-server/ccxt-urls.ts): every entry of urls.api (urls.api.rest
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
  return pointAt(new ccxt.okx(config(credentials, options)), server.restUrl, wsBase(server))
}

export function okxPro(server: OkxServer, credentials?: OkxCredentials, options: Record<string, unknown> = {}): OkxPro {
  return pointProAt(new ccxt.pro.okx(config(credentials, options)), server.restUrl, wsBase(server))
}

/** ccxt's OKX WebSocket URLs carry the /ws/v5 path themselves, so only the origin is replaced. */
function wsBase(server: OkxServer): string {
  return `ws://127.0.0.1:${server.port}`
}
