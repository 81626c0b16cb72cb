import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { api } from '../../api'
import { Panel, EmptyState } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { usePoll } from '../../ui/usePoll'
import { useRowKeys, useSelectedInView } from '../../ui/useRowKeys'
import { moveSelection } from '../../ui/listNav'
import { formatAtStep, formatDecimal, formatPercent, signOf } from '../../ui/decimal'
import { startVenuesSync, useVenues, type VenueView } from './venuesStore'
import { MARKET_SEARCH_ID, MARKET_TABLE_ID, MARKET_VENUE_ID, useMarketBrowser } from './marketBrowser'
import { marketKey, nextTicks, type Tick } from './ticks'
import { openMarket } from '../trade/tradeStore'
import { togglePinnedMarket } from '../trade/pinning'
import { loadWorkspace, useWorkspace } from '../workspace/workspaceStore'
import { pinnedMarkets } from '../workspace/watchlistMarkets'
import type { MarketView } from '../../../src-main/api/contract'
import './markets.css'
import { connectionText } from './connectionText'

const REFRESH_MS = 2000
const LIMIT = 200

/** Venues with their connection state, and a market browser across them (refreshed while shown). */
export function MarketsPage() {
  useEffect(() => startVenuesSync(), [])
  return (
    <div className="markets-page" data-testid="markets-page">
      <VenuesPanel />
      <MarketBrowser />
    </div>
  )
}


/** A paper account says so before the markets it trades on: it must not read like that exchange's own account. */
function kindText(v: VenueView): string {
  if (v.kind === 'simulated') return 'simulated'
  if (v.kind === 'paper') return `paper · ${v.exchange === 'sim' ? 'simulated' : v.exchange}`
  return v.exchange
}

