import type { TaxWarning } from '../api/schemas/tax'
import type { UnpricedEarlier } from './flows'

/** This year's lines that use coins an earlier year's unpriced trade acquired. */
export interface EarlierUnpricedLines {
  count: number
  /** The first of those trades' time. */
  first: number
  /** Those trades' warnings (of the asset that had no price). */
  warnings: TaxWarning[]
}

/**
 * An unpriced trade counts toward its own year's report; a later year's only through its lines that sell
 * coins it acquired (marked unpriced, their cost counting 0 for what had no price). `parts`: the year's lines
 * marked unpriced, with their asset and when their lot was acquired (null: a pooled cost).
 */
export function earlierUnpricedLines(parts: Iterable<{ asset: string; acquiredAt: number | null }>, earlier: UnpricedEarlier, start: number): EarlierUnpricedLines | null {
  let count = 0
  let first = Number.POSITIVE_INFINITY
  const vias = new Set<string>()
  for (const { asset, acquiredAt } of parts) {
    if (acquiredAt !== null && acquiredAt >= start) continue
    const times = earlier.acquired.get(asset)
    if (times === undefined) continue
    // A dated lot is that trade's (an unpriced deposit's or income's is not one); a pooled cost (UK Section
    // 104) takes in every such trade before the year. UK same-day and 30-day lots are of this year.
    const matched = acquiredAt === null ? times : times.filter((x) => x.t === acquiredAt)
    if (matched.length === 0) continue
    count++
    first = Math.min(first, matched[0]!.t)
    for (const m of matched) vias.add(m.via)
  }
  if (count === 0) return null
  return { count, first, warnings: earlier.warnings.filter((w) => vias.has(w.asset)) }
}
