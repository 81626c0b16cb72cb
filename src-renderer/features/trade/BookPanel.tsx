import { memo, useCallback, useEffect, useMemo, useRef, type KeyboardEvent } from 'react'
import { Kbd } from '../../ui/Kbd'
import { decimalsOf, formatDecimal } from '../../ui/decimal'
import { formatAgo } from '../../ui/format'
import { useNow } from '../../ui/useNow'
import {
  bookHealthShown,
  buildLadder,
  flashStep,
  formatFixed,
  groupParam,
  GROUP_MULTIPLES,
  nearestLevel,
  nextGroup,
  priceDecimals,
  spreadMidText,
  type GroupMultiple,
  type LadderRow,
} from './book'
import { useBookFeed, useMarketInfo } from './feeds'
import { useBoxSize, useLatest } from './canvas'
import { useSelection } from './selection'
import { useKeyed } from './useKeyed'
import { ViewFrame } from './ViewFrame'
import { useConnection } from '../connection/connection'
import { useVenueName } from '../markets/venuesStore'
import { LevelsPicker } from './LevelsPicker'
import { myLevels, ordersAtLevel } from './myLevels'
import { startOrdersSync, useOrders } from '../trading/ordersStore'
import { cancelOrder } from '../trading/tradingActions'
import { DEFAULT_LEVELS, setViewOptions } from '../workspace/layout'
import { changeWorkspace } from '../workspace/workspaceStore'
import type { BookFrameView, WorkspaceView } from '../../../src-main/api/contract'

interface LadderCursor {
  side: 'ask' | 'bid'
  price: number
}
const NO_CURSOR: LadderCursor | null = null

/** Height of one level row in px (trade.css .lvl). */
const LEVEL_H = 18

const statusText: Record<BookFrameView['status'], string> = { live: 'live', resyncing: 'resyncing', stale: 'stale' }

/**
 * The book's health: live / resyncing / stale, why, and how long since it last changed. A venue that is
 * gone (a saved layout naming a removed account) says so instead of "connecting…".
 */
export function BookHealth({ frame, venueId }: { frame: BookFrameView | null; venueId?: string }) {
  const now = useNow(1000)
  const connection = useConnection()
  const venue = useVenueName(venueId ?? null)
  if (!frame && venue?.gone) {
    return (
      <span className="muted" data-testid="book-venue-gone">
        {venue.label}: choose another market for this view
      </span>
    )
  }
  if (!frame) return <span className="muted">connecting…</span>
  const { status, reason } = bookHealthShown(frame, connection, now)
  return (
    <span className="book-health" data-testid="book-health" data-status={status}>
      <span className={`dot dot-${status === 'live' ? 'live' : status === 'resyncing' ? 'degraded' : 'down'}`} aria-hidden="true" />
      <span className="book-status" data-testid="book-status">
        {statusText[status]}
      </span>
      {reason ? (
        <span className="book-reason" title={frame.reason ?? undefined}>
          {reason}
        </span>
      ) : null}
      <span className="muted" data-testid="book-updated">
        {frame.lastUpdateAt === null ? 'no data yet' : `updated ${formatAgo(now - frame.lastUpdateAt)}`}
      </span>
    </span>
  )
}

/**
 * The order book ladder of one workspace view: asks above, bids below, spread and mid between, on the
 * view's market at its grouping and depth. A level's price goes to the ticket (the selection store).
 */
