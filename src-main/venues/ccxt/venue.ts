import { installOrderLane, inOrderLane } from './order-lane'
import { installRetryAfter, retryAfterOf, waitSaidOf } from './retry-after'
import { installRequestPacing, paced } from './request-pacing'
import { RequestHeldError, failFastWhileHeld, installRequestHold, type RequestHold, type RequestHoldGate } from './request-hold'
import { shareWaitingSnapshots } from './waiting-snapshots'
import { Agent } from 'node:http'
import ccxt, { type Exchange } from 'ccxt'
import Decimal from 'decimal.js'
import type {
  Balance,
  BookLevel,
  BookSnapshot,
  Candle,
  ConnectionState,
  DecimalString,
  Fill,
  MarketInfo,
  OrderRequest,
  PublicTrade,
  RequestPacing,
  Side,
  Ticker,
  Timeframe,
  TimeInForce,
  TradeCursor,
  Unwatch,
  Venue,
  VenueCapabilities,
  VenueErrorKind,
  VenueOrder,
  VenueOrderStatus,
} from '../port'
import { KeyRejectedError, VenueError, nativeStopKindOf, type OrderKindRef } from '../port'
import { exchangeSpecs, type ExchangeId } from '../../accounts/exchanges'
import { classifyCcxtError, exchangeErrorCode, sanitize } from './classify'
import { authenticating, namesPrivate, namesTrades, subscribedNow } from './ws-subscribed'
import { PrivateStreamTracker, type PrivateStreamsState } from '../private-streams'
import { isZero, toDecimal, toDecimalOrNull, withStringNumbers } from './decimals'
import { cannotPlaceStop, holdsNativeStops, refusedByCcxt, triggerParams, triggerPriceOf } from './native-stops'
import { nativeStopSupport } from './native-stop-exchanges'
import { quoteFeeExchanges, spotFees } from './base-fees'
import { nativeRefusal, nativeSupportOf } from '../native-support'
import { exchangeTimeInForce, timeInForceRefusal } from '../time-in-force'
import { rewriteApiUrls } from './urls'
import { streamTradeAsRest } from './stream-fills'
import { OkxAlgos, algoClientId, okxFillClientId, okxStopParams } from './okx-algo'
import { CcxtHistory } from './history'
import { installBitgetUtaProbe } from './bitget-uta'
import { lookUpExchangeAccount, readExchangeAccount } from './account-identity'
import { installKrakenBookChecksum } from './kraken-checksum'
import { installKrakenBookDepth } from './kraken-book-depth'
import { marketBuyCost, wantsQuoteCost } from './market-buy-cost'
import { quietUnawaitedFutures } from './ws-futures'
import { keyRejection, rejectsKey } from './key-rejection'
import { dropBookConnections } from './drop-connection'
import { appClientId, clientIdLookup, placeClientIdParams } from './client-order-ids'

// One exchange account through ccxt: REST for requests, ccxt.pro (the same object) for WebSocket
// watches. Built in the main process only, from credentials opened from the sealed box; the credentials
// stay inside the ccxt object and are never logged (errors go through classifyCcxtError, which redacts
// them). Numbers leave as exact decimal strings (see decimals.ts for how).

export interface CcxtCredentials {
  apiKey: string
  secret: string
  password?: string
}

export interface CcxtAccountConfig {
  /** The account id; it is the venue's id. */
  accountId: string
  exchange: ExchangeId
  sandbox: boolean
  /** Origin replacing ccxt's API origins (REST and WebSocket), or null for the exchange's own. */
  apiBaseUrl: string | null
  credentials: CcxtCredentials
  /** Per-request timeout (ccxt's `timeout`), default 10 s. */
  timeoutMs?: number
  /** The account's rate hold (every request held for the exchange's Retry-After: request-hold.ts); none: never held. */
  hold?: RequestHold
  /** Holds every request of the account for `ms` (a 429/418 with Retry-After answered one of its reads). */
  holdAll?: (ms: number, said?: string) => void
}

export interface ConnectionTest {
  ok: boolean
  kind: VenueErrorKind | null
  message: string
  /** Whether the exchange says the key may trade; null where it does not say. */
  canTrade: boolean | null
  /** Assets with a non-zero balance. */
  balanceCount: number
  latencyMs: number
  /**
   * The exchange account the key belongs to (its uid; a Coinbase key's portfolio), where the exchange tells
   * it (account-identity.ts); null where it cannot or did not answer, or when the test failed.
   */
  exchangeAccount?: string | null
  /** Why the exchange account is unknown when the request asking for it failed (refused, no permission); redacted. */
  exchangeAccountUnknown?: string | null
}

/** The Venue port plus what only an account's own adapter offers. */
export interface AccountVenue extends Venue {
  testConnection(): Promise<ConnectionTest>
  /** The exchange account the key belongs to, where the exchange tells it (account-identity.ts); null otherwise. */
  exchangeAccount?(): Promise<string | null>
}

type Raw = Record<string, unknown>

const WATCH_RETRY_MS = [250, 1000, 3000, 10_000]
/** Book levels read to price a market buy sent as a quote amount. */
const MARKET_BUY_BOOK_DEPTH = 50
/** Exchanges whose book messages carry a checksum ccxt (or kraken-checksum.ts) checks. */
const CHECKSUM_EXCHANGES: ReadonlySet<ExchangeId> = new Set(['kraken', 'okx', 'bitget'])
/** Longest a new watch waits for the unsubscribe of the same topic to finish. */
const UNWATCH_WAIT_MS = 3000
/** How long close() waits for ccxt to close the sockets before it cuts the ones left (half-open). */
const CLOSE_WAIT_MS = 2000

export function createCcxtVenue(config: CcxtAccountConfig): CcxtVenue {
  return new CcxtVenue(config)
}

export class CcxtVenue implements AccountVenue {
  readonly id: string
  readonly exchange: ExchangeId
  readonly capabilities: VenueCapabilities
  private readonly ex: Exchange
  private readonly name: string
  private readonly redact: string[]
  private state: ConnectionState = 'down'
  private readonly connectionListeners = new Set<(state: ConnectionState, reason?: string) => void>()
  private readonly watchers = new Set<{ stop(): void }>()
  /** The account's own streams trying again after a failure: see privateRetries(). */
  private readonly retries = { asked: 0, waiting: 0 }
  /** Whether the account's own streams are subscribed (the account's status says so): see privateStreams(). */
  private readonly streams = new PrivateStreamTracker()
  private readonly streamListeners = new Set<() => void>()
  /** Unsubscribes in flight, by topic: a new watch of the same topic waits for it (see watch()). */
  private readonly unwatching = new Map<string, Promise<unknown>>()
  /** Every unsubscribe in flight: close() lets them finish before it closes the sockets they are sent on. */
  private readonly unwatches = new Set<Promise<unknown>>()
  private closed = false
  /** A signed request has worked: the exchange knows the key (this sharpens ambiguous refusals). */
  private authenticated = false
  /** The last REST request could not reach the exchange: the venue is down until one does (restAnswered()). */
  private restDown = false
  /**
   * Public watches (market data) whose last attempt delivered: while one does, the exchange answers, so a REST
   * request that could not reach it is that request's own failure (a timeout), not the venue down.
   */
  private readonly publicDelivering = new Set<object>()
  private reason: string | undefined
  /**
   * The exchange refused this account's key (key-rejection.ts): from then on no private request or watch
   * is sent through this object. Updating the key or reconnecting gives a fresh one (the registry).
   */
  private rejected: KeyRejectedError | null = null
  private readonly holdGate: RequestHoldGate | undefined

