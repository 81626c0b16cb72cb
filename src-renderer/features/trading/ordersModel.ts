import { isActiveConditional, isTerminalStatus } from './labels'
import type { ConditionalLiveFigure, ConditionalView, FillView, OrderView } from '../../../src-main/api/contract'

// How the tables follow the streams: an order change moves the row between open orders and history, a
// fill is added once, a conditional order moves between active and ended. Newest first everywhere (order
// history: the most recently finished first); the lists are capped (the engine keeps everything). Pure (no
// DOM), so it is tested in Node.

export const HISTORY_CAP = 200
export const FILLS_CAP = 200

export interface OrderLists {
  open: OrderView[]
  history: OrderView[]
}

const newestFirst = <T extends { createdAt: number }>(a: T, b: T) => b.createdAt - a.createdAt
/** History: the most recently finished first (as the engine lists it), so an old order finishing now is on top, not cut off. */
const recentlyUpdatedFirst = <T extends { updatedAt: number }>(a: T, b: T) => b.updatedAt - a.updatedAt

/** Replaces the row with the same id, or adds it; keeps the rows in `order` (newest first by default). */
function upsert<T extends { createdAt: number }>(rows: readonly T[], row: T, same: (a: T) => boolean, cap = Infinity, order: (a: T, b: T) => number = newestFirst): T[] {
  const out = rows.filter((r) => !same(r))
  out.push(row)
  out.sort(order)
  return out.length > cap ? out.slice(0, cap) : out
}

/** Applies one orders.changed event. An older update than the row already held is ignored. */
export function applyOrder(lists: OrderLists, order: OrderView): OrderLists {
  const id = order.clientOrderId
  const same = (o: OrderView) => o.clientOrderId === id
  const held = lists.open.find(same) ?? lists.history.find(same)
  if (held && held.updatedAt > order.updatedAt) return lists
  if (isTerminalStatus(order.status)) {
    return { open: lists.open.filter((o) => !same(o)), history: upsert(lists.history, order, same, HISTORY_CAP, recentlyUpdatedFirst) }
  }
  return { open: upsert(lists.open, order, same), history: lists.history.filter((o) => !same(o)) }
}

// A trade id names a trade within an account's market (Binance and OKX number each market's trades).
const fillKey = (f: FillView) => `${f.venueId}|${f.symbol}|${f.tradeId}`

/** Adds one fills.recorded event; a fill already held is not added twice but takes the order it was tied to since. */
export function applyFill(fills: readonly FillView[], fill: FillView): FillView[] {
  const key = fillKey(fill)
  const at = fills.findIndex((f) => fillKey(f) === key)
  if (at >= 0) {
    const held = fills[at] as FillView
    if (held.clientOrderId === fill.clientOrderId) return fills as FillView[]
    return fills.map((f, i) => (i === at ? fill : f))
  }
  const out = [fill, ...fills].sort((a, b) => b.timestamp - a.timestamp)
  return out.length > FILLS_CAP ? out.slice(0, FILLS_CAP) : out
}

export interface ConditionalLists {
  active: ConditionalView[]
  ended: ConditionalView[]
}

/** Applies one conditional.changed event (a state change: the whole view). */
export function applyConditional(lists: ConditionalLists, view: ConditionalView): ConditionalLists {
  const same = (c: ConditionalView) => c.id === view.id
  const held = lists.active.find(same) ?? lists.ended.find(same)
  if (held && held.updatedAt > view.updatedAt) return lists
  if (isActiveConditional(view.status)) {
    // Live prices change often: keep the row where it is rather than re-sorting.
    const at = lists.active.findIndex(same)
    const active = at >= 0 ? lists.active.map((c, i) => (i === at ? view : c)) : upsert(lists.active, view, same)
    return { active, ended: lists.ended.filter((c) => !same(c)) }
  }
  return { active: lists.active.filter((c) => !same(c)), ended: upsert(lists.ended, view, same, HISTORY_CAP) }
}

/** Rows of one venue, or of all venues when `venueId` is ''. */
export function forVenue<T extends { venueId: string }>(rows: readonly T[], venueId: string): readonly T[] {
  return venueId === '' ? rows : rows.filter((r) => r.venueId === venueId)
}

/** Rows on one market of one venue (the workspace's "My orders" view). */
export function forMarket<T extends { venueId: string; symbol: string }>(rows: readonly T[], market: { venueId: string; symbol: string }): T[] {
  return rows.filter((r) => r.venueId === market.venueId && r.symbol === market.symbol)
}

/** The newest order this screen sent that is still open, else the newest open order on the market. */
export function lastOpenOrder(open: readonly OrderView[], sent: readonly string[], market: { venueId: string; symbol: string } | null): OrderView | null {
  for (let i = sent.length - 1; i >= 0; i--) {
    const o = open.find((r) => r.clientOrderId === sent[i])
    if (o) return o
  }
  if (!market) return null
  return open.filter((o) => o.venueId === market.venueId && o.symbol === market.symbol).sort(newestFirst)[0] ?? null
}

/**
 * Applies one conditional.live batch to the active rows it names (in place: live prices do not re-sort).
 * Figures of a row that is not active here (ended since, or not listed) are dropped.
 */
export function applyConditionalLive(active: ConditionalView[], figures: readonly ConditionalLiveFigure[]): ConditionalView[] {
  const byId = new Map<string, ConditionalLiveFigure>()
  for (const f of figures) byId.set(f.id, f)
  let changed = false
  const out = active.map((view) => {
    const f = byId.get(view.id)
    if (f === undefined) return view
    changed = true
    const trailing = view.trailing === null ? null : { ...view.trailing, reference: f.reference }
    return { ...view, currentPrice: f.currentPrice, distancePct: f.distancePct, triggerPrice: f.triggerPrice, trailing }
  })
  return changed ? out : active
}
