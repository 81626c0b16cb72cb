import { useVenueName, useVenues } from '../markets/venuesStore'
import { memo, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { Panel, EmptyState } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { formatAtStep, formatPercent, signOf } from '../../ui/decimal'
import { useRowKeys, useSelectedInView } from '../../ui/useRowKeys'
import { marketKey } from '../markets/ticks'
import { MARKET_LIST_LIMIT, useMarketInfo, useMarketList } from './feeds'
import { compact, nextSort, sortByColumn, sortMarkets, type Sort, type SortKey } from './watchlist'
import { openMarket, sameMarket, type MarketRef } from './tradeStore'
import { useFocusedView } from './useFocusedView'
import { useTicker } from './useTicker'
import { useWorkspace } from '../workspace/workspaceStore'
import { pinnedMarkets } from '../workspace/watchlistMarkets'
import { useAlerts } from '../alerts/alertsStore'
import { movePinnedMarket, togglePinnedMarket } from './pinning'
import { watchlistCommand } from './watchlistKeys'
import type { MarketView } from '../../../src-main/api/contract'

export const WATCHLIST_ID = 'trade-watchlist'

type Mode = 'pinned' | 'all'

const columns: { key: SortKey; label: string; num: boolean }[] = [
  { key: 'symbol', label: 'Market', num: false },
  { key: 'last', label: 'Last', num: true },
  { key: 'change', label: '24h %', num: true },
  { key: 'volume', label: 'Volume', num: true },
]

const NO_PINS: readonly MarketRef[] = []
const rowId = (key: string) => `watch-${key.replace(/[^A-Za-z0-9]+/g, '-')}`

/**
 * The watchlist: the markets the user pinned (in their order, live from each market's ticker), or every
 * market (markets.search every 2 s, sortable). `a` switches, `w` pins or unpins the selected market, Delete
 * unpins, Alt+↑/↓ reorders the pinned ones, Enter opens one in the focused views.
 */
export function WatchlistPanel() {
  const { rows, error, loaded } = useMarketList()
  // The list holds the first MARKET_LIST_LIMIT markets: past them it says so (Open market… searches them all).
  const marketTotal = useVenues((s) => s.venues.reduce((n, v) => n + (v.marketCount ?? 0), 0))
  const capped = rows.length >= MARKET_LIST_LIMIT
  const pinned = useWorkspace((s) => (s.layout ? pinnedMarkets(s.layout) : NO_PINS))
  const current = useFocusedView()
  const [chosen, setChosen] = useState<Mode | null>(null)
  // Until the user picks, the pinned markets when there are any.
  const mode: Mode = chosen ?? (pinned.length > 0 ? 'pinned' : 'all')
  const [sort, setSort] = useState<Sort>({ key: 'symbol', dir: 'asc' })
  const [selected, setSelected] = useState<string | null>(null)
  const infoByKey = useMemo(() => new Map(rows.map((r) => [marketKey(r), r])), [rows])
  const sorted = useMemo(() => sortMarkets(rows, sort), [rows, sort])
  const shown: MarketRef[] = mode === 'pinned' ? (pinned as MarketRef[]) : sorted
  const pinnedKeys = useMemo(() => new Set(pinned.map(marketKey)), [pinned])
  // How many active price alerts each market has (the Alerts page's list, followed app-wide).
  const activeAlerts = useAlerts((s) => s.active)
  const alertCounts = useMemo(() => {
    const counts = new Map<string, number>()
    for (const a of activeAlerts) counts.set(marketKey(a), (counts.get(marketKey(a)) ?? 0) + 1)
    return counts
  }, [activeAlerts])
  const manyVenues = useMemo(() => new Set([...rows, ...pinned].map((r) => r.venueId)).size > 1, [rows, pinned])
  const keys = shown.map(marketKey)
  const currentKey = current ? marketKey(current) : null
  const sel = selected && keys.includes(selected) ? selected : currentKey && keys.includes(currentKey) ? currentKey : null
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, sel)
  const marketOf = (key: string): MarketRef | undefined => shown.find((r) => marketKey(r) === key)
  const open = (key: string) => {
    const m = marketOf(key)
    if (m) openMarket({ venueId: m.venueId, symbol: m.symbol })
  }
  const rowKeys = useRowKeys({ ids: keys, selected: sel, onSelect: setSelected, onActivate: open })
  const switchMode = () => setChosen(mode === 'pinned' ? 'all' : 'pinned')
  const onKeys = (event: KeyboardEvent<HTMLTableElement>) => {
    const m = sel ? marketOf(sel) : undefined
    const command = watchlistCommand(event, mode, m !== undefined)
    if (command === null) return rowKeys(event)
    event.preventDefault()
    if (command === 'switch') switchMode()
    else if (command === 'sort') setSort(nextSort(sort))
    else if ((command === 'togglePin' || command === 'unpin') && m) togglePinnedMarket(m)
    else if ((command === 'moveUp' || command === 'moveDown') && m) movePinnedMarket(m, command === 'moveUp' ? -1 : 1)
  }
  const arrow = (key: SortKey) => (mode === 'all' && sort.key === key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '')
  const tools = (
    <span className="segmented" role="group" aria-label="Watchlist shows">
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={mode === 'pinned'}
        title="Pinned markets (a switches)"
        onClick={() => setChosen('pinned')}
        data-testid="watch-mode-pinned"
      >
        ★ {pinned.length}
      </button>
      <button type="button" className="btn btn-small" aria-pressed={mode === 'all'} title="Every market (a switches)" onClick={() => setChosen('all')} data-testid="watch-mode-all">
        All
      </button>
    </span>
  )

  return (
    <Panel title="Watchlist" testId="panel-watchlist" tools={tools}>
      {error ? <p className="inline-error">{error}</p> : null}
      {shown.length === 0 ? (
        <EmptyState>
          {mode === 'pinned' ? (
            <>
              No pinned markets. <Kbd combo="a" /> shows every market; <Kbd combo="w" /> pins the selected one.
            </>
          ) : loaded ? (
            'No markets.'
          ) : (
            'Loading markets…'
          )}
        </EmptyState>
      ) : null}
      {mode === 'all' && capped ? (
        <p className="muted watch-capped" data-testid="watch-capped">
          Showing {rows.length.toLocaleString('en-US')}
          {marketTotal > rows.length ? ` of ${marketTotal.toLocaleString('en-US')}` : ''} markets; Open market… (
          <Kbd combo="Mod+O" />) searches them all.
        </p>
      ) : null}
      <div className="scroll" ref={scroller} hidden={shown.length === 0}>
        <table
          id={WATCHLIST_ID}
          className="grid-table selectable watch-table"
          role="grid"
          aria-label={mode === 'pinned' ? 'Watchlist: pinned markets' : 'Watchlist: every market'}
          aria-activedescendant={sel ? rowId(sel) : undefined}
          tabIndex={0}
          onKeyDown={onKeys}
          data-testid="watchlist"
          data-mode={mode}
          data-sort={mode === 'all' ? `${sort.key}-${sort.dir}` : 'pinned'}
        >
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={`${mode === 'all' ? 'sortable' : ''} ${c.num ? 'num' : ''}`}
                  aria-sort={mode === 'all' && sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  onClick={mode === 'all' ? () => setSort(sortByColumn(sort, c.key)) : undefined}
                >
                  {c.label}
                  {arrow(c.key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => {
              const key = marketKey(m)
              const props: RowProps = {
                market: m,
                rowKey: key,
                info: infoByKey.get(key) ?? null,
                selected: key === sel,
                current: sameMarket(current, m),
                pinned: pinnedKeys.has(key),
                alerts: alertCounts.get(key) ?? 0,
                manyVenues,
                onSelect: setSelected,
                onOpen: open,
              }
              return mode === 'pinned' ? <LiveRow key={key} {...props} /> : <Row key={key} {...props} figures={infoByKey.get(key) ?? null} />
            })}
          </tbody>
        </table>
      </div>
      <footer className="key-footer watch-keys" aria-hidden="true">
        <span>
          <Kbd combo="A" /> {mode === 'pinned' ? 'all' : 'pinned'}
        </span>
        <span>
          <Kbd combo="W" /> {sel !== null && pinnedKeys.has(sel) ? 'unpin' : 'pin'}
        </span>
        {mode === 'all' ? (
          <span>
            <Kbd combo="S" /> sort
          </span>
        ) : (
          <span>
            <Kbd combo="Alt+ArrowUp" /> move
          </span>
        )}
      </footer>
    </Panel>
  )
}

interface RowProps {
  market: MarketRef
  rowKey: string
  /** The market's facts from the market list (null while it is not listed: venue down or removed). */
  info: MarketView | null
  selected: boolean
  current: boolean
  pinned: boolean
  /** Active price alerts on the market. */
  alerts: number
  manyVenues: boolean
  onSelect(key: string): void
  onOpen(key: string): void
}

type Figures = Pick<MarketView, 'last' | 'changePct24h' | 'volume24h'>

/** A pinned market: its figures from its live ticker, the market list's until the first ticker frame. */
const LiveRow = memo(function LiveRow(props: RowProps) {
  const ticker = useTicker(props.market)
  // A pinned market past the market list's first ones: its facts asked for alone.
  const info = useMarketInfo(props.market) ?? props.info
  return <Row {...props} info={info} figures={ticker ?? info} />
})

const Row = memo(function Row({ market, rowKey, info, selected, current, pinned, alerts, manyVenues, onSelect, onOpen, figures }: RowProps & { figures: Figures | null }) {
  const [base, quote] = market.symbol.split('/')
  const sign = signOf(figures?.changePct24h ?? null)
  const tick = info?.tickSize ?? null
  // The venue's name now, or the name it had "(removed)" (a pinned market on a removed account).
  const venue = useVenueName(market.venueId, info?.venueLabel)?.label ?? market.venueId
  return (
    <tr
      id={rowId(rowKey)}
      aria-selected={selected}
      aria-current={current || undefined}
      onMouseDown={() => onSelect(rowKey)}
      onClick={() => onOpen(rowKey)}
      data-testid="watch-row"
      data-symbol={market.symbol}
      data-venue-id={market.venueId}
      data-pinned={pinned}
    >
      <td className="nowrap watch-symbol" title={`${market.symbol} on ${venue}${pinned ? ' (pinned)' : ''}`}>
        {pinned ? (
          <span className="watch-pin" aria-label="pinned">
            ★{' '}
          </span>
        ) : null}
        {base}
        <span className="muted">/{quote}</span>
        {manyVenues ? <span className="watch-venue"> {venue}</span> : null}
        {alerts > 0 ? (
          <span className="watch-alerts" title={`${alerts} active price alert${alerts === 1 ? '' : 's'}`} data-testid="watch-alerts">
            {' '}⚑{alerts}
          </span>
        ) : null}
      </td>
      <td className="num" data-testid="watch-last">
        {figures?.last == null ? <span className="muted">—</span> : tick ? formatAtStep(figures.last, tick) : figures.last}
      </td>
      <td className={`num ${sign > 0 ? 'pos' : sign < 0 ? 'neg' : 'muted'}`}>{figures?.changePct24h == null ? '—' : formatPercent(figures.changePct24h)}</td>
      <td className="num">{figures?.volume24h == null ? <span className="muted">—</span> : compact(Number(figures.volume24h))}</td>
    </tr>
  )
})
