import { useEffect } from 'react'
import { EmptyState } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { marketKey } from '../markets/ticks'
import { LayoutGrid } from '../workspace/LayoutGrid'
import { allViews } from '../workspace/layout'
import { loadWorkspace, useWorkspace } from '../workspace/workspaceStore'
import { RecoveredNotice } from '../workspace/RecoveredNotice'
import { useMarketListPoll } from './feeds'
import { MarketBar } from './MarketBar'
import { WatchlistPanel } from './WatchlistPanel'
import { BookPanel } from './BookPanel'
import { DepthPanel } from './DepthChart'
import { TapePanel } from './TapePanel'
import { CandlePanel } from './CandlePanel'
import { AggregatePanel } from './AggregatePanel'
import { MyOrdersPanel } from './MyOrdersPanel'
import { showMarketDialog } from './marketDialog'
import { useFocusedView } from './useFocusedView'
import { TicketPanel } from '../trading/TicketPanel'
import { useTicketMarket } from '../trading/ticketMarket'
import type { WorkspaceView } from '../../../src-main/api/contract'
import './trade.css'

/**
 * The trading workspace: the focused view's market on top; the watchlist, then columns of views, each
 * on its own market (order books, depth charts, tapes, candle charts, aggregated books, my orders). Which views,
 * where, how large and which has focus is kept by the engine (workspace.get / workspace.save).
 */
export function TradePage() {
  useMarketListPoll()
  useEffect(() => void loadWorkspace(), [])
  const layout = useWorkspace((s) => s.layout)
  const status = useWorkspace((s) => s.status)
  const loadError = useWorkspace((s) => s.loadError)
  const focused = useFocusedView()
  const setTicketMarket = useTicketMarket((s) => s.setMarket)
  const focusedVenue = focused?.venueId
  const focusedSymbol = focused?.symbol
  useEffect(() => {
    if (focusedVenue && focusedSymbol) setTicketMarket(focusedVenue, focusedSymbol)
  }, [focusedVenue, focusedSymbol, setTicketMarket])

  return (
    <div
      className="trade-page"
      data-testid="trade-page"
      data-market={focused ? marketKey(focused) : ''}
      data-views={layout ? allViews(layout).length : 0}
      data-focused-view={focused?.id ?? ''}
    >
      <MarketBar market={focused} />
      <RecoveredNotice />
      <div className="trade-main">
        <div className="trade-views">
      {layout ? (
        <LayoutGrid layout={layout} leading={<WatchlistPanel />} empty={<NoViews />} renderView={renderView} />
      ) : status === 'error' ? (
        <div className="empty" role="alert" data-testid="workspace-load-error">
          <p className="inline-error">The workspace could not be loaded: {loadError}</p>
          <button type="button" className="btn btn-small" onClick={() => void loadWorkspace()}>
            Try again
          </button>
        </div>
      ) : (
        <EmptyState>Loading the workspace…</EmptyState>
      )}
        </div>
        <aside className="trade-ticket" aria-label="Order ticket">
          <TicketPanel pickMarket={false} />
        </aside>
      </div>
    </div>
  )
}

function renderView(view: WorkspaceView) {
  switch (view.kind) {
    case 'book':
      return <BookPanel view={view} />
    case 'depth':
      return <DepthPanel view={view} />
    case 'tape':
      return <TapePanel view={view} />
    case 'candles':
      return <CandlePanel view={view} />
    case 'aggregate':
      return <AggregatePanel view={view} />
    case 'orders':
      return <MyOrdersPanel view={view} />
  }
}

function NoViews() {
  return (
    <div className="empty ws-empty" data-testid="workspace-empty">
      <p>No view is open.</p>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => showMarketDialog({ mode: 'add', kind: null, placement: 'beside', anchorId: null })}
      >
        Add view… <Kbd combo="Alt+A" />
      </button>
    </div>
  )
}
