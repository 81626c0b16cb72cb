import { useEffect, useRef, useState, type RefObject } from 'react'

// Canvas helpers for the charts: a canvas that follows its box's size at the screen's pixel ratio, and
// the theme's colours read from CSS variables (so the charts follow the theme setting).

export interface CanvasSize {
  width: number
  height: number
}

/** Tracks the CSS size of `box` (a wrapper the canvas fills). */
export function useBoxSize(box: RefObject<HTMLElement | null>): CanvasSize {
  const [size, setSize] = useState<CanvasSize>({ width: 0, height: 0 })
  useEffect(() => {
    const el = box.current
    if (!el) return
    const measure = () => {
      const r = el.getBoundingClientRect()
      setSize((s) => (s.width === Math.floor(r.width) && s.height === Math.floor(r.height) ? s : { width: Math.floor(r.width), height: Math.floor(r.height) }))
    }
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [box])
  return size
}

/** A 2D context scaled so that drawing is in CSS pixels; sizes the backing store to the pixel ratio. */
export function prepare(canvas: HTMLCanvasElement, size: CanvasSize): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1
  const w = Math.max(1, Math.round(size.width * ratio))
  const h = Math.max(1, Math.round(size.height * ratio))
  if (canvas.width !== w) canvas.width = w
  if (canvas.height !== h) canvas.height = h
  const ctx = canvas.getContext('2d')
  if (!ctx) return null
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0)
  ctx.clearRect(0, 0, size.width, size.height)
  return ctx
}

export interface Palette {
  up: string
  down: string
  text: string
  muted: string
  grid: string
  accent: string
  font: string
  /** The UI font family (for charts that take size and family apart). */
  family: string
}

export function readPalette(el: Element): Palette {
  const css = getComputedStyle(el)
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  return {
    up: v('--ok', '#22c55e'),
    down: v('--err', '#f05252'),
    text: v('--text-dim', '#9aa5b4'),
    muted: v('--text-muted', '#6b7686'),
    grid: v('--border', '#222935'),
    accent: v('--accent', '#3b82f6'),
    font: `11px ${v('--font-ui', 'sans-serif')}`,
    family: v('--font-ui', 'sans-serif'),
  }
}

/** The latest value in a ref (for draw callbacks that must not re-subscribe). */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value)
  useEffect(() => {
    ref.current = value
  })
  return ref
}