  constructor(config: CcxtAccountConfig) {
    this.id = config.accountId
    this.exchange = config.exchange
    this.name = exchangeSpecs[config.exchange].name
    const { apiKey, secret, password } = config.credentials
    this.redact = [apiKey, secret, ...(password ? [password] : [])]
    const Pro = (ccxt.pro as unknown as Record<string, new (cfg: Raw) => Exchange>)[config.exchange]
    if (!Pro) throw new VenueError('unknown', `ccxt has no ${config.exchange} class`)
    this.ex = new Pro({
      apiKey,
      secret,
      ...(password ? { password } : {}),
      enableRateLimit: true,
      timeout: config.timeoutMs ?? 10_000,
    })
    spotOnly(this.ex, config.exchange)
    if (config.exchange === 'bitget') installBitgetUtaProbe(this.ex)
    if (config.exchange === 'kraken') {
      // Depth first: the checksum checks the book ccxt built, so that book must be the one Kraken keeps.
      installKrakenBookDepth(this.ex)
      installKrakenBookChecksum(this.ex)
    }
    installOrderLane(this.ex)
    installRetryAfter(this.ex)
    // Under the pacing: a request waiting for the hold counts as queued, and one given up meanwhile is not sent.
    this.holdGate = config.hold ? installRequestHold(this.ex, config.hold, this.name, config.holdAll) : undefined
    installRequestPacing(this.ex)
    shareWaitingSnapshots(this.ex)
    quietUnawaitedFutures(this.ex)
    if (config.sandbox) {
      if (!exchangeSpecs[config.exchange].sandbox) throw new VenueError('unknown', `${this.name} has no sandbox in ccxt`)
      this.ex.setSandboxMode(true)
    }
    if (config.apiBaseUrl) {
      const base = new URL(config.apiBaseUrl)
      const urls = this.ex.urls as Raw
      urls.api = rewriteApiUrls(urls.api, base)
      // ccxt.pro opens plain ws:// sockets only through an explicit http agent (its loadHttpProxyAgent()).
      // Kept alive, as ccxt's own agent for https is: a connection per request would add a handshake to every order.
      if (base.protocol === 'http:') this.ex.httpAgent = new Agent({ keepAlive: true })
    }
    const has = this.ex.has as Record<string, unknown>
    const native = nativeStopSupport[config.exchange]
    const holds = holdsNativeStops(this.ex) && native.kinds.length > 0
    this.capabilities = {
      nativeStops: holds,
      nativeStopKinds: holds ? native.kinds : [],
      ...(native.note !== null ? { nativeStopsNote: native.note } : {}),
      ...timeInForceCapabilities(config.exchange),
      sandbox: exchangeSpecs[config.exchange].sandbox,
      watchOrderBook: Boolean(has.watchOrderBook),
      watchMyFills: Boolean(has.watchMyTrades),
      bookChecksum: CHECKSUM_EXCHANGES.has(config.exchange),
    }
    this.okxAlgos =
      config.exchange === 'okx' ? new OkxAlgos({ ex: this.ex, call: (fn, access) => this.call(fn, access), order: (raw) => this.order(raw) }) : undefined
  }

  // ---- connection -------------------------------------------------------------------------------------

