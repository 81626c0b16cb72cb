import { consoleLogger } from '../../../log'
import type { Balance, BookSnapshot, Candle, DecimalString, Fill, PublicTrade, Side, Ticker, Timeframe } from '../../port'
import {
  SimRejection,
  type OrderRef,
  type SimEvent,
  type SimMarketSpec,
  type SimOrder,
  type SimOrderInput,
  type SimRejectReason,
} from '../engine-api'
import { Dec, ZERO, fmt, isMultipleOf, parseDec } from './decimal'
import { type FeeRates, type Liquidity, tradeFee } from './fees'
import { selectByTime } from './history'
import { Ledger } from './ledger'
import { MarketData, TIMEFRAME_MS, candleCapacity as candlesKept } from './market-data'
import { OrderBook } from './order-book'
import { AccountRecord, type OrderRecord, remainingOf } from './orders'
import {
  DEFAULT_SIM_LIMITS,
  SIM_ENGINE_STATE_VERSION,
  type MatchingEngineOptions,
  type SelfTradePrevention,
  type SimAccountState,
  type SimEngineLimits,
  type SimEngineState,
  type SimMarketState,
  type SimMatchingEngine,
  type SimRestingOrderState,
} from './state'

export type { MatchingEngineOptions, SimEngineState, SimMatchingEngine } from './state'

/**
 * The simulated exchange's matching engine: price-time priority, limit and market orders, GTC/IOC/FOK,
 * post-only, funds reserved on placement, Binance-like fees, exact decimal math. Synchronous; a call either
 * throws a SimRejection having changed nothing, or applies completely and delivers its events before it
 * returns.
 */
export function createMatchingEngine(specs: SimMarketSpec[], options: MatchingEngineOptions = {}): SimMatchingEngine {
  return new Engine(specs, options)
}

interface Market {
  spec: SimMarketSpec
  base: string
  quote: string
  tick: Dec
  step: Dec
  minAmount: Dec
  minNotional: Dec
  initialPrice: Dec
  rates: FeeRates
  priceDp: number
  amountDp: number
  book: OrderBook
  data: MarketData
}

interface Match {
  maker: OrderRecord
  amount: Dec
}

type StopReason = 'filled' | 'price' | 'empty' | 'self-trade'

interface Plan {
  matches: Match[]
  /** Own resting orders the incoming order reached (expire-maker): they expire, it matches past them. */
  selfMatched: OrderRecord[]
  filled: Dec
  cost: Dec
  stop: StopReason
  /** The own resting order matching stopped at (expire-taker). */
  stoppedAt?: OrderRecord
}

interface Listener {
  fn: (event: SimEvent) => void
}

function reject(reason: SimRejectReason, message: string): never {
  throw new SimRejection(reason, message)
}

class Engine implements SimMatchingEngine {
  private readonly clock: () => number
  private readonly stp: SelfTradePrevention
  private readonly limits: SimEngineLimits
  private readonly onListenerError: (err: unknown, eventType: string) => void
  private readonly onCommit: ((events: readonly SimEvent[]) => void) | undefined
  private readonly bySymbol = new Map<string, Market>()
  private readonly ledger = new Ledger()
  private readonly accounts = new Map<string, AccountRecord>()
  private listeners: Listener[] = []
  private nextOrderId = 1
  private nextTradeId = 1
  private nextPriority = 1
  /** Time of the call in progress: every event and record of one call carries it. */
  private opTime = 0
  private pending: SimEvent[] = []
  private queue: SimEvent[] = []
  private delivering = false

  constructor(specs: SimMarketSpec[], options: MatchingEngineOptions) {
    this.clock = options.now ?? Date.now
    this.stp = options.selfTradePrevention ?? 'expire-maker'
    this.limits = { ...DEFAULT_SIM_LIMITS, ...options.limits }
    const log = consoleLogger('sim-engine')
    this.onListenerError =
      options.onListenerError ?? ((err, type) => log.error(`a '${type}' event listener threw`, err))
    this.onCommit = options.onCommit
    for (const spec of specs) this.addMarket(spec)
    if (options.state) this.restore(options.state)
    if (options.journal && options.journal.length > 0) this.replay(options.journal)
  }

  // ── reference data ──────────────────────────────────────────────────────────────────────────────────

  now(): number {
    return this.clock()
  }

  markets(): SimMarketSpec[] {
    return [...this.bySymbol.values()].map((m) => ({ ...m.spec }))
  }

  market(symbol: string): SimMarketSpec {
    return { ...this.marketOf(symbol).spec }
  }

  selfTradePrevention(): SelfTradePrevention {
    return this.stp
  }

  // ── accounts ────────────────────────────────────────────────────────────────────────────────────────

  deposit(accountId: string, asset: string, amount: DecimalString): void {
    const value = parseDec(amount)
    if (!value || value.isNegative()) reject('invalid-amount', `deposit amount must be a decimal >= 0, got "${amount}"`)
    if (typeof asset !== 'string' || asset === '') reject('invalid-amount', 'deposit asset must be named')
    this.run(() => {
      this.ensureAccount(accountId)
      this.ledger.credit(accountId, asset, value)
    })
  }

