import Decimal from 'decimal.js'
import type { Core, CoreOptions } from '../../../src-main/core'
import type { CopyRecordView, FollowSettings } from '../../../src-main/api/schemas/copy'
import type { Fill } from '../../../src-main/venues/port'
import type { MatchingEngine, SimMarketSpec } from '../../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../../src-main/venues/sim/matching/engine'
import { defaultSimMarkets } from '../../../src-main/venues/sim/markets'
import { startBinanceServer, type BinanceServer } from '../binance/index'
import { randomKey } from '../binance/fixture'
import { startOkxServer, type OkxServer } from '../okx/index'
import { randomOkxKey } from '../okx/fixture'
import { MAKER, seedLadder } from '../exchange-server/ladder'
import { tempCore } from '../temp-core'
import { waitFor } from '../wait-for'

// Two exchanges that speak different protocols, for the copier's cross-exchange tests and bench: a local
// Binance server and a local OKX server, each on its own matching engine, and a real engine (tempCore) with
// one account on each, added through accounts.add (ccxt's real binance / okx classes). The leader is a
// read-only key on one exchange (a manager's shared account), the follower a trading key on the other.
//
// The markets are the simulated defaults plus BTC/USDC (for the symbol map), all with ZERO fees, so every
// copy amount in the tests can be computed by hand: a leader's equity does not change when it buys at the
// last price, and a follower that bought x holds exactly x.
//
// Accounts on each engine: "lead" (the leader, on the leader's exchange), "me" (the follower, on the other),
// "carol" (the leader's counterparty; fills are made on the engine directly, so they stream over the
// leader's user-data socket as any fill would), "lp" (moves the follower's books), "maker" (ladders).

export type Exchange = 'binance' | 'okx'

export interface CrossOptions {
  /** Where the leader trades (the follower is on the other exchange); default binance. */
  leaderOn?: Exchange
  /** The leader's balances (default 100000 USDT, 1 BTC, 10 ETH: markets whose base it holds are polled too). */
  leader?: Record<string, string>
  /** The follower's balances (default 100000 USDT). */
  follower?: Record<string, string>
  /** The follower exchange's BTC/USDT ladder (default mid 95000, levels 10 apart, as the leader's always is). */
  followerBtcLadder?: { mid: string; spacing: string }
  /** The copier's REST poll period for leader fills (default 250 ms here; the app's is 3 s). */
  pollEveryMs?: number
  core?: Partial<CoreOptions>
}

export interface Side {
  exchange: Exchange
  engine: MatchingEngine
  /** The venue id of the account on it. */
  venueId: string
}

export interface Cross {
  binance: BinanceServer
  okx: OkxServer
  /**
   * Keys for clients outside the engine: the leader's own (read-only) key, and a trading key of "raw", a second
   * account on the follower's exchange funded like the follower (the bench's bare ccxt copier).
   */
  keys: { leader: { apiKey: string; secret: string; passphrase?: string }; raw: { apiKey: string; secret: string; passphrase?: string } }
  core: Core
  leader: Side
  follower: Side
  /** The leader buys `amount` in one fill from carol at `price` (default: best ask − 1). */
  leaderBuys(amount: string, options?: { symbol?: string; price?: string }): Fill
  /** The leader sells `amount` in one fill to carol at `price` (default: best bid + 1). */
  leaderSells(amount: string, options?: { symbol?: string; price?: string }): Fill
  /** A resting leader limit order (GTC), for fills in parts; returns its client id. */
  leaderRests(side: 'buy' | 'sell', amount: string, price: string, symbol?: string): string
  /** carol takes `amount` of the leader's resting order at `price` (IOC): one fill. */
  carolHits(side: 'buy' | 'sell', amount: string, price: string, symbol?: string): Fill
  /** A follow with test defaults (multiplier 1, 100 % allocation, everything else off). */
  follow(over?: Partial<FollowSettings>): Promise<string>
  /** Resolves once the copier watches the leader's user-data stream (subscribed on the leader's server) and has caught up. */
  watching(): Promise<void>
  /** Waits for `n` copy records of the relationship, none pending, and the copier idle; oldest first. */
  settled(followId: string, n: number, timeoutMs?: number): Promise<CopyRecordView[]>
  /** The orders the follower's server received (their request body / params), oldest first. */
  followerOrderRequests(): Record<string, string>[]
  /** The follower account's fills on its exchange. */
  followerFills(symbol?: string): Fill[]
  followerBalance(asset: string): Decimal
  /** Waits until the engine's live book of the follower market shows this best bid / ask. */
  followerBookShows(symbol: string, top: { bid?: string; ask?: string }): Promise<void>
  close(): Promise<void>
}

