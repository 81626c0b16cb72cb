import type { PrivateStreamsState } from './private-streams'
// The Venue port: everything the engine needs from an exchange, whichever it is (a real exchange through
// ccxt, the built-in simulated exchange, a paper account). Nothing above venues/ knows which it talks to.
//
// Money crosses this port as decimal strings ("0.00012000" → exact); convert with decimal.js inside.
// Timestamps are integer milliseconds, UTC. Symbols are unified ccxt-style: "BTC/USDT".

export type DecimalString = string
export type Side = 'buy' | 'sell'
export type OrderType = 'limit' | 'market'
export type TimeInForce = 'GTC' | 'IOC' | 'FOK'
export type Timeframe = '1m' | '5m' | '15m' | '1h' | '4h' | '1d'

export interface MarketInfo {
  symbol: string
  base: string
  quote: string
  /** Price tick, e.g. "0.01". */
  tickSize: DecimalString
  /** Amount step, e.g. "0.00001". */
  stepSize: DecimalString
  minAmount: DecimalString
  /** Minimum order value in the quote asset. */
  minNotional: DecimalString
  makerFee: DecimalString
  takerFee: DecimalString
  /**
   * Which asset a trade's fee is charged in: 'received' (absent): the asset the trade brings in, base for a
   * buy, quote for a sell (the simulated exchange, Binance-like spot); 'quote': always the quote, a buy
   * paying price × amount × (1 + fee) (paper accounts, Kraken, Coinbase).
   */
  feeIn?: 'received' | 'quote'
  active: boolean
}

export interface Balance {
  asset: string
  free: DecimalString
  used: DecimalString
  total: DecimalString
}

/**
 * Why a venue object handed out by the registry was dropped: its account was edited ('replaced': opening
 * the id again gives a fresh object) or removed (the id is gone). Whoever keeps a venue object follows this.
 */
export type VenueDrop = 'replaced' | 'removed'

/** Tells `listener` each time a venue object was dropped; returns the unsubscribe. */
export type OnVenueDropped = (listener: (venueId: string, how: VenueDrop) => void) => () => void

export type BookLevel = [price: DecimalString, amount: DecimalString]

export interface BookSnapshot {
  symbol: string
  bids: BookLevel[]
  asks: BookLevel[]
  /** Venue's update id of this state, where the venue has one. */
  sequence?: number
  timestamp: number
}

export interface PublicTrade {
  id: string
  symbol: string
  price: DecimalString
  amount: DecimalString
  /** Taker side. */
  side: Side
  timestamp: number
}

/** Where a page of public trades starts: after this trade (its id and time). */
export interface TradeCursor {
  id: string
  timestamp: number
}

export interface Ticker {
  symbol: string
  last: DecimalString
  bid: DecimalString | null
  ask: DecimalString | null
  high24h: DecimalString | null
  low24h: DecimalString | null
  /** Base volume over 24 h. */
  volume24h: DecimalString | null
  changePct24h: DecimalString | null
  timestamp: number
}

export interface Candle {
  /** Open time. */
  time: number
  open: DecimalString
  high: DecimalString
  low: DecimalString
  close: DecimalString
  volume: DecimalString
}

/**
 * A native stop / take-profit: the venue holds the order untriggered until its last trade price reaches
 * `price`, then works it as the request's type (market, or limit at the request's price). A stop-loss
 * triggers when the price moves against the side (a sell at or below, a buy at or above), a take-profit when
 * it moves with it (a sell at or above, a buy at or below). Only venues with capabilities.nativeStops take it.
 */
export interface OrderTrigger {
  kind: 'stop-loss' | 'take-profit'
  price: DecimalString
}

/** A native stop order as the user names it: its trigger kind and the order it becomes (market or limit). */
export type NativeStopKind = 'stop-market' | 'stop-limit' | 'take-profit-market' | 'take-profit-limit'

export const nativeStopKinds: readonly NativeStopKind[] = ['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit']

/** The native stop kind of an order carrying a trigger. */
export function nativeStopKindOf(trigger: OrderTrigger, type: OrderType): NativeStopKind {
  return `${trigger.kind === 'stop-loss' ? 'stop' : 'take-profit'}-${type}`
}

