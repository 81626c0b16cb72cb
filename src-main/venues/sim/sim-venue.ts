import {
  type Balance,
  type BookDiff,
  type BookSnapshot,
  type Candle,
  type ConnectionState,
  type Fill,
  type MarketInfo,
  type OrderRequest,
  type PublicTrade,
  type Ticker,
  type Timeframe,
  type TradeCursor,
  type Unwatch,
  type Venue,
  type VenueCapabilities,
  VenueError,
  type VenueErrorKind,
  type VenueOrder,
} from '../port'
import { type MatchingEngine, type OrderRef, type SimOrder, SimRejection, type SimRejectReason } from './engine-api'

export interface SimVenueOptions {
  /** The venue id in this app (default "sim"). */
  id?: string
  /** Levels per side pushed by watchOrderBook (default 50). */
  bookDepth?: number
}

const KIND_OF: Record<SimRejectReason, VenueErrorKind> = {
  'unknown-market': 'invalid-order',
  'invalid-order': 'invalid-order',
  'invalid-amount': 'invalid-order',
  'invalid-price': 'invalid-order',
  'below-min-amount': 'invalid-order',
  'below-min-notional': 'invalid-order',
  'insufficient-funds': 'insufficient-funds',
  'post-only-would-take': 'invalid-order',
  'fok-unfillable': 'invalid-order',
  'duplicate-client-order-id': 'invalid-order',
  'unknown-order': 'order-not-found',
  'order-not-open': 'order-not-found',
  // Not a balance problem: the venue's account does not exist there (a setup error), so it may not trade.
  'unknown-account': 'permission-denied',
}

/** Classifies anything the engine throws as a VenueError (a SimRejection keeps its reason in the message). */
export function toVenueError(err: unknown): VenueError {
  if (err instanceof VenueError) return err
  if (err instanceof SimRejection) return new VenueError(KIND_OF[err.reason] ?? 'unknown', `${err.reason}: ${err.message}`, err)
  return new VenueError('unknown', err instanceof Error ? err.message : String(err), err)
}

/**
 * The simulated exchange as a Venue: one account on a shared MatchingEngine. Always live (it is in-process);
 * calls are answered from the engine synchronously (as resolved promises), and watches are fed from engine
 * events in the order the engine emits them.
 */
export class SimVenue implements Venue {
  readonly id: string
  readonly exchange = 'sim'
  readonly capabilities: VenueCapabilities = { nativeStops: false, sandbox: false, watchOrderBook: true, watchMyFills: true }
  private readonly bookDepth: number
  private state: ConnectionState = 'live'
  private readonly connectionListeners = new Set<(state: ConnectionState, reason?: string) => void>()
  private readonly watches = new Set<() => void>()

  constructor(
    private readonly engine: MatchingEngine,
    readonly accountId: string,
    options: SimVenueOptions = {},
  ) {
    this.id = options.id ?? 'sim'
    this.bookDepth = options.bookDepth ?? 50
  }

  // ── connection ──────────────────────────────────────────────────────────────────────────────────────

  async connect(): Promise<void> {
    this.setState('live')
  }

  /** Stops every watch; the venue reports 'down' until connect() again. */
  async close(): Promise<void> {
    for (const stop of [...this.watches]) stop()
    this.setState('down', 'closed')
  }

  connection(): ConnectionState {
    return this.state
  }

