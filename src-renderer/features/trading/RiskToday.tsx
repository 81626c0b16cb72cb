import { useState } from 'react'
import { api } from '../../api'
import type { RiskToday as RiskTodayView } from '../../../src-main/api/contract'
import { formatTime, zoneLabel } from '../../ui/format'
import { formatValue, signOf } from '../../ui/decimal'
import { usePoll } from '../../ui/usePoll'
import { useTimeFormat } from '../../app/useTimeFormat'
import { messageOf, useOrders } from './ordersStore'

// Today against the daily loss limit, per account: equity at the day's start (00:00 UTC), deposits less
// withdrawals since (money moved is not a gain or a loss), equity now and what was lost since, from the risk
// engine. A trader sees how close the limit is before an order is refused. A venue that cannot report its
// transfers says so: its change counts them as before.

const REFRESH_MS = 15_000

export function RiskToday() {
  const [today, setToday] = useState<RiskTodayView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const format = useTimeFormat()
  // Limits saved (here or elsewhere) change what the engine takes: ask again at once.
  const limitKey = useOrders((s) => s.risk?.dailyLossLimit ?? '')
  usePoll(
    async (alive) => {
      try {
        const next = await api.invoke('risk.today', {})
        if (!alive()) return
        setToday(next)
        setError(null)
      } catch (err) {
        if (alive()) setError(messageOf(err))
      }
    },
    REFRESH_MS,
    limitKey,
  )
  if (error !== null)
    return (
      <p className="inline-error" role="alert" data-testid="risk-today-error">
        {error}
      </p>
    )
  if (today === null) return null
  const limit = today.dailyLossLimit
  return (
    <table className="grid-table risk-today" aria-label={`Today (UTC day ${today.day})`} data-testid="risk-today">
      <caption className="muted">
        Today since 00:00 UTC{limit === null ? ' — no daily loss limit set' : ` — daily loss limit ${formatValue(limit)} USDT`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col" className="num">
            Start
          </th>
          <th scope="col" className="num" title="Deposits − withdrawals since the start, at their value then: not counted as a gain or a loss">
            Moved in
          </th>
          <th scope="col" className="num">
            Now
          </th>
          <th scope="col" className="num">
            Since start
          </th>
        </tr>
      </thead>
      <tbody>
        {today.accounts.map((a) => (
          <tr key={a.venueId} data-testid={`risk-today-${a.venueId}`} data-breached={a.breachedAt === null ? 'false' : 'true'}>
            <th scope="row">
              {a.label}
              {a.transfersNote !== null ? (
                <span className="muted" data-testid="risk-today-transfers-note">
                  {' '}
                  ({a.transfersNote})
                </span>
              ) : null}
            </th>
            <td className="num" title={a.startedAt !== null && format ? `taken ${formatTime(a.startedAt, format)} ${zoneLabel(format)}` : undefined} data-testid="risk-today-start">
              {a.startEquity === null ? (limit === null ? '—' : 'not yet') : formatValue(a.startEquity)}
            </td>
            <td className="num" data-testid="risk-today-moved" title={a.transfersNote ?? undefined}>
              {a.netTransfers === null ? (a.transfersNote !== null ? 'not known' : '—') : changeText(negate(a.netTransfers))}
            </td>
            <td className="num" data-testid="risk-today-now">
              {a.error !== null ? <span title={a.error}>cannot value</span> : formatValue(a.equity)}
            </td>
            <td className={`num ${signOf(a.loss) > 0 ? 'neg' : signOf(a.loss) < 0 ? 'pos' : ''}`} data-testid="risk-today-change">
              {changeText(a.loss)}
              {a.breachedAt !== null ? (
                <span className="badge badge-err" data-testid="risk-today-breached">
                  limit reached{format ? ` ${formatTime(a.breachedAt, format)}` : ''}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** −x for x (decimal text), so money moved in reads as a + change. */
function negate(value: string): string {
  return value.startsWith('-') ? value.slice(1) : value === '0' ? value : `-${value}`
}

/** The engine's loss (positive: lost) as a change in equity: −89.97 for a loss, +12.00 for a gain. */
function changeText(loss: string | null): string {
  const sign = signOf(loss)
  if (loss === null || sign === 0) return formatValue(loss)
  return sign > 0 ? `−${formatValue(loss)}` : `+${formatValue(loss.slice(1))}`
}
