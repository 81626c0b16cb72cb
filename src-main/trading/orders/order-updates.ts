import Decimal from 'decimal.js'
import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import type { Fill, VenueOrder } from '../../venues/port'
import type { FillRecord, OrderRecord, OrderStatus } from '../model'
import { isTerminal, transition, type OrderEvent } from './status-table'
import type { OrderPatch, OrderStore } from './store'

// Every change to an order row goes through here: one event at a time through the status table, a bus
// event for each change. Venue reports (REST replies, WebSocket updates, reconciliation) and fills are
// merged so that the order only ever moves forward: a report older than what the row already knows
// (fewer fills, or an earlier stage) is a late arrival and is dropped; a report that is newer but does not
// fit the table is refused, logged and put on the order's `error`.

/** The stage of an order the venue is done with. */
const FINAL = 5

/** How far along an order is, for telling late reports from new ones. */
const STAGE: Record<OrderStatus, number> = {
  lost: -1, // anything the venue says about a lost order is news
  pending: 0,
  submitting: 1,
  open: 2,
  'partially-filled': 3,
  canceling: 4,
  filled: 5,
  canceled: 5,
  rejected: 5,
  expired: 5,
  'left-on-exchange': 5,
}

/** Orders the venue has not acknowledged (or no longer knew): their row's words are about that. */
const UNSURE: ReadonlySet<OrderStatus> = new Set(['pending', 'submitting', 'lost'])

/** The status a venue report puts the order in, and the event that takes it there. */
export function reportEvent(report: VenueOrder): { event: OrderEvent; stage: number } {
  switch (report.status) {
    case 'open':
      return new Decimal(report.filled).isZero() ? { event: 'accepted', stage: 2 } : { event: 'partially-filled', stage: 3 }
    case 'closed':
      return { event: 'filled', stage: 5 }
    case 'canceled':
      return { event: 'canceled', stage: 5 }
    case 'expired':
      return { event: 'expired', stage: 5 }
    case 'rejected':
      return { event: 'rejected', stage: 5 }
  }
}

export interface OrderUpdaterDeps {
  store: OrderStore
  bus: EventBus
  log: Logger
  now: () => number
}

export class OrderUpdater {
  constructor(private readonly deps: OrderUpdaterDeps) {}

  /**
   * Moves the order by one event (with the fields that come with it). A move the table does not allow is
   * refused: status and fills stay as they were, the reason goes to `error`, the log and the bus.
   */
  apply(order: OrderRecord, event: OrderEvent, patch: OrderPatch = {}, detail?: string): OrderRecord {
    order = this.fresh(order)
    const t = transition(order.status, event, new Decimal(patch.filled ?? order.filled).gt(0))
    if (!t.ok) {
      // The venue's id is a fact whatever the status; keep it.
      const facts: OrderPatch = patch.venueOrderId !== undefined ? { venueOrderId: patch.venueOrderId } : {}
      return this.refuse(order, t.event, t.reason, detail, facts)
    }
    return this.write(order, { ...patch, status: t.to })
  }

  /** Fields that change without a status change (venue id, error, attempts); no write when nothing differs. */
  patch(order: OrderRecord, patch: OrderPatch): OrderRecord {
    order = this.fresh(order)
    const changed = (Object.keys(patch) as (keyof OrderPatch)[]).some((k) => patch[k] !== order[k])
    return changed ? this.write(order, patch) : order
  }

  /**
   * Merges what the venue says about the order. `authoritative`: a fresh REST answer outside any request of
   * ours in flight (reconciliation), so a 'canceling' order the venue still has open means the cancel
   * failed; a live update might just be older than our cancel.
   */
  applyReport(order: OrderRecord, report: VenueOrder, options: { authoritative?: boolean } = {}): OrderRecord {
    let current = this.fresh(order)
    const learnsVenueId = current.venueOrderId === null && report.venueOrderId !== ''
    // The venue's id rides on the first write below (one change, one bus event).
    let facts: OrderPatch = learnsVenueId ? { venueOrderId: report.venueOrderId } : {}
    // The venue ended the order on its own and says why (e.g. self-trade prevention): the user sees it.
    if (report.reason !== undefined && report.status !== 'open') facts = { ...facts, error: report.reason }
    // The venue shows an order we were not sure of (its send's answer lost: "kept as 'submitting'"; or lost): what
    // the row said about not knowing is no longer so.
    else if (UNSURE.has(current.status) && current.error !== null && this.isNews(current, report)) facts = { ...facts, error: null }
    const take = (): OrderPatch => {
      const out = facts
      facts = {}
      return out
    }
    const said = venueWords(report)
    if (current.status === 'lost' && this.isNews(current, report)) current = this.apply(current, 'found', take(), said)
    if (options.authoritative && current.status === 'canceling' && report.status === 'open') {
      const error = 'the cancel did not go through: the venue still has the order open'
      current = this.apply(current, 'cancel-failed', { ...take(), error }, said)
    }
    if (this.isNews(current, report)) {
      const { event } = reportEvent(report)
      const filled = new Decimal(report.filled)
      // Never below what is known already (the fills are the ground truth for amount and cost).
      const progress: OrderPatch = filled.gt(current.filled) ? { filled: filled.toFixed(), cost: new Decimal(report.cost).toFixed() } : {}
      current = this.apply(current, event, { ...take(), ...progress }, said)
    }
    current = this.patch(current, take())
    if (!learnsVenueId) return current
    this.attachFills(current, report.venueOrderId)
    return this.syncFromFills(current)
  }

