import { isTerminalStatus } from './labels'
import type { FillCursor, FillView, OrderView } from '../../../src-main/api/contract'

// Fills and order history of one account (or one account's market), asked of the engine with that scope:
// the lists every account shares hold only the newest rows of all of them, so an account with few recent
// trades would show nothing there. Pure (no DOM), so it is tested in Node.

/** One account ('' = every account), optionally one market of it. */
export interface Scope {
  venueId: string
  symbol?: string
}

export const scopeKey = (s: Scope): string => `${s.venueId}|${s.symbol ?? ''}`

/** The query fields of a scope (an empty venue asks for every account). */
export function scopeQuery(s: Scope): { venueId?: string; symbol?: string } {
  return { ...(s.venueId === '' ? {} : { venueId: s.venueId }), ...(s.symbol === undefined ? {} : { symbol: s.symbol }) }
}

export function inScope(row: { venueId: string; symbol: string }, s: Scope): boolean {
  return (s.venueId === '' || row.venueId === s.venueId) && (s.symbol === undefined || row.symbol === s.symbol)
}

// A trade id names a trade within an account's market (Binance and OKX number each market's trades).
const fillKey = (f: FillView) => `${f.venueId}|${f.symbol}|${f.tradeId}`

const descending = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0)

/** The engine's order of fills: newest first, by account, market, then trade id (descending) within a millisecond. */
const fillOrder = (a: FillView, b: FillView): number =>
  b.timestamp - a.timestamp || descending(a.venueId, b.venueId) || descending(a.symbol, b.symbol) || descending(a.tradeId, b.tradeId)

/**
 * Both lists in one, in the engine's fills order, each fill once (the later listing wins: it may tie the fill
 * to its order), cut at `limit`. `cut`: rows were dropped at the cut.
 */
export function mergeFills(held: readonly FillView[], incoming: readonly FillView[], limit: number): { rows: FillView[]; cut: boolean } {
  const byKey = new Map<string, FillView>()
  for (const f of held) byKey.set(fillKey(f), f)
  for (const f of incoming) byKey.set(fillKey(f), f)
  const rows = [...byKey.values()].sort(fillOrder)
  return rows.length > limit ? { rows: rows.slice(0, limit), cut: true } : { rows, cut: false }
}

/** The engine's order of history: the most recently updated first, by client id (descending) within a millisecond. */
const historyOrder = (a: OrderView, b: OrderView): number =>
  b.updatedAt - a.updatedAt || (a.clientOrderId < b.clientOrderId ? 1 : a.clientOrderId > b.clientOrderId ? -1 : 0)

/** Finished orders of both lists, in the engine's history order, each once (its latest update), cut at `limit`. */
export function mergeHistory(held: readonly OrderView[], incoming: readonly OrderView[], limit: number): { rows: OrderView[]; cut: boolean } {
  const byId = new Map<string, OrderView>()
  for (const o of [...held, ...incoming]) {
    const had = byId.get(o.clientOrderId)
    if (had === undefined || had.updatedAt <= o.updatedAt) byId.set(o.clientOrderId, o)
  }
  const rows = [...byId.values()].filter((o) => isTerminalStatus(o.status)).sort(historyOrder)
  return rows.length > limit ? { rows: rows.slice(0, limit), cut: true } : { rows, cut: false }
}

/**
 * The `before` of the next older page of order history: the oldest order held, as orders.list pages after
 * it exactly (same order as historyOrder), so orders finished in one millisecond are neither skipped nor repeated.
 */
export const olderHistoryBefore = (history: readonly OrderView[]): { updatedAt: number; clientOrderId: string } | null => {
  const last = history.at(-1)
  return last === undefined ? null : { updatedAt: last.updatedAt, clientOrderId: last.clientOrderId }
}

/**
 * The `before` of the next older page of fills: the oldest fill held, as fills.list pages after it exactly
 * (same order as fillOrder), so fills of one millisecond are neither skipped nor repeated, however many.
 */
export const olderFillsBefore = (fills: readonly FillView[]): FillCursor | null => {
  const last = fills.at(-1)
  return last === undefined ? null : { timestamp: last.timestamp, venueId: last.venueId, symbol: last.symbol, tradeId: last.tradeId }
}