  onConnection(listener: (state: ConnectionState, reason?: string) => void): Unwatch {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  // ── reference and market data ───────────────────────────────────────────────────────────────────────

  async loadMarkets(): Promise<MarketInfo[]> {
    return this.engine.markets().map((s) => ({
      symbol: s.symbol,
      base: s.base,
      quote: s.quote,
      tickSize: s.tickSize,
      stepSize: s.stepSize,
      minAmount: s.minAmount,
      minNotional: s.minNotional,
      makerFee: s.makerFee,
      takerFee: s.takerFee,
      active: true,
    }))
  }

  async fetchBalances(): Promise<Balance[]> {
    return this.engine.balances(this.accountId)
  }

  async fetchOrderBook(symbol: string, depth?: number): Promise<BookSnapshot> {
    return this.call(() => this.engine.book(symbol, depth))
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    return this.call(() => this.engine.ticker(symbol))
  }

  async fetchCandles(symbol: string, timeframe: Timeframe, since?: number, limit?: number): Promise<Candle[]> {
    return this.call(() => this.engine.candles(symbol, timeframe, { since, limit }))
  }

  /** The engine's recent public trades (it keeps the last 1,000 per market by default), oldest first, as copies. */
  async fetchTrades(symbol: string, limit?: number): Promise<PublicTrade[]> {
    return this.call(() => this.engine.trades(symbol, limit).map((t) => ({ ...t })))
  }

  /**
   * The engine's trades from `after` on (of those it keeps; `after` first while kept), oldest first, at
   * most `limit`, as copies.
   */
  async fetchTradesAfter(symbol: string, after: TradeCursor, limit: number): Promise<PublicTrade[]> {
    return this.call(() => {
      const trades = this.engine.trades(symbol)
      // Ids are whole numbers the engine hands out in order; the cursor's own trade ends the older ones.
      // Not kept any more: the later ones only, so the caller sees the page does not join on.
      const i = trades.findIndex((t) => t.id === after.id)
      const later = i >= 0 ? trades.slice(i) : trades.filter((t) => t.timestamp > after.timestamp || (t.timestamp === after.timestamp && Number(t.id) > Number(after.id)))
      return later.slice(0, Math.max(0, limit)).map((t) => ({ ...t }))
    })
  }

  /** Pushes the full top-N book (N = options.bookDepth) now and after every change; callers coalesce. */
  watchOrderBook(symbol: string, onBook: (book: BookSnapshot) => void, onError: (err: Error) => void): Unwatch {
    return this.watchMarket(symbol, onError, (isLive) => {
      const push = () => {
        if (isLive()) onBook(this.engine.book(symbol, this.bookDepth))
      }
      queueMicrotask(push)
      return this.engine.on((e) => {
        if (e.type === 'book' && e.symbol === symbol) push()
      })
    })
  }

  /** The engine's own depth diffs (gapless update ids), in the order the engine emits them. */
  watchOrderBookDiffs(symbol: string, onDiff: (diff: BookDiff) => void, onError: (err: Error) => void): Unwatch {
    return this.watchMarket(symbol, onError, (isLive) =>
      this.engine.on((e) => {
        if (e.type !== 'book' || e.symbol !== symbol || !isLive()) return
        onDiff({ symbol, firstUpdateId: e.firstSeq, lastUpdateId: e.seq, bids: e.bids, asks: e.asks, timestamp: e.timestamp })
      }),
    )
  }

  watchTrades(symbol: string, onTrade: (trades: PublicTrade[]) => void, onError: (err: Error) => void): Unwatch {
    return this.watchMarket(symbol, onError, () =>
      this.engine.on((e) => {
        if (e.type === 'trade' && e.trade.symbol === symbol) onTrade([e.trade])
      }),
    )
  }

  /** Pushes the ticker now and whenever its last price, best bid/ask or 24 h figures change. */
  watchTicker(symbol: string, onTicker: (ticker: Ticker) => void, onError: (err: Error) => void): Unwatch {
    return this.watchMarket(symbol, onError, (isLive) => {
      let previous = ''
      const push = () => {
        if (!isLive()) return
        const ticker = this.engine.ticker(symbol)
        const key = [ticker.last, ticker.bid, ticker.ask, ticker.high24h, ticker.low24h, ticker.volume24h].join('|')
        if (key === previous) return
        previous = key
        onTicker(ticker)
      }
      queueMicrotask(push)
      return this.engine.on((e) => {
        if ((e.type === 'book' && e.symbol === symbol) || (e.type === 'trade' && e.trade.symbol === symbol)) push()
      })
    })
  }

  // ── trading ─────────────────────────────────────────────────────────────────────────────────────────

  async placeOrder(request: OrderRequest): Promise<VenueOrder> {
    return this.call(() => {
      // No nativeStops: a trigger must be refused (port contract), never worked as a plain order at once.
      if (request.trigger !== undefined) {
        throw new VenueError('invalid-order', `the simulated exchange holds no stop orders: a ${request.trigger.kind} order cannot be placed on it`)
      }
      const { order } = this.engine.placeOrder({
        accountId: this.accountId,
        clientOrderId: request.clientOrderId,
        symbol: request.symbol,
        side: request.side,
        type: request.type,
        amount: request.amount,
        price: request.price,
        timeInForce: request.timeInForce,
        postOnly: request.postOnly,
      })
      return toVenueOrder(order)
    })
  }

  async cancelOrder(symbol: string, venueOrderId: string): Promise<VenueOrder> {
    return this.call(() => {
      if (!this.engine.hasAccount(this.accountId)) throw new VenueError('order-not-found', `no order #${venueOrderId}`)
      return toVenueOrder(this.engine.cancelOrder(this.accountId, symbol, { venueOrderId }))
    })
  }

  async fetchOrder(symbol: string, ref: { venueOrderId?: string; clientOrderId?: string }): Promise<VenueOrder | null> {
    return this.call(() => {
      this.engine.market(symbol)
      const key: OrderRef | null =
        ref.venueOrderId !== undefined
          ? { venueOrderId: ref.venueOrderId }
          : ref.clientOrderId !== undefined
            ? { clientOrderId: ref.clientOrderId }
            : null
      if (!key) throw new VenueError('invalid-order', 'fetchOrder needs a venueOrderId or a clientOrderId')
      const order = this.engine.getOrder(this.accountId, symbol, key)
      return order ? toVenueOrder(order) : null
    })
  }

  async fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return this.call(() => {
      if (symbol !== undefined) this.engine.market(symbol)
      return this.engine.openOrders(this.accountId, symbol).map(toVenueOrder)
    })
  }

