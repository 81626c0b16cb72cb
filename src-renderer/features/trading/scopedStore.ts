import { useEffect } from 'react'
import { create } from 'zustand'
import { api } from '../../api'
import { FILLS_CAP, HISTORY_CAP } from './ordersModel'
import { inScope, mergeFills, mergeHistory, olderFillsBefore, olderHistoryBefore, scopeKey, scopeQuery, type Scope } from './scopedModel'
import type { FillView, OrderView } from '../../../src-main/api/contract'

// Fills and order history per scope (an account, or one market of it), listed by the engine with that scope
// and then followed on the streams the orders store receives (it hands each event on here). "Load older"
// pages fills back with fills.list's `before` (the oldest fill held), and order history with orders.list's
// `before` (the oldest order held), 200 more each time.

export interface ScopedLists {
  scope: Scope
  status: 'loading' | 'ready' | 'error'
  error: string | null
  fills: FillView[]
  /** How many fills this list keeps (grows with each older page). */
  fillsLimit: number
  /** The engine may hold older fills than the list shows. */
  fillsMore: boolean
  loadingOlder: boolean
  history: OrderView[]
  /** How many finished orders this list keeps (grows with each older page). */
  historyLimit: number
  /** The engine may hold older finished orders than the list shows. */
  historyMore: boolean
  loadingOlderHistory: boolean
}

interface ScopedState {
  lists: Record<string, ScopedLists>
  /** Lists the scope (again); what the streams added meanwhile is kept. */
  load(scope: Scope): Promise<void>
  loadOlderFills(scope: Scope): Promise<void>
  loadOlderHistory(scope: Scope): Promise<void>
  fillRecorded(fill: FillView): void
  orderChanged(order: OrderView): void
  /** After a reconnect: every scope held is listed again. */
  reloadAll(): Promise<void>
}

const fresh = (scope: Scope): ScopedLists => ({
  scope,
  status: 'loading',
  error: null,
  fills: [],
  fillsLimit: FILLS_CAP,
  fillsMore: false,
  loadingOlder: false,
  history: [],
  historyLimit: HISTORY_CAP,
  historyMore: false,
  loadingOlderHistory: false,
})

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** The most orders.list and fills.list give at once. */
const LIST_MAX = 1000

/**
 * The newest `want` rows of a list the engine pages back, a page of at most LIST_MAX at a time, each after
 * the last row of the one before (a list paged back beyond that is listed whole again, not cut back to its
 * first pages nor refused). `more`: the last page was full.
 */
async function listPaged<T, C>(want: number, page: (limit: number, before: C | null) => Promise<T[]>, after: (rows: readonly T[]) => C | null): Promise<{ rows: T[]; more: boolean }> {
  const rows: T[] = []
  for (;;) {
    const limit = Math.min(want - rows.length, LIST_MAX)
    const got = await page(limit, after(rows))
    rows.push(...got)
    if (got.length < limit) return { rows, more: false }
    if (rows.length >= want) return { rows, more: true }
  }
}

/** The newest `want` finished orders of the scope. */
const listHistory = (scope: Scope, want: number) =>
  listPaged(want, (limit, before) => api.invoke('orders.list', { ...scopeQuery(scope), scope: 'history', limit, ...(before === null ? {} : { before }) }), olderHistoryBefore)

/** The newest `want` fills of the scope. */
const listFills = (scope: Scope, want: number) =>
  listPaged(want, (limit, before) => api.invoke('fills.list', { ...scopeQuery(scope), limit, ...(before === null ? {} : { before }) }), olderFillsBefore)

