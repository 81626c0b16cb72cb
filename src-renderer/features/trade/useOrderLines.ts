import { useEffect, useMemo, useRef, type RefObject } from 'react'
import { LineStyle, type CreatePriceLineOptions, type IPriceLine, type ISeriesApi } from 'lightweight-charts'
import { startOrdersSync, useOrders } from '../trading/ordersStore'
import type { Palette } from './canvas'
import { useAlerts } from '../alerts/alertsStore'
import { alertLines, orderLines, type OrderLine } from './orderLines'

/**
 * Draws the user's resting orders, live triggers and price alerts on a market's candle series (orderLines.ts),
 * following the engine's order, conditional and alert streams: a line is added, moved (a trailing trigger, an amendment) or
 * removed (filled, canceled, fired) as they report. Returns the lines drawn.
 */
export function useOrderLines(
  chart: RefObject<{ candle: ISeriesApi<'Candlestick'> } | null>,
  venueId: string,
  symbol: string,
  palette: Palette | null,
): readonly OrderLine[] {
  useEffect(() => startOrdersSync(), [])
  const open = useOrders((s) => s.open)
  const conditional = useOrders((s) => s.conditional)
  // Alerts are followed for the app's lifetime (App starts their sync).
  const alerts = useAlerts((s) => s.active)
  const lines = useMemo(
    () => [...orderLines(open, conditional, venueId, symbol), ...alertLines(alerts, venueId, symbol)],
    [open, conditional, alerts, venueId, symbol],
  )
  const drawn = useRef(new Map<string, { line: IPriceLine; key: string }>())

  useEffect(() => {
    // The chart exists once its palette is read (CandlePanel sets both when it creates the chart).
    const series = chart.current?.candle
    if (series === undefined || palette === null) return
    const shown = drawn.current
    const keep = new Set<string>()
    for (const l of lines) {
      const options: CreatePriceLineOptions = {
        price: l.price,
        color: l.style === 'alert' ? palette.accent : l.side === 'buy' ? palette.up : palette.down,
        lineWidth: 1,
        lineStyle: l.style === 'order' ? LineStyle.Solid : l.style === 'alert' ? LineStyle.SparseDotted : LineStyle.Dashed,
        axisLabelVisible: true,
        title: l.title,
      }
      const key = `${l.price}|${options.color}|${l.style}|${l.title}`
      const now = shown.get(l.id)
      if (now === undefined) shown.set(l.id, { line: series.createPriceLine(options), key })
      else if (now.key !== key) {
        now.line.applyOptions(options)
        now.key = key
      }
      keep.add(l.id)
    }
    for (const [id, d] of shown) {
      if (keep.has(id)) continue
      series.removePriceLine(d.line)
      shown.delete(id)
    }
  }, [chart, lines, palette])

  return lines
}
