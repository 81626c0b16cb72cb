import { useEffect, useMemo, useRef, type RefObject } from 'react'
import { LineStyle, type IPriceLine, type ISeriesApi } from 'lightweight-charts'
import type { Palette } from './canvas'
import { positionLine } from './marketPosition'
import { useMarketPosition } from './useMarketPosition'

/**
 * The account's position on the chart: a line at its average cost (break-even before fees), labelled with
 * the amount held, live from the portfolio engine (marketPosition.ts says when there is one). Returns its
 * price, or null when none is drawn.
 */
export function usePositionLine(
  chart: RefObject<{ candle: ISeriesApi<'Candlestick'> } | null>,
  venueId: string,
  symbol: string,
  quote: string | null,
  palette: Palette | null,
): number | null {
  const { reading } = useMarketPosition(venueId, symbol)
  const line = useMemo(() => (quote === null ? null : positionLine(reading, quote)), [reading, quote])
  const drawn = useRef<IPriceLine | null>(null)

  useEffect(() => {
    const series = chart.current?.candle
    if (series === undefined || palette === null) return
    if (line === null) {
      if (drawn.current) series.removePriceLine(drawn.current)
      drawn.current = null
      return
    }
    const options = { price: line.price, color: palette.accent, lineWidth: 2 as const, lineStyle: LineStyle.LargeDashed, axisLabelVisible: true, title: line.title }
    if (drawn.current) drawn.current.applyOptions(options)
    else drawn.current = series.createPriceLine(options)
  }, [chart, line, palette])

  return line?.price ?? null
}