  /**
   * Records a fill of the venue's account (once per trade id) and moves its order, if it is ours, to what
   * its recorded fills add up to. Undefined when the fill was known already.
   */
  recordFill(venueId: string, fill: Fill): { fill: FillRecord; order: OrderRecord | null } | undefined {
    const { store } = this.deps
    let order = this.orderOfFill(venueId, fill)
    const record = store.insertFill(venueId, fill, order?.clientOrderId ?? null, this.deps.now())
    if (!record) return undefined
    if (order) {
      if (order.venueOrderId === null) {
        order = this.patch(order, { venueOrderId: fill.venueOrderId })
        this.attachFills(order, fill.venueOrderId)
      }
      order = this.syncFromFills(order)
    }
    this.deps.bus.emit('orderFilled', { order: order ?? null, fill: record })
    return { fill: record, order: order ?? null }
  }

  /** Ties the fills recorded before the order's venue id was known to the order, and says so (fillsLinked). */
  private attachFills(order: OrderRecord, venueOrderId: string): void {
    const linked = this.deps.store.attachFills(order.venueId, venueOrderId, order.clientOrderId)
    if (linked.length > 0) this.deps.bus.emit('fillsLinked', { order, fills: linked })
  }

  /** Brings the order's filled amount and cost up to the sum of its recorded fills, when they are ahead. */
  syncFromFills(order: OrderRecord): OrderRecord {
    let current = this.fresh(order)
    const totals = this.deps.store.fillTotals(current)
    if (!totals.amount.gt(current.filled)) return current
    if (isTerminal(current.status) && current.status !== 'lost') return this.fillsOfFinished(current, totals)
    const detail = `its fills add up to ${totals.amount.toFixed()}`
    if (current.status === 'lost') current = this.apply(current, 'found', {}, detail)
    const event: OrderEvent = totals.amount.gte(current.amount) ? 'filled' : 'partially-filled'
    return this.apply(current, event, { filled: totals.amount.toFixed(), cost: totals.cost.toFixed() }, detail)
  }

  /**
   * A finished order whose fills add up to more than the venue reported it filled (exchanges round): the
   * fills count, its status stays. Fills beyond the order's own amount are an anomaly, logged and put on
   * the order — except on a market buy, which an exchange may take as a quote amount and so buy a little
   * more base than asked for (market-buy-cost.ts).
   */
  private fillsOfFinished(order: OrderRecord, totals: { amount: Decimal; cost: Decimal }): OrderRecord {
    const quoteSized = order.type === 'market' && order.side === 'buy'
    if (totals.amount.gt(order.amount) && !quoteSized) {
      const message = `its fills add up to ${totals.amount.toFixed()}, more than the order amount ${order.amount}`
      this.deps.log.warn(`order ${order.clientOrderId} on ${order.venueId}: ${message}`)
      return this.patch(order, { error: message })
    }
    const patch = { filled: totals.amount.toFixed(), cost: totals.cost.toFixed() }
    if (order.status !== 'filled' && totals.amount.gte(order.amount)) {
      // The venue said canceled (or expired) with less filled than its own fills then showed: the whole
      // amount traded. The status table keeps the venue's word; the order says the two disagree.
      const message = `reported ${order.status}, but its fills add up to the whole amount ${order.amount}`
      this.deps.log.warn(`order ${order.clientOrderId} on ${order.venueId}: ${message}`)
      return this.patch(order, { ...patch, error: message })
    }
    return this.patch(order, patch)
  }

  /** Our order a fill belongs to: by the client id the venue sent, else by the venue's order id. */
  orderOfFill(venueId: string, fill: Fill): OrderRecord | undefined {
    const { store } = this.deps
    if (fill.clientOrderId) {
      const byClientId = store.get(fill.clientOrderId)
      if (byClientId && byClientId.venueId === venueId) return byClientId
    }
    return store.byVenueOrderId(venueId, fill.venueOrderId)
  }

  /** The row as stored now: callers may hold a record read before an await. */
  private fresh(order: OrderRecord): OrderRecord {
    return this.deps.store.get(order.clientOrderId) ?? order
  }

  /**
   * Whether the report says something the row does not know yet (more filled, or a later stage). The venue
   * ending an order we still have unfinished is news whatever its filled amount: exchanges round (a quote-
   * sized buy's base is its quote over a rounded average), so a final report may read a hair below the
   * fills; applyReport then keeps the larger amount. A finished order never goes back.
   */
  private isNews(order: OrderRecord, report: VenueOrder): boolean {
    if (reportEvent(report).stage === FINAL && STAGE[order.status] < FINAL) return true
    const filled = new Decimal(report.filled)
    if (filled.lt(order.filled)) return false
    if (filled.gt(order.filled)) return true
    return reportEvent(report).stage > STAGE[order.status]
  }

  private refuse(order: OrderRecord, event: OrderEvent, reason: string, detail: string | undefined, facts: OrderPatch): OrderRecord {
    const { log, bus, now } = this.deps
    const message = `refused a status change: ${reason}${detail ? ` (${detail})` : ''}`
    log.warn(`order ${order.clientOrderId} on ${order.venueId}: ${message}`)
    bus.emit('orderTransitionRefused', {
      clientOrderId: order.clientOrderId,
      venueId: order.venueId,
      from: order.status,
      event,
      reason: message,
      at: now(),
    })
    return this.patch(order, { ...facts, error: message })
  }

  private write(order: OrderRecord, patch: OrderPatch): OrderRecord {
    const updated = this.deps.store.update(order.clientOrderId, patch, this.deps.now())
    this.deps.bus.emit('orderChanged', { order: updated, previous: order.status })
    return updated
  }
}

function venueWords(report: VenueOrder): string {
  return `the venue reports it ${report.status === 'closed' ? 'filled' : report.status}, ${report.filled} of ${report.amount} filled`
}
