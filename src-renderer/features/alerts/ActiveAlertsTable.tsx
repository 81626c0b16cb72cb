import { useState, type KeyboardEvent } from 'react'
import { api } from '../../api'
import { messageOf } from '../../ui/engineMessage'
import { Kbd } from '../../ui/Kbd'
import { DataGrid, rowDomId } from '../../ui/DataGrid'
import { useGridKeys } from '../../ui/useRowKeys'
import { formatDecimal } from '../../ui/decimal'
import { toast } from '../toasts/toastStore'
import { useAlerts } from './alertsStore'
import { conditionWords, distancePct, tickerPrice } from './alertsModel'
import { alertLevelInput, editKey, startLevelEdit, type LevelDraft } from './alertLevelEdit'
import { tickerKey, useLiveTickers } from './useLiveTickers'
import { leftNotice } from '../trading/tableNav'
import { useTableState } from '../trading/useTableState'
import type { AlertView, TriggerSource } from '../../../src-main/api/contract'

// The active price alerts as a keyboard table: the level, the live price of the source it watches and the
// distance still to go, the channels, why one waits; Delete cancels the selected one, Enter or E moves its
// level in the row (Enter sends alerts.amend, Escape drops; a refusal stays in the row). On the Alerts page
// (every market) and in a workspace's My orders view (its market: no market column).

export const sourceLabels: Record<TriggerSource, string> = { last: 'last trade', bid: 'bid', ask: 'ask', mid: 'mid' }


export async function cancelAlert(id: string): Promise<void> {
  try {
    useAlerts.getState().changed(await api.invoke('alerts.cancel', { id }))
  } catch (err) {
    toast.error('Alert not canceled', messageOf(err))
  }
}

interface ActiveAlertsTableProps {
  rows: readonly AlertView[]
  tableId: string
  /** Prefix of the rows' DOM ids (unique per table on screen). */
  rowKind: string
  /** In a workspace view on one market: no market column, and the view focuses the table. */
  inView?: boolean
}