  resetAccount(accountId: string, balances: Record<string, DecimalString>): void {
    const parsed = new Map<string, Dec>()
    for (const [asset, amount] of Object.entries(balances)) {
      const value = parseDec(amount)
      if (!value || value.isNegative()) reject('invalid-amount', `balance of ${asset} must be a decimal >= 0, got "${amount}"`)
      parsed.set(asset, value)
    }
    this.run(() => {
      const account = this.ensureAccount(accountId)
      for (const order of [...account.open.values()].sort((a, b) => a.priority - b.priority)) {
        this.cancelRecord(this.marketOf(order.symbol), order, 'canceled')
      }
      this.ledger.reset(accountId, parsed)
    })
  }

  hasAccount(accountId: string): boolean {
    return this.ledger.has(accountId)
  }

  balances(accountId: string): Balance[] {
    return this.ledger.balances(accountId)
  }

  feesCollected(): Record<string, DecimalString> {
    return this.ledger.feesCollected()
  }

  // ── orders ──────────────────────────────────────────────────────────────────────────────────────────

  placeOrder(input: SimOrderInput): { order: SimOrder; fills: Fill[] } {
    return this.run(() => this.place(input))
  }

  cancelOrder(accountId: string, symbol: string, ref: OrderRef): SimOrder {
    return this.run(() => {
      const account = this.accounts.get(accountId)
      if (!account) reject('unknown-account', `unknown account ${accountId}`)
      const m = this.marketOf(symbol)
      const open = this.findOpen(account, ref)
      if (!open || open.symbol !== symbol) {
        const done = this.findFinished(account, ref)
        if (done && done.symbol === symbol) reject('order-not-open', `order ${done.venueOrderId} is ${done.status}`)
        reject('unknown-order', `no order ${describeRef(ref)} on ${symbol}`)
      }
      return this.cancelRecord(m, open, 'canceled')
    })
  }

  getOrder(accountId: string, symbol: string, ref: OrderRef): SimOrder | undefined {
    const account = this.accounts.get(accountId)
    if (!account) return undefined
    const open = this.findOpen(account, ref)
    if (open && open.symbol === symbol) return this.view(open)
    const done = this.findFinished(account, ref)
    return done && done.symbol === symbol ? { ...done } : undefined
  }

  openOrders(accountId: string, symbol?: string): SimOrder[] {
    const account = this.accounts.get(accountId)
    if (!account) return []
    return [...account.open.values()]
      .filter((o) => symbol === undefined || o.symbol === symbol)
      .sort((a, b) => a.priority - b.priority)
      .map((o) => this.view(o))
  }

  fills(accountId: string, options: { symbol?: string; since?: number; limit?: number } = {}): Fill[] {
    const account = this.accounts.get(accountId)
    if (!account) return []
    const time = (f: Fill) => f.timestamp
    if (options.symbol === undefined) return account.fills.select(time, options.since, options.limit)
    const mine = account.fills.toArray().filter((f) => f.symbol === options.symbol)
    return selectByTime(mine, 0, time, options.since, options.limit)
  }

  // ── market data ─────────────────────────────────────────────────────────────────────────────────────

  book(symbol: string, depth?: number): BookSnapshot {
    return this.marketOf(symbol).book.snapshot(depth, this.clock())
  }

  trades(symbol: string, limit?: number): PublicTrade[] {
    return this.marketOf(symbol).data.trades.select((t) => t.timestamp, undefined, limit)
  }

  candles(symbol: string, timeframe: Timeframe, options: { since?: number; limit?: number } = {}): Candle[] {
    const m = this.marketOf(symbol)
    if (!(timeframe in TIMEFRAME_MS)) throw new Error(`unknown timeframe "${timeframe}"`)
    return m.data.series(timeframe).query(options.since, options.limit)
  }

  candleCapacity(timeframe: Timeframe): number {
    if (!(timeframe in TIMEFRAME_MS)) throw new Error(`unknown timeframe "${timeframe}"`)
    return candlesKept(timeframe, this.limits.candlesPerTimeframe)
  }

  backfillCandles(symbol: string, candles: Partial<Record<Timeframe, Candle[]>>): void {
    this.marketOf(symbol).data.backfill(candles)
  }

  ticker(symbol: string): Ticker {
    const m = this.marketOf(symbol)
    const bid = m.book.bids.best()
    const ask = m.book.asks.best()
    return m.data.ticker(
      this.clock(),
      bid ? fmt(bid.price, m.priceDp) : null,
      ask ? fmt(ask.price, m.priceDp) : null,
      m.initialPrice,
    )
  }

  on(listener: (event: SimEvent) => void): () => void {
    const entry: Listener = { fn: listener }
    this.listeners = [...this.listeners, entry]
    return () => {
      this.listeners = this.listeners.filter((l) => l !== entry)
    }
  }

  // ── persistence ─────────────────────────────────────────────────────────────────────────────────────