/** What kind of order a look-up or cancel is about. */
export interface OrderKindRef {
  /** A native stop (placed with OrderRequest.trigger). */
  trigger?: boolean
}

export interface OrderRequest {
  /** Ours, unique, reused on retries so a retry can never create a second order. */
  clientOrderId: string
  symbol: string
  side: Side
  type: OrderType
  amount: DecimalString
  price?: DecimalString
  timeInForce: TimeInForce
  postOnly: boolean
  /** Present: a native stop / take-profit order (see OrderTrigger); a venue without nativeStops refuses it. */
  trigger?: OrderTrigger
}

export type VenueOrderStatus = 'open' | 'closed' | 'canceled' | 'rejected' | 'expired'

/**
 * How a caller that waits on a request learns when it left (optional, given to a fetch). A venue that holds
 * requests in its own rate-limit queue (ccxt spaces Kraken's public ones 1.2 s apart, one queue per account)
 * calls `onQueued` when one starts waiting there and `onSent` when it leaves for the exchange, so the caller
 * times the exchange, not the queue; a venue that sends at once calls neither. Once `signal` is aborted (the
 * caller gave up), requests not yet sent are not sent: the call rejects.
 */
export interface RequestPacing {
  signal?: AbortSignal
  onQueued?: () => void
  onSent?: () => void
}

export interface VenueOrder {
  venueOrderId: string
  clientOrderId: string
  symbol: string
  side: Side
  type: OrderType
  price: DecimalString | null
  amount: DecimalString
  filled: DecimalString
  /** Quote spent/received so far; average price = cost / filled. */
  cost: DecimalString
  status: VenueOrderStatus
  timeInForce: TimeInForce
  postOnly: boolean
  createdAt: number
  updatedAt: number
  /** A native stop / take-profit order's trigger price, where the venue reports one. */
  triggerPrice?: DecimalString | null
  /** Why the venue ended the order on its own, where it says (e.g. self-trade prevention). */
  reason?: string
}

export interface Fill {
  tradeId: string
  venueOrderId: string
  clientOrderId: string | null
  symbol: string
  side: Side
  price: DecimalString
  amount: DecimalString
  fee: { asset: string; amount: DecimalString }
  liquidity: 'maker' | 'taker'
  timestamp: number
}

/** A depth diff: the changed levels only (amount "0" = level removed), update ids first..last, gapless. */
export interface BookDiff {
  symbol: string
  firstUpdateId: number
  lastUpdateId: number
  bids: BookLevel[]
  asks: BookLevel[]
  timestamp: number
}

/** Live data arrives through callbacks; each watch returns the function that stops it. */
export type Unwatch = () => void

export type ConnectionState = 'connecting' | 'live' | 'degraded' | 'down'

export interface VenueCapabilities {
  /**
   * The venue can hold stop-loss and take-profit orders natively (market and limit, triggered by its last
   * trade price): placeOrder takes OrderRequest.trigger. Trailing stops and OCO lists are not offered here.
   */
  nativeStops: boolean
  /** Which native stop orders it takes (absent: all four when nativeStops is true). */
  nativeStopKinds?: readonly NativeStopKind[]
  /** Why it takes none, or not all, of them, in words (e.g. "ccxt places stop-limit orders only"). */
  nativeStopsNote?: string
  /** The times in force its limit orders take (absent: GTC, IOC and FOK); see time-in-force.ts. */
  timeInForce?: readonly TimeInForce[]
  /** Why not all of them, in words. */
  timeInForceNote?: string
  sandbox: boolean
  watchOrderBook: boolean
  watchMyFills: boolean
  /**
   * The exchange sends a checksum of its book that the adapter checks (Kraken, OKX, Bitget). Elsewhere a
   * ChecksumError from ccxt means an update-id gap (ccxt's Binance and Gate raise it for one).
   */
  bookChecksum?: boolean
}

export interface Venue {
  /** Unique in this app: "sim", or an account id for real exchanges. */
  readonly id: string
  /** "sim", or ccxt's exchange id ("binance", "okx", ...). */
  readonly exchange: string
  readonly capabilities: VenueCapabilities

