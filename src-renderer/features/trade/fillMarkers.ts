import { formatDecimal } from '../../ui/decimal'
import type { FillView } from '../../../src-main/api/contract'

// The user's fills on a market's candle chart: one arrow per fill at its price, in the candle of its
// time (buys up, sells down), from the engine's fills list. Pure, so it is tested in Node; useFillMarkers
// draws them.

/** At most this many (the newest): a busy copy-trading day must not bury the candles. */
export const MAX_FILL_MARKERS = 200

export interface FillMarker {
  /** The trade id (stable). */
  id: string
  /** Open time of the candle holding the fill (ms UTC). */
  candleTime: number
  price: number
  side: 'buy' | 'sell'
  /** 'B 0.01' / 'S 0.5'. */
  text: string
}

/**
 * The markers for one venue and market, oldest first (the chart wants them in time order), each in the
 * candle holding its time: the last of `candleTimes` (open times, ascending) at or before it. Fills older
 * than the first candle the chart holds are left out.
 */
export function fillMarkers(fills: readonly FillView[], venueId: string, symbol: string, candleTimes: readonly number[]): FillMarker[] {
  const out: FillMarker[] = []
  for (const f of fills) {
    if (f.venueId !== venueId || f.symbol !== symbol) continue
    const candleTime = candleAt(candleTimes, f.timestamp)
    const price = Number(f.price)
    if (candleTime === null || !Number.isFinite(price)) continue
    out.push({ id: f.tradeId, candleTime, price, side: f.side, text: `${f.side === 'buy' ? 'B' : 'S'} ${formatDecimal(f.amount)}` })
  }
  out.sort((a, b) => a.candleTime - b.candleTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return out.slice(-MAX_FILL_MARKERS)
}

/** The last open time at or before `t`, or null when `t` is before the first. */
function candleAt(times: readonly number[], t: number): number | null {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((times[mid] as number) <= t) lo = mid + 1
    else hi = mid
  }
  return lo === 0 ? null : (times[lo - 1] as number)
}
