import type { Fill, Side, TimeInForce } from '../../port'
import { SimRejection, type MatchingEngine, type SimEvent, type SimOrder } from '../engine-api'
import type { MarketGrid } from './quant'

// One account on the matching engine, as an agent (market maker, taker, simulated trader) sees it: it places
// and cancels through the public order API, never throws (a refusal is counted and answered with null), and
// keeps a local view of its open orders and balances from the engine's events.

export interface TrackedOrder {
  venueOrderId: string
  symbol: string
  side: Side
  /** Limit price in ticks (0 for market orders, which never rest). */
  priceUnits: number
  price: number
  amount: number
  filled: number
  remaining: number
  createdAt: number
}

export interface AgentCounters {
  placed: number
  canceled: number
  rejected: number
  fills: number
  errors: number
  rejectReasons: Record<string, number>
  lastError: string | null
}

interface Holding {
  free: number
  total: number
}

export interface PlaceOptions {
  postOnly?: boolean
  timeInForce?: TimeInForce
}

export class AgentAccount {
  readonly orders = new Map<string, TrackedOrder>()
  private readonly holdings = new Map<string, Holding>()
  private nextClientId = 1
  readonly counters: AgentCounters = {
    placed: 0,
    canceled: 0,
    rejected: 0,
    fills: 0,
    errors: 0,
    rejectReasons: {},
    lastError: null,
  }
  /** Called for each of this account's fills (maker or taker), after local state is updated. */
  onFill: ((fill: Fill) => void) | null = null
  /** Called when one of this account's orders leaves the book (filled, canceled, expired). */
  onOrderDone: ((order: SimOrder) => void) | null = null

  constructor(
    readonly id: string,
    private readonly engine: MatchingEngine,
    private readonly clientPrefix: string,
    private readonly grids: ReadonlyMap<string, MarketGrid>,
  ) {}

  /** Reads balances from the engine (after funding). */
  syncBalances(): void {
    for (const b of this.engine.balances(this.id)) this.holdings.set(b.asset, { free: Number(b.free), total: Number(b.total) })
  }

  free(asset: string): number {
    return this.holdings.get(asset)?.free ?? 0
  }

  total(asset: string): number {
    return this.holdings.get(asset)?.total ?? 0
  }

  /** Routed here by the runtime for events whose accountId is this account's. */
  handle(event: SimEvent): void {
    switch (event.type) {
      case 'order':
        this.trackOrder(event.order)
        break
      case 'fill':
        this.counters.fills++
        this.onFill?.(event.fill)
        break
      case 'balance':
        for (const b of event.balances) this.holdings.set(b.asset, { free: Number(b.free), total: Number(b.total) })
        break
      default:
        break
    }
  }

  /** A GTC/IOC/FOK limit order at `priceUnits` ticks for `amountUnits` steps. Null when refused. */
  limit(
    grid: MarketGrid,
    side: Side,
    priceUnits: number,
    amountUnits: number,
    options: PlaceOptions = {},
  ): { order: SimOrder; fills: Fill[] } | null {
    if (priceUnits <= 0 || amountUnits <= 0) return null
    return this.place({
      symbol: grid.symbol,
      side,
      type: 'limit',
      amount: grid.amount.format(amountUnits),
      price: grid.price.format(priceUnits),
      timeInForce: options.timeInForce ?? 'GTC',
      postOnly: options.postOnly ?? false,
    })
  }

  /** A market order for `amountUnits` steps of the base asset. Null when refused. */
  market(grid: MarketGrid, side: Side, amountUnits: number): { order: SimOrder; fills: Fill[] } | null {
    if (amountUnits <= 0) return null
    return this.place({
      symbol: grid.symbol,
      side,
      type: 'market',
      amount: grid.amount.format(amountUnits),
      timeInForce: 'IOC',
      postOnly: false,
    })
  }

  cancel(symbol: string, venueOrderId: string): boolean {
    try {
      const order = this.engine.cancelOrder(this.id, symbol, { venueOrderId })
      this.trackOrder(order)
      this.counters.canceled++
      return true
    } catch (error) {
      this.refused(error)
      // Whatever happened, it is no longer ours to manage.
      this.orders.delete(venueOrderId)
      return false
    }
  }

  cancelAll(symbol?: string): number {
    let n = 0
    for (const order of [...this.orders.values()]) {
      if (symbol !== undefined && order.symbol !== symbol) continue
      if (this.cancel(order.symbol, order.venueOrderId)) n++
    }
    return n
  }

  openOrders(symbol?: string, side?: Side): TrackedOrder[] {
    const out: TrackedOrder[] = []
    for (const o of this.orders.values()) {
      if ((symbol === undefined || o.symbol === symbol) && (side === undefined || o.side === side)) out.push(o)
    }
    return out
  }

  private place(input: {
    symbol: string
    side: Side
    type: 'limit' | 'market'
    amount: string
    price?: string
    timeInForce: TimeInForce
    postOnly: boolean
  }): { order: SimOrder; fills: Fill[] } | null {
    const clientOrderId = `${this.clientPrefix}-${this.nextClientId++}`
    try {
      const result = this.engine.placeOrder({ accountId: this.id, clientOrderId, ...input })
      this.trackOrder(result.order)
      this.counters.placed++
      return result
    } catch (error) {
      this.refused(error)
      return null
    }
  }

  private refused(error: unknown): void {
    if (error instanceof SimRejection) {
      this.counters.rejected++
      this.counters.rejectReasons[error.reason] = (this.counters.rejectReasons[error.reason] ?? 0) + 1
    } else {
      this.counters.errors++
      this.counters.lastError = error instanceof Error ? error.message : String(error)
    }
  }

  private trackOrder(order: SimOrder): void {
    if (order.status === 'open') {
      const amount = Number(order.amount)
      const filled = Number(order.filled)
      const existing = this.orders.get(order.venueOrderId)
      if (existing) {
        existing.filled = filled
        existing.remaining = amount - filled
        return
      }
      const price = order.price === null ? 0 : Number(order.price)
      const grid = this.grids.get(order.symbol)
      this.orders.set(order.venueOrderId, {
        venueOrderId: order.venueOrderId,
        symbol: order.symbol,
        side: order.side,
        priceUnits: grid && order.price !== null ? grid.price.unitsOf(order.price) : 0,
        price,
        amount,
        filled,
        remaining: amount - filled,
        createdAt: order.createdAt,
      })
      return
    }
    if (this.orders.delete(order.venueOrderId)) this.onOrderDone?.(order)
  }
}
