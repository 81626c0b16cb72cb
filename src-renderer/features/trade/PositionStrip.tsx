import { signOf } from '../../ui/decimal'
import { Amount, Money, Pnl, Price } from '../portfolio/Figures'
import { useMarketPosition } from './useMarketPosition'

/** One line above a My orders view's table: the account's position in the market's base asset and its P&L. */
export function PositionStrip({ venueId, symbol }: { venueId: string; symbol: string }) {
  const { reading, error } = useMarketPosition(venueId, symbol)
  if (error !== null) {
    return (
      <p className="my-orders-position muted" data-testid="my-orders-position" data-state="error">
        Position unknown: {error}
      </p>
    )
  }
  if (reading === null) {
    return (
      <p className="my-orders-position muted" data-testid="my-orders-position" data-state="loading">
        Position…
      </p>
    )
  }
  const p = reading.position
  const held = p !== null && signOf(p.amount) !== 0
  // The whole line, exact, for a view too narrow to show it.
  const title = [
    `Position ${p?.amount ?? '0'} ${reading.asset}`,
    ...(held ? [`average cost ${p.averageCost ?? '—'}`, `value ${p.value ?? '—'}`, `unrealized ${p.unrealized ?? '—'}`] : []),
    ...(p !== null && signOf(p.realized) !== 0 ? [`realized ${p.realized}`] : []),
  ].join(' · ') + ` (${reading.currency})`
  return (
    <p className="my-orders-position" title={title} data-testid="my-orders-position" data-state={held ? 'held' : 'flat'} data-amount={p?.amount ?? '0'}>
      <span className="muted">Position </span>
      <Amount value={p?.amount ?? '0'} testId="my-orders-position-amount" /> <span className="muted">{reading.asset}</span>
      {held ? (
        <>
          <span className="muted"> · avg </span>
          <Price value={p.averageCost} unit={reading.currency} testId="my-orders-position-avg" />
          <span className="muted"> · value </span>
          <Money value={p.value} unit={reading.currency} testId="my-orders-position-value" />
          <span className="muted"> · unrealized </span>
          <Pnl value={p.unrealized} unit={reading.currency} testId="my-orders-position-unrealized" />
        </>
      ) : null}
      {p !== null && signOf(p.realized) !== 0 ? (
        <>
          <span className="muted"> · realized </span>
          <Pnl value={p.realized} unit={reading.currency} testId="my-orders-position-realized" />
        </>
      ) : null}
      <span className="muted"> {reading.currency}</span>
      {p !== null && signOf(p.missingCostBasis) !== 0 ? (
        <span className="warn-text" title="Sold beyond the holdings the ledger knows: part of the cost basis is missing (Portfolio page)">
          {' '}
          · cost basis incomplete
        </span>
      ) : null}
    </p>
  )
}
