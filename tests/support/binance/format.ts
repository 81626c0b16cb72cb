import Decimal from 'decimal.js'
import type { BookLevel, Candle, DecimalString, Fill, PublicTrade, Ticker, Timeframe } from '../../../src-main/venues/port'
import type { SimMarketSpec, SimOrder } from '../../../src-main/venues/sim/engine-api'
import { TIMEFRAME_MS } from '../exchange-server/timeframes'

// Engine objects → the JSON Binance spot sends. Binance writes every quantity as a string padded to the
// asset precision (8 places, "0.00100000"); we pad the same way but never round: a value the engine keeps
// with more than 8 places is written in full, so the money stays exact end to end.

export function fmt(value: DecimalString | Decimal | number): string {
  const d = value instanceof Decimal ? value : new Decimal(value)
  return d.decimalPlaces() <= 8 ? d.toFixed(8) : d.toFixed()
}

/** Binance's symbol id for a market: base + quote, upper case, no separator ("BTCUSDT"). */
export function marketId(spec: SimMarketSpec): string {
  return (spec.base + spec.quote).toUpperCase()
}

/** Binance's kline intervals are the engine's timeframes. */
export const INTERVAL_MS = TIMEFRAME_MS

export function isTimeframe(value: string): value is Timeframe {
  return Object.hasOwn(INTERVAL_MS, value)
}

/**
 * Binance ids are 64-bit integers; the engine's are strings. The engine's own ids are decimal integers and
 * pass through unchanged (orderId 42 is the engine's venueOrderId "42"); any other key (ids the server makes
 * up) gets an integer from a range far above them.
 */
export class IdMap {
  private readonly toNum = new Map<string, number>()
  private readonly toKey = new Map<number, string>()
  private next = 9_000_000_000_000

  id(key: string): number {
    const aliased = this.toNum.get(key)
    if (aliased !== undefined) return aliased
    if (/^[1-9][0-9]{0,14}$/.test(key)) return Number(key)
    let n = this.toNum.get(key)
    if (n === undefined) {
      n = this.next++
      this.toNum.set(key, n)
      this.toKey.set(n, key)
    }
    return n
  }

  /** `key` shows as the existing `id` (a triggered stop's engine order keeps the stop's order id). */
  alias(key: string, id: number): void {
    this.toNum.set(key, id)
  }

  key(id: number): string | undefined {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined
    return this.toKey.get(id) ?? (id < 9_000_000_000_000 ? String(id) : undefined)
  }
}

export type BinanceOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED'
export type BinanceOrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET'

export function orderStatus(order: SimOrder): BinanceOrderStatus {
  switch (order.status) {
    case 'open':
      return new Decimal(order.filled).isZero() ? 'NEW' : 'PARTIALLY_FILLED'
    case 'closed':
      return 'FILLED'
    case 'canceled':
      return 'CANCELED'
    case 'rejected':
      return 'REJECTED'
    case 'expired':
      return 'EXPIRED'
  }
}

export function orderType(order: Pick<SimOrder, 'type' | 'postOnly'>): BinanceOrderType {
  if (order.type === 'market') return 'MARKET'
  return order.postOnly ? 'LIMIT_MAKER' : 'LIMIT'
}

/** Binance reports MARKET and LIMIT_MAKER orders as GTC whatever the engine used internally. */
export function binanceTif(order: Pick<SimOrder, 'type' | 'postOnly' | 'timeInForce'>): string {
  return order.type === 'market' || order.postOnly ? 'GTC' : order.timeInForce
}

/** GET /api/v3/order, GET /api/v3/openOrders entries. */
export function orderJson(order: SimOrder, symbolId: string, orderId: number, extra: { origQuoteOrderQty?: string } = {}) {
  const status = orderStatus(order)
  return {
    symbol: symbolId,
    orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: fmt(order.price ?? '0'),
    origQty: fmt(order.amount),
    executedQty: fmt(order.filled),
    cummulativeQuoteQty: fmt(order.cost),
    status,
    timeInForce: binanceTif(order),
    type: orderType(order),
    side: order.side.toUpperCase(),
    stopPrice: fmt('0'),
    icebergQty: fmt('0'),
    time: order.createdAt,
    updateTime: order.updatedAt,
    isWorking: true,
    workingTime: order.createdAt,
    origQuoteOrderQty: fmt(extra.origQuoteOrderQty ?? '0'),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  }
}

export type NewOrderRespType = 'ACK' | 'RESULT' | 'FULL'

/** POST /api/v3/order in its three response shapes. */
export function newOrderJson(
  order: SimOrder,
  symbolId: string,
  orderId: number,
  fills: Fill[],
  tradeId: (fill: Fill) => number,
  respType: NewOrderRespType,
  transactTime: number,
  origQuoteOrderQty?: string,
) {
  const ack = { symbol: symbolId, orderId, orderListId: -1, clientOrderId: order.clientOrderId, transactTime }
  if (respType === 'ACK') return ack
  const result = {
    ...ack,
    price: fmt(order.price ?? '0'),
    origQty: fmt(order.amount),
    executedQty: fmt(order.filled),
    origQuoteOrderQty: fmt(origQuoteOrderQty ?? '0'),
    cummulativeQuoteQty: fmt(order.cost),
    status: orderStatus(order),
    timeInForce: binanceTif(order),
    type: orderType(order),
    side: order.side.toUpperCase(),
    workingTime: order.createdAt,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  }
  if (respType === 'RESULT') return result
  return {
    ...result,
    fills: fills.map((f) => ({
      price: fmt(f.price),
      qty: fmt(f.amount),
      commission: fmt(f.fee.amount),
      commissionAsset: f.fee.asset,
      tradeId: tradeId(f),
    })),
  }
}