export function BookPanel({ view }: { view: WorkspaceView }) {
  const info = useMarketInfo(view)
  const group: GroupMultiple = view.group ?? 1
  const depth = view.depth ?? DEFAULT_LEVELS
  const tickKnown = info?.tickSize
  // Grouped, the step needs the market's tick: wait for it rather than showing the raw book first.
  const step = group === 1 ? undefined : tickKnown ? groupParam(tickKnown, group) : null
  const { frame, error, changed, at } = useBookFeed(step === null ? null : view, step ?? undefined, depth)
  const setGroup = (g: GroupMultiple) => changeWorkspace((l) => setViewOptions(l, view.id, { group: g }))
  const selectPrice = useSelection((s) => s.selectPrice)
  // A cursor belongs to one market at one grouping; another starts without one.
  const [cursor, updateCursor] = useKeyed<LadderCursor | null>(`${view.venueId}|${view.symbol}|${step ?? ''}`, NO_CURSOR)
  const setCursor = (c: LadderCursor | null) => updateCursor(() => c)

  // The user's resting orders on this market, marked on their levels.
  useEffect(() => startOrdersSync(), [])
  const open = useOrders((s) => s.open)
  const { venueId, symbol } = view
  const frameGroup = frame?.group ?? null
  const mine = useMemo(() => myLevels(open, { venueId, symbol }, frameGroup), [open, venueId, symbol, frameGroup])

  // Null until the venue's markets are known: the prices then show with the decimals they have.
  const tick = frame?.tick ?? info?.tickSize ?? null
  const pd = useMemo(() => priceDecimals(tick, frame?.group, frame ? [...frame.bids, ...frame.asks] : []), [tick, frame])
  const spreadMid = useMemo(() => (frame ? spreadMidText(frame, tick, [...frame.bids, ...frame.asks]) : null), [tick, frame])
  const sd = info ? decimalsOf(info.stepSize) : 4
  // Only the levels that fit are drawn, and the depth bars are scaled to what is drawn.
  const asksBox = useRef<HTMLDivElement>(null)
  const perSide = Math.max(1, Math.floor(useBoxSize(asksBox).height / LEVEL_H))
  const ladder = useMemo(() => buildLadder(frame?.bids ?? [], frame?.asks ?? [], perSide), [frame, perSide])
  // Top to bottom: asks worst → best, then bids best → worst.
  const order = useMemo(() => [...ladder.asks].reverse().concat(ladder.bids).map((r) => r.price), [ladder])
  // The keyboard cursor stays on its side: when its level goes, the nearest level left there takes it.
  const selected = useMemo(() => (cursor ? nearestLevel(cursor.side === 'ask' ? ladder.asks : ladder.bids, cursor.price) : null), [cursor, ladder])
  const selectedSide = selected === null || !cursor ? null : cursor.side
  const sideAt = (index: number): 'ask' | 'bid' => (index < ladder.asks.length ? 'ask' : 'bid')

  const pick = (side: 'ask' | 'bid', price: number) => {
    setCursor({ side, price })
    selectPrice(view, formatFixed(price, pd).replace(/,/g, ''))
  }
  // Rows are memoised; their click handler stays the same function and calls the latest `pick`.
  const latestPick = useLatest(pick)
  const onPick = useCallback((side: 'ask' | 'bid', price: number) => latestPick.current(side, price), [latestPick])

  const onKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || order.length === 0) return
    const at = selected === null ? -1 : selectedSide === 'bid' ? order.lastIndexOf(selected) : order.indexOf(selected)
    const bestAsk = ladder.asks.length - 1
    let next: number | null = null
    if (event.key === 'ArrowUp') next = at < 0 ? Math.max(0, bestAsk) : Math.max(0, at - 1)
    else if (event.key === 'ArrowDown') next = at < 0 ? Math.min(order.length - 1, bestAsk + 1) : Math.min(order.length - 1, at + 1)
    else if (event.key === 'PageUp') next = Math.max(0, (at < 0 ? bestAsk : at) - 10)
    else if (event.key === 'PageDown') next = Math.min(order.length - 1, (at < 0 ? bestAsk + 1 : at) + 10)
    else if (event.key === 'Home') next = Math.max(0, bestAsk)
    else if (event.key === 'End') next = Math.min(order.length - 1, bestAsk + 1)
    else if (event.key === 'Enter' && selected !== null && selectedSide) {
      event.preventDefault()
      pick(selectedSide, selected)
      return
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && selected !== null && selectedSide) {
      // Cancels the user's own orders resting at the selected level.
      event.preventDefault()
      for (const o of ordersAtLevel(open, { venueId, symbol }, selectedSide, selected, frameGroup)) void cancelOrder(o.clientOrderId)
      return
    } else if (event.key === 'g') {
      event.preventDefault()
      setGroup(nextGroup(group))
      return
    }
    if (next !== null) {
      event.preventDefault()
      const price = order[next]
      setCursor(price === undefined ? null : { side: sideAt(next), price })
    }
  }

  const connection = useConnection()
  const status = frame ? bookHealthShown(frame, connection).status : 'connecting'
  const rowId = (side: 'ask' | 'bid', price: number) => levelRowId(view.id, side, price)

  const row = (side: 'ask' | 'bid', r: LadderRow) => (
    <LevelRow
      key={r.price}
      viewId={view.id}
      side={side}
      price={r.price}
      size={r.size}
      cum={r.cum}
      mine={(side === 'ask' ? mine.asks : mine.bids).get(r.price) ?? 0}
      ratio={r.ratio}
      flash={flashStep((side === 'ask' ? changed.asks : changed.bids).get(r.price), at)}
      selected={side === selectedSide && r.price === selected}
      pd={pd}
      sd={sd}
      onPick={onPick}
    />
  )

  const spreadBps = frame?.spread != null && frame.mid ? (frame.spread / frame.mid) * 10_000 : null
  return (
    <ViewFrame view={view}>
      <div className="book-head">
        <BookHealth frame={frame} venueId={view.venueId} />
        <span className="book-tools">
          <select
            className="input input-compact"
            aria-label="Price grouping"
            title="Price grouping (G in the ladder)"
            value={group}
            onChange={(e) => setGroup(Number(e.target.value) as GroupMultiple)}
            data-testid="book-group"
          >
            {GROUP_MULTIPLES.map((m) => (
              <option key={m} value={m}>
                {tick === null ? (m === 1 ? 'tick' : `${m}× tick`) : m === 1 ? `${formatDecimal(tick)} (tick)` : `${formatDecimal(groupParam(tick, m) ?? tick)} (${m}×)`}
              </option>
            ))}
          </select>
          <LevelsPicker view={view} depth={depth} />
        </span>
      </div>
      {error ? (
        <p className="inline-error" role="alert" data-testid="book-error">
          {error}
        </p>
      ) : null}
      {frame?.truncated ? (
        // The venue sends a book only so deep; the bucket it ends in is left out, not shown short.
        <p className="muted book-truncated" data-testid="book-truncated">
          Fewer levels than asked at this grouping: the exchange sends only part of this book&apos;s depth.
        </p>
      ) : null}
      <div
          id={`ladder-${view.id}`}
          className="ladder"
          role="grid"
          aria-label="Order book levels"
          aria-activedescendant={selected !== null && selectedSide ? rowId(selectedSide, selected) : undefined}
          tabIndex={0}
          onKeyDown={onKeys}
          data-status={status}
          data-testid="ladder"
          data-view-focus
        >
          <div className="lvl lvl-cols" role="row" aria-hidden="true">
            <span className="lvl-price">Price</span>
            <span className="lvl-mine" title="Your resting orders at the level">Mine</span>
            <span className="lvl-size">Size</span>
            <span className="lvl-cum">Total</span>
          </div>
          <div className="ladder-asks" data-testid="book-asks" ref={asksBox}>
            {[...ladder.asks].reverse().map((r) => row('ask', r))}
          </div>
          <div className="ladder-spread" data-testid="book-spread">
            <span className="spread-mid" data-testid="book-mid">
              {spreadMid?.mid ?? '—'}
            </span>
            <span className="muted">
              {!frame ? (error ? 'No book.' : 'Waiting for the book…') : `spread ${spreadMid!.spread}`}
              {spreadBps === null ? '' : ` · ${spreadBps.toFixed(1)} bps`}
            </span>
          </div>
          <div className="ladder-bids" data-testid="book-bids">
            {ladder.bids.map((r) => row('bid', r))}
          </div>
        </div>
      <footer className="key-footer book-keys" aria-hidden="true">
        <span>
          <Kbd combo="Up" />
          <Kbd combo="Down" /> level
        </span>
        <span>
          <Kbd combo="Enter" /> ticket
        </span>
        <span>
          <Kbd combo="G" /> group
        </span>
        <span>
          <Kbd combo="Delete" /> cancel mine
        </span>
      </footer>
    </ViewFrame>
  )
}