function VenuesPanel() {
  const { venues, status, error } = useVenues()
  // (An account whose order stream is not subscribed is not counted live: its order updates lag.)
  const live = venues.filter((v) => v.connection === 'live').length
  return (
    <Panel
      title="Venues"
      tools={
        <span className="muted">
          {live}/{venues.length} live
        </span>
      }
      testId="panel-venues"
    >
      {error ? <p className="inline-error">Venues unavailable: {error}</p> : null}
      {venues.length === 0 ? (
        <EmptyState>{status === 'loading' ? 'Loading venues…' : 'No venues.'}</EmptyState>
      ) : (
        <table className="grid-table venues-table" data-testid="venues-table">
          <thead>
            <tr>
              <th scope="col">Venue</th>
              <th scope="col" className="col-fit">
                Kind
              </th>
              <th scope="col" className="col-fit">
                State
              </th>
              <th scope="col" className="num col-fit">
                Markets
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {venues.map((v) => (
              <tr key={v.id} data-testid="venue-row" data-venue-id={v.id} data-state={v.connection}>
                <td className="nowrap venue-label">{v.label}</td>
                <td className="nowrap muted">{kindText(v)}</td>
                <td className="nowrap">
                  <span className="venue-state">
                    <span className={`dot dot-${v.connection}`} aria-hidden="true" />
                    <span data-testid="venue-state">{connectionText[v.connection]}</span>
                  </span>
                </td>
                <td className="num">{v.marketCount ?? <span className="muted">—</span>}</td>
                <td className={v.connection === 'live' ? 'muted' : 'venue-reason'}>{v.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  )
}

interface Results {
  rows: MarketView[]
  ticks: Map<string, Tick>
  error: string | null
  at: number | null
  /** The query and venue these rows answer. */
  asked: string
}

function MarketBrowser() {
  const { query, venueId, selected, setQuery, setVenue, select } = useMarketBrowser()
  const venues = useVenues((s) => s.venues)
  const [results, setResults] = useState<Results>({ rows: [], ticks: new Map(), error: null, at: null, asked: '' })
  const asked = `${query}\n${venueId}`

  usePoll(
    async (alive) => {
      try {
        const rows = await api.invoke('markets.search', {
          query,
          limit: LIMIT,
          ...(venueId ? { venueId } : {}),
        })
        if (!alive()) return
        setResults((r) => ({ rows, ticks: nextTicks(r.ticks, rows), error: null, at: Date.now(), asked }))
      } catch (err) {
        if (!alive()) return
        setResults((r) => ({ ...r, error: err instanceof Error ? err.message : String(err), asked }))
      }
    },
    REFRESH_MS,
    asked,
  )

  const rows = results.rows
  const keys = rows.map(marketKey)
  const selectedKey = selected && keys.includes(selected) ? selected : null
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, selectedKey)
  const open = (key: string) => {
    const m = rows.find((r) => marketKey(r) === key)
    if (m) openMarket({ venueId: m.venueId, symbol: m.symbol })
  }
  const onRowKeys = useRowKeys({ ids: keys, selected: selectedKey, onSelect: select, onActivate: open })
  // W pins the selected market to the Trade page's watchlist (or unpins it).
  useEffect(() => void loadWorkspace(), [])
  const layout = useWorkspace((s) => s.layout)
  const pinnedKeys = useMemo(() => new Set(layout ? pinnedMarkets(layout).map(marketKey) : []), [layout])
  const onTableKeys = (event: KeyboardEvent<HTMLTableElement>) => {
    const m = selectedKey ? rows.find((r) => marketKey(r) === selectedKey) : undefined
    if ((event.key === 'w' || event.key === 'W') && !event.altKey && !event.ctrlKey && !event.metaKey && m) {
      event.preventDefault()
      togglePinnedMarket({ venueId: m.venueId, symbol: m.symbol })
      return
    }
    onRowKeys(event)
  }

  // In the search box, ↑/↓ move through the results (as in the palette); Escape clears the query.
  const onSearchKeys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp' || event.key === 'PageDown' || event.key === 'PageUp') {
      const next = moveSelection(event.key, keys, selectedKey)
      if (next !== null) {
        event.preventDefault()
        select(next)
      }
    } else if (event.key === 'Escape' && query !== '') {
      event.preventDefault()
      setQuery('')
    } else if (event.key === 'Enter') {
      event.preventDefault()
      if (!selectedKey && keys[0]) select(keys[0])
      document.getElementById(MARKET_TABLE_ID)?.focus()
    }
  }

  const stale = results.asked !== asked
  const current = rows.find((m) => marketKey(m) === selectedKey)
  return (
    <Panel
      title="Markets"
      tools={
        <span className="muted" data-testid="markets-count">
          {rows.length === LIMIT ? `first ${LIMIT}` : `${rows.length} ${rows.length === 1 ? 'market' : 'markets'}`}
          {' · every 2 s'}
        </span>
      }
      testId="panel-markets"
    >
      <div className="toolbar markets-toolbar">
        <label htmlFor={MARKET_SEARCH_ID} className="visually-hidden">
          Search markets
        </label>
        <div className="search-box">
          <input
            id={MARKET_SEARCH_ID}
            className="input search-input"
            type="search"
            placeholder="Search symbol or asset (eth, btc/usdt)…"
            value={query}
            maxLength={40}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onSearchKeys}
            autoComplete="off"
            spellCheck={false}
            aria-controls={MARKET_TABLE_ID}
            data-testid="markets-search"
          />
          <span className="search-keys">
            <Kbd combo="/" />
          </span>
        </div>
        <label htmlFor={MARKET_VENUE_ID} className="muted">
          Venue
        </label>
        <select
          id={MARKET_VENUE_ID}
          className="input"
          value={venueId}
          onChange={(e) => setVenue(e.target.value)}
          data-testid="markets-venue"
        >
          <option value="">All venues</option>
          {venues.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label} ({connectionText[v.connection]})
            </option>
          ))}
        </select>
        <span className="toolbar-spacer" />
        {stale ? <span className="muted">Searching…</span> : null}
      </div>
      {results.error ? (
        <p className="inline-error" role="alert" data-testid="markets-error">
          {results.error}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState>
          {results.at === null ? 'Searching…' : query ? `No market matches “${query}”.` : 'No markets.'}
        </EmptyState>
      ) : (
        <div className="scroll" ref={scroller}>
          <table
            id={MARKET_TABLE_ID}
            className="grid-table selectable markets-table"
            role="grid"
            aria-label="Markets"
            aria-activedescendant={selectedKey ? rowId(selectedKey) : undefined}
            tabIndex={0}
            onKeyDown={onTableKeys}
            data-testid="markets-table"
          >
            <thead>
              <tr>
                <th scope="col" className="col-fit">
                  Venue
                </th>
                <th scope="col">Symbol</th>
                <th scope="col" className="num">
                  Last
                </th>
                <th scope="col" className="num">
                  24h %
                </th>
                <th scope="col" className="num">
                  24h volume
                </th>
                <th scope="col" className="num">
                  Tick
                </th>
                <th scope="col" className="num">
                  Step
                </th>
                <th scope="col" className="num">
                  Min notional
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => {
                const key = marketKey(m)
                return (
                  <MarketRow
                    key={key}
                    market={m}
                    tick={results.ticks.get(key)}
                    selected={key === selectedKey}
                    pinned={pinnedKeys.has(key)}
                    onSelect={() => select(key)}
                    onOpen={() => open(key)}
                  />
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <footer className="key-footer" aria-hidden="true">
        <span>
          <Kbd combo="/" /> or <Kbd combo="Mod+F" /> search
        </span>
        <span>
          <Kbd combo="Up" />
          <Kbd combo="Down" /> move
        </span>
        <span>
          <Kbd combo="Enter" /> to the list, then open on the Trade page
        </span>
        <span>
          <Kbd combo="W" /> pin to the watchlist
        </span>
        <span>
          <Kbd combo="Esc" /> clear
        </span>
        {current ? (
          <span className="markets-current" data-testid="markets-current">
            {current.symbol} on {current.venueLabel}: tick {formatDecimal(current.tickSize)} {current.quote}, step{' '}
            {formatDecimal(current.stepSize)} {current.base}, min notional {formatDecimal(current.minNotional)} {current.quote}
          </span>
        ) : null}
      </footer>
    </Panel>
  )
}

const rowId = (key: string) => `market-${key.replace(/[^A-Za-z0-9]+/g, '-')}`

function MarketRow({
  market: m,
  tick,
  selected,
  pinned,
  onSelect,
  onOpen,
}: {
  market: MarketView
  tick: Tick | undefined
  selected: boolean
  pinned: boolean
  onSelect: () => void
  onOpen: () => void
}) {
  const change = m.changePct24h
  const changeSign = signOf(change)
  return (
    <tr
      id={rowId(marketKey(m))}
      aria-selected={selected}
      onMouseDown={onSelect}
      onClick={onOpen}
      title="Open on the Trade page (Enter)"
      data-testid="market-row"
      data-symbol={m.symbol}
      data-venue-id={m.venueId}
      data-pinned={pinned}
    >
      <td className="nowrap muted">{m.venueLabel}</td>
      <td className="nowrap market-symbol" title={pinned ? 'In the watchlist (W unpins)' : undefined}>
        {pinned ? (
          <span className="market-pin" aria-label="pinned">
            ★{' '}
          </span>
        ) : null}
        {m.base}
        <span className="muted">/{m.quote}</span>
      </td>
      <td
        className={`num market-last ${tick?.dir === 'up' ? 'pos' : tick?.dir === 'down' ? 'neg' : ''}`}
        title={m.last ?? undefined}
        data-testid="market-last"
      >
        {m.last === null ? <span className="muted">—</span> : formatAtStep(m.last, m.tickSize)}
      </td>
      <td className={`num ${changeSign > 0 ? 'pos' : changeSign < 0 ? 'neg' : 'muted'}`} data-testid="market-change">
        {change === null ? <span className="muted">—</span> : formatPercent(change)}
      </td>
      <td className="num" title={m.volume24h ? `${m.volume24h} ${m.base}` : undefined}>
        {m.volume24h === null ? <span className="muted">—</span> : formatAtStep(m.volume24h, m.stepSize)}
      </td>
      <td className="num muted">{formatDecimal(m.tickSize)}</td>
      <td className="num muted">{formatDecimal(m.stepSize)}</td>
      <td className="num muted">
        {formatDecimal(m.minNotional)} <span className="unit">{m.quote}</span>
      </td>
    </tr>
  )
}
