import type { CandleView, MarketTimeframe } from '../../../src-main/api/contract'

// Candle series bookkeeping and the chart's axis arithmetic. Pure (no DOM), tested in Node.

export const TIMEFRAMES: readonly MarketTimeframe[] = ['1m', '5m', '15m', '1h', '4h', '1d']

/** The live (forming) candle replaces the last one with the same open time, or is appended after it. */
export function mergeLive(candles: readonly CandleView[], live: CandleView, keep = 1000): CandleView[] {
  const last = candles.at(-1)
  if (last && live.time === last.time) return [...candles.slice(0, -1), live]
  if (last && live.time < last.time) return candles as CandleView[]
  const next = [...candles, live]
  return next.length > keep ? next.slice(next.length - keep) : next
}

/**
 * Older candles (a scroll back) in front of the chart's: only those before its first, oldest first, one per
 * time, and no more than fit under `keep` in all (the chart stops asking once it is full).
 */
export function prependOlder(candles: readonly CandleView[], older: readonly CandleView[], keep: number): CandleView[] {
  const first = candles[0]?.time ?? Infinity
  const byTime = new Map<number, CandleView>()
  for (const c of older) if (c.time < first) byTime.set(c.time, c)
  const room = Math.max(0, keep - candles.length)
  const added = [...byTime.values()].sort((a, b) => a.time - b.time)
  return room === 0 || added.length === 0 ? (candles as CandleView[]) : [...added.slice(-room), ...candles]
}

/**
 * How many bars now stand before the candle that was first when the chart last drew (0 if it is gone): the
 * chart moves its visible logical range by as many so older candles put in front do not move the view.
 */
export function barsPrepended(candles: readonly CandleView[], previousFirst: number | undefined): number {
  if (previousFirst === undefined) return 0
  return Math.max(0, candles.findIndex((c) => c.time === previousFirst))
}

/** "Nice" axis values (1, 2, 2.5, 5 × 10^n steps) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || count < 1) return []
  if (hi < lo) [lo, hi] = [hi, lo]
  if (hi === lo) return [lo]
  const raw = (hi - lo) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

export interface CandleRange {
  lo: number
  hi: number
  maxVolume: number
}

/** Price range (lows to highs, padded 5 % each way) and the largest volume of the candles shown. */
export function candleRange(candles: readonly CandleView[]): CandleRange | null {
  if (candles.length === 0) return null
  let lo = Infinity
  let hi = -Infinity
  let maxVolume = 0
  for (const c of candles) {
    lo = Math.min(lo, c.low)
    hi = Math.max(hi, c.high)
    maxVolume = Math.max(maxVolume, c.volume)
  }
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.001 || 1
  return { lo: lo - pad, hi: hi + pad, maxVolume }
}