const levelRowId = (viewId: string, side: 'ask' | 'bid', price: number) => `lvl-${viewId}-${side}-${String(price).replace(/[^0-9]/g, '_')}`

interface LevelRowProps {
  viewId: string
  side: 'ask' | 'bid'
  price: number
  size: number
  cum: number
  /** What the user's own orders still have open at this level (0: none). */
  mine: number
  /** Depth bar length, 0..1. */
  ratio: number
  /** Flash step: 0 none, 1 (just changed) … FLASH_STEPS (faintest). */
  flash: number
  selected: boolean
  pd: number
  sd: number
  onPick: (side: 'ask' | 'bid', price: number) => void
}

/** One ladder level. Memoised on plain values: a frame re-renders only the rows whose figures changed. */
const LevelRow = memo(function LevelRow({ viewId, side, price, size, cum, mine, ratio, flash, selected, pd, sd, onPick }: LevelRowProps) {
  return (
    <div
      id={levelRowId(viewId, side, price)}
      role="row"
      aria-selected={selected}
      className={`lvl lvl-${side}${flash > 0 ? ` flash-${flash}` : ''}`}
      style={{ backgroundSize: `${ratio * 100}% calc(100% - 2px)` }}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onPick(side, price)}
      data-testid={`book-${side}`}
      data-price={price}
      data-mine={mine > 0 ? mine : undefined}
    >
      <span role="gridcell" className="lvl-price" data-testid="level-price">
        {formatFixed(price, pd)}
      </span>
      <span role="gridcell" className="lvl-mine" data-testid="level-mine">
        {mine > 0 ? formatFixed(mine, sd) : ''}
      </span>
      <span role="gridcell" className="lvl-size">
        {formatFixed(size, sd)}
      </span>
      <span role="gridcell" className="lvl-cum">
        {formatFixed(cum, sd)}
      </span>
    </div>
  )
})
