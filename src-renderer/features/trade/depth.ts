import type { Level } from './book'

// Depth chart geometry: cumulative bids (left of mid) and asks (right of mid) as step lines over a price
// axis centred on the mid. Pure (no DOM), tested in Node; DepthChart.tsx strokes and fills the points.

export type Point = readonly [x: number, y: number]

export interface DepthGeometry {
  /** Step line from the best bid outwards (leftwards), ending at the left edge. */
  bids: Point[]
  /** Step line from the best ask outwards (rightwards), ending at the right edge. */
  asks: Point[]
  minPrice: number
  maxPrice: number
  maxCum: number
  /** x of the mid price. */
  midX: number
  xOf: (price: number) => number
  yOf: (cum: number) => number
}

function side(levels: readonly Level[], xOf: (p: number) => number, yOf: (c: number) => number, edge: number): Point[] {
  const points: Point[] = []
  let cum = 0
  for (const [price, size] of levels) {
    const x = xOf(price)
    points.push([x, yOf(cum)]) // the vertical riser at this level's price
    cum += size
    points.push([x, yOf(cum)])
  }
  if (points.length > 0) points.push([edge, yOf(cum)])
  return points
}

/** Share of a side's size the price range must show: a small order far out (a stop-loss resting 3 % away
 *  on a thin book) does not squeeze the rest into a sliver; a wall of more than the rest does count. */
const SHOWN_SHARE = 0.9

/** Distance from the mid to the level at which the side's cumulative size reaches SHOWN_SHARE of its total. */
function span(levels: readonly Level[], mid: number): number {
  let total = 0
  for (const [, size] of levels) total += size
  let cum = 0
  for (const [price, size] of levels) {
    cum += size
    if (cum >= SHOWN_SHARE * total) return Math.abs(price - mid)
  }
  const last = levels.at(-1)
  return last === undefined ? 0 : Math.abs(last[0] - mid)
}

/** The side's cumulative size up to `limit` away from the mid (what the chart can show of it). */
function shownTotal(levels: readonly Level[], mid: number, limit: number): number {
  let cum = 0
  for (const [price, size] of levels) {
    if (Math.abs(price - mid) > limit) break
    cum += size
  }
  return cum
}

/**
 * Bids and asks best first. The price range is symmetric about the mid, wide enough for the side whose
 * bulk (SHOWN_SHARE of its size) reaches further; levels beyond it run off the edge. The height scale is
 * the larger side total within the range. Null when both sides are empty or the box is empty.
 */
export function depthGeometry(
  bids: readonly Level[],
  asks: readonly Level[],
  width: number,
  height: number,
): DepthGeometry | null {
  if (width <= 0 || height <= 0 || (bids.length === 0 && asks.length === 0)) return null
  const bestBid = bids[0]?.[0]
  const bestAsk = asks[0]?.[0]
  const mid = bestBid !== undefined && bestAsk !== undefined ? (bestBid + bestAsk) / 2 : (bestBid ?? bestAsk)!
  const half = Math.max(span(bids, mid), span(asks, mid)) || Math.abs(mid) * 0.001 || 1
  const minPrice = mid - half
  const maxPrice = mid + half
  const maxCum = Math.max(shownTotal(bids, mid, half), shownTotal(asks, mid, half)) || 1
  const xOf = (price: number) => ((price - minPrice) / (maxPrice - minPrice)) * width
  const yOf = (cum: number) => height - (cum / maxCum) * height
  return {
    bids: side(bids, xOf, yOf, 0),
    asks: side(asks, xOf, yOf, width),
    minPrice,
    maxPrice,
    maxCum,
    midX: xOf(mid),
    xOf,
    yOf,
  }
}