  connect(): Promise<void>
  close(): Promise<void>
  connection(): ConnectionState
  onConnection(listener: (state: ConnectionState, reason?: string) => void): Unwatch

  loadMarkets(): Promise<MarketInfo[]>
  fetchBalances(): Promise<Balance[]>
  fetchOrderBook(symbol: string, depth?: number): Promise<BookSnapshot>
  fetchTicker(symbol: string): Promise<Ticker>
  /** `pacing`: as for fetchTrades (the forming candle's seed times its request from when it left). */
  fetchCandles(symbol: string, timeframe: Timeframe, since?: number, limit?: number, pacing?: RequestPacing): Promise<Candle[]>
  /**
   * The market's most recent public trades, oldest first: at most `limit` (a hint; the venue may cap it),
   * the newest ones. Ids are the ones watchTrades sends for the same trades, so the two can be merged.
   */
  fetchTrades(symbol: string, limit?: number, pacing?: RequestPacing): Promise<PublicTrade[]>
  /**
   * Optional: ONE request's page of the market's public trades from `after` on (a trade this venue sent:
   * its id and time), oldest first, at most `limit` (the venue may cap it). A page that reaches back to
   * `after` holds that trade itself (or older ones), so the caller can tell it joins on; one that does not
   * (a venue that can give only its newest trades, fewer than were made since) leaves the trades between
   * `after` and its first one unread. Paged by calling again from the last one returned; a page with none
   * after the cursor means there are none. Ids are watchTrades' ids. Venues without it refill a stream gap
   * from fetchTrades (the most recent trades only). A venue that can only read back from its newest trades
   * (Coinbase) may send several requests and return more than `limit`: all it read, oldest first. One whose
   * page from `after`'s time holds only trades before it (Kraken, a busy millisecond) asks on past them, a
   * whole page each request (more than `limit`, which the caller caps).
   */
  fetchTradesAfter?(symbol: string, after: TradeCursor, limit: number, pacing?: RequestPacing): Promise<PublicTrade[]>

  /**
   * `depth`: levels per side the caller needs, a hint (optional): an exchange adapter may take a smaller
   * snapshot and keep a smaller book; the venue may still send more or fewer levels.
   */
  watchOrderBook(symbol: string, onBook: (book: BookSnapshot) => void, onError: (err: Error) => void, depth?: number): Unwatch
  /**
   * `onSubscribed`, optional: told each time the watch is subscribed, before any trade comes on that
   * subscription: once it starts (which may wait for an earlier unsubscribe of the market), and again after
   * each failure (onError). Trades made before it (after a fetch answered, or while the stream was down)
   * never come on it.
   */
  watchTrades(symbol: string, onTrade: (trades: PublicTrade[]) => void, onError: (err: Error) => void, onSubscribed?: () => void): Unwatch
  watchTicker(symbol: string, onTicker: (ticker: Ticker) => void, onError: (err: Error) => void): Unwatch
  /**
   * Optional: the raw depth diffs with update ids, for venues that expose them (the simulated exchange).
   * Paired with fetchOrderBook (whose `sequence` is the snapshot's last update id), the market module
   * keeps its own book the Binance way (buffer, snapshot, bridge, detect gaps). Venues without it are
   * watched through watchOrderBook (full books, the adapter doing the sync).
   */
  watchOrderBookDiffs?(symbol: string, onDiff: (diff: BookDiff) => void, onError: (err: Error) => void): Unwatch
  /**
   * Optional: the book of `symbol` has been silent too long; close the connection it comes over (it may be
   * half-open), so the next watch opens a new one. Other watches on that connection fail with a network
   * error and subscribe again on the new one.
   */
  reconnectBook?(symbol: string): void

