// OKX and Bybit (and Kraken) take a cancel asynchronously: the order they read back right after accepting
// it may still be open, and may still fill before the cancel is processed. Such an order stays 'canceling'
// and this follows it — the order stream usually tells first; otherwise it is read back after each of a
// few growing waits — until it ends (canceled, with what it filled in the end, or filled). Still open after
// the last look: the account is reconciled, which settles it (canceled, or the cancel did not go through).
import type { OrderRecord } from '../model'
import type { VenueOrder } from '../../venues/port'

/** Waits before each look at an accepted cancel's order (about 8 s in all). */
export const CANCEL_FOLLOW_MS = [250, 500, 1000, 2000, 4000] as const

export interface CancelFollowDeps {
  delaysMs: readonly number[]
  /** Rejects when the manager stops. */
  sleep: (ms: number) => Promise<void>
  /** The order as stored now. */
  fresh: () => OrderRecord
  /** The order on the venue: the report, null (not there), undefined (could not ask). */
  look: (order: OrderRecord) => Promise<VenueOrder | null | undefined>
  /** Merges a report into the order (not authoritative: an open one keeps it 'canceling'). */
  apply: (order: OrderRecord, report: VenueOrder) => OrderRecord
  isTerminal: (order: OrderRecord) => boolean
  /** None of the looks saw it end. */
  unsettled: (order: OrderRecord) => void
}

/** Resolves with the order once it ended, or as it is after the last look (still 'canceling'). */
export async function followCancel(deps: CancelFollowDeps): Promise<OrderRecord> {
  for (const ms of deps.delaysMs) {
    try {
      await deps.sleep(ms)
    } catch {
      return deps.fresh() // stopping
    }
    let current = deps.fresh()
    if (current.status !== 'canceling') return current // the stream settled it (or a reconcile did)
    const found = await deps.look(current)
    if (found) current = deps.apply(current, found)
    if (deps.isTerminal(current) || current.status !== 'canceling') return current
  }
  const last = deps.fresh()
  if (last.status === 'canceling') deps.unsettled(last)
  return last
}
