import type { Fill, OrderType, Side, TimeInForce, VenueOrderStatus } from '../../port'
import type { SimOrder } from '../engine-api'
import type { Dec } from './decimal'
import type { Level } from './book-side'
import { Bounded } from './history'

/** The engine's live record of one order. Open orders sit in exactly one price level's FIFO queue. */
export interface OrderRecord {
  venueOrderId: string
  clientOrderId: string
  accountId: string
  symbol: string
  side: Side
  type: OrderType
  /** Limit price; null for market orders. */
  price: Dec | null
  /** Integer tick index of `price` (0 for market orders). */
  tick: number
  amount: Dec
  filled: Dec
  /** Quote exchanged so far, fees excluded. */
  cost: Dec
  status: VenueOrderStatus
  timeInForce: TimeInForce
  postOnly: boolean
  createdAt: number
  updatedAt: number
  /** Arrival number: time priority among resting orders (lower = earlier). Survives snapshot/restore. */
  priority: number
  /** Funds still locked for this order: quote for buys, base for sells. */
  reserved: Dec
  /** Why the engine ended it on its own (self-trade prevention). */
  reason?: string
  // Position in the book while resting.
  level: Level | null
  prev: OrderRecord | null
  next: OrderRecord | null
}

export function remainingOf(order: OrderRecord): Dec {
  return order.amount.minus(order.filled)
}

/** One account's orders and fills (its balances live in the Ledger). */
export class AccountRecord {
  readonly open = new Map<string, OrderRecord>()
  readonly openByClientId = new Map<string, OrderRecord>()
  /** Finished orders (closed, canceled, expired), most recent last, bounded. */
  readonly finished = new Map<string, SimOrder>()
  readonly fills: Bounded<Fill>

  constructor(
    readonly id: string,
    private readonly finishedLimit: number,
    fillsLimit: number,
  ) {
    this.fills = new Bounded<Fill>(fillsLimit)
  }

  addOpen(order: OrderRecord): void {
    this.open.set(order.venueOrderId, order)
    this.openByClientId.set(order.clientOrderId, order)
  }

  removeOpen(order: OrderRecord): void {
    this.open.delete(order.venueOrderId)
    if (this.openByClientId.get(order.clientOrderId) === order) this.openByClientId.delete(order.clientOrderId)
  }

  addFinished(view: SimOrder): void {
    this.finished.delete(view.venueOrderId)
    this.finished.set(view.venueOrderId, view)
    while (this.finished.size > this.finishedLimit) {
      const oldest = this.finished.keys().next()
      if (oldest.done) break
      this.finished.delete(oldest.value)
    }
  }

  /** The most recent finished order with this client id. */
  finishedByClientId(clientOrderId: string): SimOrder | undefined {
    let found: SimOrder | undefined
    for (const view of this.finished.values()) if (view.clientOrderId === clientOrderId) found = view
    return found
  }
}