  async connect(): Promise<void> {
    this.closed = false
    this.setState('connecting')
    try {
      await this.unlessHeld(() => this.ex.loadMarkets())
      this.restDown = false
      this.setState('live')
    } catch (err) {
      // (ccxt's loadMarkets may sign a request: Binance's margin pairs, when it has a key.)
      let error = this.classify(err)
      if (rejectsKey(error, 'request')) error = this.rejectKey(error)
      this.setState('down', error.message)
      throw error
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.holdGate?.close()
    for (const watcher of [...this.watchers]) watcher.stop()
    this.watchers.clear()
    // ccxt sends an unsubscribe when its rate limiter allows and does not catch a send on a socket closed
    // meanwhile (an unhandled rejection): let the ones in flight finish first (bounded).
    if (this.unwatches.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([Promise.all([...this.unwatches]), new Promise((resolve) => (timer = setTimeout(resolve, UNWATCH_WAIT_MS)))])
      clearTimeout(timer)
    }
    // ccxt's close waits for each socket's closing handshake, which a half-open socket (the account's
    // order stream on a quiet connection that died silently) never completes: bounded, then cut.
    const sockets = Object.values((this.ex as unknown as { clients?: Record<string, { connection?: { terminate?: () => void } }> }).clients ?? {})
    let closeTimer: ReturnType<typeof setTimeout> | undefined
    const closed = await Promise.race([
      this.ex.close().then(
        () => true,
        () => true, // closing sockets that never opened is fine
      ),
      new Promise<false>((resolve) => (closeTimer = setTimeout(() => resolve(false), CLOSE_WAIT_MS))),
    ])
    clearTimeout(closeTimer)
    if (!closed) {
      for (const client of sockets) {
        try {
          client.connection?.terminate?.()
        } catch {
          // gone already
        }
      }
    }
    // The kept-alive REST connections of a loopback agent go with the venue.
    const agent = (this.ex as { httpAgent?: unknown }).httpAgent
    if (agent instanceof Agent) agent.destroy()
    this.setState('down')
  }

  connection(): ConnectionState {
    return this.state
  }

  /**
   * How often the account's own streams (orders, fills) have asked to try again after a failure (each waits
   * first: 0.25, 1, 3, then 10 s), and how many wait now. None asks again once the exchange refused the key.
   */
  privateRetries(): { asked: number; waiting: number } {
    return { ...this.retries }
  }

  onConnection(listener: (state: ConnectionState, reason?: string) => void): Unwatch {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  /** Whether the account's order and fill watches are subscribed: none started, subscribing, subscribed, or down since when. */
  privateStreams(): PrivateStreamsState {
    return this.streams.state()
  }

  onPrivateStreams(listener: () => void): Unwatch {
    this.streamListeners.add(listener)
    return () => this.streamListeners.delete(listener)
  }

  private streamsChanged(): void {
    for (const listener of [...this.streamListeners]) listener()
  }

  // ---- account check --------------------------------------------------------------------------------

  /**
   * Loads the markets (public), then fetches balances (signed) and, where the exchange says so, whether
   * the key may trade. latencyMs is the signed balance request alone. Never throws: a failure is a result.
   */
  async testConnection(): Promise<ConnectionTest> {
    let latencyMs = 0
    try {
      // (The trader waits for the answer: while the account is held for a rate limit, it says so at once.)
      await this.unlessHeld(() => this.ex.loadMarkets())
      const started = performance.now()
      const { balances, info } = await this.unlessHeld(() => this.balancesWithInfo())
      latencyMs = Math.round(performance.now() - started)
      this.authenticated = true
      const canTrade = await this.readCanTrade(info)
      const identity = await lookUpExchangeAccount(this.exchange, this.ex, info)
      const exchangeAccount = identity.account
      const exchangeAccountUnknown = identity.error === null ? null : this.classify(identity.error).message
      const trade = canTrade === null ? 'trading permission unknown' : canTrade ? 'trading allowed' : 'trading NOT allowed'
      return {
        ok: true,
        kind: null,
        message: `Connected to ${this.name}: ${balances.length} non-zero balance(s), ${trade}`,
        canTrade,
        balanceCount: balances.length,
        latencyMs,
        exchangeAccount,
        exchangeAccountUnknown,
      }
    } catch (err) {
      const error = this.classify(err)
      return { ok: false, kind: error.kind, message: error.message, canTrade: null, balanceCount: 0, latencyMs, exchangeAccount: null }
    }
  }

  async exchangeAccount(): Promise<string | null> {
    return readExchangeAccount(this.exchange, this.ex, null)
  }

  // ---- REST -------------------------------------------------------------------------------------------

  async loadMarkets(): Promise<MarketInfo[]> {
    // (Someone waits for these, a search or a ticket: while the account is held, refused at once saying until when.)
    const markets = await this.call(() => this.unlessHeld(() => this.ex.loadMarkets()))
    const mode = this.ex.precisionMode ?? 4
    const defaults = (this.ex.fees as Raw | undefined)?.trading as Raw | undefined
    return Object.values(markets as unknown as Record<string, Raw>)
      .filter((m) => m && m.spot === true)
      .map((m) => {
        const precision = (m.precision ?? {}) as Raw
        const limits = (m.limits ?? {}) as Record<string, Raw | undefined>
        const symbol = expectString(m.symbol, 'market symbol')
        const tickSize = precisionStep(precision.price, mode, `${symbol} price precision`)
        const stepSize = precisionStep(precision.amount, mode, `${symbol} amount precision`)
        const fees = spotFees(this.exchange, m, defaults)
        return {
          symbol,
          base: expectString(m.base, `${symbol} base`),
          quote: expectString(m.quote, `${symbol} quote`),
          tickSize,
          stepSize,
          minAmount: toDecimalOrNull(limits.amount?.min, `${symbol} minimum amount`) ?? stepSize,
          minNotional: toDecimalOrNull(limits.cost?.min, `${symbol} minimum cost`) ?? '0',
          makerFee: toDecimalOrNull(fees.maker, `${symbol} maker fee`) ?? '0',
          takerFee: toDecimalOrNull(fees.taker, `${symbol} taker fee`) ?? '0',
          ...(quoteFeeExchanges.has(this.exchange) ? { feeIn: 'quote' as const } : {}),
          active: m.active !== false,
        }
      })
  }

  async fetchBalances(): Promise<Balance[]> {
    // (Read for a screen or a check: while the account is held, refused at once saying until when.)
    return (await this.unlessHeld(() => this.balancesWithInfo())).balances
  }

  async fetchOrderBook(symbol: string, depth?: number): Promise<BookSnapshot> {
    const book = await this.call(() => this.ex.fetchOrderBook(symbol, depth))
    return this.book(book as unknown as Raw, symbol)
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    const ticker = await this.call(() => this.ex.fetchTicker(symbol))
    return this.ticker(this.exact(ticker as unknown as Raw, (info, market) => this.ex.parseTicker(info, market as never)), symbol)
  }

  async fetchCandles(symbol: string, timeframe: Timeframe, since?: number, limit?: number, pacing?: RequestPacing): Promise<Candle[]> {
    const rows = await paced(pacing, () => this.call(() => this.ex.fetchOHLCV(symbol, timeframe, since, limit)))
    if (!Array.isArray(rows)) throw this.badReply('candles', 'not a list')
    return rows.map((row, i) => {
      if (!Array.isArray(row) || row.length < 6) throw this.badReply('candles', `row ${i} is not [time, o, h, l, c, v]`)
      const [time, open, high, low, close, volume] = row as unknown[]
      return {
        time: expectInt(time, 'candle time'),
        open: toDecimal(open, 'candle open'),
        high: toDecimal(high, 'candle high'),
        low: toDecimal(low, 'candle low'),
        close: toDecimal(close, 'candle close'),
        volume: toDecimal(volume, 'candle volume'),
      }
    })
  }

  /**
   * Recent public trades, oldest first. Re-parsed from the raw reply with string numbers (like fills), so
   * prices and amounts are the exchange's own decimals; anything that is not a list of trades → bad-reply.
   */
  async fetchTrades(symbol: string, limit?: number, pacing?: RequestPacing): Promise<PublicTrade[]> {
    return paced(pacing, async () => this.publicTrades(await this.call(() => this.ex.fetchTrades(symbol, undefined, limit))))
  }

  /**
   * One page of public trades from `after` on, oldest first (Venue.fetchTradesAfter). Binance with a key:
   * GET /api/v3/historicalTrades from `after`'s trade id (the ids of the <symbol>@trade stream and
   * /api/v3/trades), 1,000 at most. Binance without a key (a paper account on its public data: ccxt refuses
   * historicalTrades without one), or when historicalTrades is refused: its recent trades, which may not reach
   * back to `after` (the caller then says trades may be missing). Kraken: its trades since `after`'s time
   * (ccxt sends `since`; here in nanoseconds). Coinbase: its newest trades, read back by a window from
   * `after`'s time whose end moves back until they reach `after` (coinbaseTradesAfter). The others' ccxt
   * fetchTrades ignores `since` (OKX, Bybit, Gate spot: only filters the newest page) or needs more (MEXC):
   * their recent trades, as many as they give. `pacing` hears when each request waits in ccxt's rate-limit
   * queue and when it leaves; once its signal is aborted, no more are sent.
   */
  async fetchTradesAfter(symbol: string, after: TradeCursor, limit: number, pacing?: RequestPacing): Promise<PublicTrade[]> {
    return paced(pacing, () => this.tradesAfter(symbol, after, limit))
  }

  private async tradesAfter(symbol: string, after: TradeCursor, limit: number): Promise<PublicTrade[]> {
    if (this.exchange === 'binance') {
      const recent = () => this.fetchTrades(symbol, Math.min(limit, 1000))
      if (!this.ex.apiKey || !/^\d+$/.test(after.id)) return recent()
      const params = { fetchTradesMethod: 'publicGetHistoricalTrades', fromId: after.id }
      try {
        return this.publicTrades(await this.call(() => this.ex.fetchTrades(symbol, undefined, Math.min(limit, 1000), params)))
      } catch (err) {
        // Refused (the key may not read it), not throttled or down: another request now would only meet the
        // same limit (Binance bans the IP, 418, for requests sent on after a 429) or the same outage.
        if (err instanceof VenueError && (err.kind === 'rate-limited' || err.kind === 'unreachable')) throw err
        return recent()
      }
    }
    const paging = TRADES_SINCE[this.exchange]
    if (paging === undefined) return this.fetchTrades(symbol, Math.min(limit, RECENT_TRADES_MAX[this.exchange] ?? 1000))
    // A millisecond early: the page holds `after`'s own trade even where the exchange's since is exclusive.
    const since = after.timestamp - 1
    if (this.exchange === 'coinbase') return this.coinbaseTradesAfter(symbol, after, since)
    // Kraken: a whole page whatever `limit` (the refill caps what it takes): a refill near its cap asks few, and
    // as few from a busy millisecond's start would hold only trades before `after`, page after page.
    if (this.exchange === 'kraken') return this.krakenTradesAfter(symbol, after, since, KRAKEN_PAGE)
    return this.publicTrades(await this.call(() => this.ex.fetchTrades(symbol, since, Math.min(limit, 1000))))
  }

  /**
   * Kraken's trades from `since` on. ccxt sends Kraken whole seconds: a page would start at the second's first
   * trade, and 1,000 made in that second before `after` would fill it; so `since` goes in nanoseconds (Kraken
   * takes those too: its `last`, documented as the next `since`). A millisecond can still hold over 1,000
   * trades made before `after` (Kraken times them finer): a full page that neither holds `after` nor passes it
   * (by time, or by Kraken's trade ids, which count up) is asked on from its `last`, up to KRAKEN_PAGES_ON
   * requests; past that it fails (the refill then says which trades may be missing) rather than answer a page
   * with nothing after `after`, which would read as "no more".
   */
  private async krakenTradesAfter(symbol: string, after: TradeCursor, since: number, count: number): Promise<PublicTrade[]> {
    let from = BigInt(since) * 1_000_000n
    /** The last trade of the page before (`after` or one before it): the page asked on from it starts after it. */
    let before: PublicTrade | undefined
    for (let request = 0; request < KRAKEN_PAGES_ON; request++) {
      const raw = await this.call(() => this.ex.fetchTrades(symbol, since, count, { since: from.toString() }))
      const rows = this.publicTrades(raw)
      const at = rows.findIndex((t) => t.id === after.id)
      const passed = (at >= 0 && at < rows.length - 1) || rows.some((t) => t.timestamp > after.timestamp || laterId(t.id, after.id))
      // (Led by the trade before it, the page shows that it reaches back to `after`.)
      if (rows.length < count || passed) return before === undefined ? rows : [before, ...rows]
      before = rows[rows.length - 1]
      // ccxt appends Kraken's `last` to the raw row of the page's last trade.
      const info = Array.isArray(raw) ? (raw[raw.length - 1] as Raw | undefined)?.info : undefined
      const last = Array.isArray(info) && /^\d+$/.test(String(info[7])) ? BigInt(String(info[7])) : undefined
      if (last === undefined || last <= from) break
      from = last
    }
    throw new VenueError('bad-reply', `${this.name} gave over ${KRAKEN_PAGES_ON * count} trades made before the last one shown, in its millisecond`)
  }

  /**
   * Coinbase's trades from `since` on. Its public trades endpoint gives the NEWEST ones (1,000 at most) of the
   * window asked (start and end in whole seconds, ccxt's `since` and `until`): first its newest trades, with
   * no window (an end from this machine's clock would leave out the trades made after it, by a clock behind
   * the exchange's or in the current second); a full page that does not reach back to `after` left older ones
   * out, so the window from `since` is asked, ending at the second of that page's oldest trade (that second
   * once more, its trades deduplicated by id), up to COINBASE_PAGES_BACK requests in all. All read are
   * returned, oldest first (more than `limit` when it read back; the refill caps them). If a page made no
   * progress (one second held more than a page) or the requests ran out, they do not reach back to `after`,
   * and the caller says which trades may be missing.
   */
  private async coinbaseTradesAfter(symbol: string, after: TradeCursor, since: number): Promise<PublicTrade[]> {
    const read = new Map<string, PublicTrade>()
    let until: number | undefined
    for (let request = 0; request < COINBASE_PAGES_BACK; request++) {
      const window = until === undefined ? ([undefined, {}] as const) : ([since, { until }] as const)
      const rows = this.publicTrades(await this.call(() => this.ex.fetchTrades(symbol, window[0], COINBASE_PAGE, window[1])))
      let added = 0
      for (const t of rows) {
        if (read.has(t.id)) continue
        read.set(t.id, t)
        added++
      }
      const oldest = rows[0]
      const reached = rows.some((t) => t.id === after.id || t.timestamp < after.timestamp)
      if (oldest === undefined || rows.length < COINBASE_PAGE || reached || added === 0) break
      const next = (Math.floor(oldest.timestamp / 1000) + 1) * 1000
      if (until !== undefined && next >= until) break // the page is one second: asking again would give the same
      until = next
    }
    return [...read.values()].sort(byTimeThenId)
  }

  /** ccxt's parsed trades, re-parsed with string numbers; oldest first. */
  private publicTrades(rows: unknown): PublicTrade[] {
    if (!Array.isArray(rows)) throw this.badReply('trades', 'not a list')
    const trades = rows.map((row, i) => {
      if (!row || typeof row !== 'object') throw this.badReply('trades', `item ${i} is not a trade`)
      return this.publicTrade(this.exact(row as unknown as Raw, (info, market) => this.ex.parseTrade(info, market as never)))
    })
    // ccxt sorts by time, then by id as text ("10" before "9"): same-millisecond trades by numeric id here.
    return trades.sort(byTimeThenId)
  }

  async placeOrder(request: OrderRequest): Promise<VenueOrder> {
    const amount = exactNumber(request.amount, 'amount')
    const price = request.price === undefined ? undefined : exactNumber(request.price, 'price')
    if (request.type === 'limit' && price === undefined) throw new VenueError('invalid-order', 'A limit order needs a price')
    const params: Raw = placeClientIdParams(this.exchange, request.clientOrderId)
    if (request.type === 'limit') {
      const refusal = timeInForceRefusal(this.name, request.timeInForce, this.capabilities)
      if (refusal !== null) throw new VenueError('invalid-order', refusal)
      params.timeInForce = request.timeInForce
    }
    if (request.postOnly) params.postOnly = true
    if (request.trigger !== undefined) {
      const refusal = nativeRefusal(this.name, nativeStopKindOf(request.trigger, request.type), nativeSupportOf(this.capabilities))
      if (refusal !== null) throw new VenueError('invalid-order', refusal)
      if (request.postOnly) throw new VenueError('invalid-order', 'A stop order cannot be post-only')
      Object.assign(params, triggerParams(request.trigger, exactNumber(request.trigger.price, 'trigger price')))
      if (this.exchange === 'okx') Object.assign(params, okxStopParams(request.clientOrderId))
    }
    // A new order meeting the account's rate hold (a cancel's 429 began it after the order manager's check: the
    // order queued in the lane, or a resend) is refused at once, unsent — not placed when the hold ends, minutes
    // after the trader sent it, at a price no longer on the screen.
    const send = (size: number, limit: number | undefined, extra: Raw) =>
      this.unlessHeld(() => inOrderLane(() => this.ex.createOrder(request.symbol, request.type, request.side, size, limit, { ...params, ...extra })))
    const order = await this.call(async () => {
      try {
        return await send(amount, price, {})
      } catch (err) {
        // ccxt refusing a stop before sending anything is this app's limit, not the exchange's answer.
        if (request.trigger !== undefined && refusedByCcxt(err)) throw cannotPlaceStop(this.name, request, err, this.redact)
        if (request.type !== 'market' || request.side !== 'buy' || !wantsQuoteCost(err)) throw this.cannotPlace(request, err)
      }
      // The exchange takes a market buy as the quote to spend (market-buy-cost.ts); nothing was sent yet. Its book
      // read is refused at once inside a rate hold too (not waited out, the order then sent when the hold ends).
      const cost = await this.unlessHeld(() => this.marketBuyQuote(request))
      return send(cost, undefined, { createMarketBuyOrderRequiresPrice: false }).catch((err: unknown) => {
        throw this.cannotPlace(request, err)
      })
    }, 'trade')
    return this.order(order as unknown as Raw, request)
  }

  /** ccxt refusing an order itself (nothing sent) is this app's limit: said so, not as the exchange refusing. */
  private cannotPlace(request: OrderRequest, err: unknown): unknown {
    if (!refusedByCcxt(err)) return err
    const detail = sanitize(err instanceof Error ? err.message : String(err), this.redact)
    return new VenueError('invalid-order', `This app cannot place a ${request.type} ${request.side} on ${this.name} (ccxt: ${detail})`, err)
  }

  /** The quote a market buy of `request.amount` costs on the book now, as the number ccxt sends. */
  private async marketBuyQuote(request: OrderRequest): Promise<number> {
    const book = await this.fetchOrderBook(request.symbol, MARKET_BUY_BOOK_DEPTH)
    const precision = ((this.ex.market(request.symbol) as unknown as Raw).precision ?? {}) as Raw
    const step = precisionStep(precision.cost ?? precision.price, this.ex.precisionMode ?? 4, `${request.symbol} cost precision`)
    const cost = marketBuyCost(book.asks, request.amount, step, this.name, request.symbol)
    return exactNumber(cost.toFixed(), 'quote amount')
  }

  async cancelOrder(symbol: string, venueOrderId: string, as?: OrderKindRef): Promise<VenueOrder> {
    if (as?.trigger === true && this.okxAlgos) return inOrderLane(() => this.okxAlgos!.cancel(symbol, venueOrderId))
    const order = (await this.call(() => inOrderLane(() => this.ex.cancelOrder(venueOrderId, symbol)), 'trade')) as unknown as Raw
    // OKX, Kraken and Bybit answer an accepted cancel with ids (or a count) only: not an order to read.
    if (!acknowledgementOnly(order)) return this.order(order)
    return this.afterAcceptedCancel(symbol, venueOrderId)
  }

  /**
   * The order as the exchange holds it after it accepted its cancel, as it is: still open when the exchange
   * has not processed the cancel yet (it may still fill) — the caller follows it until it ends.
   */
  private async afterAcceptedCancel(symbol: string, venueOrderId: string): Promise<VenueOrder> {
    const accepted = `${this.name} accepted the cancel of order ${venueOrderId}, but`
    let found: VenueOrder | null
    try {
      found = await this.fetchOrder(symbol, { venueOrderId })
    } catch (err) {
      throw new VenueError('bad-reply', `${accepted} the order could not be read after it: ${err instanceof Error ? err.message : String(err)}`, err)
    }
    if (found === null) throw new VenueError('bad-reply', `${accepted} then did not find the order`)
    return found
  }

  async fetchOrder(symbol: string, ref: { venueOrderId?: string; clientOrderId?: string }, as?: OrderKindRef): Promise<VenueOrder | null> {
    if (!ref.venueOrderId && !ref.clientOrderId) throw new VenueError('invalid-order', 'Give a venue order id or a client order id')
    if (as?.trigger === true && this.okxAlgos) return this.okxAlgos.fetch(symbol, ref)
    try {
      if (!ref.venueOrderId) return await this.fetchOrderByClientId(symbol, ref.clientOrderId!)
      // Bybit's fetchOrder wants to be told that it only sees an account's last 500 orders.
      const params = this.exchange === 'bybit' ? { acknowledged: true } : {}
      const order = await this.call(() => this.ex.fetchOrder(ref.venueOrderId!, symbol, params), 'read')
      return this.order(order as unknown as Raw)
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'order-not-found') return null
      throw err
    }
  }

  /** The order placed with this client id, found the way its exchange allows (client-order-ids.ts). */
  private async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<VenueOrder | null> {
    const lookup = clientIdLookup(this.exchange, clientOrderId)
    if (lookup.kind === 'fetchOrder') {
      const order = await this.call(() => this.ex.fetchOrder('', symbol, lookup.params), 'read')
      return this.order(order as unknown as Raw, undefined, clientOrderId)
    }
    for (const list of lookup.lists) {
      const orders = await this.call(() => this.ex[list.method](symbol, undefined, list.limit, list.params), 'read')
      if (!Array.isArray(orders)) throw this.badReply('orders', 'not a list')
      // Whatever the exchange filtered: only the order that carries this id.
      for (const o of orders) {
        const raw = o as unknown as Raw
        if (typeof raw.clientOrderId === 'string' && appClientId(this.exchange, raw.clientOrderId, clientOrderId) === clientOrderId) {
          return this.order(raw, undefined, clientOrderId)
        }
      }
    }
    return null
  }

  async fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    const orders = await this.call(() => this.ex.fetchOpenOrders(symbol), 'read')
    if (!Array.isArray(orders)) throw this.badReply('open orders', 'not a list')
    const regular = orders.map((o) => this.order(o as unknown as Raw))
    return this.okxAlgos ? [...regular, ...(await this.okxAlgos.open(symbol))] : regular
  }