  placeOrder(request: OrderRequest): Promise<VenueOrder>
  /** `as.trigger`: the order was placed with a trigger (a native stop; some venues keep those apart). */
  cancelOrder(symbol: string, venueOrderId: string, as?: OrderKindRef): Promise<VenueOrder>
  fetchOrder(symbol: string, ref: { venueOrderId?: string; clientOrderId?: string }, as?: OrderKindRef): Promise<VenueOrder | null>
  /** Open orders, native stops (triggered or not) included. */
  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]>
  /**
   * The account's fills on a market from `since` on (all of them, paged through the venue's time windows and
   * page limits), oldest first; without `since`, the most recent page the venue gives.
   */
  fetchMyFills(symbol: string, since?: number): Promise<Fill[]>
  /**
   * Optional, for history sync: how this venue's history must be paged (see HistoryPaging). Venues without it
   * cannot sync their history.
   */
  historyPaging?(): HistoryPaging
  /**
   * Optional, for history sync: ONE request's page of the account's fills on a market, oldest first — those
   * with since ≤ timestamp ≤ until (each bound optional; until - since ≤ paging.trades.windowMs), or, with
   * `fromId` (venues whose paging.trades.byId is true; no since/until then), the first `limit` fills whose
   * trade id is ≥ fromId in id order. A row the venue sent malformed fails the whole page (bad-reply).
   */
  fetchMyFillsPage?(symbol: string, page: FillsPageRequest): Promise<Fill[]>
  /**
   * Optional, for history sync: runs one sync's reads, which may share what one request answered for several
   * markets (Kraken's TradesHistory holds every pair: each window is read once for all of them). Nothing is
   * shared outside it, so a later run reads afresh.
   */
  historyRun?<T>(read: () => Promise<T>): Promise<T>
  /** Optional, for history sync: ONE request's page of deposits or withdrawals with since ≤ timestamp ≤ until. */
  fetchTransfers?(kind: TransferKind, page: { since: number; until: number; limit: number }): Promise<Transfer[]>
  /** Optional, for history sync: ONE request's page of conversions (paging.conversions) with since ≤ timestamp ≤ until. */
  fetchConversions?(page: { since: number; until: number; limit: number }): Promise<Conversion[]>
  /**
   * Optional, for history sync: ONE request's page of dust conversions (paging.dust: small balances swept
   * into one asset, Binance's "Convert small balances to BNB"), one Conversion per coin swept.
   */
  fetchDustConversions?(page: { since: number; until: number; limit: number }): Promise<Conversion[]>
  /**
   * Optional, for history sync: ONE request's page of crypto bought with fiat outside the order book
   * (paging.purchases: Binance's Buy Crypto by card or bank), each as a Conversion from the fiat paid.
   */
  fetchFiatPurchases?(page: { since: number; until: number; limit: number }): Promise<Conversion[]>
  /** Optional, for history sync: ONE request's page of rewards credited (paging.rewards) with since ≤ timestamp ≤ until. */
  fetchRewards?(page: { since: number; until: number; limit: number }): Promise<Reward[]>
  watchMyFills(onFill: (fill: Fill) => void, onError: (err: Error) => void): Unwatch
  watchMyOrders(onOrder: (order: VenueOrder) => void, onError: (err: Error) => void): Unwatch
  /**
   * Optional (exchange accounts): whether the account's order and fill watches are subscribed
   * (private-streams.ts); the account's status is not plain live until they are.
   */
  privateStreams?(): PrivateStreamsState
  /** Optional, with privateStreams: told each time that state changes. */
  onPrivateStreams?(listener: () => void): Unwatch
}

/** How a venue's account history is read back (history sync): window sizes, page limits, cursors. */
export interface HistoryPaging {
  /** Nothing older exists (the exchange's launch, or as far back as its API reaches), ms UTC. */
  start: number
  trades: {
    /** Longest since..until span one request may ask for (Binance: 24 h). */
    windowMs: number
    /** Most rows one request returns. */
    limit: number
    /** Whole history by trade id (fromId) instead of by time windows; ids grow with time per market. */
    byId: boolean
  }
  /** null: the venue has no deposit / withdrawal history (or ccxt offers none for it). */
  transfers: { windowMs: number; limit: number } | null
  /** null: no conversion history (swaps quoted outside the order book, like Binance Convert) is read. */
  conversions: { windowMs: number; limit: number } | null
  /** null: no dust conversions are read. `start`: the venue keeps none older; `limit` counts sweeps, not coins. */
  dust: { windowMs: number; limit: number; start: number } | null
  /** null: no fiat purchases (crypto bought by card or bank transfer) are read. */
  purchases: { windowMs: number; limit: number } | null
  /** null: no history of rewards credited (staking, interest, airdrops, distributions) is read. */
  rewards: { windowMs: number; limit: number } | null
}