export const useScoped = create<ScopedState>()((set, get) => {
  const update = (key: string, patch: (l: ScopedLists) => Partial<ScopedLists>) =>
    set((s) => {
      const held = s.lists[key]
      return held === undefined ? s : { lists: { ...s.lists, [key]: { ...held, ...patch(held) } } }
    })
  return {
    lists: {},
    async load(scope) {
      const key = scopeKey(scope)
      if (get().lists[key] === undefined) set((s) => ({ lists: { ...s.lists, [key]: fresh(scope) } }))
      const { fillsLimit, historyLimit } = get().lists[key]!
      try {
        const [fills, history] = await Promise.all([listFills(scope, fillsLimit), listHistory(scope, historyLimit)])
        update(key, (l) => {
          const f = mergeFills(l.fills, fills.rows, l.fillsLimit)
          const h = mergeHistory(l.history, history.rows, l.historyLimit)
          return { status: 'ready', error: null, fills: f.rows, fillsMore: f.cut || fills.more, history: h.rows, historyMore: h.cut || history.more }
        })
      } catch (err) {
        update(key, (l) => ({ status: l.status === 'ready' ? 'ready' : 'error', error: messageOf(err) }))
      }
    },
    async loadOlderFills(scope) {
      const key = scopeKey(scope)
      const held = get().lists[key]
      if (held === undefined || held.loadingOlder) return
      const before = olderFillsBefore(held.fills)
      if (before === null) return
      update(key, () => ({ loadingOlder: true }))
      try {
        const older = await api.invoke('fills.list', { ...scopeQuery(scope), limit: FILLS_CAP, before })
        update(key, (l) => {
          const limit = l.fillsLimit + FILLS_CAP
          // The fills held when the page was asked for come in too: a fill streamed in meanwhile cut the list
          // back to its limit, dropping the oldest, the very fill the page starts after. With them the rows
          // are unbroken, and a cut falls on the page's oldest, where the next page starts.
          const kept = mergeFills(held.fills, l.fills, Infinity).rows
          const f = mergeFills(kept, older, limit)
          // A page that brings nothing new is the end.
          const grew = f.rows.length > kept.length
          return { loadingOlder: false, error: null, fills: f.rows, fillsLimit: limit, fillsMore: grew && (f.cut || older.length >= FILLS_CAP) }
        })
      } catch (err) {
        update(key, () => ({ loadingOlder: false, error: messageOf(err) }))
      }
    },
    async loadOlderHistory(scope) {
      const key = scopeKey(scope)
      const held = get().lists[key]
      if (held === undefined || held.loadingOlderHistory) return
      const before = olderHistoryBefore(held.history)
      if (before === null) return
      update(key, () => ({ loadingOlderHistory: true }))
      try {
        const older = await api.invoke('orders.list', { ...scopeQuery(scope), scope: 'history', limit: HISTORY_CAP, before })
        update(key, (l) => {
          const limit = l.historyLimit + HISTORY_CAP
          // As with fills: the orders held when the page was asked for, lest one cut meanwhile be lost.
          const kept = mergeHistory(held.history, l.history, Infinity).rows
          const h = mergeHistory(kept, older, limit)
          const grew = h.rows.length > kept.length
          return { loadingOlderHistory: false, error: null, history: h.rows, historyLimit: limit, historyMore: grew && (h.cut || older.length >= HISTORY_CAP) }
        })
      } catch (err) {
        update(key, () => ({ loadingOlderHistory: false, error: messageOf(err) }))
      }
    },
    fillRecorded(fill) {
      for (const [key, l] of Object.entries(get().lists)) {
        if (!inScope(fill, l.scope)) continue
        update(key, (now) => {
          const f = mergeFills(now.fills, [fill], now.fillsLimit)
          return { fills: f.rows, fillsMore: now.fillsMore || f.cut }
        })
      }
    },
    orderChanged(order) {
      for (const [key, l] of Object.entries(get().lists)) {
        if (!inScope(order, l.scope)) continue
        update(key, (now) => {
          const h = mergeHistory(now.history, [order], now.historyLimit)
          return { history: h.rows, historyMore: now.historyMore || h.cut }
        })
      }
    },
    async reloadAll() {
      await Promise.all(Object.values(get().lists).map((l) => get().load(l.scope)))
    },
  }
})

/** The lists of one scope, listed when first shown (and when the scope changes). */
export function useScopedLists(scope: Scope): ScopedLists | undefined {
  const key = scopeKey(scope)
  const lists = useScoped((s) => s.lists[key])
  useEffect(() => {
    if (useScoped.getState().lists[key] === undefined) void useScoped.getState().load(scope)
  }, [key]) // eslint-disable-line react-hooks/exhaustive-deps
  return lists
}
