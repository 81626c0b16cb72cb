import { api } from '../../api'
import { DataGrid } from '../../ui/DataGrid'
import { Panel, EmptyState } from '../../ui/Panel'
import { usePoll } from '../../ui/usePoll'
import { useGridKeys } from '../../ui/useRowKeys'
import { messageOf } from '../../ui/engineMessage'
import { PeriodControl } from '../portfolio/PeriodControl'
import { useLeaderboard } from './leaderboardStore'
import { heatRows, WEEKDAYS } from './heatmapModel'
import { followSelectedAccount } from './leaderboardActions'
import { LEADERBOARD_TABLE_ID } from './leaderboardIds'
import { BoardRow } from './BoardRow'
import { WIN_RATE_HEADER_NOTE } from './leaderboardModel'
import './leaderboard.css'

// Leaderboard: every account in the ledger — yours and the simulated traders' — ranked by the period's
// P&L, with return, Sharpe, drawdown and the closed trades' win rate and profit factor; the selected
// account's realized P&L by hour of the week below. All figures are the engine's. F (or the Follow button)
// opens the Copy page's Follow form for the selected account.

const REFRESH_MS = 10_000

const COLUMNS = [
  { label: '#' },
  { label: 'Account' },
  { label: 'P&L', num: true },
  { label: 'Return', num: true },
  { label: 'Sharpe', num: true },
  { label: 'Max DD', num: true },
  { label: 'Trades', num: true },
  { label: 'Win rate', num: true, title: WIN_RATE_HEADER_NOTE },
  { label: 'Profit factor', num: true },
  { label: 'Best', num: true },
  { label: 'Worst', num: true },
  { label: 'Value', num: true },
] as const

export function LeaderboardPage() {
  const period = useLeaderboard((s) => s.period)
  const selected = useLeaderboard((s) => s.selected)
  usePoll(
    async (alive) => {
      try {
        const board = await api.invoke('analytics.leaderboard', { period })
        if (alive()) useLeaderboard.getState().setBoard(board)
      } catch (err) {
        if (alive()) useLeaderboard.getState().setError(messageOf(err))
      }
    },
    REFRESH_MS,
    period,
  )
  usePoll(
    async (alive) => {
      if (selected === null) return
      try {
        const heatmap = await api.invoke('analytics.heatmap', { account: selected, period })
        if (alive()) useLeaderboard.getState().setHeatmap(heatmap)
      } catch (err) {
        if (alive()) useLeaderboard.getState().setError(messageOf(err))
      }
    },
    REFRESH_MS,
    `${period}|${selected ?? ''}`,
  )
  return (
    <div className="lb-page" data-testid="leaderboard-page">
      <Toolbar />
      <Board />
      <Heatmap />
    </div>
  )
}

function Toolbar() {
  const period = useLeaderboard((s) => s.period)
  const board = useLeaderboard((s) => s.board)
  const error = useLeaderboard((s) => s.error)
  return (
    <div className="toolbar lb-toolbar">
      <PeriodControl period={period} onChange={(p) => useLeaderboard.getState().setPeriod(p)} testId="leaderboard-period" />
      {board ? <span className="muted">in {board.currency} · Sharpe per {board.resolution === 'day' ? 'day' : board.resolution === 'hour' ? 'hour' : '5 minutes'}, annualized</span> : null}
      {error ? (
        <span className="inline-error" role="alert" data-testid="leaderboard-error">
          {error}
        </span>
      ) : null}
    </div>
  )
}

function Board() {
  const board = useLeaderboard((s) => s.board)
  const selected = useLeaderboard((s) => s.selected)
  const rows = board?.rows ?? []
  const grid = useGridKeys({
    ids: rows.map((r) => r.account),
    selected,
    onSelect: (id) => useLeaderboard.getState().select(id),
    onKey: (key) => {
      if (key !== 'f') return false
      followSelectedAccount()
      return true
    },
  })
  const tools = (
    <>
      <span className="muted">↑/↓ choose · F follow · ranked by P&amp;L</span>
      <button type="button" className="btn btn-small" onClick={followSelectedAccount} disabled={selected === null} data-testid="leaderboard-follow">
        Follow…
      </button>
    </>
  )
  return (
    <Panel title="Leaderboard" tools={tools} testId="panel-leaderboard">
      <DataGrid
        id={LEADERBOARD_TABLE_ID}
        label="Leaderboard"
        testId="leaderboard-table"
        className="lb-table"
        emptyClassName="lb-empty"
        rowKind="lb"
        columns={COLUMNS}
        empty={board === null ? 'Loading…' : rows.length === 0 ? 'No account has a ledger yet.' : null}
        {...grid}
      >
        {rows.map((r) => (
          <BoardRow key={r.account} row={r} currency={board?.currency ?? ''} resolution={board?.resolution ?? 'day'} selected={r.account === selected} />
        ))}
      </DataGrid>
    </Panel>
  )
}

function Heatmap() {
  const heatmap = useLeaderboard((s) => s.heatmap)
  const selected = useLeaderboard((s) => s.selected)
  const title = heatmap ? `Realized P&L by hour of the week (UTC) — ${heatmap.label}` : 'Realized P&L by hour of the week (UTC)'
  if (!heatmap || heatmap.account !== selected)
    return (
      <Panel title={title} testId="panel-leaderboard-heatmap">
        <EmptyState>{selected === null ? 'Choose an account.' : 'Loading…'}</EmptyState>
      </Panel>
    )
  const rows = heatRows(heatmap)
  return (
    <Panel title={title} testId="panel-leaderboard-heatmap">
      <div className="lb-heat" role="table" aria-label="Realized P&L by weekday and hour (UTC)" data-testid="leaderboard-heatmap" data-account={heatmap.account}>
        <div className="lb-heat-row" role="row">
          <span className="lb-heat-day" />
          {Array.from({ length: 24 }, (_, h) => (
            <span key={h} className="lb-heat-hour muted" role="columnheader">
              {h}
            </span>
          ))}
        </div>
        {rows.map((cells, d) => (
          <div key={WEEKDAYS[d]} className="lb-heat-row" role="row">
            <span className="lb-heat-day muted" role="rowheader">
              {WEEKDAYS[d]}
            </span>
            {cells.map((c) => (
              <span
                key={c.hour}
                role="cell"
                className={`lb-heat-cell${c.strength > 0 ? ' pos' : c.strength < 0 ? ' neg' : ''}`}
                style={{ ['--heat' as string]: Math.abs(c.strength).toFixed(3) }}
                title={`${WEEKDAYS[d]} ${String(c.hour).padStart(2, '0')}:00–${String(c.hour + 1).padStart(2, '0')}:00 UTC: ${c.pnl} ${heatmap.currency}, ${c.trades} trade${c.trades === 1 ? '' : 's'}`}
                data-testid="leaderboard-heat-cell"
                data-trades={c.trades}
                data-pnl={c.pnl}
              />
            ))}
          </div>
        ))}
      </div>
    </Panel>
  )
}
