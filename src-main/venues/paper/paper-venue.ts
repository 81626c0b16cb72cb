import type { Logger } from '../../log'
import { systemClock, type CoalescerClock } from '../../market/view-coalescer'
import type {
  Balance,
  BookDiff,
  BookSnapshot,
  Candle,
  ConnectionState,
  Fill,
  MarketInfo,
  OrderRequest,
  PublicTrade,
  RequestPacing,
  Ticker,
  Timeframe,
  TradeCursor,
  Unwatch,
  Venue,
  VenueCapabilities,
  VenueOrder,
} from '../port'
import { VenueError } from '../port'
import { parseDec, type D as Dec } from './decimal'
import type { PaperMarketSource } from './market-source'
import { MarketWatches } from './market-watch'
import { PaperOrderEngine } from './order-engine'
import type { PaperStore } from './store'

// A paper account on a real venue: market data is the source venue's own (delegated), trading is local —
// orders are matched against the source's live book and public trades (see matching.ts for the model),
// balances, orders and fills live in SQLite. Nothing is ever sent to the source's order endpoints.

export interface PaperVenueOptions {
  /** 'paper:<n>'. */
  id: string
  /** Whose live markets. */
  source: Venue
  /** Close the source with this venue (a key-less venue made for it), not when it is shared. */
  ownsSource: boolean
  /** The source's book and trades (the market module's shared loops in the engine). */
  market: PaperMarketSource
  store: PaperStore
  log: Logger
  clock?: CoalescerClock
  /** How long an order waits for its book to become live (default 5 s). */
  liveWaitMs?: number
  /** How long a market stays followed after its last order (default 60 s). */
  lingerMs?: number
  /** Balances changed (an order was placed, filled or cancelled). */
  onBalances?: () => void
}

export class PaperVenue implements Venue {
  readonly id: string
  readonly exchange: string
  readonly capabilities: VenueCapabilities
  /** Present when the source venue has it. */
  readonly watchOrderBookDiffs?: (symbol: string, onDiff: (diff: BookDiff) => void, onError: (err: Error) => void) => Unwatch
  private readonly source: Venue
  private readonly engine: PaperOrderEngine
  private readonly watches: MarketWatches
  private readonly clock: CoalescerClock
  private readonly log: Logger
  private readonly liveWaitMs: number
  private readonly orderListeners = new Set<(order: VenueOrder) => void>()
  private readonly fillListeners = new Set<(fill: Fill) => void>()
  private readonly fillErrorListeners = new Set<(err: Error) => void>()
  private markets: MarketInfo[] | null = null
  /** Ids of the open orders holding their market's loops. */
  private readonly resting = new Set<string>()
  private restored = false
  private closed = false

  constructor(private readonly options: PaperVenueOptions) {
    this.id = options.id
    this.source = options.source
    this.exchange = options.source.exchange
    this.capabilities = { nativeStops: false, sandbox: false, watchOrderBook: options.source.capabilities.watchOrderBook, watchMyFills: true }
    this.clock = options.clock ?? systemClock
    this.log = options.log
    this.liveWaitMs = options.liveWaitMs ?? 5000
    const diffs = options.source.watchOrderBookDiffs
    if (diffs !== undefined) this.watchOrderBookDiffs = (symbol, onDiff, onError) => diffs.call(options.source, symbol, onDiff, onError)
    const after = options.source.fetchTradesAfter
    if (after !== undefined) this.fetchTradesAfter = (symbol, cursor, limit, pacing) => after.call(options.source, symbol, cursor, limit, pacing)
    this.engine = new PaperOrderEngine(
      options.id,
      options.store,
      {
        onOrder: (order) => {
          // A resting order holds its market's loops until it is done.
          if (order.status !== 'open' && this.resting.delete(order.venueOrderId)) this.watches.unhold(order.symbol)
          this.tell(this.orderListeners, order)
        },
        onFill: (fill) => this.tell(this.fillListeners, fill),
        onBalances: () => options.onBalances?.(),
        onWriteFailed: (err) => {
          this.log.error(`paper account ${this.id}: saving fills failed`, err)
          // Fill watchers reconcile on a stream error: they read the account as saved.
          const reason = new Error(`Saving paper fills failed (they were not made): ${err instanceof Error ? err.message : String(err)}`)
          this.tell(this.fillErrorListeners, reason)
        },
      },
      () => this.clock.now(),
    )
    this.watches = new MarketWatches(
      options.market,
      {
        onBook: (symbol) => this.guard('book', () => this.bookChanged(symbol)),
        onTrades: (symbol, trades) => this.guard('trades', () => this.engine.onTrades(symbol, trades)),
      },
      this.clock,
      options.lingerMs ?? 60_000,
      this.log,
    )
  }