  async fetchMyFills(symbol: string, since?: number): Promise<Fill[]> {
    const fills = await this.history().fillsSince(symbol, since)
    return this.okxAlgos ? this.okxAlgos.tie(fills, symbol) : fills
  }

  /** OKX's stop orders (algo orders, okx-algo.ts); undefined on other exchanges. */
  private readonly okxAlgos: OkxAlgos | undefined

  // ---- history (history.ts: the history sync's pages) ------------------------------------------------
  private historyCache: CcxtHistory | undefined
  private history = (): CcxtHistory =>
    (this.historyCache ??= new CcxtHistory({ ex: this.ex, exchange: this.exchange, name: this.name, call: (fn, access) => this.call(fn, access), fill: (raw) => this.fill(raw) }))
  historyPaging: NonNullable<Venue['historyPaging']> = () => this.history().paging()
  fetchMyFillsPage: NonNullable<Venue['fetchMyFillsPage']> = (symbol, page) => this.history().fillsPage(symbol, page)
  historyRun<T>(read: () => Promise<T>): Promise<T> {
    return this.history().run(read)
  }
  fetchTransfers: NonNullable<Venue['fetchTransfers']> = (kind, page) => this.history().transfers(kind, page)
  fetchConversions: NonNullable<Venue['fetchConversions']> = (page) => this.history().conversions(page)
  fetchDustConversions: NonNullable<Venue['fetchDustConversions']> = (page) => this.history().dustConversions(page)
  fetchFiatPurchases: NonNullable<Venue['fetchFiatPurchases']> = (page) => this.history().fiatPurchases(page)
  fetchRewards: NonNullable<Venue['fetchRewards']> = (page) => this.history().rewards(page)

