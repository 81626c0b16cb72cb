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
