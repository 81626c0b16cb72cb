import { useEffect } from 'react'
import { startVenuesSync, useVenues } from '../markets/venuesStore'
import { startOrdersSync, useOrders } from './ordersStore'
import { OpenOrdersPanel } from './OpenOrdersPanel'
import { ConditionalPanel } from './ConditionalPanel'
import { FillsPanel, HistoryPanel } from './HistoryPanels'
import { TicketPanel } from './TicketPanel'
import { RiskPanel } from './RiskPanel'
import { PaperVenuesPanel } from './PaperVenuesPanel'
import { ORDERS_IDS } from './ticketIds'
import './trading.css'

/** Orders: open, conditional, history and fills on the left (one account or all); ticket, risk and paper accounts on the right. */
export function OrdersPage() {
  useEffect(() => startOrdersSync(), [])
  useEffect(() => startVenuesSync(), [])
  const error = useOrders((s) => s.error)
  return (
    <div className="orders-page" data-testid="orders-page">
      <div className="orders-main">
        <FilterBar />
        {error ? (
          <p className="inline-error orders-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="orders-tables">
          <OpenOrdersPanel />
          <ConditionalPanel />
          <HistoryPanel />
          <FillsPanel />
        </div>
      </div>
      <div className="orders-side">
        <TicketPanel />
        <RiskPanel />
        <PaperVenuesPanel />
      </div>
    </div>
  )
}

function FilterBar() {
  const venues = useVenues((s) => s.venues)
  const filter = useOrders((s) => s.venueFilter)
  const setFilter = useOrders((s) => s.setVenueFilter)
  return (
    <div className="toolbar orders-filter">
      <label htmlFor={ORDERS_IDS.filter} className="muted">
        Account
      </label>
      <select
        id={ORDERS_IDS.filter}
        className="input"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        data-testid="orders-venue-filter"
      >
        <option value="">All accounts</option>
        {venues.map((v) => (
          <option key={v.id} value={v.id}>
            {v.label}
          </option>
        ))}
      </select>
    </div>
  )
}
