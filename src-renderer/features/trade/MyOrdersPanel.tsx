import { useEffect, useMemo, useState } from 'react'
import { forMarket } from '../trading/ordersModel'
import { startOrdersSync, useOrders } from '../trading/ordersStore'
import { OpenOrdersTable } from '../trading/OpenOrdersPanel'
import { ConditionalTable } from '../trading/ConditionalPanel'
import { FillsTable } from '../trading/HistoryPanels'
import { ViewFrame } from './ViewFrame'
import { PositionStrip } from './PositionStrip'
import type { WorkspaceView } from '../../../src-main/api/contract'

// "My orders" in the workspace: the view's market only — the account's position in it, its open orders, its
// armed conditional orders and its fills — beside the book and the chart, so a trader sees and cancels (Delete) or amends (Enter) what
// rests on the market without leaving it. The same tables as the Orders page, fed by the same streams.

type Tab = 'open' | 'conditional' | 'fills'

export function MyOrdersPanel({ view }: { view: WorkspaceView }) {
  useEffect(() => startOrdersSync(), [])
  const [tab, setTab] = useState<Tab>('open')
  const open = useOrders((s) => s.open)
  const conditional = useOrders((s) => s.conditional)
  const fills = useOrders((s) => s.fills)
  const error = useOrders((s) => s.error)
  const { venueId, symbol } = view
  const rows = useMemo(() => {
    const market = { venueId, symbol }
    return { open: forMarket(open, market), conditional: forMarket(conditional, market), fills: forMarket(fills, market) }
  }, [open, conditional, fills, venueId, symbol])
  const ids = { tableId: `my-orders-${tab}-${view.id}`, rowKind: `my-${tab}-${view.id}` }

  const tabButton = (value: Tab, label: string, count: number) => (
    <button type="button" className="btn btn-small" aria-pressed={tab === value} onClick={() => setTab(value)} data-testid={`my-orders-tab-${value}`}>
      {label} <span data-testid={`my-orders-count-${value}`}>{count}</span>
    </button>
  )
  const tools = (
    <span className="segmented" role="group" aria-label="Which of my orders">
      {tabButton('open', 'Open', rows.open.length)}
      {tabButton('conditional', 'Conditional', rows.conditional.length)}
      {tabButton('fills', 'Fills', rows.fills.length)}
    </span>
  )
  return (
    <ViewFrame view={view} tools={tools}>
      <div className="my-orders" data-tab={tab}>
        <PositionStrip venueId={venueId} symbol={symbol} />
        {error ? (
          <p className="inline-error" role="alert">
            {error}
          </p>
        ) : null}
        {tab === 'open' ? (
          <OpenOrdersTable rows={rows.open} {...ids} oneMarket />
        ) : tab === 'conditional' ? (
          <ConditionalTable rows={rows.conditional} scope="active" {...ids} oneMarket />
        ) : (
          <FillsTable rows={rows.fills} {...ids} oneMarket />
        )}
      </div>
    </ViewFrame>
  )
}