  snapshot(): SimEngineState {
    const accounts: SimAccountState[] = [...this.accounts.values()].map((a) => ({
      accountId: a.id,
      balances: this.ledger.exportHoldings(a.id),
      recentOrders: [...a.finished.values()].map((o) => ({ ...o })),
      fills: a.fills.toArray().map((f) => ({ ...f, fee: { ...f.fee } })),
    }))
    const markets: SimMarketState[] = [...this.bySymbol.values()].map((m) => {
      const orders: SimRestingOrderState[] = []
      for (const side of [m.book.bids, m.book.asks]) {
        for (const level of side.levels()) {
          for (const o of level.orders()) orders.push({ ...this.view(o), priority: o.priority })
        }
      }
      orders.sort((a, b) => a.priority - b.priority)
      const candles: SimMarketState['candles'] = {}
      for (const [tf, series] of m.data.candles) candles[tf] = series.export()
      return {
        symbol: m.spec.symbol,
        bookSeq: m.book.seq,
        orders,
        lastTrade: m.data.lastTrade ? { ...m.data.lastTrade } : null,
        trades: m.data.trades.toArray().map((t) => ({ ...t })),
        candles,
      }
    })
    return {
      version: SIM_ENGINE_STATE_VERSION,
      savedAt: this.clock(),
      counters: { nextOrderId: this.nextOrderId, nextTradeId: this.nextTradeId, nextPriority: this.nextPriority },
      feesCollected: this.ledger.feesCollected(),
      accounts,
      markets,
    }
  }

  // ── the matching itself ─────────────────────────────────────────────────────────────────────────────

  private place(input: SimOrderInput): { order: SimOrder; fills: Fill[] } {
    const accountId = input.accountId
    const account = this.accounts.get(accountId)
    if (!account) reject('unknown-account', `the simulated exchange has no account ${accountId} (nothing was ever deposited in it)`)
    const m = this.marketOf(input.symbol)
    const { side, type, timeInForce } = input
    if (side !== 'buy' && side !== 'sell') reject('invalid-order', `unknown side "${String(side)}"`)
    if (type !== 'limit' && type !== 'market') reject('invalid-order', `unknown order type "${String(type)}"`)
    if (timeInForce !== 'GTC' && timeInForce !== 'IOC' && timeInForce !== 'FOK') {
      reject('invalid-order', `unknown time in force "${String(timeInForce)}"`)
    }
    const clientOrderId = input.clientOrderId || `sim-${this.nextOrderId}`
    if (account.openByClientId.has(clientOrderId)) {
      reject('duplicate-client-order-id', `an open order already has client id ${clientOrderId}`)
    }

    const amount = parseDec(input.amount)
    if (!amount || !amount.isPositive() || amount.isZero() || !isMultipleOf(amount, m.step)) {
      reject('invalid-amount', `amount "${input.amount}" must be a positive multiple of ${m.spec.stepSize}`)
    }
    if (amount.lt(m.minAmount)) reject('below-min-amount', `amount ${input.amount} is below ${m.spec.minAmount}`)

    let price: Dec | null = null
    let tick = 0
    if (type === 'limit') {
      const p = parseDec(input.price)
      if (!p || !p.isPositive() || p.isZero() || !isMultipleOf(p, m.tick)) {
        reject('invalid-price', `price "${input.price ?? ''}" must be a positive multiple of ${m.spec.tickSize}`)
      }
      tick = p.div(m.tick).toNumber()
      if (!Number.isSafeInteger(tick)) reject('invalid-price', `price ${input.price ?? ''} is out of range`)
      price = p
    } else if (input.postOnly) {
      reject('post-only-would-take', 'a market order always takes liquidity')
    }

    const notional = amount.times(price ?? this.referencePrice(m, side))
    if (notional.lt(m.minNotional)) {
      reject('below-min-notional', `order value ${fmt(notional)} ${m.quote} is below ${m.spec.minNotional}`)
    }

    const payAsset = side === 'buy' ? m.quote : m.base
    const free = this.ledger.free(accountId, payAsset)
    if (price && side === 'buy') {
      const need = price.times(amount)
      if (free.lt(need)) reject('insufficient-funds', `needs ${fmt(need)} ${m.quote}, ${fmt(free)} free`)
    } else if (side === 'sell') {
      if (free.lt(amount)) reject('insufficient-funds', `needs ${fmt(amount)} ${m.base}, ${fmt(free)} free`)
    } else {
      if (!free.isPositive() || free.isZero()) reject('insufficient-funds', `no ${m.quote} free`)
    }

    const best = m.book.opposite(side).best()
    if (input.postOnly && price && best && crosses(side, price, best.price)) {
      reject('post-only-would-take', `post-only ${side} at ${input.price ?? ''} would take ${fmt(best.price)}`)
    }

    const plan = this.plan(m, accountId, side, price, amount)
    if (timeInForce === 'FOK' && plan.filled.lt(amount)) {
      reject('fok-unfillable', `only ${fmt(plan.filled)} of ${fmt(amount)} can fill now`)
    }
    // A market buy is sized in base: like a limit buy (and Binance), it is refused when the money does not
    // pay for all of it, rather than part-filled up to where the money runs out and shown expired.
    if (!price && side === 'buy' && plan.cost.gt(free)) {
      reject('insufficient-funds', `needs ${fmt(plan.cost)} ${m.quote} to buy ${fmt(plan.filled)} ${m.base} at the book now, ${fmt(free)} free`)
    }

    // ── commit: nothing below rejects ──
    const ts = this.opTime
    const reserve = price && side === 'buy' ? price.times(amount) : side === 'sell' ? amount : plan.cost
    const order: OrderRecord = {
      venueOrderId: String(this.nextOrderId++),
      clientOrderId,
      accountId,
      symbol: m.spec.symbol,
      side,
      type,
      price,
      tick,
      amount,
      filled: ZERO,
      cost: ZERO,
      status: 'open',
      timeInForce,
      postOnly: input.postOnly === true,
      createdAt: ts,
      updatedAt: ts,
      priority: this.nextPriority++,
      reserved: reserve,
      level: null,
      prev: null,
      next: null,
    }
    this.ledger.lock(accountId, payAsset, reserve)
    this.pending.push(this.orderEvent(order))

    for (const own of plan.selfMatched) {
      own.reason = `self-trade prevention: your ${side} #${order.venueOrderId}${price ? ` at ${fmt(price, m.priceDp)}` : ' at market'} would have traded with it`
      this.cancelRecord(m, own, 'expired')
    }
    const fills: Fill[] = []
    for (const match of plan.matches) fills.push(this.execute(m, order, match))

    if (remainingOf(order).isZero()) {
      this.finish(m, order, account, 'closed', false)
    } else if (plan.stop === 'self-trade') {
      const own = plan.stoppedAt as OrderRecord
      order.reason = `self-trade prevention: your own ${own.side} #${own.venueOrderId} at ${fmt(own.price as Dec, m.priceDp)} was next in line; the rest expired`
      this.finish(m, order, account, 'expired', true)
    } else if (price && timeInForce === 'GTC') {
      account.addOpen(order)
      m.book.add(order, price)
    } else {
      this.finish(m, order, account, 'expired', true)
    }
    return { order: this.view(order), fills }
  }