export interface FillsPageRequest {
  since?: number
  until?: number
  fromId?: string
  limit: number
}

export type TransferKind = 'deposit' | 'withdrawal'

/** A deposit into or withdrawal out of the account, as the venue reports it. */
export interface Transfer {
  id: string
  kind: TransferKind
  asset: string
  /** What arrived (deposit) or left on the way out, fee excluded. */
  amount: DecimalString
  fee: { asset: string; amount: DecimalString } | null
  /** Only 'ok' ones moved money; 'pending' ones may still complete. */
  status: 'ok' | 'pending' | 'failed' | 'canceled'
  timestamp: number
  txid: string | null
}

/**
 * A swap the venue quoted and settled outside its order book (Binance Convert): what left the account and
 * what arrived, both exact. No price is stated; the ledger keeps both amounts.
 */
export interface Conversion {
  id: string
  timestamp: number
  spent: { asset: string; amount: DecimalString }
  received: { asset: string; amount: DecimalString }
  /** Only 'ok' ones moved money; 'pending' ones may still complete. */
  status: 'ok' | 'pending' | 'failed'
  /** The venue's own status word, when it says more than `status` ("Refund Failed"). */
  note?: string
}

/**
 * A credit the account earned rather than bought (staking, interest, launchpool, airdrops, distributions), as
 * the venue's reward record lists it. A few records are debits ('out'): the old coin of a token swap.
 */
export interface Reward {
  id: string
  timestamp: number
  asset: string
  /** Positive; see `direction`. */
  amount: DecimalString
  direction: 'in' | 'out'
  /** The venue's own words for it ("ETH 2.0 Staking", "BHFT distribution"). */
  what: string
  /** The venue's transaction id: rows booked as one movement (a swap's two sides) share it; null when none. */
  group: string | null
}

/** A venue's refusal or failure, classified so the UI can say exactly what went wrong. */
export type VenueErrorKind =
  | 'invalid-key'
  | 'invalid-signature'
  | 'permission-denied'
  | 'ip-not-allowed'
  | 'unreachable'
  | 'rate-limited'
  | 'insufficient-funds'
  | 'invalid-order'
  | 'order-not-found'
  /** A cancel refused because the venue is carrying out a cancel of that order already (OKX 51410). */
  | 'cancel-pending'
  /**
   * A request about an order refused, not taken, because the venue is still processing an earlier change to it:
   * an amend, or a cancel (Bybit 110079 says only "the order is processing"). The order may well be open.
   */
  | 'order-busy'
  | 'bad-reply'
  | 'unknown'

/**
 * Which of its rate limits an exchange said a request hit, where its reply says (Binance: -1003 request weight,
 * counted per IP; -1015 new orders, counted per account): it decides what a 429 to an order holds.
 */
export type RateLimitHit = 'request-weight' | 'order-count'

export class VenueError extends Error {
  constructor(
    readonly kind: VenueErrorKind,
    message: string,
    override readonly cause?: unknown,
    /** How long the exchange asked to wait before the next request (its Retry-After, or what its reply said), when it said. */
    readonly retryAfterMs?: number,
    /** A 'rate-limited' error: the limit the exchange said was hit, when it said. */
    readonly limit?: RateLimitHit,
    /**
     * How `retryAfterMs` was read when the exchange sent no Retry-After (Binance's reply itself: an IP ban's end,
     * the request weight's window; venues/ccxt/binance-ban.ts), in words for messages; undefined for a Retry-After.
     */
    readonly waitSaid?: string,
  ) {
    super(message)
    this.name = 'VenueError'
  }
}

/**
 * A request given up before it was sent (it waited for the account's rate hold when its connection closed or the
 * app quit: venues/ccxt/request-hold.ts): the exchange never received it.
 */
export class NotSentError extends VenueError {
  constructor(message: string) {
    super('unknown', message)
    this.name = 'NotSentError'
  }
}

/**
 * The exchange refused the account's API key: nothing that needs the key is tried again through this venue
 * object. A fresh one (the key updated, or an explicit reconnect) tries again.
 */
export class KeyRejectedError extends VenueError {}
