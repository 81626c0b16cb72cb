import { useEffect, useState } from 'react'
import { api } from '../../api'
import { formatDateTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import type { LotView, PositionView } from '../../../src-main/api/schemas/portfolio'
import { messageOf } from './portfolioStore'
import { Amount, Money, Price } from './Figures'

// The open lots of the selected position (portfolio.lots): each acquisition still held under FIFO, or the
// one pooled lot under average cost, with what is left of its cost. Asked again when the position changes.

/** Until the settings have arrived: UTC, 24 h (the stored times are UTC). */
const FALLBACK_TIME = { timeZone: 'utc', clock24h: true } as const

export function LotsStrip({ position }: { position: Pick<PositionView, 'account' | 'asset' | 'amount' | 'costBasis'> & { method: string } }) {
  const fmt = useTimeFormat()
  const [lots, setLots] = useState<LotView[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { account, asset, amount, costBasis, method } = position
  useEffect(() => {
    let live = true
    api
      .invoke('portfolio.lots', { account, asset })
      .then((value) => {
        if (!live) return
        setLots(value)
        setError(null)
      })
      .catch((err: unknown) => live && setError(messageOf(err)))
    return () => {
      live = false
    }
  }, [account, asset, amount, costBasis, method])
  return (
    <div className="pf-lots" data-testid="portfolio-lots" data-account={account} data-asset={asset}>
      <div className="muted pf-lots-title">
        Open lots of {asset} ({method === 'average' ? 'average cost: one pooled lot' : 'FIFO: oldest leaves first'})
      </div>
      {error !== null ? <p className="inline-error" role="alert">{error}</p> : null}
      {lots !== null && lots.length === 0 ? <div className="muted">No open lots (cash, or sold without a known cost).</div> : null}
      {lots !== null && lots.length > 0 ? (
        <table className="grid-table pf-table" aria-label={`Open lots of ${asset}`}>
          <thead>
            <tr>
              <th scope="col">Acquired</th>
              <th scope="col" className="num">Amount</th>
              <th scope="col" className="num">Unit cost</th>
              <th scope="col" className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {lots.map((l) => (
              <tr key={`${l.acquiredAt}|${l.amount}|${l.cost}`} data-testid="lot-row">
                <td>{formatDateTime(l.acquiredAt, fmt ?? FALLBACK_TIME)}</td>
                <td className="num">
                  <Amount value={l.amount} testId="lot-amount" />
                </td>
                <td className="num">
                  <Price value={l.unitCost} unit={l.currency} testId="lot-unit-cost" />
                </td>
                <td className="num">
                  <Money value={l.cost} unit={l.currency} testId="lot-cost" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}
