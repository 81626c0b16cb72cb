import { useEffect, useRef, useState } from 'react'
import { api } from '../../api'
import { Panel, EmptyState } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { useGridKeys } from '../../ui/useRowKeys'
import { rowDomId } from '../../ui/DataGrid'
import { formatDecimal, formatValue, signOf } from '../../ui/decimal'
import { formatDateTime, formatTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { OrdersGrid } from '../trading/OrdersGrid'
import { applyLeaderFill, LEADER_FILLS_CAP } from './copyModel'
import { leaderKindLabels, simTraderOf } from './copyLabels'
import { messageOf, useCopy } from './copyStore'
import { followLeader, showTrader } from './copyActions'
import { COPY_IDS } from './copyIds'
import type { LeaderFill } from '../../../src-main/api/schemas/copy'

// The leaders one can follow (own accounts, shared read-only keys, paper accounts, simulated traders) with
// the engine's figures for each, and the selected leader's live trade feed. ↑/↓ select; Enter or F fills
// the Follow form with the leader; T shows a simulated trader on the Traders page.

export const signClass = (value: string | null) => (signOf(value) > 0 ? 'pos' : signOf(value) < 0 ? 'neg' : 'muted')

export function LeadersPanel() {
  const leaders = useCopy((s) => s.leaders)
  const status = useCopy((s) => s.status)
  const stored = useCopy((s) => s.selectedLeader)
  const select = useCopy((s) => s.selectLeader)
  const selected = leaders.some((l) => l.id === stored) ? stored : (leaders[0]?.id ?? null)
  const ids = leaders.map((l) => l.id)

  const grid = useGridKeys({
    ids,
    selected,
    onSelect: select,
    onActivate: followLeader,
    onKey: (key, id) => {
      if (key === 'f') followLeader(id)
      else if (key === 't' && simTraderOf(id)) showTrader(id)
      else return false
      return true
    },
  })

  return (
    <Panel title="Leaders" tools={<span className="muted">{leaders.length} to follow</span>} testId="panel-copy-leaders">
      <OrdersGrid
        id={COPY_IDS.leaders}
        label="Leaders"
        testId="copy-leaders-table"
        rowKind="copy-leader"
        {...grid}
        columns={[
          { label: 'Leader' },
          { label: 'Kind' },
          { label: 'Closed trades', num: true },
          { label: 'Win rate', num: true },
          { label: 'Realized', num: true },
          { label: 'Followers', num: true },
        ]}
        empty={leaders.length > 0 ? null : status === 'loading' ? 'Loading leaders…' : status === 'error' ? 'Leaders unavailable.' : 'No leaders to follow.'}
      >
        {leaders.map((l) => (
          <tr
            key={l.id}
            id={rowDomId('copy-leader', l.id)}
            aria-selected={l.id === selected}
            onMouseDown={() => select(l.id)}
            onDoubleClick={() => followLeader(l.id)}
            data-testid="copy-leader-row"
            data-leader-id={l.id}
          >
            <td className="ellipsis copy-leader-label" title={`${l.label} · ${l.exchange}`}>
              {l.label}
            </td>
            <td className="muted">{leaderKindLabels[l.kind] ?? l.kind}</td>
            <td className="num" data-testid="copy-leader-trades">
              {l.trades}
            </td>
            <td className="num">{l.winRatePct === null ? <span className="muted">—</span> : `${formatDecimal(l.winRatePct)}%`}</td>
            <td className={`num ${signClass(l.pnl)}`} title={l.pnl}>
              {formatValue(l.pnl)}
            </td>
            <td className="num" data-testid="copy-leader-followers">
              {l.followers}
            </td>
          </tr>
        ))}
      </OrdersGrid>
      <footer className="key-footer" aria-hidden="true">
        <span>
          <Kbd combo="Up" />
          <Kbd combo="Down" /> select
        </span>
        <span>
          <Kbd combo="Enter" />/<Kbd combo="F" /> follow
        </span>
        <span>
          <Kbd combo="T" /> simulated trader’s page
        </span>
      </footer>
    </Panel>
  )
}

/** The selected leader's fills: listed once (copy.leaderFills), then live on copy.leaderFill. */
export function LeaderFeedPanel() {
  const leaders = useCopy((s) => s.leaders)
  const stored = useCopy((s) => s.selectedLeader)
  const leader = leaders.find((l) => l.id === stored) ?? leaders[0] ?? null
  return (
    <Panel title={leader ? `Trades of ${leader.label}` : 'Leader trades'} testId="panel-copy-feed">
      {leader ? <LeaderFeed key={leader.id} leaderId={leader.id} /> : <EmptyState>Select a leader to see its trades.</EmptyState>}
    </Panel>
  )
}

function LeaderFeed({ leaderId }: { leaderId: string }) {
  const [fills, setFills] = useState<LeaderFill[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const format = useTimeFormat()
  const scroller = useRef<HTMLDivElement>(null)
  useEffect(() => {
    let alive = true
    // Fills streamed before the list arrives are newer than it: kept and merged in.
    const early: LeaderFill[] = []
    let listed = false
    const off = api.subscribe(
      'copy.leaderFill',
      { leaderId },
      (fill) => {
        if (!listed) early.push(fill)
        else setFills((held) => applyLeaderFill(held ?? [], fill))
      },
      (err) => alive && setError(`trade stream refused: ${err.message}`),
    )
    api
      .invoke('copy.leaderFills', { leaderId, limit: LEADER_FILLS_CAP })
      .then((list) => {
        if (!alive) return
        listed = true
        let out = [...list].sort((a, b) => b.timestamp - a.timestamp)
        for (const f of early) out = applyLeaderFill(out, f)
        setFills(out)
      })
      .catch((err: unknown) => alive && setError(messageOf(err)))
    return () => {
      alive = false
      off()
    }
  }, [leaderId])

  if (error && !fills) return <p className="inline-error">{error}</p>
  if (!fills) return <EmptyState>Loading trades…</EmptyState>
  return (
    <>
      {error ? <p className="inline-error">{error}</p> : null}
      {fills.length === 0 ? (
        <EmptyState>No trades yet; new ones show here as the leader trades.</EmptyState>
      ) : (
        <div className="scroll" ref={scroller}>
          <table className="grid-table orders-table" id={COPY_IDS.feed} tabIndex={0} aria-label="Leader trades" data-testid="copy-leader-feed">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Market</th>
                <th scope="col">Side</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {fills.map((f) => (
                <tr key={`${f.symbol}:${f.tradeId}`} data-testid="copy-leader-fill" data-trade-id={f.tradeId}>
                  <td className="nowrap muted" title={format ? formatDateTime(f.timestamp, format) : undefined}>
                    {format ? formatTime(f.timestamp, format) : ''}
                  </td>
                  <td className="nowrap">{f.symbol}</td>
                  <td className={f.side === 'buy' ? 'pos' : 'neg'}>{f.side}</td>
                  <td className="num">{formatDecimal(f.price)}</td>
                  <td className="num">{formatDecimal(f.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