  // ── connection ──────────────────────────────────────────────────────────────────────────────────────

  /** Connects the source (when it is this venue's own), loads its markets and resumes resting orders. */
  async connect(): Promise<void> {
    this.closed = false
    if (this.options.ownsSource || this.source.connection() !== 'live') await this.source.connect()
    const markets = await this.loadMarkets()
    if (this.restored) return
    this.restored = true
    const { restored, stranded } = this.engine.restore(markets)
    for (const order of restored) this.rest(order)
    if (stranded.length > 0) {
      this.log.warn(
        `paper account ${this.id}: ${stranded.length} open order(s) on markets ${this.exchange} no longer lists cannot fill; they keep their reservation until canceled`,
        stranded.map((o) => `#${o.venueOrderId} ${o.side} ${o.amount} ${o.symbol} (reserves ${o.reserved} ${o.reservedAsset})`),
      )
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.watches.stopAll()
    this.resting.clear()
    this.restored = false
    this.orderListeners.clear()
    this.fillListeners.clear()
    this.fillErrorListeners.clear()
    if (this.options.ownsSource) await this.source.close()
  }

  /** How many markets the source has, once loaded. */
  get marketCount(): number | null {
    return this.markets?.length ?? null
  }

  connection(): ConnectionState {
    return this.closed ? 'down' : this.source.connection()
  }

  onConnection(listener: (state: ConnectionState, reason?: string) => void): Unwatch {
    return this.source.onConnection(listener)
  }

  // ── market data: the source's ───────────────────────────────────────────────────────────────────────

  async loadMarkets(): Promise<MarketInfo[]> {
    // The source's rules and rates; the fee is ours (order-engine.ts charges it in the quote).
    this.markets ??= (await this.source.loadMarkets()).map((m) => ({ ...m, feeIn: 'quote' as const }))
    return this.markets
  }

  fetchOrderBook(symbol: string, depth?: number): Promise<BookSnapshot> {
    return this.source.fetchOrderBook(symbol, depth)
  }

  fetchTicker(symbol: string): Promise<Ticker> {
    return this.source.fetchTicker(symbol)
  }

  fetchCandles(symbol: string, timeframe: Timeframe, since?: number, limit?: number, pacing?: RequestPacing): Promise<Candle[]> {
    return this.source.fetchCandles(symbol, timeframe, since, limit, pacing)
  }

  fetchTrades(symbol: string, limit?: number, pacing?: RequestPacing): Promise<PublicTrade[]> {
    return this.source.fetchTrades(symbol, limit, pacing)
  }

  /** The source's, where it has it. */
  readonly fetchTradesAfter?: (symbol: string, after: TradeCursor, limit: number, pacing?: RequestPacing) => Promise<PublicTrade[]>

  watchOrderBook(symbol: string, onBook: (book: BookSnapshot) => void, onError: (err: Error) => void, depth?: number): Unwatch {
    return this.source.watchOrderBook(symbol, onBook, onError, depth)
  }

  watchTrades(symbol: string, onTrade: (trades: PublicTrade[]) => void, onError: (err: Error) => void, onSubscribed?: () => void): Unwatch {
    return this.source.watchTrades(symbol, onTrade, onError, onSubscribed)
  }

  watchTicker(symbol: string, onTicker: (ticker: Ticker) => void, onError: (err: Error) => void): Unwatch {
    return this.source.watchTicker(symbol, onTicker, onError)
  }

  // ── trading: local ──────────────────────────────────────────────────────────────────────────────────

  async fetchBalances(): Promise<Balance[]> {
    return this.engine.ledger.balances()
  }

  async placeOrder(request: OrderRequest): Promise<VenueOrder> {
    this.checkOpen()
    const market = await this.marketOf(request.symbol)
    checkRequest(request, market)
    this.engine.checkNewClientId(request.clientOrderId)
    const watched = this.watches.hold(market.symbol)
    try {
      await this.watches.waitLive(watched, this.liveWaitMs)
      this.checkOpen()
      const health = watched.book.health()
      if (health.status !== 'live') {
        throw new VenueError('invalid-order', `Paper orders need a live book: the ${market.symbol} book is ${health.status} (${health.reason ?? 'no reason given'})`)
      }
      const order = this.engine.place(request, market, watched)
      if (order.status === 'open') this.rest(order)
      return order
    } finally {
      this.watches.unhold(market.symbol)
    }
  }

  async cancelOrder(symbol: string, venueOrderId: string): Promise<VenueOrder> {
    this.checkOpen()
    const order = this.engine.cancel(venueOrderId)
    if (order.symbol !== symbol) this.log.warn('paper cancel named another market', { venueOrderId, symbol, actual: order.symbol })
    return order
  }

  async fetchOrder(symbol: string, ref: { venueOrderId?: string; clientOrderId?: string }): Promise<VenueOrder | null> {
    if (ref.venueOrderId === undefined && ref.clientOrderId === undefined) {
      throw new VenueError('invalid-order', 'fetchOrder needs a venueOrderId or a clientOrderId')
    }
    const order = this.engine.findOrder(ref)
    return order !== null && order.symbol === symbol ? order : null
  }

  async fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return this.engine.openOrders(symbol)
  }

