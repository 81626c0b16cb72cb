import { formatDecimal } from '../../ui/decimal'
import { useVenueBalances } from '../balances/useVenueBalances'
import { availableOf } from './available'
import type { MarketView } from '../../../src-main/api/contract'

/** "Available 10,000 USDT" under the ticket's size: what the order would spend from; a click sizes it at 100 %. */
export function AvailableLine({ info, side, onAll }: { info: MarketView; side: 'buy' | 'sell'; onAll: () => void }) {
  const a = availableOf(useVenueBalances(info.venueId), side, info)
  return (
    <p className="ot-available" data-testid="ticket-available" data-state={a.state} data-asset={a.asset} data-free={a.state === 'known' ? a.free : ''}>
      <span className="muted">Available </span>
      {a.state === 'known' ? (
        <button type="button" className="link-button" title="Use all of it (100 %)" onClick={onAll} data-testid="ticket-available-all">
          {formatDecimal(a.free)}
        </button>
      ) : a.state === 'error' ? (
        <span className="warn-text" title={a.message}>
          unknown
        </span>
      ) : (
        <span className="muted">…</span>
      )}{' '}
      <span className="muted">{a.asset}</span>
    </p>
  )
}
