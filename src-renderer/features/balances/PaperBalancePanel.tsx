import { useEffect } from 'react'
import { Panel, EmptyState } from '../../ui/Panel'
import { formatValue } from '../../ui/decimal'
import { startBalancesSync, useBalances } from './balancesStore'
import { openPaperReset } from './balanceActions'
import { BalanceTable } from './BalancesPage'
import { useSimAccountLabel } from './simAccount'
import './balances.css'

/** Workspace: the simulated exchange's account ("Simulated exchange balance"), live, with its reset. */
export function PaperBalancePanel() {
  useEffect(() => startBalancesSync(), [])
  const view = useBalances((s) => s.view)
  const error = useBalances((s) => s.error)
  const paper = view?.venues.find((v) => v.kind === 'simulated')
  const label = useSimAccountLabel()
  const tools = (
    <>
      {paper ? (
        <span title={paper.value ? `${paper.value} ${view?.valuationAsset}` : undefined}>
          <span className="muted">≈ </span>
          <span className="num" data-testid="paper-value">
            {formatValue(paper.value)}
          </span>{' '}
          <span className="muted">{view?.valuationAsset}</span>
        </span>
      ) : null}
      <button type="button" className="btn btn-small" onClick={openPaperReset}>
        Reset…
      </button>
    </>
  )
  return (
    <Panel title={`${label} balance`} tools={tools} testId="panel-paper">
      {error && !paper ? <p className="inline-error">Balances unavailable: {error}</p> : null}
      {paper?.error ? <p className="inline-error">{paper.error}</p> : null}
      {!paper ? (
        <EmptyState>{view ? `No ${label} account.` : 'Loading…'}</EmptyState>
      ) : paper.balances.length === 0 ? (
        <EmptyState>{label} holds nothing.</EmptyState>
      ) : (
        <div className="scroll">
          <BalanceTable rows={paper.balances} valuationAsset={view?.valuationAsset ?? ''} />
        </div>
      )}
    </Panel>
  )
}