  // ---- WebSocket (ccxt.pro) -----------------------------------------------------------------------

  watchOrderBook(symbol: string, onBook: (book: BookSnapshot) => void, onError: (err: Error) => void, depth?: number): Unwatch {
    return this.watch(
      // ccxt's limit: the snapshot size and the levels ccxt keeps (a smaller snapshot also costs less of
      // the REST rate limit, which matters when a gap forces a new one).
      () => this.ex.watchOrderBook(symbol, depth),
      (book) => onBook(this.book(book as unknown as Raw, symbol)),
      onError,
      { unwatch: () => this.ex.unWatchOrderBook(symbol), topic: `book:${symbol}` },
    )
  }

  reconnectBook(symbol: string): void {
    if (this.closed) return
    dropBookConnections(this.ex, symbol, `no message for the ${symbol} book`)
  }

  watchTrades(symbol: string, onTrade: (trades: PublicTrade[]) => void, onError: (err: Error) => void, onSubscribed?: () => void): Unwatch {
    return this.watch(
      () => this.ex.watchTrades(symbol),
      (trades) => {
        if (!Array.isArray(trades)) throw this.badReply('trades', 'not a list')
        if (trades.length > 0) onTrade(trades.map((t) => this.publicTrade(t as unknown as Raw)))
      },
      onError,
      {
        unwatch: () => this.ex.unWatchTrades(symbol),
        topic: `trades:${symbol}`,
        subscribed: onSubscribed && { names: (hash) => namesTrades(hash, symbol), tell: onSubscribed },
      },
    )
  }

  watchTicker(symbol: string, onTicker: (ticker: Ticker) => void, onError: (err: Error) => void): Unwatch {
    return this.watch(
      () => this.ex.watchTicker(symbol),
      (ticker) => onTicker(this.ticker(ticker as unknown as Raw, symbol)),
      onError,
      { unwatch: () => this.ex.unWatchTicker(symbol), topic: `ticker:${symbol}` },
    )
  }

  watchMyFills(onFill: (fill: Fill) => void, onError: (err: Error) => void): Unwatch {
    return this.watch(
      () => this.ex.watchMyTrades(),
      (trades) => {
        if (!Array.isArray(trades)) throw this.badReply('fills', 'not a list')
        for (const t of trades) onFill(this.fill(streamTradeAsRest(this.exchange, t as unknown as Raw)))
      },
      onError,
      { private: 'fill' },
    )
  }

  watchMyOrders(onOrder: (order: VenueOrder) => void, onError: (err: Error) => void): Unwatch {
    return this.watch(
      () => this.ex.watchOrders(),
      (orders) => {
        if (!Array.isArray(orders)) throw this.badReply('orders', 'not a list')
        for (const o of orders) onOrder(this.order(o as unknown as Raw))
      },
      onError,
      { private: 'order' },
    )
  }

  // ---- internals ----------------------------------------------------------------------------------

  private setState(state: ConnectionState, reason?: string): void {
    // A refused key outlasts whatever the public side does: the account is not live until it is fixed.
    if (this.rejected) {
      if (state === 'live') state = 'degraded'
      reason = this.rejected.message
    }
    if (this.state === state && this.reason === reason) return
    this.state = state
    this.reason = reason
    for (const listener of [...this.connectionListeners]) listener(state, reason)
  }

  /**
   * The exchange refused the key: remember it (the status says so from now on) and return the error every
   * later private request or watch gets instead of asking again.
   */
  private rejectKey(error: VenueError): KeyRejectedError {
    if (!this.rejected) {
      this.rejected = keyRejection(error)
      // Every private watch ends now (one still waiting on the exchange ends at its next answer): none is
      // "down, retrying" in the account's status, which says the key was rejected and nothing else.
      this.streams.clear()
      this.streamsChanged()
      this.setState('degraded')
    }
    return this.rejected
  }

  private classify(err: unknown): VenueError {
    return classifyCcxtError(err, {
      exchange: this.exchange,
      exchangeName: this.name,
      redact: this.redact,
      authenticated: this.authenticated,
    })
  }

  private badReply(what: string, detail: string): VenueError {
    return new VenueError('bad-reply', `${this.name} sent an unexpected reply for ${what}: ${sanitize(detail, this.redact)}`)
  }

