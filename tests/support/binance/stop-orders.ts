import { randomBytes } from 'node:crypto'
import Decimal from 'decimal.js'
import type { Side, TimeInForce } from '../../../src-main/venues/port'
import { SimRejection, type OrderRef, type SimEvent, type SimMarketSpec, type SimOrder } from '../../../src-main/venues/sim/engine-api'
import type { ServerContext } from './context'
import { fmt, marketId, newOrderJson, orderJson, type NewOrderRespType } from './format'
import { BinanceApiError, decimalParam, err, optional, required, type ApiRequest } from './http'

// Binance spot's stop orders: STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT and TAKE_PROFIT_LIMIT with a
// `stopPrice`. The server holds them itself, untriggered (status NEW, not on the engine's book, workingTime
// -1, isWorking false), until a public trade reaches the stop price, as Binance does on the last price:
//   STOP_LOSS(_LIMIT)    sell: trade ≤ stopPrice   buy: trade ≥ stopPrice
//   TAKE_PROFIT(_LIMIT)  sell: trade ≥ stopPrice   buy: trade ≤ stopPrice
// Then the order goes into the matching engine (MARKET, or LIMIT at its price with its time in force) with
// the same client id, and keeps its Binance order id (the engine's id is aliased to it), its type, its
// stopPrice and its creation time; workingTime becomes the trigger time. A stop already crossed when it is
// placed is refused as Binance does (-2010 "Order would trigger immediately.").
//
// Not modelled: Binance locks the funds of an untriggered stop; here they are checked when it is placed
// but only reserved once it triggers (a triggered stop the account can no longer pay for ends EXPIRED).

export const STOP_TYPES = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'] as const
export type StopType = (typeof STOP_TYPES)[number]

export function isStopType(type: string): type is StopType {
  return (STOP_TYPES as readonly string[]).includes(type)
}

interface StopEntry {
  /** The held order's key in the order id map ("binance-stop-…"); its Binance orderId. */
  key: string
  orderId: number
  accountId: string
  type: StopType
  stopPrice: string
  /** The order as held (status open until it triggers; canceled / expired if it ended untriggered). */
  held: SimOrder
  /** The engine's order id once triggered. */
  engineId: string | null
  /** When it triggered (ms), or null. */
  workingTime: number | null
}

/** What a stop adds to an order's JSON. */
export interface StopInfo {
  type: StopType
  stopPrice: string
  createdAt: number
  /** -1 while untriggered. */
  workingTime: number
  working: boolean
}

export interface StopPlacement {
  accountId: string
  spec: SimMarketSpec
  side: Side
  type: StopType
  clientOrderId: string
  respType: NewOrderRespType | undefined
  test: boolean
  /** Runs the checks every order goes through (fault injection, trading permission) before it is taken. */
  admit: () => void
}

export class StopOrders {
  private readonly byKey = new Map<string, StopEntry>()
  private readonly byEngineId = new Map<string, StopEntry>()
  private queued = false
  private readonly due: StopEntry[] = []

  constructor(private readonly ctx: ServerContext) {}

  // ---- POST /api/v3/order ---------------------------------------------------------------------------------

  /** Validates and holds a stop order; the reply in the requested shape (Binance's default for stops: ACK). */
  place(req: ApiRequest, p: StopPlacement) {
    const { spec, side, type } = p
    const limit = type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT'
    let timeInForce: TimeInForce = 'GTC'
    let price: string | undefined
    if (limit) {
      const tif = required(req, 'timeInForce')
      if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') throw err.badRequest(-1115, 'Invalid timeInForce.')
      timeInForce = tif
      price = decimalParam(req, 'price', true)
    } else {
      if (optional(req, 'timeInForce') !== undefined) throw notRequired('timeInForce')
      if (optional(req, 'price') !== undefined) throw notRequired('price')
    }
    for (const name of ['quoteOrderQty', 'trailingDelta', 'icebergQty', 'pegPriceType', 'pegOffsetValue', 'pegOffsetType']) {
      if (optional(req, name) !== undefined) throw notRequired(name)
    }
    const quantity = decimalParam(req, 'quantity', true) as string
    const stopPrice = decimalParam(req, 'stopPrice', true) as string
    checkFilters(spec, quantity, price, stopPrice)
    p.admit()
    if (p.test) return {}

    const last = this.ctx.engine.ticker(spec.symbol).last
    if (new Decimal(last).gt(0) && crosses(type, side, stopPrice, last)) throw err.badRequest(-2010, 'Order would trigger immediately.')
    if (this.isDuplicate(p.accountId, spec.symbol, p.clientOrderId)) throw err.badRequest(-2010, 'Duplicate order sent.')
    this.checkFunds(p.accountId, spec, side, quantity, price ?? stopPrice)

    const now = this.ctx.now()
    const key = `binance-stop-${randomBytes(6).toString('hex')}`
    const held: SimOrder = {
      accountId: p.accountId,
      venueOrderId: key,
      clientOrderId: p.clientOrderId,
      symbol: spec.symbol,
      side,
      type: limit ? 'limit' : 'market',
      price: price ?? null,
      amount: quantity,
      filled: '0',
      cost: '0',
      status: 'open',
      timeInForce,
      postOnly: false,
      createdAt: now,
      updatedAt: now,
    }
    const entry: StopEntry = { key, orderId: this.ctx.orderIds.id(key), accountId: p.accountId, type, stopPrice, held, engineId: null, workingTime: null }
    this.byKey.set(key, entry)
    this.ctx.emitSynthetic(p.accountId, { ...held })
    const body = newOrderJson(held, marketId(spec), entry.orderId, [], () => 0, p.respType ?? 'ACK', now)
    if (!('status' in body)) return body
    return { ...body, type, stopPrice: fmt(stopPrice), workingTime: -1 }
  }