/** The default markets with zero fees, plus BTC/USDC. */
export const crossMarkets: SimMarketSpec[] = [
  ...defaultSimMarkets,
  { ...defaultSimMarkets[0]!, symbol: 'BTC/USDC', quote: 'USDC', initialPrice: '95100.00' },
].map((m) => ({ ...m, makerFee: '0', takerFee: '0' }))

function ladderedEngine(btc: { mid: string; spacing: string }): MatchingEngine {
  const engine = createMatchingEngine(crossMarkets)
  engine.deposit(MAKER, 'BTC', '1000')
  engine.deposit(MAKER, 'ETH', '10000')
  engine.deposit(MAKER, 'USDT', '100000000')
  engine.deposit(MAKER, 'USDC', '100000000')
  seedLadder(engine, 'BTC/USDT', btc.mid, btc.spacing, '0.5', 20)
  seedLadder(engine, 'ETH/USDT', '3400', '1', '5', 20)
  seedLadder(engine, 'BTC/USDC', '95100', '10', '0.5', 20)
  for (const account of ['carol', 'lp']) {
    engine.deposit(account, 'BTC', '100')
    engine.deposit(account, 'ETH', '1000')
    engine.deposit(account, 'USDT', '100000000')
    engine.deposit(account, 'USDC', '100000000')
  }
  return engine
}

function fund(engine: MatchingEngine, account: string, balances: Record<string, string>): void {
  engine.deposit(account, 'USDT', '0') // the account exists even when it holds nothing
  for (const [asset, amount] of Object.entries(balances)) engine.deposit(account, asset, amount)
}

