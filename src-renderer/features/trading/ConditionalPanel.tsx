import { memo, useCallback, useRef, useState, type KeyboardEvent } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { useSelectedInView } from '../../ui/useRowKeys'
import { signOf } from '../../ui/decimal'
import { formatDateTime, formatRowTime, type TimeFormat } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { toast } from '../toasts/toastStore'
import { conditionalKindLabels, conditionalKindShort, conditionalStatusLabel, distanceText, distanceTitle, isActiveConditional, trailingFiresAt, trailingText, triggerSourceLabels } from './labels'
import { forVenue } from './ordersModel'
import { messageOf, useOrders, type ConditionalView } from './ordersStore'
import { keyIntent, leftNotice, type AmendDraft, type TableEvent } from './tableNav'
import { AmendField } from './AmendField'
import { conditionalAmendInput, conditionalDraftRow } from './conditionalAmend'
import { useRowEditor } from './rowEditor'
import { rowDomId, useTableState } from './useTableState'
import { ORDERS_IDS } from './ticketIds'
import { OrdersGrid, whereColumns, WhereCells, type OrderTableProps } from './OrdersGrid'
import { useMarketFormat, type MarketFormat } from './venueMarkets'

// Conditional orders held by the engine (or placed on the exchange): the live price of their trigger source
// and the distance to the trigger, the trailing reference, and why one waits ("book stale: …"). States
// arrive on conditional.changed, the live figures on conditional.live (one batch ≤ 4/s). Delete cancels the
// selected one (with its OCO / bracket siblings, as the engine decides); Enter or E moves an armed stop or
// take-profit (its trigger, and a limit kind's limit price) or a trailing stop's distance in the row: Enter
// sends, Escape drops.

async function cancelConditional(id: string): Promise<void> {
  try {
    const views = await api.invoke('conditional.cancel', { id })
    for (const v of views) useOrders.getState().conditionalChanged(v)
  } catch (err) {
    toast.error('Conditional order not canceled', messageOf(err))
  }
}

const groupText = (c: ConditionalView) => (c.groupType === 'single' ? '' : c.groupType === 'oco' ? 'OCO ' : 'bracket ')

export function ConditionalPanel() {
  const [scope, setScope] = useState<'active' | 'ended'>('active')
  const venueFilter = useOrders((s) => s.venueFilter)
  const active = useOrders((s) => s.conditional)
  const ended = useOrders((s) => s.conditionalEnded)
  const rows = forVenue(scope === 'active' ? active : ended, venueFilter)
  const tools = (
    <span className="segmented" role="group" aria-label="Which conditional orders">
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={scope === 'active'}
        onClick={() => setScope('active')}
        data-testid="conditional-scope-active"
      >
        Active ({forVenue(active, venueFilter).length})
      </button>
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={scope === 'ended'}
        onClick={() => setScope('ended')}
        data-testid="conditional-scope-ended"
      >
        Ended
      </button>
    </span>
  )
  return (
    <Panel title="Conditional orders" tools={tools} testId="panel-conditional">
      <ConditionalTable rows={rows} scope={scope} tableId={ORDERS_IDS.conditional} rowKind="conditional" />
    </Panel>
  )
}

