import { KeyRejectedError, VenueError, type Venue, type VenueOrder } from '../../venues/port'
import type { OrderRecord } from '../model'
import type { OrderUpdater } from './order-updates'
import { isTerminal } from './status-table'
import type { OrderStore } from './store'

// Reconciliation with one venue ("a missing report is not flat"): what the venue says now about every
// order we have not finished with, and every fill since the oldest of them, merged into our rows. Runs at
// start, after every reconnect, after a stream error and periodically. Orders with a request of ours in
// flight are left to that request.

export interface ReconcileResult {
  venueId: string
  /** Non-terminal orders looked at. */
  checked: number
  /** Fills recorded for the first time. */
  fillsRecorded: number
  /** Orders the venue did not know at this look: looked at once more after the recheck delay. */
  rechecking: string[]
  /** Orders whose look-up failed: left as they were, tried again at a later run. */
  skipped: string[]
}

export interface ReconcileContext {
  store: OrderStore
  updater: OrderUpdater
  now: () => number
  /** A submit or cancel of ours is in flight for this order. */
  busy(clientOrderId: string): boolean
  /** The venue did not know the order at this look: look once more later before declaring it lost. */
  recheck(order: OrderRecord): void
  /** Looking up this one order failed (not "no such order"): it is left as it was for a later run. */
  lookupFailed(order: OrderRecord, err: unknown): void
  /** Fills are fetched from this long before the oldest order concerned (clock skew, late arrivals). */
  fillsMarginMs: number
  /** Finished orders updated this recently are checked for fills we have not recorded. */
  fillCheckWindowMs: number
}

export async function reconcileVenue(ctx: ReconcileContext, venue: Venue): Promise<ReconcileResult> {
  const { store, updater } = ctx
  const active = store.active({ venueId: venue.id }).filter((o) => !ctx.busy(o.clientOrderId))
  // Orders that filled something we have no fill for (a stream dropped between the order update and its fill).
  const short = store
    .filledSince(venue.id, ctx.now() - ctx.fillCheckWindowMs)
    .filter((o) => isTerminal(o.status) && store.fillTotals(o).amount.lt(o.filled))
  const concerned = [...active, ...short]
  const result: ReconcileResult = { venueId: venue.id, checked: active.length, fillsRecorded: 0, rechecking: [], skipped: [] }
  if (concerned.length === 0) return result

  const open = await venue.fetchOpenOrders()

  const since = Math.min(...concerned.map((o) => o.createdAt)) - ctx.fillsMarginMs
  for (const symbol of new Set(concerned.map((o) => o.symbol))) {
    const fills = await venue.fetchMyFills(symbol, since)
    for (const fill of fills) if (updater.recordFill(venue.id, fill)) result.fillsRecorded++
  }

  const seen = new Set<string>()
  for (const report of open) {
    const order = matchReport(store, venue.id, report)
    if (!order || ctx.busy(order.clientOrderId)) continue
    seen.add(order.clientOrderId)
    updater.applyReport(order, report, { authoritative: true })
  }

  for (const order of active) {
    if (seen.has(order.clientOrderId) || ctx.busy(order.clientOrderId)) continue
    const now = store.get(order.clientOrderId)
    if (!now || isTerminal(now.status)) continue
    const ref = now.venueOrderId !== null ? { venueOrderId: now.venueOrderId } : { clientOrderId: now.clientOrderId }
    let report: VenueOrder | null
    try {
      report = await venue.fetchOrder(now.symbol, ref, { trigger: now.trigger !== undefined })
    } catch (err) {
      // An error about this one order (an odd reply, a code nobody mapped) must not keep every other order
      // of the account from being reconciled; one that says the venue cannot be asked at all ends the run.
      if (concernsVenue(err)) throw err
      result.skipped.push(now.clientOrderId)
      ctx.lookupFailed(now, err)
      continue
    }
    // A submit or cancel of ours sent while this look was out: the answer is older than it (an order the
    // look found open may be 'canceling' now) and must not undo it — that request's answer settles it.
    if (ctx.busy(now.clientOrderId)) continue
    if (report) {
      updater.applyReport(now, report, { authoritative: true })
    } else {
      result.rechecking.push(now.clientOrderId)
      ctx.recheck(now)
    }
  }
  return result
}

/** The venue as a whole cannot be asked now (unreachable, rate-limiting, key refused): asking on is pointless. */
function concernsVenue(err: unknown): boolean {
  if (err instanceof KeyRejectedError) return true
  return err instanceof VenueError && (err.kind === 'unreachable' || err.kind === 'rate-limited')
}

/** Our order a venue report is about: by the venue's id first (authoritative), then by our client id. */
export function matchReport(store: OrderStore, venueId: string, report: VenueOrder): OrderRecord | undefined {
  if (report.venueOrderId !== '') {
    const byVenueId = store.byVenueOrderId(venueId, report.venueOrderId)
    if (byVenueId) return byVenueId
  }
  if (report.clientOrderId === '') return undefined
  const byClientId = store.get(report.clientOrderId)
  return byClientId && byClientId.venueId === venueId && (byClientId.venueOrderId === null || byClientId.venueOrderId === report.venueOrderId)
    ? byClientId
    : undefined
}