export async function startCross(options: CrossOptions = {}): Promise<Cross> {
  const leaderOn = options.leaderOn ?? 'binance'
  const followerOn: Exchange = leaderOn === 'binance' ? 'okx' : 'binance'
  const standard = { mid: '95000', spacing: '10' }
  const ladder = (ex: Exchange) => (ex === followerOn ? (options.followerBtcLadder ?? standard) : standard)
  const engines = { binance: ladderedEngine(ladder('binance')), okx: ladderedEngine(ladder('okx')) }
  fund(engines[leaderOn], 'lead', options.leader ?? { USDT: '100000', BTC: '1', ETH: '10' })
  fund(engines[followerOn], 'me', options.follower ?? { USDT: '100000' })
  fund(engines[followerOn], 'raw', options.follower ?? { USDT: '100000' })

  // Binance keys: lead read-only on the leader's side; me trading on the follower's side.
  const binanceKey = (accountId: string, spot: boolean) => ({ apiKey: randomKey(), secret: randomKey(), accountId, permissions: { spot } })
  const okxKey = (accountId: string, trade: boolean) => ({ ...randomOkxKey(), accountId, permissions: { trade } })
  const bKey = leaderOn === 'binance' ? binanceKey('lead', false) : binanceKey('me', true)
  const oKey = leaderOn === 'okx' ? okxKey('lead', false) : okxKey('me', true)
  const rawKey = followerOn === 'binance' ? binanceKey('raw', true) : okxKey('raw', true)
  const binance = await startBinanceServer({ engine: engines.binance, accounts: followerOn === 'binance' ? [bKey, rawKey as typeof bKey] : [bKey] })
  const okx = await startOkxServer({ engine: engines.okx, accounts: followerOn === 'okx' ? [oKey, rawKey as typeof oKey] : [oKey], timings: { booksMs: 20, tickersMs: 50 } })

  const core = tempCore({ copy: { pollEveryMs: options.pollEveryMs ?? 250 }, ...options.core })
  const binanceAccount = await core.accounts.add({ exchange: 'binance', label: 'Binance', apiBaseUrl: binance.restUrl, credentials: { apiKey: bKey.apiKey, secret: bKey.secret } })
  const okxAccount = await core.accounts.add({
    exchange: 'okx',
    label: 'OKX',
    apiBaseUrl: okx.restUrl,
    credentials: { apiKey: oKey.apiKey, secret: oKey.secret, password: oKey.passphrase },
  })
  const ids = { binance: binanceAccount.id, okx: okxAccount.id }
  const leader: Side = { exchange: leaderOn, engine: engines[leaderOn], venueId: ids[leaderOn] }
  const follower: Side = { exchange: followerOn, engine: engines[followerOn], venueId: ids[followerOn] }

  let seq = 0
  const place = (accountId: string, side: 'buy' | 'sell', amount: string, price: string, symbol: string, timeInForce: 'GTC' | 'IOC') =>
    leader.engine.placeOrder({ accountId, clientOrderId: `${accountId}${++seq}`, symbol, side, type: 'limit', amount, price, timeInForce, postOnly: false })
  const oneFill = (fills: Fill[]): Fill => {
    if (fills.length !== 1) throw new Error(`expected one leader fill, got ${fills.length}`)
    return fills[0]!
  }
  const touch = (symbol: string, side: 'bids' | 'asks') => new Decimal(leader.engine.book(symbol, 1)[side][0]![0])

  const cross: Cross = {
    binance,
    okx,
    keys: { leader: leaderOn === 'binance' ? bKey : oKey, raw: rawKey },
    core,
    leader,
    follower,
    leaderBuys(amount, { symbol = 'BTC/USDT', price } = {}) {
      const p = price ?? touch(symbol, 'asks').minus(1).toFixed()
      place('carol', 'sell', amount, p, symbol, 'GTC')
      return oneFill(place('lead', 'buy', amount, p, symbol, 'IOC').fills)
    },
    leaderSells(amount, { symbol = 'BTC/USDT', price } = {}) {
      const p = price ?? touch(symbol, 'bids').plus(1).toFixed()
      place('carol', 'buy', amount, p, symbol, 'GTC')
      return oneFill(place('lead', 'sell', amount, p, symbol, 'IOC').fills)
    },
    leaderRests(side, amount, price, symbol = 'BTC/USDT') {
      const { order, fills } = place('lead', side, amount, price, symbol, 'GTC')
      if (fills.length > 0) throw new Error('the leader order was meant to rest')
      return order.clientOrderId
    },
    carolHits(side, amount, price, symbol = 'BTC/USDT') {
      return oneFill(place('carol', side, amount, price, symbol, 'IOC').fills)
    },
    async follow(over = {}) {
      const view = await core.copy.follow(followSettings(leader.venueId, follower.venueId, over))
      return view.id
    },
    async watching() {
      const subscribed = () =>
        leaderOn === 'binance'
          ? binance.faults.wsMessages.some((m) => m.event === 'message' && JSON.stringify(m.data ?? '').includes('userDataStream.subscribe'))
          : okx.faults.wsMessages.some((m) => m.event === 'message' && /"channel":"orders"/.test(JSON.stringify(m.data ?? '')))
      await waitFor(subscribed, 'the copier to subscribe to the leader user-data stream', 30_000)
      // and has caught up from its cursor (a fill seen before that counts as caught up "on start")
      await core.copy.idle()
    },
    async settled(followId, n, timeoutMs = 30_000) {
      const list = () => core.copy.records({ followId, limit: 500 })
      await waitFor(() => list().length >= n && list().every((r) => r.status !== 'pending'), () => `${n} settled copy records; have ${JSON.stringify(list().map((r) => [r.leaderTradeId, r.status, r.rule, r.error]))}`, timeoutMs)
      await core.copy.idle()
      const out = list()
      if (out.length !== n) throw new Error(`expected ${n} copy records, got ${out.length}`)
      return [...out].sort((a, b) => a.leaderAt - b.leaderAt || Number(a.leaderTradeId) - Number(b.leaderTradeId))
    },
    followerOrderRequests() {
      if (followerOn === 'okx') {
        return okx.faults.requests
          .filter((r) => r.method === 'POST' && (r.path === '/api/v5/trade/batch-orders' || r.path === '/api/v5/trade/order'))
          .flatMap((r) => (Array.isArray(r.params) ? r.params : [r.params]) as Record<string, string>[])
      }
      return binance.faults.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order').map((r) => r.params as Record<string, string>)
    },
    followerFills(symbol) {
      return follower.engine.fills('me', symbol === undefined ? {} : { symbol })
    },
    followerBalance(asset) {
      const b = follower.engine.balances('me').find((x) => x.asset === asset)
      return new Decimal(b?.total ?? '0')
    },
    async followerBookShows(symbol, top) {
      await waitFor(() => {
        const book = core.market.bookFeed(follower.venueId, symbol)?.book
        if (book === undefined) return false
        const bid = book.bids.length > 0 ? new Decimal(book.bids.priceTextAt(0) ?? book.bids.priceAt(0)) : null
        const ask = book.asks.length > 0 ? new Decimal(book.asks.priceTextAt(0) ?? book.asks.priceAt(0)) : null
        return (top.bid === undefined || (bid !== null && bid.eq(top.bid))) && (top.ask === undefined || (ask !== null && ask.eq(top.ask)))
      }, `the follower's ${symbol} book to show ${JSON.stringify(top)}`, 30_000)
    },
    async close() {
      await core.stop()
      await binance.close()
      await okx.close()
    },
  }
  return cross
}

export function followSettings(leaderId: string, followerVenueId: string, over: Partial<FollowSettings> = {}): FollowSettings {
  return {
    leaderId,
    followerVenueId,
    sizing: { mode: 'multiplier', value: '1' },
    allocationPct: '100',
    minTradeQuote: null,
    maxTradeQuote: null,
    sides: 'both',
    allow: [],
    deny: [],
    symbolMap: [],
    priceGuard: null,
    maxOpenPositions: null,
    dailyLossStop: null,
    totalStopLoss: null,
    copyExisting: false,
    maxAgeSec: 60,
    ...over,
  }
}

