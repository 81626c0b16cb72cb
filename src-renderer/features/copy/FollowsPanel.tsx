import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { useGridKeys } from '../../ui/useRowKeys'
import { rowDomId } from '../../ui/DataGrid'
import { formatValue } from '../../ui/decimal'
import { formatDateTime, formatTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { OrdersGrid } from '../trading/OrdersGrid'
import { followStatusLabel, sizingText } from './copyLabels'
import { useCopy } from './copyStore'
import { editFollow, togglePause, unfollow } from './copyActions'
import { signClass } from './LeadersPanel'
import { COPY_IDS } from './copyIds'

// The leader → follower relationships with their state, counters and P&L (the engine's). ↑/↓ select
// (the drift view follows the selection); P pauses or resumes; Enter or E edits the
// settings in the Follow form; Delete unfollows (after a confirm step).

export function FollowsPanel() {
  const follows = useCopy((s) => s.follows)
  const status = useCopy((s) => s.status)
  const stored = useCopy((s) => s.selectedFollow)
  const select = useCopy((s) => s.selectFollow)
  const selected = follows.some((f) => f.id === stored) ? stored : (follows[0]?.id ?? null)
  const ids = follows.map((f) => f.id)
  const format = useTimeFormat()

  const grid = useGridKeys({
    ids,
    selected,
    onSelect: select,
    onActivate: editFollow,
    onDelete: unfollow,
    onKey: (key, id) => {
      if (key === 'p') void togglePause(id)
      else if (key === 'e') editFollow(id)
      else return false
      return true
    },
  })

  const active = follows.filter((f) => f.status === 'active').length
  return (
    <Panel title="Relationships" tools={<span className="muted">{`${follows.length} · ${active} active`}</span>} testId="panel-copy-follows">
      <OrdersGrid
        id={COPY_IDS.follows}
        label="Copy relationships"
        testId="copy-follows-table"
        rowKind="copy-follow"
        {...grid}
        columns={[
          { label: 'Leader' },
          { label: 'Follower' },
          { label: 'Sizing' },
          { label: 'Status' },
          { label: 'Copied', num: true },
          { label: 'Skipped', num: true },
          { label: 'Failed', num: true },
          { label: 'P&L', num: true },
          { label: 'Since' },
        ]}
        empty={
          follows.length > 0
            ? null
            : status === 'loading'
              ? 'Loading relationships…'
              : 'Not following anyone yet: pick a leader and press Enter (or F) to follow it.'
        }
      >
        {follows.map((f) => {
          const st = followStatusLabel(f.status)
          return (
            <tr
              key={f.id}
              id={rowDomId('copy-follow', f.id)}
              aria-selected={f.id === selected}
              onMouseDown={() => select(f.id)}
              onDoubleClick={() => editFollow(f.id)}
              data-testid="copy-follow-row"
              data-follow-id={f.id}
              data-leader-id={f.settings.leaderId}
              data-status={f.status}
            >
              <td className="ellipsis" title={f.leaderLabel}>
                {f.leaderLabel}
              </td>
              <td className="ellipsis" title={f.followerLabel}>
                {f.followerLabel}
              </td>
              <td className="nowrap muted">
                {sizingText(f.settings.sizing)} · {f.settings.allocationPct}%
              </td>
              <td className="orders-status" data-testid="copy-follow-status">
                <span className={`badge badge-${st.tone}`}>{st.text}</span>
                {f.statusReason ? <span className="muted"> {f.statusReason}</span> : null}
              </td>
              <td className="num" data-testid="copy-follow-copied">
                {f.copied}
              </td>
              <td className="num" data-testid="copy-follow-skipped">
                {f.skipped}
              </td>
              <td className={`num ${f.failed > 0 ? 'neg' : ''}`}>{f.failed}</td>
              <td className={`num ${signClass(f.pnl)}`} title={f.pnl} data-testid="copy-follow-pnl">
                {formatValue(f.pnl)}
              </td>
              <td className="nowrap muted" title={format ? formatDateTime(f.createdAt, format) : undefined}>
                {format ? formatTime(f.createdAt, format) : ''}
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
        <span>
          <Kbd combo="P" /> pause / resume
        </span>
        <span>
          <Kbd combo="Enter" />/<Kbd combo="E" /> edit
        </span>
        <span>
          <Kbd combo="Delete" /> unfollow
        </span>
      </footer>
    </Panel>
  )
}
