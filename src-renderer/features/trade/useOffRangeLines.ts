import { useEffect, useState, type RefObject } from 'react'
import type { IChartApi, ISeriesApi } from 'lightweight-charts'
import { offRangeLines, type OffRange, type OrderLine } from './orderLines'

const NONE: OffRange = { above: [], below: [] }
/** The price scale can change without an event (a drag on the axis, autoscale): it is looked at this often. */
const CHECK_MS = 400

/**
 * The order, trigger and alert lines the chart's price range leaves out (price lines outside it are not
 * drawn at all), kept current as the lines, the data and the scale change.
 */
export function useOffRangeLines(chart: RefObject<{ api: IChartApi; candle: ISeriesApi<'Candlestick'> } | null>, lines: readonly OrderLine[]): OffRange {
  const [off, setOff] = useState<OffRange>(NONE)
  useEffect(() => {
    let shown = ''
    const check = () => {
      const c = chart.current
      if (!c) return
      const next = lines.length === 0 ? NONE : offRangeLines(lines, (p) => c.candle.priceToCoordinate(p), c.api.paneSize().height)
      const key = `${next.above.map((l) => `${l.id}:${l.title}`).join(',')}|${next.below.map((l) => `${l.id}:${l.title}`).join(',')}`
      if (key === shown) return
      shown = key
      setOff(next)
    }
    check()
    const t = setInterval(check, CHECK_MS)
    return () => clearInterval(t)
  }, [chart, lines])
  return off
}
