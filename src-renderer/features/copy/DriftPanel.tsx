import { useState } from 'react'
import { api } from '../../api'
import { Panel, EmptyState } from '../../ui/Panel'
import { usePoll } from '../../ui/usePoll'
import { useGridKeys } from '../../ui/useRowKeys'
import { rowDomId } from '../../ui/DataGrid'
import { formatDecimal, formatPercent, formatValue, signOf } from '../../ui/decimal'
import { OrdersGrid } from '../trading/OrdersGrid'
import { messageOf, useCopy } from './copyStore'
import { signClass } from './LeadersPanel'
import { COPY_IDS } from './copyIds'
import type { DriftRow } from '../../../src-main/api/schemas/copy'

// Drift of the selected relationship: per market, what the leader holds, what the follower holds and what
// the follower would hold had every copy been exact, the drift in % and both sides' P&L (all the engine's,
// asked for every 2 s).

export const DRIFT_EVERY_MS = 2000

const driftKey = (r: DriftRow) => `${r.followId}|${r.leaderSymbol}`

export function DriftPanel() {
  const follows = useCopy((s) => s.follows)
  const stored = useCopy((s) => s.selectedFollow)
  const follow = follows.find((f) => f.id === stored) ?? follows[0] ?? null
  const followId = follow?.id ?? null
  const [rows, setRows] = useState<{ followId: string; rows: DriftRow[] } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  usePoll(
    async (alive) => {
      if (!followId) return
      try {
        const list = await api.invoke('copy.drift', { followId })
        if (!alive()) return
        setRows({ followId, rows: list })
        setError(null)
      } catch (err) {
        if (alive()) setError(messageOf(err))
      }
    },
    DRIFT_EVERY_MS,
    followId ?? '',
  )
  const shown = rows && rows.followId === followId ? rows.rows : null
  const ids = shown?.map(driftKey) ?? []
  const grid = useGridKeys({ ids, selected, onSelect: setSelected })
  const title = follow ? `Drift: ${follow.leaderLabel} → ${follow.followerLabel}` : 'Drift'
  return (
    <Panel title={title} tools={<span className="muted">follower vs leader · every 2 s</span>} testId="panel-copy-drift">
      {error ? <p className="inline-error">Drift unavailable: {error}</p> : null}
      {!follow ? (
        <EmptyState>Follow a leader to compare the follower’s exposure with the leader’s.</EmptyState>
      ) : !shown ? (
        <EmptyState>Loading drift…</EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState>No positions yet on either side of this relationship.</EmptyState>
      ) : (
        <OrdersGrid
          id={COPY_IDS.drift}
          label="Drift per market"
          testId="copy-drift-table"
          rowKind="copy-drift"
          {...grid}
          columns={[
            { label: 'Market' },
            { label: 'Leader holds', num: true },
            { label: 'Follower holds', num: true },
            { label: 'Expected', num: true },
            { label: 'Drift', num: true },
            // Both in the engine's valuation currency (an ETH/BTC market's BTC converted), as the relationship's P&L.
            { label: `Leader P&L (${shown[0]?.pnlAsset ?? 'USDT'})`, num: true },
            { label: `Follower P&L (${shown[0]?.pnlAsset ?? 'USDT'})`, num: true },
          ]}
          empty={null}
        >
          {shown.map((r) => {
            const key = driftKey(r)
            return (
              <tr
                key={key}
                id={rowDomId('copy-drift', key)}
                aria-selected={key === selected}
                onMouseDown={() => setSelected(key)}
                data-testid="copy-drift-row"
              >
                <td className="nowrap">
                  {r.leaderSymbol}
                  {r.followerSymbol !== r.leaderSymbol ? <span className="muted"> → {r.followerSymbol}</span> : null}
                </td>
                {r.leaderPosition === null ? (
                  <td className="num muted" title="not known yet: tracked from the leader's fills here, starting from its balance of the coin read at one; while that read fails its sales here are skipped (read again at its next fill)">
                    —
                  </td>
                ) : (
                  <td className="num">{formatDecimal(r.leaderPosition)}</td>
                )}
                <td className="num">{formatDecimal(r.followerPosition)}</td>
                <td className="num muted">{formatDecimal(r.expectedPosition)}</td>
                <td className={`num ${r.driftPct !== null && signOf(r.driftPct) !== 0 ? 'warn-text' : 'muted'}`} data-testid="copy-drift-pct">
                  {r.driftPct === null ? '—' : formatPercent(r.driftPct)}
                </td>
                <td
                  className={`num ${signClass(r.leaderPnl)}`}
                  title={
                    r.leaderPnl === null
                      ? `${r.leaderSymbol}'s quote cannot be valued in ${r.pnlAsset} on the follower's venue`
                      : r.leaderPriced === 'last-fill'
                        ? `${r.leaderPnl} ${r.pnlAsset} — at the leader's last fill price: its venue has no price for ${r.leaderSymbol} now`
                        : `${r.leaderPnl} ${r.pnlAsset}`
                  }
                  data-priced={r.leaderPriced}
                >
                  {r.leaderPnl === null ? '—' : formatValue(r.leaderPnl)}
                  {r.leaderPnl !== null && r.leaderPriced === 'last-fill' ? '*' : ''}
                </td>
                <td className={`num ${signClass(r.followerPnl)}`} title={`${r.followerPnl} ${r.pnlAsset}`}>
                  {formatValue(r.followerPnl)}
                </td>
              </tr>
            )
          })}
        </OrdersGrid>
      )}
    </Panel>
  )
}
