import { useState } from 'react'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { useGridKeys } from '../../ui/useRowKeys'
import { rowDomId } from '../../ui/DataGrid'
import { formatDecimal } from '../../ui/decimal'
import { formatDateTime, formatTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { OrdersGrid } from '../trading/OrdersGrid'
import { shortId } from '../trading/labels'
import { useMarketFormat } from '../trading/venueMarkets'
import { latencySplit, latencyText, recordStatusLabel, skipRuleLabels } from './copyLabels'
import { recordsOf } from './copyModel'
import { useCopy } from './copyStore'
import { COPY_IDS } from './copyIds'

// Every leader fill's copy record, live on copy.recorded: the leader's fill, the follower order sent for it
// (or why none was), its status, the rule and reason of a skip, the exchange's error of a failure, and the
// latency from the leader's fill split into detection / decision / submission. ↑/↓ select a row.

export function RecordsPanel() {
  const all = useCopy((s) => s.records)
  const follows = useCopy((s) => s.follows)
  const filter = useCopy((s) => s.recordsFilter)
  const setFilter = useCopy((s) => s.setRecordsFilter)
  const status = useCopy((s) => s.status)
  const rows = recordsOf(all, filter)
  const ids = rows.map((r) => r.id)
  const [selected, setSelected] = useState<string | null>(null)
  const format = useTimeFormat()
  const fmt = useMarketFormat(rows.map((r) => r.followerVenueId))
  const labelOf = new Map(follows.map((f) => [f.id, `${f.leaderLabel} → ${f.followerLabel}`]))

  const grid = useGridKeys({ ids, selected, onSelect: setSelected })

  const tools = (
    <span className="copy-records-tools">
      <label htmlFor={COPY_IDS.recordsFilter} className="muted">
        Show
      </label>
      <select
        id={COPY_IDS.recordsFilter}
        className="input input-small"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        data-testid="copy-records-filter"
      >
        <option value="">All relationships</option>
        {follows.map((f) => (
          <option key={f.id} value={f.id}>
            {labelOf.get(f.id)}
          </option>
        ))}
      </select>
      <span className="muted" data-testid="copy-records-count">
        {rows.length} records
      </span>
    </span>
  )
  return (
    <Panel title="Copy records" tools={tools} testId="panel-copy-records">
      <OrdersGrid
        id={COPY_IDS.records}
        label="Copy records"
        testId="copy-records-table"
        rowKind="copy-record"
        {...grid}
        columns={[
          { label: 'Time' },
          { label: 'Leader fill' },
          { label: 'Follower order' },
          { label: 'Status · rule' },
          { label: 'Reason / error' },
          { label: 'Latency ms', num: true },
        ]}
        empty={
          rows.length > 0
            ? null
            : status === 'loading'
              ? 'Loading copy records…'
              : 'No copy records yet: each leader trade seen by a relationship shows here, copied or skipped with its reason.'
        }
      >
        {rows.map((r) => {
          const st = recordStatusLabel(r.status)
          return (
            <tr
              key={r.id}
              id={rowDomId('copy-record', r.id)}
              aria-selected={r.id === selected}
              onMouseDown={() => setSelected(r.id)}
              data-testid="copy-record-row"
              data-record-id={r.id}
              data-follow-id={r.followId}
              data-status={r.status}
              data-rule={r.rule ?? ''}
            >
              <td className="nowrap muted" title={format ? formatDateTime(r.leaderAt, format) : undefined}>
                {format ? formatTime(r.leaderAt, format) : ''}
              </td>
              <td className="nowrap" title={`leader trade ${r.leaderTradeId}`}>
                <span className={r.side === 'buy' ? 'pos' : 'neg'}>{r.side}</span> {formatDecimal(r.leaderAmount)} {r.leaderSymbol}{' '}
                <span className="muted">@ {formatDecimal(r.leaderPrice)}</span>
              </td>
              <td className="nowrap" title={r.clientOrderId ?? undefined} data-testid="copy-record-follower">
                {r.followerAmount !== null && r.followerSymbol ? (
                  <>
                    {fmt.amount(r.followerVenueId, r.followerSymbol, r.followerAmount)} {r.followerSymbol}
                    <span className="muted">
                      {' '}
                      filled {fmt.amount(r.followerVenueId, r.followerSymbol, r.followerFilled)}
                      {r.followerAvgPrice !== null ? ` @ ${fmt.price(r.followerVenueId, r.followerSymbol, r.followerAvgPrice)}` : ''}
                    </span>
                    {r.clientOrderId ? <span className="mono muted"> {shortId(r.clientOrderId)}</span> : null}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="nowrap" data-testid="copy-record-status">
                <span className={`badge badge-${st.tone}`}>{st.text}</span>
                {r.rule ? (
                  <span className="muted" data-testid="copy-record-rule">
                    {' '}
                    {skipRuleLabels[r.rule] ?? r.rule}
                  </span>
                ) : null}
              </td>
              <td className="copy-reason" data-testid="copy-record-reason">
                {r.error ? <span className="neg">{r.error}</span> : (r.reason ?? '')}
              </td>
              <td
                className="num nowrap"
                title={`from the leader’s fill: detection ${latencyText(r.detectedMs)} ms · decision ${latencyText(r.decidedMs)} ms · submission ${latencyText(r.submittedMs)} ms (seen by ${r.via})`}
                data-testid="copy-record-latency"
              >
                {latencySplit(r)}
              </td>
            </tr>
          )
        })}
      </OrdersGrid>
      <footer className="key-footer" aria-hidden="true">
        <span>
          <Kbd combo="Up" />
          <Kbd combo="Down" /> select
        </span>
        <span>latency from the leader’s fill: detection / decision / submission</span>
      </footer>
    </Panel>
  )
}