/** The conditional orders table (the Orders page's, and the workspace's "My orders" view on one market). */
export function ConditionalTable({ rows, scope, tableId, rowKind, inView = false }: OrderTableProps<ConditionalView> & { scope: 'active' | 'ended' }) {
  const ids = rows.map((r) => r.id)
  const [state, dispatch] = useTableState(ids)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, state.selected)
  const format = useTimeFormat()
  const fmt = useMarketFormat(rows.map((r) => r.venueId))
  const onSelect = useCallback((id: string) => dispatch({ type: 'select', id }), [dispatch])

  // Stable for the memoised rows (double-click passes its own view).
  const editRow = useCallback(
    (c: ConditionalView) => {
      const draft = conditionalDraftRow(c)
      if (draft) dispatch({ type: 'startEdit', row: draft })
    },
    [dispatch],
  )
  const { onEditorKey } = useRowEditor(state, dispatch, tableId, (edit) => {
    const input = conditionalAmendInput(edit, rows.find((r) => r.id === edit.id)?.kind === 'trailing-stop')
    if (!input) return null
    return api.invoke('conditional.amend', input).then((views) => {
      for (const v of views) useOrders.getState().conditionalChanged(v)
    })
  }, {
    present: (id) => useOrders.getState().conditional.some((c) => c.id === id),
    replaces: false,
    refusedTitle: 'Conditional order not amended',
  })

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.defaultPrevented || onEditorKey(event)) return
    const intent = keyIntent(event, ids, state.selected, scope === 'active')
    if (!intent) return
    event.preventDefault()
    if (intent.kind === 'move') dispatch({ type: 'select', id: intent.id })
    else if (intent.kind === 'amend') {
      const row = rows.find((r) => r.id === intent.id)
      if (row) editRow(row)
    }
    else {
      const row = rows.find((r) => r.id === intent.id)
      if (row && isActiveConditional(row.status)) {
        dispatch({ type: 'acted', id: intent.id })
        void cancelConditional(intent.id)
      }
    }
  }

  return (
    <>
      <OrdersGrid
        id={tableId}
        label="Conditional orders"
        testId="conditional-table"
        rowKind={rowKind}
        selected={state.selected}
        notice={leftNotice(state, 'conditional order')}
        onKeyDown={onKeyDown}
        scroller={scroller}
        viewFocus={inView}
        columns={[
          { label: 'Time' },
          ...whereColumns(inView),
          { label: 'Kind' },
          { label: 'Amount', num: true },
          { label: 'Trigger (limit)', num: true },
          { label: 'Now', num: true },
          { label: 'Distance', num: true },
          { label: 'Status' },
        ]}
        empty={rows.length > 0 ? null : scope === 'active' ? 'No armed conditional orders.' : 'No ended conditional orders.'}
      >
        {rows.map((c) => (
          <ConditionalRow
            key={c.id}
            c={c}
            selected={state.selected === c.id}
            edit={state.edit?.id === c.id ? state.edit : null}
            dispatch={dispatch}
            fmt={fmt}
            format={format}
            onSelect={onSelect}
            onEdit={editRow}
            rowKind={rowKind}
            inView={inView}
          />
        ))}
      </OrdersGrid>
      <footer className="key-footer" aria-hidden="true">
        <span>
          <Kbd combo="Up" />
          <Kbd combo="Down" /> select
        </span>
        <span>
          <Kbd combo="Delete" /> cancel
        </span>
        <span>
          <Kbd combo="Enter" />/<Kbd combo="E" /> move the trigger
        </span>
        <span className="muted">In-app orders are armed only while the app or its headless engine runs; they re-arm at start.</span>
      </footer>
    </>
  )
}

interface RowProps {
  c: ConditionalView
  selected: boolean
  /** The inline amend of this row, or null. */
  edit: AmendDraft | null
  dispatch: (e: TableEvent) => void
  fmt: MarketFormat
  format: TimeFormat | null
  onSelect: (id: string) => void
  /** Opens the inline amend (double-click; Enter or E from the keyboard). */
  onEdit: (c: ConditionalView) => void
  rowKind: string
  inView: boolean
}

