import { useEffect, useMemo, useRef, type RefObject } from 'react'
import { createSeriesMarkers, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker, type Time } from 'lightweight-charts'
import type { TimeFormat } from '../../ui/format'
import { chartTimes } from './chartTime'
import { startOrdersSync } from '../trading/ordersStore'
import { useScopedLists } from '../trading/scopedStore'
import type { FillView } from '../../../src-main/api/contract'
import type { Palette } from './canvas'
import { fillMarkers } from './fillMarkers'
import type { CandleView, MarketTimeframe } from '../../../src-main/api/contract'

const NONE: FillView[] = []

/**
 * Draws the user's fills on a market's candle series (fillMarkers.ts) as the engine records them: an arrow
 * at each fill's price in its candle. Returns how many are drawn.
 */
export function useFillMarkers(
  chart: RefObject<{ candle: ISeriesApi<'Candlestick'> } | null>,
  venueId: string,
  symbol: string,
  candles: readonly CandleView[],
  palette: Palette | null,
  timeframe: MarketTimeframe,
  fmt: TimeFormat | null,
): number {
  useEffect(() => startOrdersSync(), [])
  // This market's fills, asked of the engine for it (the shared list holds the newest of all accounts only).
  const fills = useScopedLists({ venueId, symbol })?.fills ?? NONE
  // Only the candles' open times matter: a forming candle's update keeps the same list.
  const first = candles[0]?.time
  const last = candles.at(-1)?.time
  const count = candles.length
  const times = useMemo(() => candles.map((c) => c.time), [first, last, count]) // eslint-disable-line react-hooks/exhaustive-deps
  const markers = useMemo(() => fillMarkers(fills, venueId, symbol, times), [fills, venueId, symbol, times])
  // Each candle's chart time (shifted to the zone's wall time, as the candles are drawn); none until the
  // time format is known.
  const at = useMemo(() => {
    const shifted = fmt ? chartTimes(times, timeframe, fmt) : []
    return new Map(times.map((t, i) => [t, shifted[i] ?? null]))
  }, [times, timeframe, fmt])
  const drawnCount = markers.filter((m) => at.get(m.candleTime) != null).length
  const plugin = useRef<ISeriesMarkersPluginApi<Time> | null>(null)

  useEffect(() => {
    const series = chart.current?.candle
    if (series === undefined || palette === null) return
    const drawn: SeriesMarker<Time>[] = markers.flatMap((m) => {
      const time = at.get(m.candleTime)
      if (time == null) return []
      const color = m.side === 'buy' ? palette.up : palette.down
      return [{ id: m.id, time, position: 'atPriceMiddle', price: m.price, shape: m.side === 'buy' ? 'arrowUp' : 'arrowDown', color, text: m.text }]
    })
    if (plugin.current === null) plugin.current = createSeriesMarkers(series, drawn)
    else plugin.current.setMarkers(drawn)
  }, [chart, markers, palette, at])

  return drawnCount
}
