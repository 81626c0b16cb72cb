import Decimal from 'decimal.js'
import type { MatchingEngine, SimMarketSpec, SimOrder } from '../../../src-main/venues/sim/engine-api'
import type { Auth } from './auth'
import { EngineContext } from '../exchange-server/context'
import type { Faults } from './faults'
import { err } from './http'
import { fill, instIdOf, num, order, type FillFields } from './format'

/** What every part of the server shares: the engine, the instrument table, order bookkeeping, auth, faults. */
export class ServerContext extends EngineContext<Auth, Faults> {
  readonly byInstId = new Map<string, SimMarketSpec>()
  /**
   * Orders the engine never holds: a FOK the engine refuses as unfillable, or a post_only that would take, is
   * on OKX an order that was accepted and then canceled. Kept here (by ordId) so GET trade/order finds it.
   */
  readonly syntheticOrders = new Map<string, SimOrder>()
  /** Engine client ids the server made up for orders placed without clOrdId (OKX shows clOrdId ""). */
  readonly hiddenClientIds = new Set<string>()
  private nextSyntheticId = 9_000_000_000
  readonly startedAt: number

  constructor(engine: MatchingEngine, auth: Auth, faults: Faults, now: () => number) {
    super(engine, auth, faults, now)
    for (const spec of engine.markets()) this.byInstId.set(instIdOf(spec), spec)
    this.startedAt = now()
  }

  /** The market for an OKX instId ("BTC-USDT"); 51001 when there is none. */
  spec(instId: string): SimMarketSpec {
    const spec = this.byInstId.get(instId)
    if (spec === undefined) throw err.badInstrument()
    return spec
  }

  /** Accepts "BTC/USDT" or "BTC-USDT". */
  instId(symbol: string): string {
    return symbol.includes('/') ? instIdOf(this.engine.market(symbol)) : symbol.toUpperCase()
  }

  syntheticId(): string {
    return String(this.nextSyntheticId++)
  }

  clOrdId(o: { clientOrderId: string | null }): string {
    return o.clientOrderId === null || this.hiddenClientIds.has(o.clientOrderId) ? '' : o.clientOrderId
  }

  /** The order's cumulative fee from the engine's fills (OKX: fee in the asset received). */
  orderFee(accountId: string, o: SimOrder): { asset: string; amount: string } {
    const spec = this.engine.market(o.symbol)
    const fills = this.engine
      .fills(accountId, { symbol: o.symbol })
      .filter((f) => f.venueOrderId === o.venueOrderId)
      .sort((a, b) => Number(a.tradeId) - Number(b.tradeId))
    // Only the fills this view of the order already contains (an `orders` push mid-way through a match).
    let filled = new Decimal(0)
    let amount = new Decimal(0)
    for (const f of fills) {
      if (filled.gte(o.filled)) break
      filled = filled.plus(f.amount)
      amount = amount.plus(f.fee.amount)
    }
    return { asset: fills[0]?.fee.asset ?? (o.side === 'buy' ? spec.base : spec.quote), amount: amount.toFixed() }
  }

  /** Regular orders an algo order placed when it triggered, by their engine client id (see ./algo.ts). */
  readonly algoChildren = new Map<string, { algoId: string; algoClOrdId: string }>()

  formatOrder(accountId: string, o: SimOrder, last?: FillFields, extra?: Record<string, string>): Record<string, string> {
    // OKX shows the algo order that placed a regular order on it (algoId, algoClOrdId; "" for the others).
    const algo = o.clientOrderId === null ? undefined : this.algoChildren.get(o.clientOrderId)
    const ids = { algoId: algo?.algoId ?? '', algoClOrdId: algo?.algoClOrdId ?? '' }
    return order(this.engine.market(o.symbol), o, this.clOrdId(o), this.orderFee(accountId, o), last, { ...ids, ...extra })
  }

  formatFill(f: Parameters<typeof fill>[1]): Record<string, string> {
    return fill(this.engine.market(f.symbol), f, this.clOrdId(f))
  }

  /** GET /api/v5/market/ticker and the `tickers` channel. */
  ticker(spec: SimMarketSpec): Record<string, string> {
    const now = this.now()
    const t = this.engine.ticker(spec.symbol)
    const book = this.engine.book(spec.symbol, 1)
    const trades = this.engine.trades(spec.symbol).filter((x) => x.timestamp >= now - 86_400_000)
    const open = this.engine.candles(spec.symbol, '1m', { since: now - 86_400_000 })[0]?.open ?? t.last
    const lastTrade = trades.reduce<(typeof trades)[number] | undefined>((a, x) => (a === undefined || x.timestamp >= a.timestamp ? x : a), undefined)
    const quoteVolume = trades.reduce((s, x) => s.plus(new Decimal(x.price).times(x.amount)), new Decimal(0))
    const bid = book.bids[0]
    const ask = book.asks[0]
    const opt = (v: string | null | undefined) => (v === null || v === undefined ? '' : num(v))
    return {
      instType: 'SPOT',
      instId: instIdOf(spec),
      last: num(t.last),
      lastSz: lastTrade === undefined ? '0' : num(lastTrade.amount),
      askPx: opt(ask?.[0]),
      askSz: ask === undefined ? '0' : num(ask[1]),
      bidPx: opt(bid?.[0]),
      bidSz: bid === undefined ? '0' : num(bid[1]),
      open24h: num(open),
      high24h: opt(t.high24h) || num(t.last),
      low24h: opt(t.low24h) || num(t.last),
      volCcy24h: quoteVolume.toFixed(),
      vol24h: opt(t.volume24h) || '0',
      ts: String(now),
      sodUtc0: num(open),
      sodUtc8: num(open),
    }
  }
}
