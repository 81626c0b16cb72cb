import { rowDomId } from '../../ui/DataGrid'
import { formatDecimal, formatPercent, roundDecimal } from '../../ui/decimal'
import { Money, Pnl } from '../portfolio/Figures'
import { useLeaderboard } from './leaderboardStore'
import { figureWarningText, sharpeBlankReason, UNRANKED_NOTE, unpricedTradesNote, winRateNote, type Resolution } from './leaderboardModel'
import type { LeaderboardRow, LeaderboardWarning } from '../../../src-main/api/contract'

// One account's row of the Leaderboard: its place (or "?" when its figures are incomplete), the P&L and
// value with a ⚠ for what the Portfolio page warns about, and the return, risk and trade statistics.

/** A statistic to two places (the engine rounds it); — when there is none. */
const ratio = (n: number | null, suffix = '') => (n === null ? <span className="muted">—</span> : `${formatDecimal(n.toFixed(2), { minDecimals: 2 })}${suffix}`)

export function BoardRow({ row: r, currency, resolution, selected }: { row: LeaderboardRow; currency: string; resolution: Resolution; selected: boolean }) {
  const blank = sharpeBlankReason(r.sharpe, r.returns, resolution)
  return (
    <tr
      id={rowDomId('lb', r.account)}
      aria-selected={selected}
      onClick={() => useLeaderboard.getState().select(r.account)}
      data-testid="leaderboard-row"
      data-account={r.account}
      data-kind={r.kind}
      data-ranked={r.rank !== null}
    >
      <td className="muted" data-testid="lb-rank">
        {r.rank ?? (
          <span title={UNRANKED_NOTE} aria-label={UNRANKED_NOTE} role="img">
            ?
          </span>
        )}
      </td>
      <td>
        {r.label}
        {r.kind === 'own' ? <span className="lb-own"> you</span> : null}
      </td>
      <td className="num">
        <Pnl value={r.pnl} unit={currency} testId="lb-pnl" />
        <FigureWarning warnings={r.warnings} testId="lb-pnl-warning" />
      </td>
      <td className="num">{r.pnlPct === null ? <span className="muted">—</span> : formatPercent(roundDecimal(r.pnlPct, 2))}</td>
      <td className="num" data-testid="lb-sharpe" title={blank ?? undefined}>
        {ratio(r.sharpe)}
      </td>
      <td className="num">{ratio(r.maxDrawdownPct, '%')}</td>
      <td className="num" data-testid="lb-trades" title={unpricedTradesNote(r.unpricedTrades) ?? undefined}>
        {r.trades}
        {r.unpricedTrades > 0 ? (
          <span className="muted" data-testid="lb-unpriced-trades">
            <span aria-hidden="true"> +{r.unpricedTrades}?</span>
            <span className="visually-hidden"> {unpricedTradesNote(r.unpricedTrades)}</span>
          </span>
        ) : null}
      </td>
      <td className="num" data-testid="lb-winrate" title={winRateNote(r)}>
        {ratio(r.winRatePct, '%')}
      </td>
      <td className="num">{ratio(r.profitFactor)}</td>
      <td className="num">
        <Pnl value={r.best} unit={currency} />
      </td>
      <td className="num">
        <Pnl value={r.worst} unit={currency} />
      </td>
      <td className="num">
        <Money value={r.value} unit={currency} />
        <FigureWarning warnings={r.warnings} testId="lb-value-warning" />
      </td>
    </tr>
  )
}

/** ⚠ after a figure the Portfolio page warns about; its title (and spoken label) lists the warnings. */
function FigureWarning({ warnings, testId }: { warnings: readonly LeaderboardWarning[]; testId: string }) {
  const text = figureWarningText(warnings)
  if (text === null) return null
  return (
    <span className="lb-warn" role="img" title={text} aria-label={text} data-testid={testId}>
      {' '}⚠
    </span>
  )
}
