import { useEffect, useMemo, useState, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import { forMarket } from '../trading/ordersModel'
import { startOrdersSync, useOrders } from '../trading/ordersStore'
import { useScopedLists } from '../trading/scopedStore'
import { FillsCapNote } from '../trading/ListCapNote'
import { OpenOrdersTable } from '../trading/OpenOrdersPanel'
import { ConditionalTable } from '../trading/ConditionalPanel'
import { FillsTable } from '../trading/HistoryPanels'
import { ViewFrame } from './ViewFrame'
import { PositionStrip } from './PositionStrip'
import { focusViewElement } from './viewFocus'
import { cancelAllOnMarket } from '../trading/tradingActions'
import { useAlerts } from '../alerts/alertsStore'
import { ActiveAlertsTable } from '../alerts/ActiveAlertsTable'
import type { WorkspaceView } from '../../../src-main/api/contract'

// "My orders" in the workspace: the view's market only — the account's position in it, its open orders, its
// armed conditional orders, its fills and its active price alerts — beside the book and the chart, so a trader sees and cancels
// (Delete) or amends (Enter) what rests on the market without leaving it. The same tables as the Orders
// page, fed by the same streams.
// Alt+Shift+O focuses the table; 1, 2, 3, 4 switch between open, conditional, fills and alerts.

const TABS = ['open', 'conditional', 'fills', 'alerts'] as const
type Tab = (typeof TABS)[number]

const isTyping = (target: EventTarget) => target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement

export function MyOrdersPanel({ view }: { view: WorkspaceView }) {
  useEffect(() => startOrdersSync(), [])
  const [tab, setTab] = useState<Tab>('open')
  const open = useOrders((s) => s.open)
  const conditional = useOrders((s) => s.conditional)
  const alerts = useAlerts((s) => s.active)
  const error = useOrders((s) => s.error)
  const { venueId, symbol } = view
  // The market's fills asked of the engine for this market: the shared list holds the newest of all accounts only.
  const marketFills = useScopedLists({ venueId, symbol })
  const fills = marketFills?.fills
  const rows = useMemo(() => {
    const market = { venueId, symbol }
    return { open: forMarket(open, market), conditional: forMarket(conditional, market), fills: fills ?? [], alerts: forMarket(alerts, market) }
  }, [open, conditional, fills, alerts, venueId, symbol])
  const ids = { tableId: `my-orders-${tab}-${view.id}`, rowKind: `my-${tab}-${view.id}` }

  const tabButton = (value: Tab, label: string, count: number) => (
    <button
      type="button"
      className="btn btn-small"
      aria-pressed={tab === value}
      title={`${label} (${TABS.indexOf(value) + 1})`}
      onClick={() => setTab(value)}
      data-testid={`my-orders-tab-${value}`}
    >
      {label} <span data-testid={`my-orders-count-${value}`}>{count}</span>
    </button>
  )
  const tools = (
    <>
      <span className="segmented" role="group" aria-label="Which of my orders">
        {tabButton('open', 'Open', rows.open.length)}
        {tabButton('conditional', 'Conditional', rows.conditional.length)}
        {tabButton('fills', 'Fills', rows.fills.length)}
        {tabButton('alerts', 'Alerts', rows.alerts.length)}
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={rows.open.length === 0}
        title={`Cancel every open order on ${symbol}`}
        onClick={() => void cancelAllOnMarket({ venueId, symbol })}
        data-testid="my-orders-cancel-all"
      >
        Cancel all
      </button>
    </>
  )
  // 1, 2, 3, 4 pick the table (not while typing an amendment); the table keeps the focus.
  const onKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return
    const next = TABS[Number(event.key) - 1]
    if (next === undefined) return
    event.preventDefault()
    flushSync(() => setTab(next))
    focusViewElement(view.id)
  }
  return (
    <ViewFrame view={view} tools={tools}>
      <div className="my-orders" data-tab={tab} onKeyDown={onKeys}>
        <PositionStrip venueId={venueId} symbol={symbol} />
        {error ? (
          <p className="inline-error" role="alert">
            {error}
          </p>
        ) : null}
        {tab === 'open' ? (
          <OpenOrdersTable rows={rows.open} {...ids} inView />
        ) : tab === 'conditional' ? (
          <ConditionalTable rows={rows.conditional} scope="active" {...ids} inView />
        ) : tab === 'fills' ? (
          <>
            {marketFills?.fillsMore ? <FillsCapNote lists={marketFills} /> : null}
            <FillsTable rows={rows.fills} {...ids} inView />
          </>
        ) : (
          <ActiveAlertsTable rows={rows.alerts} {...ids} inView />
        )}
      </div>
    </ViewFrame>
  )
}
