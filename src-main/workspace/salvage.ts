import type { z } from 'zod'
import {
  MAX_COLUMNS,
  MAX_VIEWS,
  MAX_WATCHLIST,
  watchlistMarketSchema,
  workspaceColumnSchema,
  workspaceLayoutSchema,
  workspaceViewSchema,
  type WorkspaceColumn,
  type WorkspaceLayout,
  type WorkspaceView,
} from '../api/schemas/workspace'
import { defaultLayout } from './defaults'

// A stored layout that no longer validates (hand-edited, or written by another version) is read part by
// part: every view, column and pinned market that still reads is kept, and only the bad entries are
// left out, each named in `dropped`. One bad pin must not cost the user the rest of their layout.

export interface Salvaged {
  layout: WorkspaceLayout
  /** What was left out or reset, one line each: 'pinned market 40 (NEW COIN/USDT): symbol must look like BASE/QUOTE'. */
  dropped: string[]
}

type Raw = Record<string, unknown>

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v)
const firstIssue = (error: z.ZodError) => error.issues[0]?.message ?? 'invalid'
const layoutKeys = new Set(['version', 'watchlist', 'watchlistMarkets', 'columns', 'focused'])
const columnKeys = new Set(['id', 'size', 'views'])
const viewRequired = ['id', 'kind', 'venueId', 'symbol', 'size'] as const
const viewSettings = ['group', 'depth', 'timeframe'] as const
const viewBase = workspaceViewSchema.pick({ id: true, kind: true, venueId: true, symbol: true, size: true })
/** A column whose size does not read gets this share; the screen scales the sizes anyway. */
const FALLBACK_COLUMN_SIZE = 25

/** `raw` is the stored JSON parsed (undefined when it was not JSON). */
export function salvageLayout(raw: unknown): Salvaged {
  const whole = (why: string): Salvaged => ({ layout: defaultLayout(), dropped: [`the whole layout: ${why}`] })
  if (raw === undefined) return whole('not JSON')
  if (!isRecord(raw)) return whole('not a layout object')
  // Another version's layout may mean something else by the same fields: not guessed at.
  if (raw.version !== 1) return whole('version must be 1')

  const dropped: string[] = []
  const defaults = defaultLayout()
  for (const key of Object.keys(raw)) if (!layoutKeys.has(key)) dropped.push(`${key}: not part of a layout`)

  const width = workspaceLayoutSchema.shape.watchlist.safeParse(raw.watchlist)
  if (!width.success) dropped.push(`watchlist width: ${firstIssue(width.error)}`)
  const layout: WorkspaceLayout = { version: 1, watchlist: width.success ? width.data : defaults.watchlist, columns: [], focused: null }

  const pins = pinsOf(raw.watchlistMarkets, dropped)
  if (pins) layout.watchlistMarkets = pins

  if (Array.isArray(raw.columns)) layout.columns = columnsOf(raw.columns, dropped)
  else {
    dropped.push('columns: not a list; the first layout’s views are shown')
    layout.columns = defaults.columns
  }

  const viewIds = layout.columns.flatMap((c) => c.views.map((v) => v.id))
  const wanted = typeof raw.focused === 'string' ? raw.focused : null
  layout.focused = wanted !== null && viewIds.includes(wanted) ? wanted : raw.focused === null ? null : (viewIds[0] ?? null)

  const checked = workspaceLayoutSchema.safeParse(layout)
  if (!checked.success) return whole(firstIssue(checked.error))
  // Something only the whole layout breaks (a focused view that is not there): say what it was.
  if (dropped.length === 0) {
    const original = workspaceLayoutSchema.safeParse(raw)
    if (!original.success) dropped.push(...original.error.issues.map((i) => `${i.path.join('.') || 'layout'}: ${i.message}`))
  }
  return { layout: checked.data, dropped }
}

