import { CcxtVenue } from '../../src-main/venues/ccxt/venue'

// Kraken's public Trades endpoint, answered from a list of trades, behind a ccxt Kraken venue (BTC/USD).

export const T0 = 1_795_481_280_000
export const NS = 1_000_000n

export interface Made {
  id: number
  /** Nanoseconds since the epoch (Kraken's resolution is finer than ms). */
  ns: bigint
}

/**
 * GET /0/public/Trades as Kraken answers: from `since` (seconds, or nanoseconds as its `last`: then the trades
 * after it) the oldest `count` (at most 1,000), each [price, volume, time in seconds, side, type, misc, id], and
 * `last`: the nanoseconds of the last one, the next page's since.
 */
export function kraken(path: string, q: URLSearchParams, trades: readonly Made[]) {
  if (path !== '/0/public/Trades') throw new Error(`unexpected ${path}`)
  const raw = q.get('since') ?? '0'
  const from = raw.length > 12 ? (t: Made) => t.ns > BigInt(raw) : (t: Made) => t.ns >= BigInt(raw) * 1_000_000_000n
  const rows = trades.filter(from).slice(0, Math.min(Number(q.get('count') ?? 1000), 1000))
  return {
    error: [],
    result: {
      XXBTZUSD: rows.map((t) => ['95000.5', '0.001', Number(t.ns) / 1e9, t.id % 2 ? 'b' : 's', 'l', '', t.id]),
      last: (rows.at(-1)?.ns ?? BigInt(raw)).toString(),
    },
  }
}

/** `onFetch` hears each request's query as it is sent (before it is answered). */
export function krakenVenue(trades: readonly Made[], onFetch?: (q: URLSearchParams) => void) {
  const venue = new CcxtVenue({ accountId: 'kraken-1', exchange: 'kraken', sandbox: false, apiBaseUrl: null, credentials: { apiKey: '', secret: '' } })
  const ex = (venue as unknown as { ex: { setMarkets(m: unknown[]): void; fetch: (url: string) => Promise<unknown> } }).ex
  ex.setMarkets([
    { id: 'XXBTZUSD', lowercaseId: 'xxbtzusd', symbol: 'BTC/USD', base: 'BTC', quote: 'USD', baseId: 'XXBT', quoteId: 'ZUSD', altname: 'XBTUSD', spot: true, type: 'spot', active: true, precision: { price: 0.1, amount: 0.00000001 }, limits: {} },
  ])
  const asked: URLSearchParams[] = []
  ex.fetch = async (url: string) => {
    const u = new URL(url)
    asked.push(u.searchParams)
    onFetch?.(u.searchParams)
    return kraken(u.pathname, u.searchParams, trades)
  }
  return { venue, asked }
}

