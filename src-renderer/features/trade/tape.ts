import type { TradeRow, TradesBatch } from '../../../src-main/api/contract'

// The trades tape: newest first, bounded, with "large" trades marked. Pure (no DOM), tested in Node.

/** How many recent trades the "large" threshold looks at, and how many times their median is large. */
export const LARGE_WINDOW = 200
export const LARGE_FACTOR = 5

/** The median of the numbers (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (v.length === 0) return null
  const mid = v.length >> 1
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}

/** A trade is large at or above this size: 5 × the median size of the last 200 trades (newest first). */
export function largeThreshold(newestFirst: readonly Pick<TradeRow, 'amount'>[]): number | null {
  const m = median(newestFirst.slice(0, LARGE_WINDOW).map((t) => Number(t.amount)))
  return m === null || m <= 0 ? null : m * LARGE_FACTOR
}

export const isLarge = (trade: Pick<TradeRow, 'amount'>, threshold: number | null): boolean =>
  threshold !== null && Number(trade.amount) >= threshold

/** Adds a batch (oldest first, as the stream sends it) to a newest-first tape, dropping duplicates. */
export function addTrades(tape: readonly TradeRow[], batch: readonly TradeRow[], keep = LARGE_WINDOW): TradeRow[] {
  const seen = new Set(tape.slice(0, keep).map((t) => t.id))
  const fresh: TradeRow[] = []
  for (let i = batch.length - 1; i >= 0; i--) {
    const t = batch[i]!
    if (!seen.has(t.id)) {
      seen.add(t.id)
      fresh.push(t)
    }
  }
  return fresh.length === 0 ? (tape as TradeRow[]) : [...fresh, ...tape].slice(0, keep)
}

/** What the tape says besides its trades: why it ended, and which trades may be missing from it. */
export interface TapeStatus {
  error: string | null
  note: string | null
}

/**
 * The status after a batch. A note comes on a live batch, or on the recent trades a view gets first (the tape
 * had it before the view opened); it names its own time span, so it stays true until a later note replaces it.
 */
export function statusAfter(status: TapeStatus, batch: Pick<TradesBatch, 'ended' | 'note'>): TapeStatus {
  let next = status
  if (batch.ended !== undefined) next = { ...next, error: `The tape ended: ${batch.ended}` }
  if (batch.note !== undefined) next = { ...next, note: batch.note }
  return next
}
