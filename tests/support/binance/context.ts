import type { MatchingEngine, SimMarketSpec, SimOrder } from '../../../src-main/venues/sim/engine-api'
import type { Auth } from './auth'
import { EngineContext } from '../exchange-server/context'
import type { Faults } from './faults'
import { IdMap, marketId, tickerStats, type TickerStats } from './format'
import { err } from './http'
import { StopOrders } from './stop-orders'

/** What every part of the server shares: the engine, the market table, id maps, auth, faults, the clock. */
export class ServerContext extends EngineContext<Auth, Faults> {
  readonly bySymbolId = new Map<string, SimMarketSpec>()
  readonly orderIds = new IdMap()
  readonly tradeIds = new IdMap()
  /**
   * Orders the engine never holds: a FOK/IOC order the engine refuses as unfillable is, on Binance, an order
   * that exists with status EXPIRED. Kept here so GET /api/v3/order finds it.
   */
  readonly expiredOrders = new Map<number, { accountId: string; order: SimOrder }>()
  /** Last book update id seen per symbol id (used when a snapshot carries no sequence). */
  readonly bookSeq = new Map<string, number>()

  /** Binance's name for the engine's self-trade prevention ("expire-taker" → EXPIRE_TAKER). */
  readonly stpMode: string
  /** Stop-loss / take-profit orders held until their stop price trades (stop-orders.ts). */
  readonly stops: StopOrders = new StopOrders(this)

  constructor(engine: MatchingEngine, auth: Auth, faults: Faults, now: () => number) {
    super(engine, auth, faults, now)
    for (const spec of engine.markets()) this.bySymbolId.set(marketId(spec), spec)
    const stp = 'selfTradePrevention' in engine && typeof engine.selfTradePrevention === 'function' ? engine.selfTradePrevention() : undefined
    this.stpMode = stp === 'none' ? 'NONE' : stp === 'expire-taker' ? 'EXPIRE_TAKER' : 'EXPIRE_MAKER'
  }

  /** The market for a Binance symbol id ("BTCUSDT"); -1121 when there is none. */
  spec(symbolId: string): SimMarketSpec {
    const spec = this.bySymbolId.get(symbolId)
    if (spec === undefined) throw err.badSymbol()
    return spec
  }

  /** Accepts "BTC/USDT", "BTCUSDT" or "btcusdt". */
  symbolId(symbol: string): string {
    if (symbol.includes('/')) return marketId(this.engine.market(symbol))
    return symbol.toUpperCase()
  }

  /** 24 h ticker statistics for a market, as GET /api/v3/ticker/24hr and <symbol>@ticker show them. */
  tickerStats(spec: SimMarketSpec): TickerStats {
    const now = this.now()
    const book = this.engine.book(spec.symbol, 1)
    const minute = Math.floor(now / 60_000)
    const from = (minute - 1439) * 60_000
    const open = this.engine.candles(spec.symbol, '1m', { since: from })[0]?.open
    const trades = this.engine
      .trades(spec.symbol)
      .filter((t) => t.timestamp >= now - 86_400_000)
      .map((trade) => ({ id: this.tradeIds.id(trade.id), trade }))
    return tickerStats(spec, this.engine.ticker(spec.symbol), { bid: book.bids[0], ask: book.asks[0] }, { open, trades }, now)
  }
}
