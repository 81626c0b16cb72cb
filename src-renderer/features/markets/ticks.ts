import { compareDecimal } from '../../ui/decimal'
import type { MarketView } from '../../../src-main/api/contract'

// Which way each market's last price moved since the previous answer, so the price can be coloured like a
// ticker. Pure (no DOM), so it is tested in Node.

export type Direction = 'up' | 'down' | null

export interface Tick {
  last: string | null
  dir: Direction
}

export const marketKey = (m: Pick<MarketView, 'venueId' | 'symbol'>) => `${m.venueId}|${m.symbol}`

/** An unchanged price keeps the direction of its last move; a market seen for the first time has none. */
export function nextTicks(previous: ReadonlyMap<string, Tick>, rows: readonly MarketView[]): Map<string, Tick> {
  const next = new Map<string, Tick>()
  for (const row of rows) {
    const key = marketKey(row)
    const before = previous.get(key)
    let dir: Direction = before?.dir ?? null
    if (before && before.last !== null && row.last !== null && before.last !== row.last) {
      const c = compareDecimal(row.last, before.last)
      dir = c > 0 ? 'up' : c < 0 ? 'down' : dir
    }
    next.set(key, { last: row.last, dir })
  }
  return next
}