  /** Walks the opposite side in priority order without changing anything. */
  private plan(m: Market, accountId: string, side: Side, limit: Dec | null, amount: Dec): Plan {
    const matches: Match[] = []
    const selfMatched: OrderRecord[] = []
    let remaining = amount
    let cost = ZERO
    const done = (stop: StopReason, stoppedAt?: OrderRecord): Plan => ({
      matches,
      selfMatched,
      filled: amount.minus(remaining),
      cost,
      stop,
      ...(stoppedAt ? { stoppedAt } : {}),
    })
    for (const level of m.book.opposite(side).levels()) {
      if (limit && !crosses(side, limit, level.price)) return done('price')
      for (const maker of level.orders()) {
        if (maker.accountId === accountId && this.stp === 'expire-taker') return done('self-trade', maker)
        if (maker.accountId === accountId && this.stp === 'expire-maker') {
          selfMatched.push(maker)
          continue
        }
        const qty = Dec.min(remainingOf(maker), remaining)
        matches.push({ maker, amount: qty })
        remaining = remaining.minus(qty)
        cost = cost.plus(level.price.times(qty))
        if (remaining.isZero()) return done('filled')
      }
    }
    return done('empty')
  }

  /** One trade between the incoming order and a resting one, at the resting order's price. */
  private execute(m: Market, taker: OrderRecord, match: Match): Fill {
    const { maker, amount } = match
    const price = maker.price as Dec
    const value = price.times(amount)
    const ts = this.opTime
    const tradeId = String(this.nextTradeId++)

    m.book.reduce(maker, amount)
    const makerFill = this.settle(m, maker, amount, price, value, 'maker', tradeId)
    const makerAccount = this.accounts.get(maker.accountId) as AccountRecord
    if (remainingOf(maker).isZero()) {
      m.book.remove(maker)
      maker.status = 'closed'
      makerAccount.removeOpen(maker)
    }
    const takerFill = this.settle(m, taker, amount, price, value, 'taker', tradeId)
    if (remainingOf(taker).isZero()) taker.status = 'closed'

    const trade: PublicTrade = {
      id: tradeId,
      symbol: m.spec.symbol,
      price: fmt(price, m.priceDp),
      amount: fmt(amount, m.amountDp),
      side: taker.side,
      timestamp: ts,
    }
    m.data.record(trade, price, amount)
    this.pending.push(
      { type: 'trade', trade },
      { type: 'fill', accountId: maker.accountId, fill: makerFill },
      this.orderEvent(maker),
      { type: 'fill', accountId: taker.accountId, fill: takerFill },
      this.orderEvent(taker),
    )
    if (maker.status === 'closed') {
      this.releaseRest(m, maker)
      makerAccount.addFinished(this.view(maker))
    }
    return takerFill
  }

