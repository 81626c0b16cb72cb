import { useEffect } from 'react'
import { startVenuesSync } from '../markets/venuesStore'
import { formatValue } from '../../ui/decimal'
import { startCopySync, useCopy } from './copyStore'
import { LeaderFeedPanel, LeadersPanel, signClass } from './LeadersPanel'
import { FollowsPanel } from './FollowsPanel'
import { RecordsPanel } from './RecordsPanel'
import { DriftPanel } from './DriftPanel'
import { FollowFormPanel } from './FollowFormPanel'
import { useFollowForm } from './followFormStore'
import { openFollowForm } from './copyActions'
import './copy.css'

/**
 * Copy trading: the stats header; leaders and the selected leader's live trades on the left;
 * relationships, copy records and drift in the middle; the Follow form on the right while it is open.
 */
export function CopyPage() {
  useEffect(() => startCopySync(), [])
  useEffect(() => startVenuesSync(), [])
  const error = useCopy((s) => s.error)
  const formOpen = useFollowForm((s) => s.open)
  return (
    <div className="copy-page" data-testid="copy-page">
      <div className="copy-head">
        <CopyStats />
        {formOpen ? null : (
          <button type="button" className="btn btn-small" onClick={openFollowForm} data-testid="copy-open-form">
            Follow a leader…
          </button>
        )}
      </div>
      {error ? (
        <p className="inline-error copy-error" role="alert" data-testid="copy-error">
          {error}
        </p>
      ) : null}
      <div className="copy-columns" data-form={formOpen ? 'open' : 'closed'}>
        <div className="copy-col copy-col-leaders">
          <LeadersPanel />
          <LeaderFeedPanel />
        </div>
        <div className="copy-col copy-col-main">
          <FollowsPanel />
          <RecordsPanel />
          <DriftPanel />
        </div>
        {formOpen ? (
          <div className="copy-col copy-col-form">
            <FollowFormPanel />
          </div>
        ) : null}
      </div>
    </div>
  )
}

/** The engine's copy stats: copied trades, profit from copies, active relationships, leaders followed. */
function CopyStats() {
  const stats = useCopy((s) => s.stats)
  return (
    <dl className="copy-stats" data-testid="copy-stats">
      <div>
        <dt>Copied trades</dt>
        <dd className="num" data-testid="copy-stat-copied">
          {stats ? stats.copiedTrades : '…'}
        </dd>
      </div>
      <div>
        <dt>Profit from copies</dt>
        <dd className={`num ${stats ? signClass(stats.copyProfit) : ''}`} title={stats?.copyProfit} data-testid="copy-stat-profit">
          {stats ? formatValue(stats.copyProfit) : '…'}
        </dd>
      </div>
      <div>
        <dt>Active relationships</dt>
        <dd className="num" data-testid="copy-stat-active">
          {stats ? stats.activeRelationships : '…'}
        </dd>
      </div>
      <div>
        <dt>Leaders followed</dt>
        <dd className="num" data-testid="copy-stat-leaders">
          {stats ? stats.leadersFollowed : '…'}
        </dd>
      </div>
    </dl>
  )
}