  // ---- lookups for the other endpoints ----------------------------------------------------------------------

  /** Stop details of an order (held, or in the engine after it triggered), by its venueOrderId. */
  info(venueOrderId: string): StopInfo | undefined {
    const e = this.byKey.get(venueOrderId) ?? this.byEngineId.get(venueOrderId)
    if (e === undefined) return undefined
    return { type: e.type, stopPrice: e.stopPrice, createdAt: e.held.createdAt, workingTime: e.workingTime ?? -1, working: e.workingTime !== null }
  }

  /** orderJson for any order, with a stop's type, stopPrice, time and working state where it is one. */
  orderJson(order: SimOrder, symbolId: string, orderId: number) {
    const base = orderJson(order, symbolId, orderId)
    const s = this.info(order.venueOrderId)
    if (s === undefined) return base
    return { ...base, type: s.type, stopPrice: fmt(s.stopPrice), time: s.createdAt, isWorking: s.working, workingTime: s.workingTime }
  }

  /** An executionReport with a stop's fields (o, P, O, w, W) where the order is one. */
  report(order: SimOrder, report: Record<string, unknown>): Record<string, unknown> {
    const s = this.info(order.venueOrderId)
    if (s === undefined) return report
    return { ...report, o: s.type, P: fmt(s.stopPrice), O: s.createdAt, W: s.workingTime, ...(s.working ? {} : { w: false }) }
  }

  /**
   * The order a reference names when it is a stop that has not gone into the engine (held, or ended
   * untriggered); a triggered stop's held id is turned into the engine's (`engineRef`).
   */
  find(accountId: string, symbol: string, ref: OrderRef): SimOrder | undefined {
    const e = this.entryOf(accountId, symbol, ref)
    if (e === undefined) return undefined
    if (e.engineId === null) return { ...e.held }
    return this.ctx.engine.getOrder(accountId, symbol, { venueOrderId: e.engineId })
  }

  /** The engine's reference for a triggered stop named by its held id; other references unchanged. */
  engineRef(ref: OrderRef): OrderRef {
    if (!('venueOrderId' in ref)) return ref
    const e = this.byKey.get(ref.venueOrderId)
    return e?.engineId ? { venueOrderId: e.engineId } : ref
  }

  /** Untriggered open stops of the account (optionally one market). */
  open(accountId: string, symbol?: string): SimOrder[] {
    return [...this.byKey.values()]
      .filter((e) => e.accountId === accountId && e.engineId === null && e.held.status === 'open' && (symbol === undefined || e.held.symbol === symbol))
      .map((e) => ({ ...e.held }))
  }

  /** Cancels an untriggered stop; undefined when the reference is not one (the engine's cancel applies). */
  cancel(accountId: string, symbol: string, ref: OrderRef, unknown: () => BinanceApiError): SimOrder | undefined {
    const e = this.entryOf(accountId, symbol, ref)
    if (e === undefined || e.engineId !== null) return undefined
    if (e.held.status !== 'open') throw unknown()
    e.held = { ...e.held, status: 'canceled', updatedAt: this.ctx.now() }
    this.ctx.emitSynthetic(accountId, { ...e.held })
    return { ...e.held }
  }

  // ---- triggering ------------------------------------------------------------------------------------------