  /** Moves the money of one side of a trade and records its fill. */
  private settle(
    m: Market,
    order: OrderRecord,
    amount: Dec,
    price: Dec,
    value: Dec,
    liquidity: Liquidity,
    tradeId: string,
  ): Fill {
    const accountId = order.accountId
    let fee: Dec
    let feeAsset: string
    if (order.side === 'buy') {
      // Pays `value` quote out of its reservation; a limit buy reserved at its own price, so a better
      // price frees the difference. Receives base, pays the fee in base.
      const used = order.price ? order.price.times(amount) : value
      this.ledger.spendLocked(accountId, m.quote, value)
      this.ledger.unlock(accountId, m.quote, used.minus(value))
      order.reserved = order.reserved.minus(used)
      fee = tradeFee(amount, liquidity, m.rates)
      feeAsset = m.base
      this.ledger.credit(accountId, m.base, amount.minus(fee))
    } else {
      this.ledger.spendLocked(accountId, m.base, amount)
      order.reserved = order.reserved.minus(amount)
      fee = tradeFee(value, liquidity, m.rates)
      feeAsset = m.quote
      this.ledger.credit(accountId, m.quote, value.minus(fee))
    }
    this.ledger.collectFee(feeAsset, fee)
    order.filled = order.filled.plus(amount)
    order.cost = order.cost.plus(value)
    order.updatedAt = this.opTime
    const fill: Fill = {
      tradeId,
      venueOrderId: order.venueOrderId,
      clientOrderId: order.clientOrderId,
      symbol: m.spec.symbol,
      side: order.side,
      price: fmt(price, m.priceDp),
      amount: fmt(amount, m.amountDp),
      fee: { asset: feeAsset, amount: fmt(fee) },
      liquidity,
      timestamp: this.opTime,
    }
    this.accounts.get(accountId)?.fills.push(fill)
    return fill
  }

  /** An incoming order that will not rest: closed (all filled) or expired (remainder dropped). */
  private finish(m: Market, order: OrderRecord, account: AccountRecord, status: 'closed' | 'expired', announce: boolean) {
    order.status = status
    order.updatedAt = this.opTime
    this.releaseRest(m, order)
    if (announce) this.pending.push(this.orderEvent(order))
    account.addFinished(this.view(order))
  }

  private cancelRecord(m: Market, order: OrderRecord, status: 'canceled' | 'expired'): SimOrder {
    m.book.remove(order)
    this.accounts.get(order.accountId)?.removeOpen(order)
    order.status = status
    order.updatedAt = this.opTime
    this.releaseRest(m, order)
    const view = this.view(order)
    this.pending.push({ type: 'order', accountId: order.accountId, order: view })
    this.accounts.get(order.accountId)?.addFinished(view)
    return { ...view }
  }

  /** Returns whatever the order still has reserved to the account's free balance. */
  private releaseRest(m: Market, order: OrderRecord): void {
    if (order.reserved.isZero()) return
    this.ledger.unlock(order.accountId, order.side === 'buy' ? m.quote : m.base, order.reserved)
    order.reserved = ZERO
  }

  /** Price used to check a market order's minimum notional: best opposite, else last trade, else initial. */
  private referencePrice(m: Market, side: Side): Dec {
    return m.book.opposite(side).best()?.price ?? m.data.lastPrice ?? m.initialPrice
  }

  // ── calls, events ───────────────────────────────────────────────────────────────────────────────────

  /** Runs one call: on a rejection nothing was changed and nothing is emitted; otherwise events go out. */
  private run<T>(body: () => T): T {
    this.opTime = this.clock()
    let result: T
    try {
      result = body()
    } catch (err) {
      this.pending = []
      this.ledger.drainTouched()
      for (const m of this.bySymbol.values()) m.book.discardChanges()
      throw err
    }
    const events = this.pending
    this.pending = []
    for (const m of this.bySymbol.values()) {
      const bookEvent = m.book.flush(this.opTime)
      if (bookEvent) events.push(bookEvent)
    }
    for (const [accountId, assets] of this.ledger.drainTouched()) {
      events.push({
        type: 'balance',
        accountId,
        balances: this.ledger.balances(accountId, assets),
        timestamp: this.opTime,
      })
    }
    if (this.onCommit && events.length > 0) this.onCommit(events)
    this.deliver(events)
    return result
  }

