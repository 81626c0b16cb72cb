import { toast } from '../toasts/toastStore'
import { accountLabel } from '../markets/venuesStore'
import { canceledAfterText, describeOrder, describeWithFills, endedBeforeCancelText, filledBeforeCancelText, orderStatusLabel } from './labels'
import { startOrdersSync, useOrders, type OrderView } from './ordersStore'

// OKX and Bybit take a cancel asynchronously: the engine answers 'canceling' and the order may still fill
// before the exchange processes the cancel. Such a cancel is not called done: the user is told it was
// requested, and its outcome (canceled, filled meanwhile, still open) when the orders stream brings it.
// The stream is followed while any outcome is awaited, so it arrives even with no orders view on screen.

interface Waiting {
  /** Awaited orders → the updatedAt they were seen at (a row not newer than that is not news). */
  pending: Map<string, number>
  /** One order (its own toasts), or a cancel-all / kill switch (a count of those confirmed, at the end). */
  bulk: boolean
  /** The kill switch's: trading is halted, and the engine cancels again an order whose cancel did not go through. */
  killSwitch: boolean
  /** The risk state the store held when the switch answered: a newer one tells whether trading is still halted. */
  riskSeen: ReturnType<typeof useOrders.getState>['risk']
  confirmed: number
  /** Of those confirmed, "o4 canceled after 0.4 of 1 BTC filled" ("Binance main o4 …" after the kill switch): what filled stays bought or sold. */
  partlyFilled: string[]
  /** Those that ended on their own meanwhile (filled, expired, rejected): "o8 expired with 0.4 of 1 BTC filled before the cancel reached it". */
  ended: string[]
}

const groups = new Set<Waiting>()
let stopSync: (() => void) | undefined
let unwatch: (() => void) | undefined

/** "2 canceled, 1 awaiting confirmation": the cancel-all / kill switch count. */
export function cancelCountText(canceled: number, awaiting: number): string {
  return awaiting === 0 ? `${canceled} canceled` : `${canceled} canceled, ${awaiting} awaiting confirmation`
}

/** How the awaited order ended, if it has (undefined: still 'canceling', or nothing newer seen). */
function ended(id: string, seenAt: number, s: ReturnType<typeof useOrders.getState>): OrderView | undefined {
  const done = s.history.find((o) => o.clientOrderId === id)
  if (done !== undefined) return done
  const row = s.open.find((o) => o.clientOrderId === id)
  // Back to open: the exchange still had it (the cancel did not land).
  return row !== undefined && row.status !== 'canceling' && row.updatedAt > seenAt ? row : undefined
}

function tell(order: OrderView, group: Waiting): void {
  // The kill switch spans accounts: each order named with its account's label, as in the switch's first toast.
  const account = group.killSwitch ? `${accountLabel(order.venueId)} ` : ''
  if (order.status === 'canceled') {
    if (group.bulk) {
      group.confirmed++
      if (!/^0*(\.0*)?$/.test(order.filled)) group.partlyFilled.push(`${account}${order.clientOrderId} ${canceledAfterText(order)}`)
    } else toast.success('Order canceled', describeWithFills(order))
  } else if (order.status === 'filled' || order.status === 'expired' || order.status === 'rejected') {
    // Ended on its own while the cancel was on its way: nothing is left open, as cancel-all counts such an order.
    if (group.bulk) group.ended.push(`${account}${order.clientOrderId} ${endedBeforeCancelText(order)}`)
    else tellEndedFirst(order)
  } else if (order.status === 'open' || order.status === 'partially-filled') {
    // While trading is halted the engine asks that cancel again (halted-recancel.ts): said, so the trader
    // does not cancel it by hand or think it will keep working.
    const again = haltedNow(group) ? '. It is canceled again while trading stays halted' : ''
    toast.error('Order not canceled', `${describeWithFills(order)} is still open${order.error ? `: ${order.error}` : ''}${again}`)
  } else toast.error(`Order not canceled: ${orderStatusLabel(order.status).text}`, `${describeWithFills(order)}${order.error ? `: ${order.error}` : ''}`)
}