  async fetchMyFills(symbol: string, since?: number): Promise<Fill[]> {
    return this.options.store.fills(this.id, symbol, since)
  }

  watchMyFills(onFill: (fill: Fill) => void, onError: (err: Error) => void): Unwatch {
    this.fillListeners.add(onFill)
    this.fillErrorListeners.add(onError)
    return () => {
      this.fillListeners.delete(onFill)
      this.fillErrorListeners.delete(onError)
    }
  }

  watchMyOrders(onOrder: (order: VenueOrder) => void, _onError: (err: Error) => void): Unwatch {
    this.orderListeners.add(onOrder)
    return () => this.orderListeners.delete(onOrder)
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────

  private rest(order: VenueOrder): void {
    if (this.resting.has(order.venueOrderId)) return
    this.resting.add(order.venueOrderId)
    this.watches.hold(order.symbol)
  }

  private bookChanged(symbol: string): void {
    const watched = this.watches.get(symbol)
    if (watched !== undefined) this.engine.onBook(watched)
  }

  private async marketOf(symbol: string): Promise<MarketInfo> {
    let markets: MarketInfo[]
    try {
      markets = await this.loadMarkets()
    } catch (err) {
      throw err instanceof VenueError ? err : new VenueError('unreachable', `Could not load the markets of ${this.exchange}: ${messageOf(err)}`, err)
    }
    const market = markets.find((m) => m.symbol === symbol)
    if (market === undefined) throw new VenueError('invalid-order', `No market ${symbol} on ${this.exchange}`)
    if (!market.active) throw new VenueError('invalid-order', `${symbol} is not trading on ${this.exchange}`)
    return market
  }

  private checkOpen(): void {
    if (this.closed) throw new VenueError('unreachable', `Paper account ${this.id} is closed`)
  }

  private tell<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const l of [...listeners]) {
      try {
        l(value)
      } catch (err) {
        this.log.error(`paper account ${this.id}: a listener failed`, err)
      }
    }
  }

  private guard(what: string, body: () => void): void {
    try {
      body()
    } catch (err) {
      this.log.error(`paper account ${this.id}: matching on ${what} failed`, err)
    }
  }
}

/** The request's own shape and the market's rules, checked before the book is looked at. */
function checkRequest(request: OrderRequest, market: MarketInfo): void {
  const refuse = (message: string) => new VenueError('invalid-order', message)
  const amount = parseDec(request.amount)
  if (amount === null || amount.lte(0)) throw refuse(`Amount must be a number greater than zero, not "${request.amount}"`)
  if (request.clientOrderId.trim() === '') throw refuse('A client order id is required')
  let price: Dec | null = null
  if (request.type === 'limit') {
    price = parseDec(request.price)
    if (price === null || price.lte(0)) throw refuse(`A limit order needs a price greater than zero, not "${request.price ?? ''}"`)
  } else if (request.postOnly) throw refuse('Post-only applies to limit orders only')
  const step = parseDec(market.stepSize)
  if (step !== null && step.gt(0) && !amount.mod(step).isZero()) {
    throw refuse(`Amount ${request.amount} is not a multiple of the step ${market.stepSize} of ${market.symbol}`)
  }
  const tick = parseDec(market.tickSize)
  if (price !== null && tick !== null && tick.gt(0) && !price.mod(tick).isZero()) {
    throw refuse(`Price ${request.price} is not a multiple of the tick ${market.tickSize} of ${market.symbol}`)
  }
  const minAmount = parseDec(market.minAmount)
  if (minAmount !== null && amount.lt(minAmount)) throw refuse(`Amount ${request.amount} is below the minimum ${market.minAmount} ${market.base} of ${market.symbol}`)
  const minNotional = parseDec(market.minNotional)
  if (price !== null && minNotional !== null && price.times(amount).lt(minNotional)) {
    throw refuse(`Order value ${price.times(amount).toFixed()} ${market.quote} is below the minimum notional ${market.minNotional} of ${market.symbol}`)
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