  /**
   * Delivers in order to every listener. A listener that calls back into the engine gets that call's events
   * queued behind the ones being delivered, so every listener sees all events (and book update ids) in order.
   */
  private deliver(events: SimEvent[]): void {
    for (const e of events) this.queue.push(e)
    if (this.delivering) return
    this.delivering = true
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const event = this.queue[i] as SimEvent
        for (const listener of this.listeners) {
          try {
            listener.fn(event)
          } catch (err) {
            this.onListenerError(err, event.type)
          }
        }
      }
    } finally {
      this.queue = []
      this.delivering = false
    }
  }

  private orderEvent(order: OrderRecord): SimEvent {
    return { type: 'order', accountId: order.accountId, order: this.view(order) }
  }

  private view(o: OrderRecord): SimOrder {
    const m = this.marketOf(o.symbol)
    return {
      accountId: o.accountId,
      venueOrderId: o.venueOrderId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      price: o.price ? fmt(o.price, m.priceDp) : null,
      amount: fmt(o.amount, m.amountDp),
      filled: fmt(o.filled, m.amountDp),
      cost: fmt(o.cost),
      status: o.status,
      timeInForce: o.timeInForce,
      postOnly: o.postOnly,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
    }
  }

  // ── lookups ─────────────────────────────────────────────────────────────────────────────────────────

  private marketOf(symbol: string): Market {
    const m = this.bySymbol.get(symbol)
    if (!m) reject('unknown-market', `unknown market ${symbol}`)
    return m
  }

  private ensureAccount(accountId: string): AccountRecord {
    if (typeof accountId !== 'string' || accountId === '') reject('unknown-account', 'account id must be a non-empty string')
    let account = this.accounts.get(accountId)
    if (!account) {
      account = new AccountRecord(accountId, this.limits.finishedOrdersPerAccount, this.limits.fillsPerAccount)
      this.accounts.set(accountId, account)
    }
    this.ledger.ensure(accountId)
    return account
  }

  private findOpen(account: AccountRecord, ref: OrderRef): OrderRecord | undefined {
    return 'venueOrderId' in ref ? account.open.get(ref.venueOrderId) : account.openByClientId.get(ref.clientOrderId)
  }

  private findFinished(account: AccountRecord, ref: OrderRef): SimOrder | undefined {
    return 'venueOrderId' in ref ? account.finished.get(ref.venueOrderId) : account.finishedByClientId(ref.clientOrderId)
  }

  // ── construction ────────────────────────────────────────────────────────────────────────────────────

  private addMarket(spec: SimMarketSpec): void {
    const bad = (what: string): never => {
      throw new Error(`sim market ${spec.symbol}: ${what}`)
    }
    if (this.bySymbol.has(spec.symbol)) bad('listed twice')
    if (!spec.base || !spec.quote || spec.base === spec.quote) bad('base and quote must be two different assets')
    const positive = (name: keyof SimMarketSpec): Dec => {
      const d = parseDec(spec[name])
      if (!d || !d.isPositive() || d.isZero()) bad(`${name} must be a decimal > 0`)
      return d as Dec
    }
    const nonNegative = (name: keyof SimMarketSpec): Dec => {
      const d = parseDec(spec[name])
      if (!d || d.isNegative()) bad(`${name} must be a decimal >= 0`)
      return d as Dec
    }
    const tick = positive('tickSize')
    const step = positive('stepSize')
    const priceDp = tick.decimalPlaces()
    const amountDp = step.decimalPlaces()
    this.bySymbol.set(spec.symbol, {
      spec: { ...spec },
      base: spec.base,
      quote: spec.quote,
      tick,
      step,
      minAmount: nonNegative('minAmount'),
      minNotional: nonNegative('minNotional'),
      initialPrice: positive('initialPrice'),
      rates: { maker: nonNegative('makerFee'), taker: nonNegative('takerFee') },
      priceDp,
      amountDp,
      book: new OrderBook(spec.symbol, priceDp, amountDp),
      data: new MarketData(spec.symbol, priceDp, amountDp, {
        trades: this.limits.tradesPerMarket,
        candles: this.limits.candlesPerTimeframe,
      }),
    })
  }

  /**
   * Rebuilds balances, resting orders (re-queued in their saved priority order), fills, finished orders,
   * trades and candles. Throws if the state is inconsistent (locked balances that the resting orders do not
   * account for). Resting orders of markets no longer listed are dropped and their funds unlocked.
   */
  private restore(state: SimEngineState): void {
    if (state?.version !== SIM_ENGINE_STATE_VERSION) {
      throw new Error(`sim engine state: unsupported version ${String(state?.version)}`)
    }
    const num = (value: string, what: string): Dec => {
      const d = parseDec(value)
      if (!d) throw new Error(`sim engine state: ${what} is not a decimal ("${value}")`)
      return d
    }
    for (const [asset, amount] of Object.entries(state.feesCollected ?? {})) {
      this.ledger.restoreFee(asset, num(amount, `fees of ${asset}`))
    }
    let maxOrderId = 0
    let maxTradeId = 0
    let maxPriority = 0
    const seeId = (id: string, max: number) => {
      const n = Number(id)
      return Number.isSafeInteger(n) && n > max ? n : max
    }
    for (const a of state.accounts) {
      const account = this.ensureAccount(a.accountId)
      for (const [asset, h] of Object.entries(a.balances)) {
        this.ledger.restoreHolding(a.accountId, asset, num(h.free, `${a.accountId} ${asset} free`), num(h.locked, `${a.accountId} ${asset} locked`))
      }
      for (const o of a.recentOrders) {
        account.addFinished({ ...o })
        maxOrderId = seeId(o.venueOrderId, maxOrderId)
      }
      for (const f of a.fills) {
        account.fills.push({ ...f, fee: { ...f.fee } })
        maxTradeId = seeId(f.tradeId, maxTradeId)
      }
    }
    const resting: SimRestingOrderState[] = []
    for (const ms of state.markets) {
      resting.push(...ms.orders)
      const m = this.bySymbol.get(ms.symbol)
      if (!m) continue
      m.book.seq = ms.bookSeq
      m.data.restore(ms.trades, ms.lastTrade, ms.candles)
      for (const t of ms.trades) maxTradeId = seeId(t.id, maxTradeId)
      if (ms.lastTrade) maxTradeId = seeId(ms.lastTrade.id, maxTradeId)
    }
    resting.sort((a, b) => a.priority - b.priority)

    const expected = new Map<string, Dec>()
    const dropped: Array<{ accountId: string; asset: string; amount: Dec; view: SimOrder }> = []
    for (const o of resting) {
      const account = this.accounts.get(o.accountId)
      if (!account) throw new Error(`sim engine state: order ${o.venueOrderId} belongs to unknown account ${o.accountId}`)
      if (o.type !== 'limit' || o.price === null) throw new Error(`sim engine state: resting order ${o.venueOrderId} has no limit price`)
      const price = num(o.price, `order ${o.venueOrderId} price`)
      const amount = num(o.amount, `order ${o.venueOrderId} amount`)
      const filled = num(o.filled, `order ${o.venueOrderId} filled`)
      const remaining = amount.minus(filled)
      if (!remaining.isPositive() || remaining.isZero()) throw new Error(`sim engine state: resting order ${o.venueOrderId} has nothing left`)
      const [base = '', quote = ''] = o.symbol.split('/')
      const m = this.bySymbol.get(o.symbol)
      const asset = o.side === 'buy' ? (m?.quote ?? quote) : (m?.base ?? base)
      const reserved = o.side === 'buy' ? price.times(remaining) : remaining
      const key = `${o.accountId}\u0000${asset}`
      expected.set(key, (expected.get(key) ?? ZERO).plus(reserved))
      maxOrderId = seeId(o.venueOrderId, maxOrderId)
      maxPriority = Math.max(maxPriority, o.priority)
      if (!m) {
        const { priority: _priority, ...view } = o
        dropped.push({ accountId: o.accountId, asset, amount: reserved, view: { ...view, status: 'canceled' } })
        continue
      }
      if (!isMultipleOf(price, m.tick)) throw new Error(`sim engine state: order ${o.venueOrderId} price is off the tick`)
      const record = restingRecord(o, m.tick, { price, amount, filled, cost: num(o.cost, `order ${o.venueOrderId} cost`), reserved, priority: o.priority })
      account.addOpen(record)
      m.book.add(record, price)
    }
    this.checkReservations(expected)
    for (const d of dropped) {
      this.ledger.unlock(d.accountId, d.asset, d.amount)
      this.accounts.get(d.accountId)?.addFinished(d.view)
    }
    for (const m of this.bySymbol.values()) m.book.discardChanges()
    this.ledger.drainTouched()

    const c = state.counters
    this.nextOrderId = Math.max(c.nextOrderId, maxOrderId + 1)
    this.nextTradeId = Math.max(c.nextTradeId, maxTradeId + 1)
    this.nextPriority = Math.max(c.nextPriority, maxPriority + 1)
  }

  /** Throws unless every account's locked balances are exactly what its resting orders reserve. */
  private checkReservations(expected: Map<string, Dec>): void {
    for (const accountId of this.ledger.accountIds()) {
      for (const b of this.ledger.balances(accountId)) {
        const want = expected.get(`${accountId}\u0000${b.asset}`) ?? ZERO
        expected.delete(`${accountId}\u0000${b.asset}`)
        if (!new Dec(b.used).eq(want)) {
          throw new Error(`sim engine state: ${accountId} has ${b.used} ${b.asset} locked but its orders reserve ${fmt(want)}`)
        }
      }
    }
    for (const [key, amount] of expected) {
      if (!amount.isZero()) throw new Error(`sim engine state: orders reserve ${fmt(amount)} not locked (${key.replace('\u0000', ' ')})`)
    }
  }

  /**
   * Applies journaled account events on top of the restored state, in order: balances are absolute (the
   * engine reports them so), an order event puts the order where it says (resting with its fills, or
   * finished), a fill is appended. A journal row holds whole calls, so what it leaves is consistent: checked
   * as a restore is. Other accounts' sides of those trades stay as the snapshot had them (the market moves
   * on from there).
   */
  private replay(events: SimEvent[]): void {
    const num = (value: string, what: string): Dec => {
      const d = parseDec(value)
      if (!d) throw new Error(`sim journal: ${what} is not a decimal ("${value}")`)
      return d
    }
    let maxOrderId = 0
    let maxTradeId = 0
    const seeId = (id: string, max: number) => {
      const n = Number(id)
      return Number.isSafeInteger(n) && n > max ? n : max
    }
    for (const e of events) {
      if (e.type === 'balance') {
        this.ensureAccount(e.accountId)
        for (const b of e.balances) this.ledger.restoreHolding(e.accountId, b.asset, num(b.free, `${b.asset} free`), num(b.used, `${b.asset} locked`))
      } else if (e.type === 'fill') {
        this.ensureAccount(e.accountId).fills.push({ ...e.fill, fee: { ...e.fill.fee } })
        maxTradeId = seeId(e.fill.tradeId, maxTradeId)
      } else if (e.type === 'order') {
        this.replayOrder(e.order, num)
        maxOrderId = seeId(e.order.venueOrderId, maxOrderId)
      }
    }
    this.uncross(new Set(events.flatMap((e) => ('accountId' in e ? [e.accountId] : []))))
    const expected = new Map<string, Dec>()
    for (const account of this.accounts.values()) {
      for (const o of account.open.values()) {
        const m = this.marketOf(o.symbol)
        const key = `${o.accountId}\u0000${o.side === 'buy' ? m.quote : m.base}`
        expected.set(key, (expected.get(key) ?? ZERO).plus(o.reserved))
      }
    }
    this.checkReservations(expected)
    for (const m of this.bySymbol.values()) m.book.discardChanges()
    this.ledger.drainTouched()
    this.nextOrderId = Math.max(this.nextOrderId, maxOrderId + 1)
    this.nextTradeId = Math.max(this.nextTradeId, maxTradeId + 1)
  }

  /**
   * The journaled accounts' resting orders went back into a book saved up to a save interval earlier: the
   * market had moved on, and orders of other accounts from that save may cross them (a buy of ours above
   * an old ask). Those old orders are canceled (their reservations freed), so the book comes back
   * uncrossed and ours are not filled by quotes that were gone when they were placed.
   */
  private uncross(journaled: Set<string>): void {
    this.opTime = this.clock()
    for (const accountId of journaled) {
      const account = this.accounts.get(accountId)
      if (!account) continue
      for (const ours of [...account.open.values()]) {
        const m = this.bySymbol.get(ours.symbol)
        const price = ours.price
        if (!m || price === null) continue
        const stale: OrderRecord[] = []
        for (const level of m.book.opposite(ours.side).levels()) {
          if (!crosses(ours.side, price, level.price)) break
          for (const o of level.orders()) if (!journaled.has(o.accountId)) stale.push(o)
        }
        for (const o of stale) this.cancelRecord(m, o, 'canceled')
      }
    }
    // Nothing is announced: the engine is being built, and the traders re-make their orders from it.
    this.pending = []
  }

  private replayOrder(v: SimOrder, num: (value: string, what: string) => Dec): void {
    const account = this.ensureAccount(v.accountId)
    const m = this.bySymbol.get(v.symbol)
    const existing = account.open.get(v.venueOrderId)
    if (v.status !== 'open' || !m || v.price === null) {
      if (existing && m) {
        m.book.remove(existing)
        account.removeOpen(existing)
      }
      if (v.status !== 'open') account.addFinished({ ...v })
      return
    }
    const price = num(v.price, `order ${v.venueOrderId} price`)
    const amount = num(v.amount, `order ${v.venueOrderId} amount`)
    const filled = num(v.filled, `order ${v.venueOrderId} filled`)
    const remaining = amount.minus(filled)
    const reserved = v.side === 'buy' ? price.times(remaining) : remaining
    if (existing) {
      const traded = filled.minus(existing.filled)
      if (traded.isPositive() && !traded.isZero()) m.book.reduce(existing, traded)
      existing.filled = filled
      existing.cost = num(v.cost, `order ${v.venueOrderId} cost`)
      existing.updatedAt = v.updatedAt
      existing.reserved = reserved
      return
    }
    // Placed after the snapshot: behind every order it holds.
    const record = restingRecord(v, m.tick, { price, amount, filled, cost: num(v.cost, `order ${v.venueOrderId} cost`), reserved, priority: this.nextPriority++ })
    account.addOpen(record)
    m.book.add(record, price)
  }
}

