import { useEffect, useRef, useState } from 'react'
import { useNow } from '../../ui/useNow'
import { bookHealthShown, formatFixed, priceDecimals } from './book'
import { useConnection } from '../connection/connection'
import { depthGeometry, type Point } from './depth'
import { useBookFeed } from './feeds'
import { prepare, readPalette, useBoxSize, type Palette } from './canvas'
import { ViewFrame } from './ViewFrame'
import { LevelsPicker } from './LevelsPicker'
import { DEFAULT_LEVELS } from '../workspace/layout'
import type { BookFrameView, WorkspaceView } from '../../../src-main/api/contract'

const AXIS_H = 16

/** Cumulative bids and asks around the mid of one view's market (its own market.book stream, ungrouped). */
export function DepthPanel({ view }: { view: WorkspaceView }) {
  const depth = view.depth ?? DEFAULT_LEVELS
  const { frame } = useBookFeed(view, undefined, depth)
  // The ladder's word for the book: cut off from the engine, a live book is stale.
  const connection = useConnection()
  const health = frame ? bookHealthShown(frame, connection) : null
  const box = useRef<HTMLDivElement>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const size = useBoxSize(box)
  // The theme's colours, read once (getComputedStyle per frame would force a style pass each time) and again
  // when <html>'s theme changes, which also redraws.
  const palette = useRef<Palette | null>(null)
  const [theme, setTheme] = useState(0)
  useEffect(() => {
    const watch = new MutationObserver(() => {
      palette.current = null
      setTheme((n) => n + 1)
    })
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'style'] })
    return () => watch.disconnect()
  }, [])

  useEffect(() => {
    const el = canvas.current
    if (!el || size.width === 0) return
    const ctx = prepare(el, size)
    if (!ctx || !frame) return
    const pal = (palette.current ??= readPalette(el))
    const plotH = size.height - AXIS_H
    const geo = depthGeometry(frame.bids, frame.asks, size.width, plotH)
    if (!geo) return
    const fill = (points: Point[], color: string) => {
      if (points.length === 0) return
      ctx.beginPath()
      ctx.moveTo(points[0]![0], plotH)
      for (const [x, y] of points) ctx.lineTo(x, y)
      ctx.lineTo(points.at(-1)![0], plotH)
      ctx.closePath()
      ctx.globalAlpha = 0.18
      ctx.fillStyle = color
      ctx.fill()
      ctx.globalAlpha = 1
      ctx.beginPath()
      points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)))
      ctx.strokeStyle = color
      ctx.lineWidth = 1.5
      ctx.stroke()
    }
    fill(geo.bids, pal.up)
    fill(geo.asks, pal.down)
    // Mid line and price axis.
    ctx.strokeStyle = pal.grid
    ctx.lineWidth = 1
    ctx.beginPath()
    ctx.moveTo(Math.round(geo.midX) + 0.5, 0)
    ctx.lineTo(Math.round(geo.midX) + 0.5, plotH)
    ctx.moveTo(0, plotH + 0.5)
    ctx.lineTo(size.width, plotH + 0.5)
    ctx.stroke()
    ctx.font = pal.font
    ctx.fillStyle = pal.muted
    ctx.textBaseline = 'top'
    const pd = priceDecimals(frame.tick, frame.group, [...frame.bids, ...frame.asks])
    const labels = Math.max(2, Math.floor(size.width / 110))
    for (let i = 0; i <= labels; i++) {
      const x = (i / labels) * size.width
      const price = geo.minPrice + (i / labels) * (geo.maxPrice - geo.minPrice)
      ctx.textAlign = i === 0 ? 'left' : i === labels ? 'right' : 'center'
      ctx.fillText(formatFixed(price, pd), x, plotH + 3)
    }
    // Depth scale at the top of the mid line, where both curves are lowest.
    ctx.textAlign = 'center'
    ctx.fillText(`depth ${formatFixed(geo.maxCum, 4)}`, geo.midX, 4)
  }, [frame, size, theme])

  return (
    <ViewFrame view={view} tools={<LevelsPicker view={view} depth={depth} />}>
      {frame && health && health.status !== 'live' ? <DepthStatus frame={frame} connection={connection} /> : null}
      <div className="chart-box" ref={box} data-status={health?.status ?? 'connecting'} tabIndex={0} data-view-focus>
        <canvas ref={canvas} className="chart-canvas" data-testid="depth-canvas" aria-label="Depth chart" role="img" />
        {!frame ? <p className="chart-empty">Waiting for the book…</p> : null}
      </div>
    </ViewFrame>
  )
}

/** The line over a book that is not live; its own clock, so a silence's age counts on without redrawing the chart. */
function DepthStatus({ frame, connection }: { frame: BookFrameView; connection: string }) {
  const now = useNow(1000)
  const health = bookHealthShown(frame, connection, now)
  return (
    <p className="chart-status" data-testid="depth-status" data-status={health.status} title={frame.reason ?? undefined}>
      {health.status}
      {health.reason ? ` · ${health.reason}` : ''}
    </p>
  )
}
