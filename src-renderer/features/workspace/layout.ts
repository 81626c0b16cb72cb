import type { MarketTimeframe, WorkspaceColumn, WorkspaceLayout, WorkspaceView, WorkspaceViewKind } from '../../../src-main/api/contract'

// The workspace layout as data: columns of views, each view bound to a market. Every edit (add, close,
// replace, rebind, resize, focus) is a pure function from one layout to the next, so it is tested in Node.
// The engine validates what is saved (src-main/api/schemas/workspace.ts); the limits here mirror its own.

export const MAX_VIEWS = 16
export const MAX_COLUMNS = 8
export const VIEW_KINDS = ['book', 'depth', 'tape', 'candles', 'aggregate', 'orders'] as const satisfies readonly WorkspaceViewKind[]
export const BOOK_LEVELS = [20, 40, 100, 200] as const
export const DEFAULT_LEVELS = 40

export interface MarketRef {
  venueId: string
  symbol: string
}

export type Placement = 'beside' | 'below'
export type ViewOptions = Pick<WorkspaceView, 'group' | 'depth' | 'timeframe'>

export const sameMarket = (a: MarketRef | null | undefined, b: MarketRef | null | undefined) =>
  !!a && !!b && a.venueId === b.venueId && a.symbol === b.symbol

export const allViews = (layout: WorkspaceLayout): WorkspaceView[] => layout.columns.flatMap((c) => c.views)

export const findView = (layout: WorkspaceLayout, id: string | null | undefined): WorkspaceView | null =>
  (id ? allViews(layout).find((v) => v.id === id) : undefined) ?? null

/** The view keys act on: the focused one, else the first. */
export const focusedView = (layout: WorkspaceLayout): WorkspaceView | null => findView(layout, layout.focused) ?? allViews(layout)[0] ?? null

export const canAddView = (layout: WorkspaceLayout) => allViews(layout).length < MAX_VIEWS

/** The options a new view of this kind starts with (and the only ones it keeps). */
export function kindOptions(kind: WorkspaceViewKind): ViewOptions {
  if (kind === 'book') return { group: 1, depth: DEFAULT_LEVELS }
  if (kind === 'depth') return { depth: DEFAULT_LEVELS }
  if (kind === 'candles') return { timeframe: '1m' as MarketTimeframe }
  return {}
}

/** A fresh id: the prefix and one more than the highest number already used with it. */
function nextId(layout: WorkspaceLayout, prefix: 'v' | 'c'): string {
  const ids = prefix === 'v' ? allViews(layout).map((v) => v.id) : layout.columns.map((c) => c.id)
  let max = 0
  for (const id of ids) {
    const m = new RegExp(`^${prefix}(\\d+)$`).exec(id)
    if (m) max = Math.max(max, Number(m[1]))
  }
  return `${prefix}${max + 1}`
}

const round = (n: number) => Math.round(n * 100) / 100
const clampSize = (n: number) => round(Math.min(100, Math.max(0, Number.isFinite(n) ? n : 0)))

/** Sizes scaled to add up to 100 (equal shares when they add up to nothing). */
export function normalize(sizes: readonly number[]): number[] {
  const total = sizes.reduce((a, b) => a + Math.max(0, b), 0)
  if (total <= 0) return sizes.map(() => round(100 / Math.max(1, sizes.length)))
  return sizes.map((s) => round((Math.max(0, s) / total) * 100))
}

/** Adds a share for one more item: it takes 1/(n+1) of `total` and the others shrink in proportion. */
function makeRoom(sizes: readonly number[], total: number): { others: number[]; added: number } {
  const n = sizes.length
  const added = total / (n + 1)
  const sum = sizes.reduce((a, b) => a + b, 0)
  const others = sum > 0 ? sizes.map((s) => clampSize((s / sum) * (total - added))) : sizes.map(() => clampSize((total - added) / Math.max(1, n)))
  return { others, added: clampSize(added) }
}

