import { memo, useId, useMemo, type ReactNode } from 'react'
import { marketKey } from '../markets/ticks'
import { closeView, focusedView, focusView, replaceKind, setViewMarket, VIEW_KINDS } from '../workspace/layout'
import { changeWorkspace, useWorkspace } from '../workspace/workspaceStore'
import { useMarketList } from './feeds'
import { showMarketDialog } from './marketDialog'
import { kindInfo } from './viewKinds'
import { marketPickerOptions, useMarketUnavailable, useMarketVenueLabel } from './marketAvailability'
import type { WorkspaceView, WorkspaceViewKind } from '../../../src-main/api/contract'

/**
 * One view's frame in the workspace: a header with its kind, its market, its own tools, "add a view below"
 * and close; the view below. Focus or a click inside makes it the focused view (the one keys act on).
 * It is a focus region (F6 / Shift+F6).
 */
export function ViewFrame({ view, tools, children }: { view: WorkspaceView; tools?: ReactNode; children: ReactNode }) {
  const titleId = useId()
  const focused = useWorkspace((s) => (s.layout ? focusedView(s.layout)?.id === view.id : false))
  const info = kindInfo[view.kind]
  const take = () => changeWorkspace((l) => focusView(l, view.id))
  return (
    <section
      className="panel ws-view"
      aria-labelledby={titleId}
      tabIndex={-1}
      data-focus-region
      data-testid={info.testId}
      data-view-id={view.id}
      data-view-kind={view.kind}
      data-market={`${view.venueId}|${view.symbol}`}
      data-focused={focused || undefined}
      onFocusCapture={take}
      onMouseDownCapture={take}
    >
      <header className="panel-head ws-view-head">
        <h2 id={titleId} className="visually-hidden">
          {info.title} · {view.symbol}
        </h2>
        <KindPicker view={view} />
        <MarketPicker view={view} />
        <div className="panel-tools">{tools}</div>
        <button
          type="button"
          className="btn btn-small ws-view-btn"
          aria-label="Add view below"
          title="Add view below (Alt+Shift+A)"
          onClick={() => showMarketDialog({ mode: 'add', kind: null, placement: 'below', anchorId: view.id })}
          data-testid="view-add-below"
        >
          +
        </button>
        <button
          type="button"
          className="btn btn-small ws-view-btn"
          aria-label="Close view"
          title="Close view (Alt+X)"
          onClick={() => changeWorkspace((l) => closeView(l, view.id))}
          data-testid="view-close"
        >
          ×
        </button>
      </header>
      <div className="panel-body">{children}</div>
    </section>
  )
}

// The header's pickers are memoised on the view (the layout keeps its object until the view changes): the
// view's body re-renders at the stream's rate, and the market picker holds an option per listed market.
const KindPicker = memo(function KindPicker({ view }: { view: WorkspaceView }) {
  return (
    <select
      className="input input-compact ws-kind"
      aria-label="View kind"
      title="Show another kind of view here"
      value={view.kind}
      onChange={(e) => changeWorkspace((l) => replaceKind(l, view.id, e.target.value as WorkspaceViewKind))}
      data-testid="view-kind"
    >
      {VIEW_KINDS.map((k) => (
        <option key={k} value={k} title={kindInfo[k].title}>
          {kindInfo[k].short}
        </option>
      ))}
    </select>
  )
})

/** The markets the engine lists (the view's own first if the list does not have it, or no longer can). */
const MarketPicker = memo(function MarketPicker({ view }: { view: WorkspaceView }) {
  const rows = useMarketList((s) => s.rows)
  const current = marketKey(view)
  const unavailable = useMarketUnavailable(view)
  const venueLabel = useMarketVenueLabel(view.venueId)
  const options = useMemo(() => marketPickerOptions(rows, view, unavailable, venueLabel), [rows, view, unavailable, venueLabel])
  return (
    <select
      className="input input-compact ws-market"
      aria-label="Market"
      title="Market of this view (Alt+M)"
      value={current}
      onChange={(e) => {
        const o = options.find((x) => x.key === e.target.value)
        if (o) changeWorkspace((l) => setViewMarket(l, view.id, { venueId: o.venueId, symbol: o.symbol }))
      }}
      data-testid="view-market"
    >
      {options.map((o) => (
        <option key={o.key} value={o.key}>
          {o.label}
        </option>
      ))}
    </select>
  )
})