  async fetchMyFills(symbol: string, since?: number): Promise<Fill[]> {
    return this.call(() => {
      this.engine.market(symbol)
      return this.engine.fills(this.accountId, { symbol, since })
    })
  }

  watchMyFills(onFill: (fill: Fill) => void, _onError: (err: Error) => void): Unwatch {
    return this.track(
      this.engine.on((e) => {
        if (e.type === 'fill' && e.accountId === this.accountId) onFill(e.fill)
      }),
    )
  }

  watchMyOrders(onOrder: (order: VenueOrder) => void, _onError: (err: Error) => void): Unwatch {
    return this.track(
      this.engine.on((e) => {
        if (e.type === 'order' && e.accountId === this.accountId) onOrder(toVenueOrder(e.order))
      }),
    )
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────────────

  private call<T>(body: () => T): T {
    try {
      return body()
    } catch (err) {
      throw toVenueError(err)
    }
  }

  /** Validates the symbol (an unknown one is reported through onError), then starts the watch. */
  private watchMarket(
    symbol: string,
    onError: (err: Error) => void,
    start: (isLive: () => boolean) => () => void,
  ): Unwatch {
    let live = true
    try {
      this.engine.market(symbol)
    } catch (err) {
      queueMicrotask(() => {
        if (live) onError(toVenueError(err))
      })
      return () => {
        live = false
      }
    }
    const off = start(() => live)
    return this.track(() => {
      live = false
      off()
    })
  }

  private track(stop: () => void): Unwatch {
    let stopped = false
    const unwatch = () => {
      if (stopped) return
      stopped = true
      this.watches.delete(unwatch)
      stop()
    }
    this.watches.add(unwatch)
    return unwatch
  }

  private setState(state: ConnectionState, reason?: string): void {
    if (this.state === state) return
    this.state = state
    for (const listener of [...this.connectionListeners]) listener(state, reason)
  }
}

/** The port's order shape (the engine's SimOrder minus its accountId). */
export function toVenueOrder(order: SimOrder): VenueOrder {
  const { accountId: _accountId, ...rest } = order
  return rest
}
