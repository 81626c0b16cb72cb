import ccxt from 'ccxt'
import { pointAt, pointProAt } from '../exchange-server/ccxt-urls'
import type { BinanceServer } from './index'

// ccxt's real binance classes pointed at the local server (../exchange-server/ccxt-urls.ts): every entry of
// urls.api (nested ones too, e.g. pro's urls.api.ws.spot and urls.api.ws['ws-api'].spot) goes from
// https://<host>/… or wss://<host>/… to restUrl / wsUrl (http://127.0.0.1:<port>/…, ws://…), keeping the path.

export type BinanceRest = InstanceType<typeof ccxt.binance>
export type BinancePro = InstanceType<typeof ccxt.pro.binance>

export interface Credentials {
  apiKey: string
  secret: string
}

const BASE_OPTIONS = { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false }

export function binanceRest(server: BinanceServer, credentials?: Credentials, options: Record<string, unknown> = {}): BinanceRest {
  return pointAt(new ccxt.binance({ ...credentials, options: { ...BASE_OPTIONS, ...options } }), server.restUrl, server.wsUrl)
}

export function binancePro(server: BinanceServer, credentials?: Credentials, options: Record<string, unknown> = {}): BinancePro {
  return pointProAt(new ccxt.pro.binance({ ...credentials, options: { ...BASE_OPTIONS, ...options } }), server.restUrl, server.wsUrl)
}
