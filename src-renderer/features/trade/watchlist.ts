import { compareDecimal } from '../../ui/decimal'
import type { MarketView } from '../../../src-main/api/contract'

// The watchlist's sorting. Pure (no DOM), tested in Node.

export type SortKey = 'symbol' | 'last' | 'change' | 'volume'
export interface Sort {
  key: SortKey
  dir: 'asc' | 'desc'
}

/** What `s` steps through: symbol A→Z, then the figures largest first. */
export const SORT_CYCLE: readonly Sort[] = [
  { key: 'symbol', dir: 'asc' },
  { key: 'change', dir: 'desc' },
  { key: 'volume', dir: 'desc' },
  { key: 'last', dir: 'desc' },
]

export function nextSort(sort: Sort): Sort {
  const i = SORT_CYCLE.findIndex((s) => s.key === sort.key && s.dir === sort.dir)
  return SORT_CYCLE[(i + 1) % SORT_CYCLE.length]!
}

/** A click on a column header: that column in its natural direction, or the other way if already sorted by it. */
export function sortByColumn(sort: Sort, key: SortKey): Sort {
  if (sort.key === key) return { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' }
  return { key, dir: key === 'symbol' ? 'asc' : 'desc' }
}

const field = (m: MarketView, key: Exclude<SortKey, 'symbol'>) =>
  key === 'last' ? m.last : key === 'change' ? m.changePct24h : m.volume24h

/** Sorted copy; unknown figures (null) always go last, ties by symbol then venue. */
export function sortMarkets(rows: readonly MarketView[], sort: Sort): MarketView[] {
  const sign = sort.dir === 'asc' ? 1 : -1
  const byName = (a: MarketView, b: MarketView) =>
    a.symbol.localeCompare(b.symbol) || a.venueLabel.localeCompare(b.venueLabel)
  return [...rows].sort((a, b) => {
    if (sort.key === 'symbol') return sign * byName(a, b)
    const fa = field(a, sort.key)
    const fb = field(b, sort.key)
    if (fa === null || fb === null) return fa === fb ? byName(a, b) : fa === null ? 1 : -1
    return sign * compareDecimal(fa, fb) || byName(a, b)
  })
}

/** Volume in a narrow column: 1,234 → '1234', 12,345 → '12.3K', 4,560,000 → '4.56M'. */
export function compact(v: number): string {
  if (!Number.isFinite(v)) return '—'
  const a = Math.abs(v)
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)}B`
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}K`
  if (a >= 100) return v.toFixed(0)
  return v.toFixed(a >= 1 ? 2 : 4)
}