function columnOf(layout: WorkspaceLayout, viewId: string | null | undefined): number {
  return viewId ? layout.columns.findIndex((c) => c.views.some((v) => v.id === viewId)) : -1
}

/**
 * Adds a view of `kind` on `market`, focused. 'beside' opens a new column right of the anchor's column
 * (below the anchor instead once there are MAX_COLUMNS columns); 'below' goes under the anchor view.
 * Returns the same layout and a null id when MAX_VIEWS views are open already.
 */
export function addView(
  layout: WorkspaceLayout,
  kind: WorkspaceViewKind,
  market: MarketRef,
  placement: Placement,
  anchorId: string | null = layout.focused,
): { layout: WorkspaceLayout; id: string | null } {
  if (!canAddView(layout)) return { layout, id: null }
  const id = nextId(layout, 'v')
  const view: WorkspaceView = { id, kind, venueId: market.venueId, symbol: market.symbol, size: 100, ...kindOptions(kind) }
  const at = columnOf(layout, anchorId)
  const col = at >= 0 ? at : layout.columns.length - 1
  if (col < 0 || (placement === 'beside' && layout.columns.length < MAX_COLUMNS)) {
    const total = layout.columns.length === 0 ? 100 - layout.watchlist : layout.columns.reduce((a, c) => a + c.size, 0)
    const { others, added } = makeRoom(
      layout.columns.map((c) => c.size),
      total,
    )
    const columns = layout.columns.map((c, i) => ({ ...c, size: others[i]! }))
    columns.splice(col + 1, 0, { id: nextId(layout, 'c'), size: added, views: [view] })
    return { layout: { ...layout, columns, focused: id }, id }
  }
  const columns = layout.columns.map((c, i) => {
    if (i !== col) return c
    const { others, added } = makeRoom(
      c.views.map((v) => v.size),
      100,
    )
    const views = c.views.map((v, j) => ({ ...v, size: others[j]! }))
    const after = views.findIndex((v) => v.id === anchorId)
    views.splice(after >= 0 ? after + 1 : views.length, 0, { ...view, size: added })
    return { ...c, views }
  })
  return { layout: { ...layout, columns, focused: id }, id }
}

/** Removes a view; an emptied column goes too and the neighbours take its room. Focus moves to a neighbour. */
export function closeView(layout: WorkspaceLayout, id: string): WorkspaceLayout {
  const col = columnOf(layout, id)
  if (col < 0) return layout
  const column = layout.columns[col]!
  const index = column.views.findIndex((v) => v.id === id)
  let columns: WorkspaceColumn[]
  let neighbour: WorkspaceView | undefined
  if (column.views.length > 1) {
    const rest = column.views.filter((v) => v.id !== id)
    const sizes = normalize(rest.map((v) => v.size))
    columns = layout.columns.map((c, i) => (i === col ? { ...c, views: rest.map((v, j) => ({ ...v, size: sizes[j]! })) } : c))
    neighbour = rest[Math.min(index, rest.length - 1)]
  } else {
    const total = layout.columns.reduce((a, c) => a + c.size, 0)
    const rest = layout.columns.filter((_, i) => i !== col)
    const kept = rest.reduce((a, c) => a + c.size, 0)
    columns = rest.map((c) => ({ ...c, size: kept > 0 ? clampSize((c.size / kept) * total) : clampSize(total / rest.length) }))
    const near = rest[Math.min(col, rest.length - 1)]
    neighbour = near?.views[0]
  }
  const focused = layout.focused === id ? (neighbour?.id ?? null) : layout.focused
  return { ...layout, columns, focused }
}

function mapView(layout: WorkspaceLayout, id: string, fn: (v: WorkspaceView) => WorkspaceView): WorkspaceLayout {
  return { ...layout, columns: layout.columns.map((c) => (c.views.some((v) => v.id === id) ? { ...c, views: c.views.map((v) => (v.id === id ? fn(v) : v)) } : c)) }
}