/**
 * A single cancel's order that ended on its own before the cancel reached it (filled, expired, rejected), told as
 * what it is — a fill racing a cancel is ordinary trading, not a failed cancel. Returns whether it was one.
 */
export function tellEndedFirst(order: OrderView): boolean {
  if (order.status === 'filled') toast.warning('Order filled before the cancel reached the exchange', filledBeforeCancelText(order))
  else if (order.status === 'expired' || order.status === 'rejected') toast.info('Order already ended', `${describeOrder(order)} ${endedBeforeCancelText(order)}`)
  else return false
  return true
}

/**
 * Whether trading is halted now (the engine re-cancels only then). After the kill switch it is, unless a risk
 * state seen since says otherwise (trading resumed): the store's may be older than the switch until then.
 */
function haltedNow(group: Waiting): boolean {
  const risk = useOrders.getState().risk
  if (group.killSwitch && (risk === null || risk === group.riskSeen)) return true
  return risk?.halted === true
}

function check(): void {
  const s = useOrders.getState()
  for (const group of groups) {
    for (const [id, seenAt] of group.pending) {
      const order = ended(id, seenAt, s)
      if (order === undefined) continue
      group.pending.delete(id)
      tell(order, group)
    }
    if (group.pending.size > 0) continue
    groups.delete(group)
    if (group.bulk && group.confirmed + group.ended.length > 0) {
      const partly = group.partlyFilled.length > 0 ? `. ${group.partlyFilled.join('; ')}` : ''
      const endedList = group.ended.length > 0 ? `. Already ended: ${group.ended.join('; ')}` : ''
      const ended = group.ended.length
      const title =
        group.confirmed === 0
          ? `${ended} ${ended === 1 ? 'order' : 'orders'} already ended`
          : `Exchange confirmed ${group.confirmed} ${group.confirmed === 1 ? 'cancel' : 'cancels'}${ended > 0 ? `, ${ended} already ended` : ''}`
      toast.success(title, `Orders that were awaiting confirmation${partly}${endedList}`)
    }
  }
  if (groups.size === 0) {
    unwatch?.()
    stopSync?.()
    unwatch = stopSync = undefined
  }
}

function watch(ids: Map<string, number>, bulk: boolean, killSwitch = false): void {
  if (ids.size === 0) return
  groups.add({ pending: ids, bulk, killSwitch, riskSeen: useOrders.getState().risk, confirmed: 0, partlyFilled: [], ended: [] })
  if (stopSync === undefined) stopSync = startOrdersSync()
  if (unwatch === undefined) unwatch = useOrders.subscribe(check)
  check() // the outcome may have come on the stream before the reply
}

/** A cancel answered 'canceling': says it was requested, then tells how it ended. */
export function awaitCancel(order: OrderView): void {
  // Awaited already (Delete pressed again on it, answered 'canceling' at once): said once, told once.
  if ([...groups].some((group) => group.pending.has(order.clientOrderId))) return
  toast.info('Cancel requested — waiting for the exchange to confirm', describeOrder(order))
  watch(new Map([[order.clientOrderId, order.updatedAt]]), false)
}

/**
 * Cancel-all / kill switch: orders still awaiting the exchange's confirmation; surprises are told one by one.
 * Seen at their 'canceling' row's time (from the reply), not the store's: the engine cancels a venue's orders
 * one after another, so an order may already be back to open on screen when the reply comes.
 */
export function awaitCancels(orders: readonly { clientOrderId: string; updatedAt: number }[], from: 'cancel-all' | 'kill-switch' = 'cancel-all'): void {
  watch(new Map(orders.map((o) => [o.clientOrderId, o.updatedAt])), true, from === 'kill-switch')
}