function pinsOf(raw: unknown, dropped: string[]): WorkspaceLayout['watchlistMarkets'] {
  if (raw === undefined) return undefined
  if (!Array.isArray(raw)) {
    dropped.push('pinned markets: not a list')
    return undefined
  }
  const kept: { venueId: string; symbol: string }[] = []
  const seen = new Set<string>()
  raw.forEach((entry: unknown, i) => {
    const symbol = isRecord(entry) && typeof entry.symbol === 'string' ? ` (${entry.symbol})` : ''
    const label = `pinned market ${i + 1}${symbol}`
    const parsed = watchlistMarketSchema.safeParse(entry)
    if (!parsed.success) return void dropped.push(`${label}: ${firstIssue(parsed.error)}`)
    const key = `${parsed.data.venueId}|${parsed.data.symbol}`
    if (seen.has(key)) return void dropped.push(`${label}: pinned twice`)
    if (kept.length >= MAX_WATCHLIST) return void dropped.push(`${label}: at most ${MAX_WATCHLIST} markets in the watchlist`)
    seen.add(key)
    kept.push(parsed.data)
  })
  return kept
}

function columnsOf(raw: unknown[], dropped: string[]): WorkspaceColumn[] {
  const columns: WorkspaceColumn[] = []
  const ids = new Set<string>()
  let views = 0
  raw.forEach((entry: unknown, i) => {
    const id = workspaceColumnSchema.shape.id.safeParse(isRecord(entry) ? entry.id : undefined)
    const label = id.success ? `column ${id.data}` : `column ${i + 1}`
    if (!isRecord(entry)) return void dropped.push(`${label}: not a column`)
    if (!id.success) return void dropped.push(`${label}: ${firstIssue(id.error)}`)
    if (ids.has(id.data)) return void dropped.push(`${label}: id used twice`)
    if (columns.length >= MAX_COLUMNS) return void dropped.push(`${label}: at most ${MAX_COLUMNS} columns`)
    for (const key of Object.keys(entry)) if (!columnKeys.has(key)) dropped.push(`${label} ${key}: not part of a column`)
    const size = workspaceColumnSchema.shape.size.safeParse(entry.size)
    if (!size.success) dropped.push(`${label} size: ${firstIssue(size.error)}`)
    if (!Array.isArray(entry.views)) return void dropped.push(`${label}: its views are not a list`)
    const kept: WorkspaceView[] = []
    const taken = new Set([...ids, id.data])
    entry.views.forEach((v: unknown, j) => {
      const rawId = isRecord(v) && typeof v.id === 'string' ? v.id : `${j + 1} of ${label}`
      const symbol = isRecord(v) && typeof v.symbol === 'string' ? ` (${v.symbol})` : ''
      const viewLabel = `view ${rawId}${symbol}`
      const view = viewOf(v, viewLabel, dropped)
      if (!view) return
      if (taken.has(view.id)) return void dropped.push(`${viewLabel}: id used twice`)
      if (views >= MAX_VIEWS) return void dropped.push(`${viewLabel}: at most ${MAX_VIEWS} views`)
      taken.add(view.id)
      kept.push(view)
      views++
    })
    if (kept.length === 0) return void dropped.push(`${label}: no view left`)
    for (const t of taken) ids.add(t)
    columns.push({ id: id.data, size: size.success ? size.data : FALLBACK_COLUMN_SIZE, views: kept })
  })
  return columns
}

/** A view whose market, kind, id and size read; a setting that does not (grouping, depth, timeframe) is reset. */
function viewOf(raw: unknown, label: string, dropped: string[]): WorkspaceView | null {
  const whole = workspaceViewSchema.safeParse(raw)
  if (whole.success) return whole.data
  if (!isRecord(raw)) {
    dropped.push(`${label}: not a view`)
    return null
  }
  const base = viewBase.safeParse(Object.fromEntries(viewRequired.map((k) => [k, raw[k]])))
  if (!base.success) {
    dropped.push(`${label}: ${firstIssue(base.error)}`)
    return null
  }
  const view: WorkspaceView = base.data
  for (const key of viewSettings) {
    if (raw[key] === undefined) continue
    const setting = workspaceViewSchema.shape[key].safeParse(raw[key])
    if (setting.success) Object.assign(view, { [key]: setting.data })
    else dropped.push(`${label} setting ${key}: ${firstIssue(setting.error)}`)
  }
  const known = new Set<string>([...viewRequired, ...viewSettings])
  for (const key of Object.keys(raw)) if (!known.has(key)) dropped.push(`${label} ${key}: not part of a view`)
  return view
}