  /** Engine events: a public trade may trigger held stops of its market (sent to the engine right after). */
  onEngineEvent(event: SimEvent): void {
    if (event.type !== 'trade') return
    const { symbol, price } = event.trade
    for (const e of this.byKey.values()) {
      if (e.engineId !== null || e.held.status !== 'open' || e.held.symbol !== symbol || this.due.includes(e)) continue
      if (crosses(e.type, e.held.side, e.stopPrice, price)) this.due.push(e)
    }
    if (this.due.length > 0 && !this.queued) {
      this.queued = true
      // Not inside the engine call that made the trade: it has to finish first.
      queueMicrotask(() => this.triggerDue())
    }
  }

  private triggerDue(): void {
    this.queued = false
    for (const e of this.due.splice(0)) this.trigger(e)
  }

  private trigger(e: StopEntry): void {
    if (e.engineId !== null || e.held.status !== 'open') return
    const now = this.ctx.now()
    const h = e.held
    e.workingTime = now
    try {
      const { order } = this.ctx.engine.placeOrder({
        accountId: e.accountId,
        clientOrderId: h.clientOrderId,
        symbol: h.symbol,
        side: h.side,
        type: h.type,
        amount: h.amount,
        ...(h.price !== null ? { price: h.price } : {}),
        timeInForce: h.type === 'market' ? 'IOC' : h.timeInForce,
        postOnly: false,
      })
      e.engineId = order.venueOrderId
      this.byEngineId.set(order.venueOrderId, e)
      this.ctx.orderIds.alias(order.venueOrderId, e.orderId)
    } catch (error) {
      if (!(error instanceof SimRejection)) throw error
      e.workingTime = null
      e.held = { ...h, status: 'expired', updatedAt: now }
      this.ctx.emitSynthetic(e.accountId, { ...e.held })
    }
  }

  // ---- internals -------------------------------------------------------------------------------------------

  private entryOf(accountId: string, symbol: string, ref: OrderRef): StopEntry | undefined {
    if ('venueOrderId' in ref) {
      const e = this.byKey.get(ref.venueOrderId)
      return e !== undefined && e.accountId === accountId && e.held.symbol === symbol ? e : undefined
    }
    // By client id: the newest stop of that id that is not in the engine (a triggered one the engine finds).
    let found: StopEntry | undefined
    for (const e of this.byKey.values()) {
      if (e.accountId === accountId && e.held.symbol === symbol && e.held.clientOrderId === ref.clientOrderId && e.engineId === null) found = e
    }
    return found
  }

  private isDuplicate(accountId: string, symbol: string, clientOrderId: string): boolean {
    if (this.open(accountId).some((o) => o.clientOrderId === clientOrderId)) return true
    if (!this.ctx.engine.hasAccount(accountId)) return false
    const live = this.ctx.engine.getOrder(accountId, symbol, { clientOrderId })
    return live !== undefined && live.status === 'open'
  }

  private checkFunds(accountId: string, spec: SimMarketSpec, side: Side, quantity: string, price: string): void {
    const asset = side === 'sell' ? spec.base : spec.quote
    const need = side === 'sell' ? new Decimal(quantity) : new Decimal(quantity).times(price)
    const free = this.ctx.engine.hasAccount(accountId) ? this.ctx.engine.balances(accountId).find((b) => b.asset === asset)?.free ?? '0' : '0'
    if (new Decimal(free).lt(need)) throw err.badRequest(-2010, 'Account has insufficient balance for requested action.')
  }
}

/** Whether a price at `price` triggers the stop (Binance: on the last trade price). */
export function crosses(type: StopType, side: Side, stopPrice: string, price: string): boolean {
  const p = new Decimal(price)
  const stop = new Decimal(stopPrice)
  const stopLoss = type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT'
  const falling = (stopLoss && side === 'sell') || (!stopLoss && side === 'buy')
  return falling ? p.lte(stop) : p.gte(stop)
}

function checkFilters(spec: SimMarketSpec, quantity: string, price: string | undefined, stopPrice: string): void {
  const q = new Decimal(quantity)
  if (q.lte(0) || !q.mod(spec.stepSize).isZero() || q.lt(spec.minAmount)) throw err.badRequest(-1013, 'Filter failure: LOT_SIZE')
  for (const p of [price, stopPrice]) {
    if (p === undefined) continue
    const d = new Decimal(p)
    if (d.lte(0) || !d.mod(spec.tickSize).isZero()) throw err.badRequest(-1013, 'Filter failure: PRICE_FILTER')
  }
  if (q.times(price ?? stopPrice).lt(spec.minNotional)) throw err.badRequest(-1013, 'Filter failure: NOTIONAL')
}

function notRequired(name: string): BinanceApiError {
  return err.badRequest(-1106, `Parameter '${name}' sent when not required.`)
}