  /**
   * Runs a ccxt call; anything it throws comes out classified. A signed call that works proves the key.
   * When Binance refuses a trade with its generic -2015 before any signed call has worked, one signed read
   * tells "unknown key" (it fails too) from "no trading permission" (it works).
   */
  /**
   * Runs `fn`, whose requests are refused at once while the account is held (request-hold.ts). ccxt keeps a
   * failed market load as the answer to every later one: a load refused for the hold must not outlive it.
   */
  private async unlessHeld<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await failFastWhileHeld(fn)
    } catch (err) {
      this.forgetHeldMarketLoad(err)
      throw err
    }
  }

  /** A market load refused for the hold (here, or by a caller's failFastWhileHeld around a read that loads them first) is forgotten. */
  private forgetHeldMarketLoad(err: unknown): void {
    const ex = this.ex as unknown as { markets?: unknown; marketsLoading?: unknown }
    if (err instanceof RequestHeldError && ex.markets === undefined) ex.marketsLoading = undefined
  }

  private async call<T>(fn: () => Promise<T>, access: 'public' | 'read' | 'trade' = 'public'): Promise<T> {
    if (access !== 'public' && this.rejected) throw this.rejected
    try {
      const value = await fn()
      if (access !== 'public') this.authenticated = true
      this.restAnswered(true)
      return value
    } catch (err) {
      this.forgetHeldMarketLoad(err)
      let error = this.classify(err)
      if (error.kind === 'unreachable') this.restAnswered(false, error.message)
      if (
        access === 'trade' &&
        !this.authenticated &&
        error.kind === 'invalid-key' &&
        exchangeErrorCode(err, this.exchange) === '-2015'
      ) {
        try {
          await this.ex.fetchBalance()
          this.authenticated = true
          error = this.classify(err)
        } catch {
          // refused for reading too: the key itself
        }
      }
      // The request that finds the key refused says so in the exchange's words; later ones are not sent.
      if (access !== 'public' && rejectsKey(error, 'request')) this.rejectKey(error)
      const retryAfterMs = retryAfterOf(err)
      if (error.kind === 'rate-limited' && retryAfterMs !== undefined) error = new VenueError(error.kind, error.message, error.cause, retryAfterMs, error.limit, waitSaidOf(err))
      throw error
    }
  }

  /**
   * A REST request reached the exchange or could not. The account's own stream failing leaves the venue live
   * (watch()); REST failing too is the venue down, until a request gets through again or a market stream
   * delivers — unless a market stream is delivering right now (then the exchange answers).
   */
  private restAnswered(answered: boolean, reason?: string): void {
    if (this.closed) return
    if (!answered) {
      // A market stream still delivering: one request timing out would flip the venue down and back at its next
      // update (and ask the order manager to reconcile each time); the caller reports the request's error.
      if (this.publicDelivering.size > 0) return
      this.restDown = true
      this.setState('down', reason)
    } else if (this.restDown) {
      this.restDown = false
      this.setState('live')
    }
  }

  /**
   * A private watch ended for a refused key: it no longer counts as a stream down and retrying (the status
   * says the key was rejected, and nothing else).
   */
  private streamEnded(stream: object | undefined): void {
    if (stream === undefined) return
    this.streams.remove(stream)
    this.streamsChanged()
  }

  /** The loop behind every watch: ccxt.pro resolves each call with the next update. */
  private watch<T>(
    next: () => Promise<T>,
    deliver: (value: T) => void,
    onError: (err: Error) => void,
    options: {
      unwatch?: () => Promise<unknown>
      /**
       * What is watched ("book:BTC/USDT"). ccxt's unWatch* is asynchronous and rejects whatever watch of the
       * same topic is pending when the exchange confirms it, so a watch started right after one was stopped
       * (a view closed and reopened, a restarted watch) waits until that unsubscribe is done.
       */
      topic?: string
      /**
       * The account's own stream ('order', 'fill'): it needs the key, ends when the exchange refuses it, and
       * counts in privateStreams() (subscribed once its ccxt client holds a confirmed private subscription).
       */
      private?: 'order' | 'fill'
      /**
       * `tell` is told once the watch is subscribed: at start (after any unsubscribe it waited for) and again
       * after each failure; when a connected ccxt client carries a subscription `names` accepts
       * (ws-subscribed.ts), or the first value came, whichever is first.
       */
      subscribed?: { names: (hash: string) => boolean; tell: () => void }
    } = {},
  ): Unwatch {
    const { unwatch, topic } = options
    const stream = options.private !== undefined ? this.streams.add(options.private) : undefined
    if (stream !== undefined) {
      this.streamsChanged()
      options = {
        ...options,
        subscribed: {
          names: namesPrivate,
          // (The venue's connection is not this stream's to set: see the catch below.)
          tell: () => {
            this.streams.subscribed(stream)
            this.streamsChanged()
          },
        },
      }
    }
    let stopped = false
    let failures = 0
    /** The watch starts, or its last attempt failed: the next one tells options.subscribed once it is subscribed. */
    let subscribing = options.subscribed !== undefined
    const watcher = {
      stop: () => {
        if (stopped) return
        stopped = true
        this.watchers.delete(watcher)
        this.publicDelivering.delete(watcher)
        if (stream !== undefined) {
          this.streams.remove(stream)
          this.streamsChanged()
        }
        if (unwatch && !this.closed) {
          const done = unwatch().catch(() => undefined)
          this.unwatches.add(done)
          void done.then(() => this.unwatches.delete(done))
          if (topic !== undefined) {
            this.unwatching.set(topic, done)
            void done.then(() => {
              if (this.unwatching.get(topic) === done) this.unwatching.delete(topic)
            })
          }
        }
      },
    }
    this.watchers.add(watcher)
    const loop = async () => {
      const pending = topic === undefined ? undefined : this.unwatching.get(topic)
      if (pending !== undefined) {
        let timer: ReturnType<typeof setTimeout> | undefined
        await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, UNWATCH_WAIT_MS)))])
        clearTimeout(timer)
      }
      while (!stopped) {
        if (options.private && this.rejected) {
          // Started, or failed again, after the exchange refused the key: no more tries through this object.
          this.watchers.delete(watcher)
          this.streamEnded(stream)
          onError(this.rejected)
          break
        }
        const attempt = { told: false, over: false }
        const tell = () => {
          if (attempt.told || stopped) return
          attempt.told = true
          options.subscribed?.tell()
        }
        try {
          const pending = next()
          if (subscribing && options.subscribed) {
            const { names } = options.subscribed
            const unconfirmed = stream !== undefined ? authenticating : undefined
            void subscribedNow(this.ex, names, () => !stopped && !attempt.told && !attempt.over, 25, unconfirmed).then((yes) => {
              if (yes && !attempt.over) tell()
            })
          }
          const value = await pending
          if (stopped) break
          failures = 0
          if (stream === undefined) {
            this.publicDelivering.add(watcher)
            this.setState('live')
          }
          if (subscribing) tell()
          subscribing = false
          deliver(value)
        } catch (err) {
          attempt.over = true
          if (stopped) break
          if (options.subscribed) subscribing = true
          this.publicDelivering.delete(watcher)
          const error = this.classify(err)
          if (stream !== undefined) {
            this.streams.failed(stream, error.message)
            this.streamsChanged()
          }
          if (options.private && rejectsKey(error, 'stream')) {
            this.watchers.delete(watcher)
            this.streamEnded(stream)
            this.rejectKey(error)
            onError(error)
            break
          }
          if (options.private && this.rejected) continue // (ends at the top of the loop)
          onError(error)
          // The account's own stream failing says nothing about market data or REST: orders still go through
          // and fills come by polling, so only the account's status says so ('rest-only', from the tracker).
          // A venue whose REST fails too turns down from that request (call()).
          if (stream === undefined) this.setState(error.kind === 'unreachable' ? 'down' : 'degraded', error.message)
          const delay = WATCH_RETRY_MS[Math.min(failures++, WATCH_RETRY_MS.length - 1)] ?? 10_000
          if (options.private) {
            this.retries.asked++
            this.retries.waiting++
          }
          await new Promise((resolve) => setTimeout(resolve, delay))
          if (options.private) this.retries.waiting--
        }
      }
    }
    void loop()
    return watcher.stop
  }

  /** ccxt's own parser run again on the raw reply with numbers as strings; the float result if it cannot. */
  private exact(parsed: Raw, reparse: (info: Raw, market: unknown) => unknown): Raw {
    const info = parsed.info
    if (!info || typeof info !== 'object') return parsed
    try {
      const symbol = typeof parsed.symbol === 'string' ? parsed.symbol : undefined
      const market = symbol && this.ex.markets?.[symbol] ? this.ex.market(symbol) : undefined
      const again = withStringNumbers(this.ex, () => reparse(info as Raw, market)) as Raw
      if (!agrees(parsed, again)) return parsed
      // The re-parse is for the exact numbers only. It uses the REST parser, which misreads stream messages:
      // Binance's executionReport has the order id as `i` (lost) and `m` = maker (read as "the buyer is the
      // maker", so a taker sell comes out as a buy). Identity fields always come from ccxt's first parse.
      for (const key of IDENTITY_FIELDS) if (parsed[key] !== undefined && parsed[key] !== null) again[key] = parsed[key]
      return again
    } catch {
      return parsed
    }
  }

  private async balancesWithInfo(): Promise<{ balances: Balance[]; info: Raw | null }> {
    const raw = await this.call(() => this.ex.fetchBalance(), 'read')
    if (!raw || typeof raw !== 'object') throw this.badReply('balances', 'not an object')
    const parsed = raw as unknown as Raw
    const info = parsed.info && typeof parsed.info === 'object' ? (parsed.info as Raw) : null
    // ccxt's parsers accept almost anything silently; these replies have a known outer shape.
    const shape = balanceShapes[this.exchange]
    if (shape && !shape.check(info)) throw this.badReply('balances', `expected ${shape.expected}`)
    const exact = this.exactBalance(parsed, info)
    const balances: Balance[] = []
    const skip = new Set(['info', 'timestamp', 'datetime', 'free', 'used', 'total', 'debt'])
    for (const [asset, entry] of Object.entries(exact)) {
      if (skip.has(asset)) continue
      if (!entry || typeof entry !== 'object') throw this.badReply('balances', `${asset} is not an account entry`)
      const e = entry as Raw
      const free = toDecimalOrNull(e.free, `${asset} free balance`) ?? '0'
      const used = toDecimalOrNull(e.used, `${asset} used balance`) ?? '0'
      const total = toDecimalOrNull(e.total, `${asset} total balance`) ?? new Decimal(free).plus(used).toFixed()
      if (isZero(total) && isZero(free) && isZero(used)) continue
      balances.push({ asset, free, used, total })
    }
    balances.sort((a, b) => a.asset.localeCompare(b.asset))
    return { balances, info }
  }

  /** Balances re-parsed from the raw reply with string numbers, with the parser each exchange uses. */
  private exactBalance(parsed: Raw, info: Raw | null): Raw {
    if (!info) return parsed
    const ex = this.ex as unknown as Record<string, (...args: unknown[]) => unknown>
    const parsers: Partial<Record<ExchangeId, () => unknown>> = {
      binance: () => ex.parseBalanceCustom?.call(this.ex, info, 'spot'),
      mexc: () => ex.customParseBalance?.call(this.ex, info, 'spot'),
      okx: () => ex.parseBalanceByType?.call(this.ex, 'spot', info),
      bybit: () => ex.parseBalance?.call(this.ex, info),
      kraken: () => ex.parseBalance?.call(this.ex, info),
      bitget: () => (Array.isArray(info) ? ex.parseBalance?.call(this.ex, info) : undefined),
    }
    const parser = parsers[this.exchange]
    if (!parser) return parsed
    try {
      const again = withStringNumbers(this.ex, parser) as Raw | undefined
      return again && agreesBalance(parsed, again) ? again : parsed
    } catch {
      return parsed
    }
  }

  /** Whether the key may trade, where the exchange says so; null otherwise or on any failure. */
  private async readCanTrade(info: Raw | null): Promise<boolean | null> {
    try {
      const ex = this.ex as unknown as Record<string, () => Promise<Raw>>
      const accountCanTrade = typeof info?.canTrade === 'boolean' ? info.canTrade : null
      if (this.exchange === 'mexc') return accountCanTrade
      if (this.exchange === 'binance') {
        // The account's canTrade, and the key's own "Spot & Margin Trading" switch where Binance tells it
        // (the sapi endpoint; sandboxes lack it, then the account flag alone answers).
        if (accountCanTrade === false) return false
        try {
          const restrictions = await ex.sapiGetAccountApiRestrictions!.call(this.ex)
          if (typeof restrictions.enableSpotAndMarginTrading === 'boolean') return restrictions.enableSpotAndMarginTrading
        } catch {
          // not offered: fall back to the account flag
        }
        return accountCanTrade
      }
      if (this.exchange === 'okx') {
        const reply = await ex.privateGetAccountConfig!.call(this.ex)
        const perm = (Array.isArray(reply.data) ? (reply.data[0] as Raw | undefined) : undefined)?.perm
        return typeof perm === 'string' ? perm.split(',').includes('trade') : null
      }
      if (this.exchange === 'bybit') {
        const reply = await ex.privateGetV5UserQueryApi!.call(this.ex)
        const readOnly = (reply.result as Raw | undefined)?.readOnly
        return readOnly === 0 ? true : readOnly === 1 ? false : null
      }
      if (this.exchange === 'coinbase') {
        const reply = await ex.v3PrivateGetBrokerageKeyPermissions!.call(this.ex)
        return typeof reply.can_trade === 'boolean' ? reply.can_trade : null
      }
    } catch {
      return null
    }
    return null
  }

  private book(raw: Raw, symbol: string): BookSnapshot {
    if (!raw || !Array.isArray(raw.bids) || !Array.isArray(raw.asks)) throw this.badReply('the order book', 'no bids/asks lists')
    const levels = (side: unknown[], which: string): BookLevel[] =>
      side.map((level, i) => {
        if (!Array.isArray(level) || level.length < 2) throw this.badReply('the order book', `${which}[${i}] is not [price, amount]`)
        return [toDecimal(level[0], `${which} price`), toDecimal(level[1], `${which} amount`)]
      })
    const nonce = raw.nonce
    return {
      symbol: typeof raw.symbol === 'string' ? raw.symbol : symbol,
      bids: levels(raw.bids, 'bids'),
      asks: levels(raw.asks, 'asks'),
      ...(typeof nonce === 'number' && Number.isSafeInteger(nonce) ? { sequence: nonce } : {}),
      timestamp: typeof raw.timestamp === 'number' ? Math.trunc(raw.timestamp) : Date.now(),
    }
  }

  private ticker(raw: Raw, symbol: string): Ticker {
    if (!raw || typeof raw !== 'object') throw this.badReply('the ticker', 'not an object')
    const last = toDecimalOrNull(raw.last ?? raw.close, 'last price')
    if (last === null) throw this.badReply('the ticker', 'no last price')
    return {
      symbol: typeof raw.symbol === 'string' ? raw.symbol : symbol,
      last,
      bid: toDecimalOrNull(raw.bid, 'bid'),
      ask: toDecimalOrNull(raw.ask, 'ask'),
      high24h: toDecimalOrNull(raw.high, '24h high'),
      low24h: toDecimalOrNull(raw.low, '24h low'),
      volume24h: toDecimalOrNull(raw.baseVolume, '24h volume'),
      changePct24h: toDecimalOrNull(raw.percentage, '24h change'),
      timestamp: typeof raw.timestamp === 'number' ? Math.trunc(raw.timestamp) : Date.now(),
    }
  }

  private publicTrade(raw: Raw): PublicTrade {
    const price = toDecimal(raw.price, 'trade price')
    const amount = toDecimal(raw.amount, 'trade amount')
    const timestamp = expectInt(raw.timestamp, 'trade time')
    const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : ''
    return {
      // Without an exchange id, the same made-up one from REST and WebSocket (normalised decimals), so
      // fetched and watched trades still merge.
      id: id !== '' ? id : `${timestamp}-${price}-${amount}`,
      symbol: expectString(raw.symbol, 'trade symbol'),
      price,
      amount,
      side: this.takerSide(expectSide(raw.side, 'trade side')),
      timestamp,
    }
  }

  /**
   * The app reads a public trade's side as the taker's (port.ts). Coinbase reports the maker's side on its
   * public trades (REST and market_trades alike) and ccxt passes it on, so there it is turned round: a
   * "BUY" print is a seller hitting a resting bid. Every other venue here reports the taker's side.
   */
  private takerSide(side: Side): Side {
    if (this.exchange !== 'coinbase') return side
    return side === 'buy' ? 'sell' : 'buy'
  }

  /** `known`: the client id the order is looked up by (its exchange may hold a derived form of it). */
  private order(parsed: Raw, request?: OrderRequest, known = request?.clientOrderId): VenueOrder {
    if (!parsed || typeof parsed !== 'object') throw this.badReply('an order', 'not an object')
    const o = this.exact(parsed, (info, market) => this.ex.parseOrder(info, market as never))
    if (typeof o.id !== 'string' && typeof o.id !== 'number') throw this.badReply('an order', 'no order id')
    const now = Date.now()
    const tif = typeof o.timeInForce === 'string' ? o.timeInForce.toUpperCase() : undefined
    const postOnly = o.postOnly === true || tif === 'PO' || (o.postOnly === undefined && request?.postOnly === true)
    const timeInForce: TimeInForce =
      tif === 'IOC' || tif === 'FOK' || tif === 'GTC' ? tif : tif === 'PO' ? 'GTC' : (request?.timeInForce ?? 'GTC')
    const type = o.type === 'market' ? 'market' : o.type === undefined && request ? request.type : 'limit'
    const filled = toDecimalOrNull(gateFilledAmount(this.exchange, o.info) ?? o.filled, 'order filled amount') ?? '0'
    // A market buy sent as a quote amount (market-buy-cost.ts) has no base amount until it has filled.
    const amount = toDecimalOrNull(o.amount, 'order amount') ?? request?.amount ?? (type === 'market' ? filled : undefined)
    if (amount === undefined) throw this.badReply('an order', 'no amount')
    const average = toDecimalOrNull(o.average, 'order average price')
    const cost =
      toDecimalOrNull(o.cost, 'order cost') ?? (average !== null ? new Decimal(average).times(filled).toFixed() : '0')
    const updated = [o.lastUpdateTimestamp, o.lastTradeTimestamp].find((t) => typeof t === 'number' && t > 0) as number | undefined
    // Binance answers an untriggered stop with workingTime -1, which ccxt takes as the order's timestamp.
    const createdAt = typeof o.timestamp === 'number' && o.timestamp > 0 ? Math.trunc(o.timestamp) : Math.trunc(updated ?? now)
    const triggerPrice = triggerPriceOf(o.triggerPrice ?? o.stopPrice ?? o.stopLossPrice ?? o.takeProfitPrice, (v) => toDecimalOrNull(v, 'order trigger price'))
    return {
      venueOrderId: String(o.id),
      clientOrderId:
        typeof o.clientOrderId === 'string' && o.clientOrderId !== ''
          ? appClientId(this.exchange, o.clientOrderId, known)
          : (request?.clientOrderId ?? (this.exchange === 'okx' ? algoClientId(o.info) : undefined) ?? ''),
      symbol: typeof o.symbol === 'string' ? o.symbol : (request?.symbol ?? expectString(o.symbol, 'order symbol')),
      side: o.side === undefined && request ? request.side : expectSide(o.side, 'order side'),
      type,
      price: toDecimalOrNull(o.price, 'order price') ?? (request?.price ?? null),
      amount,
      filled,
      cost,
      status: orderStatus(o.status, request !== undefined),
      timeInForce,
      postOnly,
      createdAt,
      updatedAt: Math.max(createdAt, Math.trunc(updated ?? createdAt)),
      ...(triggerPrice !== null ? { triggerPrice } : {}),
    }
  }

  private fill(parsed: Raw): Fill {
    if (!parsed || typeof parsed !== 'object') throw this.badReply('a fill', 'not an object')
    const t = this.exact(parsed, (info, market) => this.ex.parseTrade(info, market as never))
    const fee = (t.fee && typeof t.fee === 'object' ? t.fee : undefined) as Raw | undefined
    if (typeof t.id !== 'string' && typeof t.id !== 'number') throw this.badReply('a fill', 'no trade id')
    if (typeof t.order !== 'string' && typeof t.order !== 'number') throw this.badReply('a fill', 'no order id')
    const clientOrderId = typeof t.clientOrderId === 'string' && t.clientOrderId !== '' ? t.clientOrderId : this.exchange === 'okx' ? okxFillClientId(t.info) : undefined
    return {
      tradeId: String(t.id),
      venueOrderId: String(t.order),
      clientOrderId: clientOrderId === undefined ? null : appClientId(this.exchange, clientOrderId),
      symbol: expectString(t.symbol, 'fill symbol'),
      side: expectSide(t.side, 'fill side'),
      price: toDecimal(t.price, 'fill price'),
      amount: toDecimal(t.amount, 'fill amount'),
      fee: {
        asset: typeof fee?.currency === 'string' ? fee.currency : '',
        amount: toDecimalOrNull(fee?.cost, 'fill fee') ?? '0',
      },
      liquidity: t.takerOrMaker === 'maker' ? 'maker' : 'taker',
      timestamp: expectInt(t.timestamp, 'fill time'),
    }
  }
}

