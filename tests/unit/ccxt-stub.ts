import { CcxtVenue, type CcxtAccountConfig } from '../../src-main/venues/ccxt/venue'
import type { ExchangeId } from '../../src-main/accounts/exchanges'

// A CcxtVenue whose ccxt object answers from a function instead of HTTP: every request is recorded with
// its fields (query and body), and a reply may be an HTTP error the exchange would send, which then goes
// through ccxt's own error handling for that exchange.

export type Raw = Record<string, unknown>
export interface Sent {
  method: string
  path: string
  fields: Record<string, unknown>
}
/** An HTTP error reply: ccxt's handleErrors / handleHttpStatusCode see it as they would a real one. */
export interface HttpError {
  __http: { status: number; body: unknown }
}
export const httpError = (status: number, body: unknown): HttpError => ({ __http: { status, body } })

export const marketIds: Record<ExchangeId, string> = { binance: 'BTCUSDT', coinbase: 'BTC-USDT', kraken: 'XXBTZUSD', okx: 'BTC-USDT', gate: 'BTC_USDT', bitget: 'BTCUSDT', bybit: 'BTCUSDT', mexc: 'BTCUSDT' }

type Ex = Raw & {
  setMarkets(m: unknown[]): void
  markets: unknown
  options: Raw
  handleErrors(...args: unknown[]): unknown
  handleHttpStatusCode(...args: unknown[]): unknown
}

/** A request ccxt sent: its method, path, and query and body fields (JSON, or form-encoded) in one object. */
export function sentOf(url: string, method: string, body: unknown): Sent {
  const u = new URL(url)
  const fields: Record<string, unknown> = Object.fromEntries(u.searchParams)
  if (typeof body === 'string' && body !== '') {
    if (body.startsWith('{') || body.startsWith('[')) {
      const parsed = JSON.parse(body) as unknown
      Object.assign(fields, Array.isArray(parsed) ? parsed[0] : parsed)
    } else Object.assign(fields, Object.fromEntries(new URLSearchParams(body)))
  }
  return { method, path: u.pathname, fields }
}

/** `config`: more of the account's settings (e.g. its rate `hold`). */
export function stubbedVenue(exchange: ExchangeId, reply: (sent: Sent) => unknown, market: Raw = {}, config: Partial<CcxtAccountConfig> = {}): { venue: CcxtVenue; sent: Sent[]; ex: Ex } {
  const venue = new CcxtVenue({ accountId: exchange, exchange, sandbox: false, apiBaseUrl: null, credentials: { apiKey: 'k'.repeat(16), secret: 's'.repeat(32), password: 'p' }, ...config })
  const ex = (venue as unknown as { ex: Ex }).ex
  const kraken = exchange === 'kraken'
  ex.setMarkets([
    {
      id: marketIds[exchange], symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', baseId: kraken ? 'XXBT' : 'BTC', quoteId: kraken ? 'ZUSD' : 'USDT',
      type: 'spot', spot: true, margin: false, swap: false, future: false, option: false, contract: false, active: true,
      precision: { amount: 0.00001, price: 0.01 }, limits: { amount: { min: 0.00001 }, price: {}, cost: { min: 1 } }, maker: 0.001, taker: 0.002,
      altname: 'XBTUSDT', wsId: 'XBT/USDT',
      info: exchange === 'binance' ? { orderTypes: ['LIMIT', 'MARKET'], permissionSets: [['SPOT']] } : { altname: 'XBTUSDT', wsname: 'XBT/USDT' },
      ...market,
    },
  ])
  const sent: Sent[] = []
  ex.fetch = async (url: string, method: string, _headers: unknown, body: unknown) => {
    const s = sentOf(url, method, body)
    sent.push(s)
    const r = await reply(s)
    if (r && typeof r === 'object' && '__http' in r) {
      const { status, body: b } = (r as HttpError).__http
      const text = JSON.stringify(b)
      ex.handleErrors(status, '', url, method, {}, text, b, {}, body)
      ex.handleHttpStatusCode(status, '', url, method, text)
      throw new Error(`the stub's HTTP ${status} was not turned into an error by ccxt`)
    }
    return r
  }
  ex.loadMarkets = async () => ex.markets
  ex.enableRateLimit = false
  return { venue, sent, ex }
}
