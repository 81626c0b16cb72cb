// What the stream bench and its exchange process (./exchange-process.ts) say to each other over fork's IPC.

export const FLOW_MARKETS = [
  { symbol: 'BTC/USDT', mid: '95000', unit: '1' },
  { symbol: 'ETH/USDT', mid: '3400', unit: '0.1' },
  { symbol: 'SOL/USDT', mid: '180', unit: '0.01' },
  { symbol: 'XRP/USDT', mid: '2.5', unit: '0.0001' },
  { symbol: 'ETH/BTC', mid: '0.036', unit: '0.00001' },
] as const

/** Levels per side the bench's book views show (and the exchange notes at each send). */
export const BOOK_DEPTH = 25

/**
 * One depth message, at its first send: Binance symbol id, final update id u, wall-clock send time (ms),
 * sha1 (base64) of JSON [top bids, top asks] as [number, number] pairs right after u, and which connections
 * got it (1: a bare /ws connection, i.e. the engine's ccxt; 2: a combined /stream one, i.e. the raw-hop page).
 */
export type SentRecord = [symbolId: string, u: number, t: number, key: string, connections: number]

export type ExchangeRequest = { t: 'collect'; from: number; to: number } | { t: 'counters' } | { t: 'stop' }

export interface FlowCounters {
  ticks: number
  dropped: number
  rejected: number
  unchanged: number
}

export type ExchangeReply =
  | { t: 'ready'; priority: string; restUrl: string; wsUrl: string; apiKey: string; secret: string }
  | ({ t: 'counters'; at: number } & FlowCounters)
  | ({ t: 'collected'; records: SentRecord[]; wakes: [at: number, lateMs: number, ticks: number][] } & FlowCounters)
  | { t: 'error'; message: string }