const balanceShapes: Partial<Record<ExchangeId, { expected: string; check: (info: Raw | null) => boolean }>> = {
  binance: { expected: 'an account with a "balances" list', check: (info) => Array.isArray(info?.balances) },
  okx: { expected: 'a "data" list', check: (info) => Array.isArray(info?.data) },
  bybit: { expected: 'a "result" object', check: (info) => isObject(info?.result) },
  kraken: { expected: 'a "result" object', check: (info) => isObject(info?.result) },
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The capabilities' times in force for this exchange (nothing when it takes all three). */
function timeInForceCapabilities(id: ExchangeId): Pick<VenueCapabilities, 'timeInForce' | 'timeInForceNote'> {
  const support = exchangeTimeInForce[id]
  return support === undefined ? {} : { timeInForce: support.allowed, timeInForceNote: support.note }
}

/** Keeps ccxt to spot markets and spot accounts (and, per exchange, the spot endpoints this app relies on). */
function spotOnly(ex: Exchange, id: ExchangeId): void {
  const options = ex.options as Raw
  options.defaultType = 'spot'
  const fetchMarkets = options.fetchMarkets
  if (fetchMarkets && typeof fetchMarkets === 'object' && !Array.isArray(fetchMarkets)) {
    const types = (fetchMarkets as Raw).types
    if (Array.isArray(types)) (fetchMarkets as Raw).types = ['spot']
    else if (types && typeof types === 'object') (fetchMarkets as Raw).types = { spot: true }
  }
  if (id === 'binance') {
    // Its currency list comes from a signed sapi endpoint the spot app does not need, and open orders of
    // all symbols are a deliberate (heavier) request here, not a mistake to warn about.
    options.fetchCurrencies = false
    options.warnOnFetchOpenOrdersWithoutSymbol = false
    // Recent trades from GET /api/v3/trades (trade ids), not ccxt's default aggTrades (aggregate ids):
    // watchTrades follows the <symbol>@trade stream, and the two must share ids to be merged.
    options.fetchTradesMethod = 'publicGetTrades'
  }
}

/**
 * Exchanges whose ccxt fetchTrades sends `since` to the exchange, which answers from then on (Coinbase
 * only with an end, `until`). Checked in ccxt 4.5's sources; the others get their recent trades.
 */
const TRADES_SINCE: Partial<Record<ExchangeId, 'since' | 'since-until'>> = { kraken: 'since', coinbase: 'since-until' }

/** Coinbase's most trades a request (its public ticker endpoint), and the most requests one refill page reads back. */
const COINBASE_PAGE = 1000
const COINBASE_PAGES_BACK = 5

/** Kraken's most trades a request (GET /0/public/Trades), and the most requests one refill page sends past
 * trades made before its cursor in a busy millisecond. */
const KRAKEN_PAGE = 1000
const KRAKEN_PAGES_ON = 5

/** `id` is a later trade of the market than `than`: both whole numbers (as exchanges number trades), larger. */
function laterId(id: string, than: string): boolean {
  return /^\d+$/.test(id) && /^\d+$/.test(than) && BigInt(id) > BigInt(than)
}

/** The most recent trades one request returns, where below 1,000: OKX /market/trades, Bybit spot recent-trade. */
const RECENT_TRADES_MAX: Partial<Record<ExchangeId, number>> = { okx: 500, bybit: 60 }

/**
 * Oldest first; trades of the same millisecond by id where both ids are whole numbers (exchanges number a
 * market's trades in order), else as they came.
 */
function byTimeThenId(a: PublicTrade, b: PublicTrade): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp
  if (!/^\d+$/.test(a.id) || !/^\d+$/.test(b.id)) return 0
  const x = a.id.replace(/^0+(?=\d)/, '')
  const y = b.id.replace(/^0+(?=\d)/, '')
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0)
}

