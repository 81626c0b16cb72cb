import { useEffect, type RefObject } from 'react'
import { LineStyle, type IChartApi, type IPriceLine, type ISeriesApi } from 'lightweight-charts'
import { api } from '../../api'
import { formatDecimal } from '../../ui/decimal'
import { toast } from '../toasts/toastStore'
import { messageOf, useOrders } from '../trading/ordersStore'
import { useAlerts } from '../alerts/alertsStore'
import { useLatest, type Palette } from './canvas'
import { amendOf, drawnY, lineAt, onTick, type LineAmend } from './lineDrag'
import type { OrderLine } from './orderLines'

/**
 * Drag-to-amend on the candle chart: a press on an order line (within a few pixels) picks it up instead of
 * panning the chart; while dragging, a dotted line shows where it goes (on the tick); on release the engine
 * is asked to move it there (orders.amend / conditional.amend), which checks it as any amendment. Escape
 * drops the drag. Over a line the cursor says it can be dragged. The lines' y positions are written on the
 * host (data-order-line-ys, "id@y;…", y empty for a line the price range leaves out) after each redraw, for
 * tests and tools.
 */
export function useLineDrag(
  host: RefObject<HTMLDivElement | null>,
  chart: RefObject<{ api: IChartApi; candle: ISeriesApi<'Candlestick'> } | null>,
  lines: readonly OrderLine[],
  tick: string | null,
  palette: Palette | null,
  redrawn: unknown,
): void {
  const latest = useLatest({ lines, tick, palette })

  useEffect(() => {
    const el = host.current
    const c = chart.current
    if (!el || !c) return
    const height = c.api.paneSize().height
    el.setAttribute('data-order-line-ys', lines.map((l) => `${l.id}@${drawnY(c.candle.priceToCoordinate(l.price), height) ?? ''}`).join(';'))
  }, [host, chart, lines, redrawn])

  useEffect(() => {
    const el = host.current
    if (!el) return
    let drag: { line: OrderLine; pointerId: number; preview: IPriceLine | null; price: string | null } | null = null
    const yIn = (e: MouseEvent) => e.clientY - el.getBoundingClientRect().top
    const yOf = (price: number) => {
      const c = chart.current
      return c ? drawnY(c.candle.priceToCoordinate(price), c.api.paneSize().height) : null
    }
    const hit = (e: MouseEvent) => lineAt(latest.current.lines, yIn(e), yOf)

    const end = () => {
      if (!drag) return
      if (drag.preview) chart.current?.candle.removePriceLine(drag.preview)
      if (el.hasPointerCapture(drag.pointerId)) el.releasePointerCapture(drag.pointerId)
      drag = null
      el.style.cursor = ''
      window.removeEventListener('keydown', onEscape, true)
    }
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.preventDefault()
      e.stopPropagation()
      end()
    }
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || drag) return
      const line = hit(e)
      if (!line) return
      // Ours, not the chart's: no pan starts (and no compatibility mouse events follow a cancelled pointerdown).
      e.preventDefault()
      e.stopPropagation()
      el.setPointerCapture(e.pointerId)
      drag = { line, pointerId: e.pointerId, preview: null, price: null }
      el.style.cursor = 'ns-resize'
      window.addEventListener('keydown', onEscape, true)
    }
    const move = (e: PointerEvent) => {
      if (!drag) {
        el.style.cursor = hit(e) ? 'ns-resize' : ''
        return
      }
      e.stopPropagation()
      const series = chart.current?.candle
      const { tick, palette } = latest.current
      const raw = series?.coordinateToPrice(yIn(e))
      if (!series || tick === null || raw === null || raw === undefined) return
      const price = onTick(raw, tick)
      drag.price = price
      if (price === null) return
      const options = {
        price: Number(price),
        color: palette?.text ?? '#888',
        lineWidth: 1 as const,
        lineStyle: LineStyle.Dotted,
        axisLabelVisible: true,
        title: `→ ${formatDecimal(price)}`,
      }
      if (drag.preview) drag.preview.applyOptions(options)
      else drag.preview = series.createPriceLine(options)
    }
    const up = (e: PointerEvent) => {
      if (!drag) return
      e.stopPropagation()
      const { line, price } = drag
      end()
      if (price === null || Number(price) === line.price) return
      const amend = amendOf(line, price)
      if (amend) void send(amend)
    }
    // The chart listens for mouse events: none reach it while a line is held or being picked up.
    const blockMouse = (e: MouseEvent) => {
      if (drag || (e.type === 'mousedown' && e.button === 0 && hit(e))) e.stopPropagation()
    }
    el.addEventListener('pointerdown', down, true)
    el.addEventListener('pointermove', move, true)
    el.addEventListener('pointerup', up, true)
    el.addEventListener('pointercancel', end, true)
    for (const type of ['mousedown', 'mousemove', 'mouseup'] as const) el.addEventListener(type, blockMouse, true)
    return () => {
      end()
      el.removeEventListener('pointerdown', down, true)
      el.removeEventListener('pointermove', move, true)
      el.removeEventListener('pointerup', up, true)
      el.removeEventListener('pointercancel', end, true)
      for (const type of ['mousedown', 'mousemove', 'mouseup'] as const) el.removeEventListener(type, blockMouse, true)
    }
  }, [host, chart, latest])
}

async function send(amend: LineAmend): Promise<void> {
  try {
    if (amend.command === 'orders.amend') useOrders.getState().orderChanged(await api.invoke('orders.amend', amend.input))
    else if (amend.command === 'alerts.amend') useAlerts.getState().changed(await api.invoke('alerts.amend', amend.input))
    else for (const v of await api.invoke('conditional.amend', amend.input)) useOrders.getState().conditionalChanged(v)
  } catch (err) {
    toast.error(amend.command === 'orders.amend' ? 'Order not moved' : amend.command === 'alerts.amend' ? 'Alert not moved' : 'Trigger not moved', messageOf(err))
  }
}
