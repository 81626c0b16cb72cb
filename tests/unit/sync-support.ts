import type { Balance, Candle, Conversion, Fill, FillsPageRequest, HistoryPaging, MarketInfo, Reward, Transfer, TransferKind, Venue } from '../../src-main/venues/port'

// A venue with a history, for the sync's unit tests: fills per market with ids that grow with time (like
// Binance's), deposits and withdrawals, and the paging rules of the Venue port's history methods. Counts
// every request; `beforeRequest` may throw (a failing exchange) or cancel the run.

export const DAY = 86_400_000

export interface FakeHistory {
  venue: Venue
  fills: Map<string, Fill[]>
  transfers: Transfer[]
  conversions: Conversion[]
  dust: Conversion[]
  purchases: Conversion[]
  rewards: Reward[]
  balances: Balance[]
  requests: { method: string; symbol?: string; page?: unknown }[]
  paging: HistoryPaging
  beforeRequest: ((n: number, method: string) => void) | null
  addFill(symbol: string, timestamp: number, over?: Partial<Fill>): Fill
}

const market = (symbol: string): MarketInfo => {
  const [base, quote] = symbol.split('/') as [string, string]
  return { symbol, base, quote, tickSize: '0.01', stepSize: '0.0001', minAmount: '0.0001', minNotional: '1', makerFee: '0.001', takerFee: '0.001', active: true }
}

export function fakeHistoryVenue(options: { symbols: string[]; paging?: Partial<HistoryPaging>; now: () => number }): FakeHistory {
  const fills = new Map<string, Fill[]>()
  const ids = new Map<string, number>()
  const h: FakeHistory = {
    venue: undefined as unknown as Venue,
    fills,
    transfers: [],
    conversions: [],
    dust: [],
    purchases: [],
    rewards: [],
    balances: [],
    requests: [],
    paging: {
      start: 0,
      trades: { windowMs: DAY, limit: 10, byId: true },
      transfers: { windowMs: 30 * DAY, limit: 10 },
      conversions: null,
      dust: null,
      purchases: null,
      rewards: null,
      ...options.paging,
    },
    beforeRequest: null,
    addFill(symbol, timestamp, over = {}) {
      const n = (ids.get(symbol) ?? options.symbols.indexOf(symbol) * 1_000_000 + 1_000_000) + 1
      ids.set(symbol, n)
      const fill: Fill = {
        tradeId: String(n),
        venueOrderId: `o${n}`,
        clientOrderId: null,
        symbol,
        side: n % 2 === 0 ? 'buy' : 'sell',
        price: `${100 + (n % 7)}.5`,
        amount: `0.${n % 9}1`,
        fee: { asset: symbol.split('/')[1] as string, amount: '0.01' },
        liquidity: 'taker',
        timestamp,
        ...over,
      }
      let list = fills.get(symbol)
      if (!list) fills.set(symbol, (list = []))
      list.push(fill)
      list.sort((a, b) => a.timestamp - b.timestamp || Number(a.tradeId) - Number(b.tradeId))
      return fill
    },
  }
  const count = (method: string, symbol?: string, page?: unknown) => {
    h.requests.push({ method, symbol, page })
    h.beforeRequest?.(h.requests.length, method)
  }
  /** One page of a time-windowed history, counted, refused when the sync asks beyond the paging. */
  const windowed = <T extends { timestamp: number }>(method: string, rows: T[], paging: { windowMs: number; limit: number } | null, page: { since: number; until: number; limit: number }, cut = true): T[] => {
    count(method, undefined, page)
    inWindow(page, paging)
    const inside = rows.filter((r) => r.timestamp >= page.since && r.timestamp <= page.until)
    return cut ? inside.slice(0, page.limit) : inside
  }
  const venue: Partial<Venue> = {
    id: 'ex-1',
    exchange: 'fakex',
    historyPaging: () => h.paging,
    loadMarkets: async () => {
      count('loadMarkets')
      return [...options.symbols, 'DOGE/USDT', 'BTC/EUR'].map(market)
    },
    fetchBalances: async () => {
      count('fetchBalances')
      return h.balances
    },
    fetchCandles: async (symbol, _tf, since = 0, limit = 1) => {
      count('fetchCandles', symbol)
      const out: Candle[] = []
      for (let i = 0; i < limit && since + i * DAY <= options.now(); i++) {
        out.push({ time: since + i * DAY, open: '1', high: '1', low: '1', close: `${100 + i}`, volume: '1' })
      }
      return out
    },
    fetchMyFillsPage: async (symbol: string, page: FillsPageRequest) => {
      count('fetchMyFillsPage', symbol, page)
      const all = fills.get(symbol) ?? []
      if (page.fromId !== undefined) {
        if (page.since !== undefined || page.until !== undefined) throw new Error('fromId with a time')
        return all.filter((f) => BigInt(f.tradeId) >= BigInt(page.fromId as string)).slice(0, page.limit)
      }
      if (page.since !== undefined && page.until !== undefined && page.until - page.since >= h.paging.trades.windowMs) {
        throw new Error(`window too long: ${page.until - page.since}`)
      }
      return all.filter((f) => (page.since === undefined || f.timestamp >= page.since) && (page.until === undefined || f.timestamp <= page.until)).slice(0, page.limit)
    },
    fetchTransfers: async (kind: TransferKind, page: { since: number; until: number; limit: number }) => {
      count('fetchTransfers', kind, page)
      return h.transfers.filter((t) => t.kind === kind && t.timestamp >= page.since && t.timestamp <= page.until).slice(0, page.limit)
    },
    // Dust pages are not cut at the limit: Binance's limit counts sweeps, the rows are coins.
    fetchConversions: async (page) => windowed('fetchConversions', h.conversions, h.paging.conversions, page),
    fetchDustConversions: async (page) => windowed('fetchDustConversions', h.dust, h.paging.dust, page, false),
    fetchFiatPurchases: async (page) => windowed('fetchFiatPurchases', h.purchases, h.paging.purchases, page),
    fetchRewards: async (page) => windowed('fetchRewards', h.rewards, h.paging.rewards, page),
  }
  h.venue = venue as Venue
  return h
}

/** A page asked of a history the paging does not offer, or over a longer span than it allows, is the sync's bug. */
function inWindow(page: { since: number; until: number; limit: number }, paging: { windowMs: number; limit: number } | null): void {
  if (!paging) throw new Error('this history is not offered')
  if (page.until - page.since >= paging.windowMs) throw new Error(`window too long: ${page.until - page.since}`)
  if (page.limit > paging.limit) throw new Error(`limit too high: ${page.limit}`)
}