/** GET /api/v3/myTrades entries. */
export function myTradeJson(fill: Fill, symbolId: string, id: number, orderId: number) {
  return {
    symbol: symbolId,
    id,
    orderId,
    orderListId: -1,
    price: fmt(fill.price),
    qty: fmt(fill.amount),
    quoteQty: fmt(new Decimal(fill.price).times(fill.amount)),
    commission: fmt(fill.fee.amount),
    commissionAsset: fill.fee.asset,
    time: fill.timestamp,
    isBuyer: fill.side === 'buy',
    isMaker: fill.liquidity === 'maker',
    isBestMatch: true,
  }
}

/** GET /api/v3/trades entries. `isBuyerMaker` is true when the taker sold. */
export function publicTradeJson(trade: PublicTrade, id: number) {
  return {
    id,
    price: fmt(trade.price),
    qty: fmt(trade.amount),
    quoteQty: fmt(new Decimal(trade.price).times(trade.amount)),
    time: trade.timestamp,
    isBuyerMaker: trade.side === 'sell',
    isBestMatch: true,
  }
}

/** GET /api/v3/klines rows. The engine keeps no quote volume or trade count; those fields are "0"/0. */
export function klineRow(c: Candle, timeframe: Timeframe) {
  return [
    c.time,
    fmt(c.open),
    fmt(c.high),
    fmt(c.low),
    fmt(c.close),
    fmt(c.volume),
    c.time + INTERVAL_MS[timeframe] - 1,
    fmt('0'),
    0,
    fmt('0'),
    fmt('0'),
    '0',
  ] as const
}

/** Kline stream payload ("k") for one candle. */
export function klineEvent(c: Candle, symbolId: string, timeframe: Timeframe, now: number) {
  const closeTime = c.time + INTERVAL_MS[timeframe] - 1
  return {
    e: 'kline',
    E: now,
    s: symbolId,
    k: {
      t: c.time,
      T: closeTime,
      s: symbolId,
      i: timeframe,
      f: -1,
      L: -1,
      o: fmt(c.open),
      c: fmt(c.close),
      h: fmt(c.high),
      l: fmt(c.low),
      v: fmt(c.volume),
      n: 0,
      x: now > closeTime,
      q: fmt('0'),
      V: fmt('0'),
      Q: fmt('0'),
      B: '0',
    },
  }
}

export interface TickerStats {
  symbol: string
  priceChange: string
  priceChangePercent: string
  weightedAvgPrice: string
  prevClosePrice: string
  lastPrice: string
  lastQty: string
  bidPrice: string
  bidQty: string
  askPrice: string
  askQty: string
  openPrice: string
  highPrice: string
  lowPrice: string
  volume: string
  quoteVolume: string
  openTime: number
  closeTime: number
  firstId: number
  lastId: number
  count: number
}

/**
 * 24 h statistics in Binance's field names. Price fields come from the engine's ticker; the open price is the
 * open of the first 1m candle of the window (the engine's own definition of the 24 h change); quote volume,
 * trade count and first/last ids come from the engine's retained trade history.
 */
export function tickerStats(
  spec: SimMarketSpec,
  ticker: Ticker,
  top: { bid?: BookLevel | undefined; ask?: BookLevel | undefined },
  window: { open: string | undefined; trades: { id: number; trade: PublicTrade }[] },
  now: number,
): TickerStats {
  const last = new Decimal(ticker.last)
  const open = new Decimal(window.open ?? ticker.last)
  const volume = new Decimal(ticker.volume24h ?? '0')
  const quoteVolume = window.trades.reduce((sum, t) => sum.plus(new Decimal(t.trade.price).times(t.trade.amount)), new Decimal(0))
  const lastTrade = window.trades.at(-1)
  return {
    symbol: marketId(spec),
    priceChange: fmt(last.minus(open)),
    priceChangePercent: ticker.changePct24h === null ? '0.000' : new Decimal(ticker.changePct24h).toFixed(3),
    weightedAvgPrice: fmt(volume.isZero() ? last : quoteVolume.div(volume).toDecimalPlaces(8)),
    prevClosePrice: fmt(open),
    lastPrice: fmt(last),
    lastQty: fmt(lastTrade?.trade.amount ?? '0'),
    bidPrice: fmt(top.bid?.[0] ?? '0'),
    bidQty: fmt(top.bid?.[1] ?? '0'),
    askPrice: fmt(top.ask?.[0] ?? '0'),
    askQty: fmt(top.ask?.[1] ?? '0'),
    openPrice: fmt(open),
    highPrice: fmt(ticker.high24h ?? last),
    lowPrice: fmt(ticker.low24h ?? last),
    volume: fmt(volume),
    quoteVolume: fmt(quoteVolume),
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: window.trades[0]?.id ?? -1,
    lastId: lastTrade?.id ?? -1,
    count: window.trades.length,
  }
}

/** The <symbol>@ticker stream payload. */
export function tickerEvent(s: TickerStats, now: number) {
  return {
    e: '24hrTicker',
    E: now,
    s: s.symbol,
    p: s.priceChange,
    P: s.priceChangePercent,
    w: s.weightedAvgPrice,
    x: s.prevClosePrice,
    c: s.lastPrice,
    Q: s.lastQty,
    b: s.bidPrice,
    B: s.bidQty,
    a: s.askPrice,
    A: s.askQty,
    o: s.openPrice,
    h: s.highPrice,
    l: s.lowPrice,
    v: s.volume,
    q: s.quoteVolume,
    O: s.openTime,
    C: s.closeTime,
    F: s.firstId,
    L: s.lastId,
    n: s.count,
  }
}
