import { describe, expect, it } from 'vitest'
import {
  addView,
  allViews,
  closeView,
  focusedView,
  MAX_COLUMNS,
  MAX_VIEWS,
  normalize,
  openMarket,
  replaceKind,
  resize,
  setViewMarket,
  setViewOptions,
  stepFocus,
  viewOfKind,
} from '../../src-renderer/features/workspace/layout'
import { isPinned, MAX_WATCHLIST, movePinned, pinnedFirst, pinnedMarkets, togglePinned } from '../../src-renderer/features/workspace/watchlistMarkets'
import { MAX_WATCHLIST as ENGINE_MAX_WATCHLIST, workspaceLayoutSchema } from '../../src-main/api/schemas/workspace'
import { defaultLayout } from '../../src-main/workspace/defaults'
import type { WorkspaceLayout } from '../../src-main/api/contract'

// The workspace's edits as the Trade page makes them (add, close, replace, rebind, resize, focus): each
// result must still be a layout the engine accepts.

const BTC = { venueId: 'sim', symbol: 'BTC/USDT' }
const ETH = { venueId: 'sim', symbol: 'ETH/USDT' }
const SOL = { venueId: 'sim', symbol: 'SOL/USDT' }

const valid = (l: WorkspaceLayout) => {
  const r = workspaceLayoutSchema.safeParse(l)
  expect(r.success, r.success ? '' : JSON.stringify(r.error.issues)).toBe(true)
  return l
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const empty: WorkspaceLayout = { version: 1, watchlist: 20, columns: [], focused: null }

/** Five views on BTC/USDT in three columns (candles above depth, book above tape, aggregate), the book focused. */
function fiveViews(): WorkspaceLayout {
  return {
    version: 1,
    watchlist: 18,
    columns: [
      {
        id: 'c1',
        size: 38,
        views: [
          { id: 'v1', kind: 'candles', ...BTC, size: 64, timeframe: '1m' },
          { id: 'v2', kind: 'depth', ...BTC, size: 36 },
        ],
      },
      {
        id: 'c2',
        size: 23,
        views: [
          { id: 'v3', kind: 'book', ...BTC, size: 62, group: 1 },
          { id: 'v4', kind: 'tape', ...BTC, size: 38 },
        ],
      },
      { id: 'c3', size: 21, views: [{ id: 'v5', kind: 'aggregate', ...BTC, size: 100 }] },
    ],
    focused: 'v3',
  }
}

describe('workspace layout edits', () => {
  it('adds a view beside the focused one in a new column, focused, the columns keeping their total width', () => {
    const start = fiveViews()
    const before = sum(start.columns.map((c) => c.size))
    const { layout, id } = addView(start, 'book', ETH, 'beside')
    valid(layout)
    expect(id).toBe('v6')
    expect(layout.focused).toBe('v6')
    const at = layout.columns.findIndex((c) => c.views.some((v) => v.id === 'v6'))
    // The default focuses the ladder (column 2): the new column comes right after it.
    expect(layout.columns[at - 1]!.views.some((v) => v.id === start.focused)).toBe(true)
    expect(layout.columns[at]!.views).toEqual([{ id: 'v6', kind: 'book', ...ETH, size: 100, group: 1, depth: 40 }])
    expect(sum(layout.columns.map((c) => c.size))).toBeCloseTo(before, 1)
    expect(layout.columns[at]!.size).toBeCloseTo(before / 4, 1)
  })

  it('adds a view below an anchor, sharing its column', () => {
    const start = fiveViews()
    const { layout, id } = addView(start, 'tape', ETH, 'below', 'v3')
    valid(layout)
    const col = layout.columns.find((c) => c.views.some((v) => v.id === 'v3'))!
    expect(col.views.map((v) => v.id)).toEqual(['v3', id, 'v4'])
    expect(sum(col.views.map((v) => v.size))).toBeCloseTo(100, 1)
    expect(col.views[1]!.size).toBeCloseTo(100 / 3, 1)
  })

  it('opens the first view of an empty workspace in a column of its own', () => {
    const { layout, id } = addView(empty, 'candles', BTC, 'beside')
    valid(layout)
    expect(layout.columns).toHaveLength(1)
    expect(layout.columns[0]!.size).toBe(80)
    expect(layout.columns[0]!.views[0]).toMatchObject({ id, kind: 'candles', timeframe: '1m' })
  })

  it('stacks views once there are as many columns as allowed, and stops at the view limit', () => {
    let l = empty
    for (let i = 0; i < MAX_COLUMNS + 3; i++) l = addView(l, 'tape', BTC, 'beside').layout
    valid(l)
    expect(l.columns).toHaveLength(MAX_COLUMNS)
    expect(allViews(l)).toHaveLength(MAX_COLUMNS + 3)
    while (allViews(l).length < MAX_VIEWS) l = addView(l, 'book', ETH, 'below').layout
    valid(l)
    const full = addView(l, 'book', ETH, 'beside')
    expect(full.id).toBeNull()
    expect(full.layout).toBe(l)
  })

  it('closes a view: its column neighbours share the room and focus moves to a neighbour', () => {
    const start = fiveViews()
    const l = valid(closeView(start, 'v3'))
    const col = l.columns.find((c) => c.id === 'c2')!
    expect(col.views).toEqual([{ ...start.columns[1]!.views[1]!, size: 100 }])
    expect(l.focused).toBe('v4')
  })

  it('closes the last view of a column: the column goes and the others take its width', () => {
    const start = fiveViews()
    const before = sum(start.columns.map((c) => c.size))
    const l = valid(closeView({ ...start, focused: 'v5' }, 'v5'))
    expect(l.columns.map((c) => c.id)).toEqual(['c1', 'c2'])
    expect(sum(l.columns.map((c) => c.size))).toBeCloseTo(before, 1)
    expect(l.focused).toBe('v3')
    const none = [...allViews(l)].reduce((acc, v) => closeView(acc, v.id), l)
    expect(valid(none)).toMatchObject({ columns: [], focused: null })
  })

  it('replaces a view kind in place; options start afresh for the new kind', () => {
    const l = valid(replaceKind(setViewOptions(fiveViews(), 'v3', { group: 100 }), 'v3', 'candles'))
    expect(l.columns[1]!.views[0]).toEqual({ id: 'v3', kind: 'candles', ...BTC, size: 62, timeframe: '1m' })
  })

  it('"open market" moves the focused view and the views on the same market, not the others', () => {
    let l = addView(fiveViews(), 'book', ETH, 'beside').layout
    l = { ...l, focused: 'v3' }
    l = valid(setViewOptions(l, 'v3', { group: 10 }))
    const moved = valid(openMarket(l, SOL))
    const markets = Object.fromEntries(allViews(moved).map((v) => [v.id, v.symbol]))
    expect(markets).toEqual({ v1: 'SOL/USDT', v2: 'SOL/USDT', v3: 'SOL/USDT', v4: 'SOL/USDT', v5: 'SOL/USDT', v6: 'ETH/USDT' })
    // A new market starts ungrouped.
    expect(allViews(moved).find((v) => v.id === 'v3')!.group).toBe(1)
    // From the ETH book only the ETH book moves.
    const fromEth = openMarket({ ...moved, focused: 'v6' }, BTC)
    expect(allViews(fromEth).filter((v) => v.symbol === 'BTC/USDT').map((v) => v.id)).toEqual(['v6'])
    // With no view, it opens an order book.
    expect(allViews(openMarket(empty, ETH))).toMatchObject([{ kind: 'book', ...ETH }])
  })

  it('binds one view to another market', () => {
    const l = valid(setViewMarket(fiveViews(), 'v4', ETH))
    expect(allViews(l).filter((v) => v.symbol === 'ETH/USDT').map((v) => v.id)).toEqual(['v4'])
  })

  it('keeps sizes the user gave (clamped to 0..100), by column or within one column', () => {
    const start = fiveViews()
    const l = valid(resize(start, { watchlist: 25.123, c1: 30, c2: 120, unknown: 5 }))
    expect(l.watchlist).toBe(25.12)
    expect(l.columns.map((c) => c.size)).toEqual([30, 100, start.columns[2]!.size])
    const inner = valid(resize(l, { v3: 80, v4: 20 }, 'c2'))
    expect(inner.columns[1]!.views.map((v) => v.size)).toEqual([80, 20])
    expect(normalize([1, 1, 2])).toEqual([25, 25, 50])
    expect(normalize([0, 0])).toEqual([50, 50])
  })

  it('moves focus through the views in order, wrapping around, and finds a view by kind', () => {
    const l = fiveViews()
    expect(stepFocus(l, 1).focused).toBe('v4')
    expect(stepFocus({ ...l, focused: 'v5' }, 1).focused).toBe('v1')
    expect(stepFocus({ ...l, focused: 'v1' }, -1).focused).toBe('v5')
    expect(viewOfKind(l, 'candles')!.id).toBe('v1')
    expect(viewOfKind(addView(l, 'candles', ETH, 'beside').layout, 'candles')!.symbol).toBe('ETH/USDT')
    expect(focusedView({ ...l, focused: null })!.id).toBe('v1')
  })
})

describe('watchlist pins', () => {
  it("the default pins the simulated exchange's markets; a pin goes at the end, a second press unpins; the engine accepts each result", () => {
    expect(MAX_WATCHLIST).toBe(ENGINE_MAX_WATCHLIST)
    const start = valid(defaultLayout())
    expect(pinnedMarkets(start)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'ETH/BTC'].map((symbol) => ({ venueId: 'sim', symbol })))
    expect(pinnedMarkets(empty)).toEqual([]) // a layout saved before pinning existed
    expect(pinnedMarkets(empty)).toBe(pinnedMarkets({ ...empty })) // one stable array: a store selector returns it
    const okx = { venueId: 'okx-main', symbol: 'BTC/USDT' }
    const added = togglePinned(start, okx)
    expect(added).toMatchObject({ pinned: true, full: false })
    expect(pinnedMarkets(valid(added.layout)).at(-1)).toEqual(okx)
    expect(isPinned(added.layout, okx)).toBe(true)
    expect(isPinned(start, okx)).toBe(false)
    const removed = togglePinned(added.layout, BTC)
    expect(removed.pinned).toBe(false)
    expect(pinnedMarkets(valid(removed.layout)).map((m) => m.symbol)).toEqual(['ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'ETH/BTC', 'BTC/USDT'])
    // The views are not touched.
    expect(removed.layout.columns).toBe(start.columns)
  })

  it('lists the pinned markets first, in the watchlist order, then the rest as they came', () => {
    const layout = movePinned(defaultLayout(), ETH, -1) // ETH/USDT, BTC/USDT, SOL/USDT, …
    const okx = { venueId: 'okx', symbol: 'BTC/USDT' }
    const rows = [okx, SOL, BTC, { venueId: 'sim', symbol: 'DOGE/USDT' }, ETH]
    expect(pinnedFirst(rows, pinnedMarkets(layout))).toEqual([ETH, BTC, SOL, okx, { venueId: 'sim', symbol: 'DOGE/USDT' }])
    expect(pinnedFirst(rows, [])).toEqual(rows)
  })

  it('moves a pinned market up or down; at an end, or not pinned, nothing changes', () => {
    const start = defaultLayout()
    expect(pinnedMarkets(movePinned(start, ETH, -1)).map((m) => m.symbol)).toEqual(['ETH/USDT', 'BTC/USDT', 'SOL/USDT', 'XRP/USDT', 'ETH/BTC'])
    expect(pinnedMarkets(movePinned(start, ETH, 1)).map((m) => m.symbol)).toEqual(['BTC/USDT', 'SOL/USDT', 'ETH/USDT', 'XRP/USDT', 'ETH/BTC'])
    expect(movePinned(start, BTC, -1)).toBe(start)
    expect(movePinned(start, { venueId: 'sim', symbol: 'ETH/BTC' }, 1)).toBe(start)
    expect(movePinned(start, { venueId: 'okx', symbol: 'BTC/USDT' }, 1)).toBe(start)
  })

  it(`holds at most ${MAX_WATCHLIST} markets: one more is refused (full) and the layout stays as it was`, () => {
    const many = { ...empty, watchlistMarkets: Array.from({ length: MAX_WATCHLIST }, (_, i) => ({ venueId: 'sim', symbol: `C${i}/USDT` })) }
    valid(many)
    const more = togglePinned(many, SOL)
    expect(more).toEqual({ layout: many, pinned: false, full: true })
    // Unpinning still works when full.
    expect(pinnedMarkets(togglePinned(many, { venueId: 'sim', symbol: 'C0/USDT' }).layout)).toHaveLength(MAX_WATCHLIST - 1)
  })
})

