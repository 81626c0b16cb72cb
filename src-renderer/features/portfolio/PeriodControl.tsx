import { useRef, type KeyboardEvent } from 'react'
import { PERIODS, stepPeriod } from './portfolioModel'
import type { PortfolioPeriod } from '../../../src-main/api/schemas/portfolio'

/**
 * The period of a P&L view (24h … all) as a radio group: one tab stop (the chosen period); arrows, Home
 * and End choose at once. The Portfolio page and the Leaderboard share it.
 */
export function PeriodControl({
  period,
  onChange,
  id,
  testId,
  numberKeys = false,
}: {
  period: PortfolioPeriod
  onChange: (period: PortfolioPeriod) => void
  id?: string
  testId: string
  /** The page also chooses periods with keys 1–5 (say so in the titles). */
  numberKeys?: boolean
}) {
  const group = useRef<HTMLDivElement>(null)
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    const next = stepPeriod(period, event.key)
    if (next === null) return
    event.preventDefault()
    onChange(next)
    group.current?.querySelector<HTMLElement>(`[data-period="${next}"]`)?.focus()
  }
  return (
    <div id={id} ref={group} className="segmented" role="radiogroup" aria-label="Period" onKeyDown={onKeyDown} data-testid={testId} data-period={period}>
      {PERIODS.map((p, i) => (
        <button
          key={p.id}
          type="button"
          role="radio"
          className="btn btn-small"
          aria-checked={p.id === period}
          tabIndex={p.id === period ? 0 : -1}
          title={numberKeys ? `${p.title} (key ${i + 1})` : p.title}
          onClick={() => onChange(p.id)}
          data-period={p.id}
          data-testid={`${testId}-${p.id}`}
        >
          {p.label}
        </button>
      ))}
    </div>
  )
}