/** One row; memoised: a live batch re-renders only the rows whose figures it changed. */
const ConditionalRow = memo(function ConditionalRow({ c, selected, edit, dispatch, fmt, format, onSelect, onEdit, rowKind, inView }: RowProps) {
  const st = conditionalStatusLabel(c)
  const trail = trailingText(c.trailing)
  // An armed trailing stop's exact trigger (reference × (1 − %)) is shown at the price it fires at.
  const firesAt =
    c.trailing !== null && c.triggerPrice !== null && isActiveConditional(c.status) ? trailingFiresAt(c.triggerPrice, fmt.tick(c.venueId, c.symbol), c.side, c.trigger) : null
  return (
    <tr
      id={rowDomId(rowKind, c.id)}
      aria-selected={selected}
      onMouseDown={() => !edit && onSelect(c.id)}
      onDoubleClick={() => onEdit(c)}
      data-testid="conditional-row"
      data-conditional-id={c.id}
      data-kind={c.kind}
      data-status={c.status}
    >
      <td className="nowrap" title={format ? formatDateTime(c.createdAt, format) : undefined}>
        {format ? formatRowTime(c.createdAt, format) : ''}
      </td>
      <WhereCells account={c.venueLabel} title={c.venueLabel} symbol={c.symbol} inView={inView} />
      <td className="nowrap">
        <span className={c.side === 'buy' ? 'pos' : 'neg'}>{c.side}</span>{' '}
        <span title={conditionalKindLabels[c.kind]}>
          {groupText(c)}
          {conditionalKindShort[c.kind]}
        </span>
        {c.placement === 'exchange' ? <span className="badge badge-muted">on exchange</span> : null}
      </td>
      <td className="num">
        {c.groupType === 'bracket' && signOf(c.amount) === 0 ? (
          <span className="muted" title="Sized to what the entry order fills">
            on fill
          </span>
        ) : (
          fmt.amount(c.venueId, c.symbol, c.amount)
        )}
      </td>
      <td className="num" title={`on ${triggerSourceLabels[c.trigger].toLowerCase()}`} data-testid="conditional-trigger">
        {edit && c.trailing === null ? (
          <AmendField edit={edit} field="price" dispatch={dispatch} label="New trigger price" testId="conditional-amend-trigger" />
        ) : c.triggerPrice === null ? (
          <span className="muted">—</span>
        ) : firesAt !== null ? (
          <span title={`Fires at ${firesAt} or ${c.side === 'sell' ? 'below' : 'above'} (exact trigger ${c.triggerPrice})`} data-testid="conditional-fires-at" data-exact={c.triggerPrice}>
            {fmt.price(c.venueId, c.symbol, firesAt)}
          </span>
        ) : (
          fmt.price(c.venueId, c.symbol, c.triggerPrice)
        )}
        <span className="muted"> {c.trigger}</span>
        {c.limitPrice === null ? null : (
          <div className="muted" data-testid="conditional-limit">
            limit {edit ? <AmendField edit={edit} field="amount" dispatch={dispatch} label="New limit price" testId="conditional-amend-limit" /> : fmt.price(c.venueId, c.symbol, c.limitPrice)}
          </div>
        )}
        {edit && c.trailing !== null ? (
          <div className="muted orders-trail">
            trail <AmendField edit={edit} field="price" dispatch={dispatch} label="New trailing distance" testId="conditional-amend-distance" /> {c.trailing.unit === 'percent' ? '%' : ''}
          </div>
        ) : trail ? (
          <div className="muted orders-trail" data-testid="conditional-trailing">
            {trail}
          </div>
        ) : null}
      </td>
      <td className="num" data-testid="conditional-current">
        {c.currentPrice === null ? <span className="muted">—</span> : fmt.price(c.venueId, c.symbol, c.currentPrice)}
      </td>
      <td className="num" data-testid="conditional-distance" title={distanceTitle(c)}>
        {distanceText(c.distancePct)}
      </td>
      <td className="orders-status" data-testid="conditional-status">
        <span className={`badge badge-${st.tone}`}>{c.status}</span>
        {edit?.sending ? <span className="muted"> moving…</span> : null}
        {edit?.error ? (
          <span className="neg" role="alert" data-testid="conditional-amend-error">
            {' '}
            {edit.error}
          </span>
        ) : c.reason ? (
          <span className={st.tone === 'err' ? 'neg' : 'warn-text'}> {c.reason}</span>
        ) : null}
      </td>
    </tr>
  )
})