export function ActiveAlertsTable({ rows: active, tableId, rowKind, inView = false }: ActiveAlertsTableProps) {
  const ids = active.map((a) => a.id)
  // As in the orders tables: an alert that leaves on its own (it fired, or was canceled elsewhere) leaves
  // nothing selected, so the next Delete cannot cancel a neighbour the user never chose; one this table
  // canceled hands the selection on (Delete, Delete…). With nothing chosen yet, the first row is.
  const [nav, dispatch] = useTableState(ids)
  if (nav.selected === null && nav.left === null && ids[0] !== undefined) dispatch({ type: 'select', id: ids[0] })
  const sel = nav.selected !== null && ids.includes(nav.selected) ? nav.selected : null
  const setSelected = (id: string) => dispatch({ type: 'select', id })
  const [edit, setEdit] = useState<LevelDraft | null>(null)
  const editing = edit !== null && ids.includes(edit.id) ? edit : null // an alert that fired or was canceled meanwhile cannot be moved
  const startEdit = (id: string) => {
    const a = active.find((x) => x.id === id)
    if (a) {
      setSelected(id)
      setEdit(startLevelEdit(a))
    }
  }
  const keys = useGridKeys({
    ids,
    selected: sel,
    onSelect: setSelected,
    onDelete: (id) => {
      dispatch({ type: 'acted', id })
      void cancelAlert(id)
    },
    onActivate: startEdit,
    onKey: (key, id) => (editKey({ key }) ? (startEdit(id), true) : false),
  })
  const backToTable = () => document.getElementById(tableId)?.focus()
  const send = async (draft: LevelDraft) => {
    const input = alertLevelInput(draft)
    if (input === null) {
      setEdit(null)
      return backToTable()
    }
    setEdit({ ...draft, sending: true, error: null })
    try {
      useAlerts.getState().changed(await api.invoke('alerts.amend', input))
      setEdit(null)
      backToTable()
    } catch (err) {
      setEdit({ ...draft, sending: false, error: messageOf(err) })
    }
  }
  // While the editor is open its keys are its own: Enter sends, Escape drops; the table's keys wait.
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (editing === null) return keys.onKeyDown(event)
    // Mod+Enter (the app's "send" key) sends the edit too.
    if (event.key === 'Enter' && !event.altKey) {
      event.preventDefault()
      if (!editing.sending) void send(editing)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      setEdit(null)
      backToTable()
    }
  }
  const markets = [...new Set(active.map((a) => tickerKey(a.venueId, a.symbol)))].sort().join('\n')
  const tickers = useLiveTickers(markets)
  return (
    <>
      <DataGrid
        id={tableId}
        label="Active alerts"
        testId="alerts-active"
        className="alerts-table"
        emptyClassName="alerts-empty"
        rowKind={rowKind}
        viewFocus={inView}
        columns={[...(inView ? [] : [{ label: 'Market' }]), { label: 'When' }, { label: 'Level', num: true }, { label: 'Now', num: true }, { label: 'To go', num: true }, { label: 'Notify' }, { label: 'Note' }, { label: '' }]}
        empty={active.length === 0 ? (inView ? 'No active alerts on this market. Alt+L sets one.' : 'No active alerts. Set one on the right, or press Alt+L on the Trade page.') : null}
        {...keys}
        notice={leftNotice(nav, 'alert')}
        onKeyDown={onKeyDown}
      >
        {active.map((a) => {
          const now = tickerPrice(tickers.get(tickerKey(a.venueId, a.symbol)), a.source) ?? a.current
          const pct = distancePct(a.price, now)
          return (
            <tr
              key={a.id}
              id={rowDomId(rowKind, a.id)}
              aria-selected={a.id === sel}
              onClick={() => setSelected(a.id)}
              onDoubleClick={() => startEdit(a.id)}
              data-testid="alert-row"
              data-alert-id={a.id}
            >
              {inView ? null : (
                <td>
                  {a.symbol} <span className="muted">{a.venueLabel}</span>
                </td>
              )}
              <td>
                {sourceLabels[a.source]} {conditionWords[a.condition]}
                {a.waiting ? (
                  <span className="badge badge-warn alerts-waiting" title={a.waiting} data-testid="alert-waiting">
                    {a.waiting}
                  </span>
                ) : null}
              </td>
              <td className="num" data-testid="alert-level">
                {editing?.id === a.id ? (
                  <>
                    <input
                      className="input input-number orders-edit"
                      aria-label="New level"
                      inputMode="decimal"
                      autoComplete="off"
                      spellCheck={false}
                      autoFocus
                      value={editing.price}
                      readOnly={editing.sending}
                      onFocus={(e) => e.target.select()}
                      onChange={(e) => setEdit({ ...editing, price: e.target.value, error: null })}
                      aria-invalid={editing.error ? true : undefined}
                      data-testid="alert-amend-level"
                    />
                    {editing.error ? (
                      <span className="neg" role="alert" data-testid="alert-amend-error">
                        {' '}
                        {editing.error}
                      </span>
                    ) : null}
                  </>
                ) : (
                  formatDecimal(a.price)
                )}
              </td>
              <td className="num" data-testid="alert-now">{now === null ? '—' : formatDecimal(now)}</td>
              <td className="num">{pct === null ? '—' : `${pct > 0 ? '+' : ''}${pct.toFixed(2)} %`}</td>
              <td>
                {channelsText(a)}
                {a.repeat ? <span className="muted" data-testid="alert-repeats">{` · every time${a.fireCount > 0 ? `, fired ${a.fireCount}×` : ''}`}</span> : null}
              </td>
              <td className="alerts-note" title={a.note ?? undefined}>{a.note ?? ''}</td>
              <td>
                <button type="button" className="btn btn-small" onClick={() => void cancelAlert(a.id)} data-testid="alert-cancel" aria-label={`Cancel the ${a.symbol} alert at ${a.price}`}>
                  Cancel
                </button>
              </td>
            </tr>
          )
        })}
      </DataGrid>
      <footer className="key-footer" aria-hidden="true">
        <span>
          <Kbd combo="Up" />
          <Kbd combo="Down" /> select
        </span>
        <span>
          <Kbd combo="Delete" /> cancel
        </span>
        <span>
          <Kbd combo="Enter" /> or <Kbd combo="E" /> move the level
        </span>
        <span>an alert fires on a live book only: once, or every time it is set to</span>
      </footer>
    </>
  )
}

function channelsText(a: AlertView): string {
  const parts = ['app']
  if (a.desktop) parts.push('desktop')
  if (a.webhookUrl) parts.push('webhook')
  if (a.email) parts.push('email')
  return parts.join(' · ')
}