/** A reply ccxt parsed into an order without its id, status or amount: an acknowledgement, not an order. */
function acknowledgementOnly(parsed: Raw): boolean {
  if (!parsed || typeof parsed !== 'object') return false
  return parsed.id == null || parsed.status == null || parsed.amount == null
}

function orderStatus(status: unknown, justPlaced: boolean): VenueOrderStatus {
  switch (status) {
    case 'open':
    case 'closed':
    case 'rejected':
    case 'expired':
    case 'canceled':
      return status
    case 'cancelled':
      return 'canceled'
    case undefined:
    case null:
      if (justPlaced) return 'open' // some exchanges answer an order with its id only
      break
  }
  throw new VenueError('bad-reply', `The exchange sent an order status ccxt does not know (${String(status).slice(0, 30)})`)
}

/** Fields a re-parse may miss or misread on a stream message; never numbers, so the first parse's are exact. */
const IDENTITY_FIELDS = ['id', 'order', 'clientOrderId', 'symbol', 'side', 'timestamp', 'datetime', 'type', 'takerOrMaker'] as const

/** A price or amount as the number ccxt wants, refused if the float would not carry it exactly. */
function exactNumber(value: DecimalString, what: string): number {
  let d: Decimal
  try {
    d = new Decimal(value)
  } catch {
    throw new VenueError('invalid-order', `The order ${what} is not a number`)
  }
  if (!d.isFinite() || d.lte(0)) throw new VenueError('invalid-order', `The order ${what} must be positive`)
  const n = d.toNumber()
  if (!new Decimal(String(n)).eq(d)) {
    throw new VenueError('invalid-order', `The order ${what} ${value} has more significant digits than can be sent exactly`)
  }
  return n
}

/**
 * Gate's own count of the base an order bought or sold. ccxt derives a market buy's (sent as a quote amount)
 * as its quote over avg_deal_price, an average Gate rounds, so it comes out a hair off what the fills add up
 * to — and below them the final report read as older than the fills, the order left partially filled.
 */
function gateFilledAmount(exchange: ExchangeId, info: unknown): string | undefined {
  if (exchange !== 'gate' || !info || typeof info !== 'object') return undefined
  const v = (info as Raw).filled_amount
  return typeof v === 'string' && v !== '' ? v : undefined
}

/** A market's price/amount step from ccxt's precision value (all supported exchanges use TICK_SIZE). */
function precisionStep(value: unknown, mode: number, what: string): DecimalString {
  if (value === undefined || value === null) return '0'
  const TICK_SIZE = 4
  const DECIMAL_PLACES = 2
  if (mode === TICK_SIZE) return toDecimal(value, what)
  if (mode === DECIMAL_PLACES) return new Decimal(10).pow(-Number(value)).toFixed()
  return '0' // significant digits: no fixed step
}

/** The string re-parse must say the same as ccxt's float parse (guards against a wrong parser or signature). */
function agrees(floats: Raw, strings: Raw): boolean {
  for (const key of ['amount', 'price', 'filled', 'cost', 'last', 'bid', 'ask']) {
    if (!sameNumber(floats[key], strings[key])) return false
  }
  // A stream message re-read by the REST parser can lose the fee (Binance's executionReport has it as `n`,
  // the REST trade as `commission`): a fee the first parse found must survive, or the first parse stands.
  const fee = (x: Raw) => (x.fee !== null && typeof x.fee === 'object' ? (x.fee as Raw) : {})
  if (!sameNumber(fee(floats).cost, fee(strings).cost) || (fee(floats).cost != null && fee(floats).currency !== fee(strings).currency)) return false
  return floats.id === strings.id
}

function agreesBalance(floats: Raw, strings: Raw): boolean {
  const a = (floats.total ?? {}) as Raw
  const b = (strings.total ?? {}) as Raw
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const key of keys) if (!sameNumber(a[key], b[key])) return false
  return true
}

function sameNumber(x: unknown, y: unknown): boolean {
  if ((x === undefined || x === null) && (y === undefined || y === null)) return true
  if (x === undefined || x === null || y === undefined || y === null) return false
  return Number(x) === Number(y)
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new VenueError('bad-reply', `The exchange's reply has no ${what}`)
  }
  return value
}

function expectSide(value: unknown, what: string): Side {
  if (value === 'buy' || value === 'sell') return value
  throw new VenueError('bad-reply', `The exchange's reply has no valid ${what}`)
}

function expectInt(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value)
  throw new VenueError('bad-reply', `The exchange's reply has no valid ${what}`)
}