/** A resting limit order rebuilt from its saved view (a snapshot's, or a journal's), not yet in the book. */
function restingRecord(
  v: Pick<OrderRecord, 'venueOrderId' | 'clientOrderId' | 'accountId' | 'symbol' | 'side' | 'timeInForce' | 'postOnly' | 'createdAt' | 'updatedAt'>,
  tick: Dec,
  at: { price: Dec; amount: Dec; filled: Dec; cost: Dec; reserved: Dec; priority: number },
): OrderRecord {
  return {
    venueOrderId: v.venueOrderId,
    clientOrderId: v.clientOrderId,
    accountId: v.accountId,
    symbol: v.symbol,
    side: v.side,
    type: 'limit',
    price: at.price,
    tick: at.price.div(tick).toNumber(),
    amount: at.amount,
    filled: at.filled,
    cost: at.cost,
    status: 'open',
    timeInForce: v.timeInForce,
    postOnly: v.postOnly,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    priority: at.priority,
    reserved: at.reserved,
    level: null,
    prev: null,
    next: null,
  }
}

function crosses(side: Side, limit: Dec, opposite: Dec): boolean {
  return side === 'buy' ? opposite.lte(limit) : opposite.gte(limit)
}

function describeRef(ref: OrderRef): string {
  return 'venueOrderId' in ref ? `#${ref.venueOrderId}` : `with client id ${ref.clientOrderId}`
}