/** Shows another kind of view in the same place, on the same market; options start afresh for the new kind. */
export function replaceKind(layout: WorkspaceLayout, id: string, kind: WorkspaceViewKind): WorkspaceLayout {
  return mapView(layout, id, (v) =>
    v.kind === kind ? v : { id: v.id, kind, venueId: v.venueId, symbol: v.symbol, size: v.size, ...kindOptions(kind) },
  )
}

/** A new market starts ungrouped (ticks differ between markets). */
const rebound = (v: WorkspaceView, market: MarketRef): WorkspaceView =>
  sameMarket(v, market) ? v : { ...v, venueId: market.venueId, symbol: market.symbol, ...(v.group !== undefined ? { group: 1 as const } : {}) }

/** Binds one view to another market. */
export function setViewMarket(layout: WorkspaceLayout, id: string, market: MarketRef): WorkspaceLayout {
  return mapView(layout, id, (v) => rebound(v, market))
}

/**
 * "Open market": the focused view moves to `market`, and with it every view that showed the same market
 * (a book, its chart and its tape move together; views on other markets stay). With no view open, an
 * order book on `market` is added.
 */
export function openMarket(layout: WorkspaceLayout, market: MarketRef): WorkspaceLayout {
  const current = focusedView(layout)
  if (!current) return addView(layout, 'book', market, 'beside').layout
  const from: MarketRef = { venueId: current.venueId, symbol: current.symbol }
  return {
    ...layout,
    focused: current.id,
    columns: layout.columns.map((c) => ({ ...c, views: c.views.map((v) => (sameMarket(v, from) ? rebound(v, market) : v)) })),
  }
}

export function setViewOptions(layout: WorkspaceLayout, id: string, options: ViewOptions): WorkspaceLayout {
  return mapView(layout, id, (v) => ({ ...v, ...options }))
}

export function focusView(layout: WorkspaceLayout, id: string): WorkspaceLayout {
  return layout.focused === id || !findView(layout, id) ? layout : { ...layout, focused: id }
}

/** The view after (or before) the focused one, column by column, top to bottom, wrapping around. */
export function stepFocus(layout: WorkspaceLayout, direction: 1 | -1): WorkspaceLayout {
  const views = allViews(layout)
  if (views.length === 0) return layout
  const at = views.findIndex((v) => v.id === layout.focused)
  const next = at < 0 ? (direction === 1 ? 0 : views.length - 1) : (at + direction + views.length) % views.length
  return { ...layout, focused: views[next]!.id }
}

/** The first view of `kind`: the focused one if it is of that kind. */
export function viewOfKind(layout: WorkspaceLayout, kind: WorkspaceViewKind): WorkspaceView | null {
  const f = focusedView(layout)
  if (f?.kind === kind) return f
  return allViews(layout).find((v) => v.kind === kind) ?? null
}

/**
 * Sizes the user gave by dragging or with the separator keys: of the watchlist and the columns (keys
 * 'watchlist' and column ids), or of the views of one column (keys view ids). Unknown keys are ignored.
 */
export function resize(layout: WorkspaceLayout, sizes: Readonly<Record<string, number>>, columnId?: string): WorkspaceLayout {
  if (columnId === undefined) {
    return {
      ...layout,
      watchlist: sizes.watchlist === undefined ? layout.watchlist : clampSize(sizes.watchlist),
      columns: layout.columns.map((c) => (sizes[c.id] === undefined ? c : { ...c, size: clampSize(sizes[c.id]!) })),
    }
  }
  return {
    ...layout,
    columns: layout.columns.map((c) =>
      c.id !== columnId ? c : { ...c, views: c.views.map((v) => (sizes[v.id] === undefined ? v : { ...v, size: clampSize(sizes[v.id]!) })) },
    ),
  }
}
