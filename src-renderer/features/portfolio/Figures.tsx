import type { ReactNode } from 'react'
import { formatDecimal, formatPercent, formatValue, roundDecimal, signOf } from '../../ui/decimal'
import { pnlClass, priceDecimals } from './portfolioModel'

// How the page shows the engine's decimal strings: valuations rounded to cents (exact on hover), P&L with
// its sign and colour, amounts exact, prices to about six significant digits. Never added up here.

interface FigureProps {
  value: string | null
  /** Shown after the exact figure in the title, e.g. the currency. */
  unit?: string
  testId?: string
}

const titleOf = (value: string | null, unit?: string) => (value === null ? undefined : `${value}${unit ? ` ${unit}` : ''}`)

/** A valuation (value, cost basis): rounded to 0.01; '—' when the engine has no price. */
export function Money({ value, unit, testId }: FigureProps) {
  return (
    <span title={titleOf(value, unit)} data-testid={testId}>
      {value === null ? <span className="muted">—</span> : formatValue(value)}
    </span>
  )
}

/**
 * An asset row's value when part of the amount has no price: the priced part's value, then "+ 10 unpriced"
 * (that amount is in no value or total). Just the value when all of it is priced, or none of it ('—').
 */
export function PartialValue({ value, unpriced, asset, unit, testId }: FigureProps & { unpriced: string | undefined; asset: string }) {
  const partial = value !== null && unpriced !== undefined && signOf(unpriced) !== 0
  return (
    <>
      <Money value={value} unit={unit} testId={testId} />
      {partial ? (
        <span className="muted pf-unpriced" data-testid="position-unpriced" title={`${unpriced} ${asset} has no price: not in this value or the totals`}>
          {` + ${formatDecimal(unpriced)} unpriced`}
        </span>
      ) : null}
    </>
  )
}

/** A gain or loss: '+12.30' green, '-4.10' red. */
export function Pnl({ value, unit, testId }: FigureProps) {
  if (value === null) return <span className="muted" data-testid={testId}>—</span>
  return (
    <span className={pnlClass(value)} title={titleOf(value, unit)} data-testid={testId}>
      {formatDecimal(roundDecimal(value, 2), { minDecimals: 2, plus: true })}
    </span>
  )
}

/** A change in %: '+1.25%'. */
export function Pct({ value, testId }: FigureProps) {
  if (value === null) return <span className="muted" data-testid={testId} title="No price at the period's start">—</span>
  return (
    <span className={pnlClass(value)} title={`${value}%`} data-testid={testId}>
      {formatPercent(roundDecimal(value, 2))}
    </span>
  )
}

/** An amount held: exact, grouped. */
export function Amount({ value, testId }: FigureProps) {
  return (
    <span title={titleOf(value)} data-testid={testId}>
      {value === null ? <span className="muted">—</span> : formatDecimal(value)}
    </span>
  )
}

/** A price or an average cost. */
export function Price({ value, unit, testId }: FigureProps) {
  if (value === null) return <span className="muted" data-testid={testId} title="No price known">—</span>
  const decimals = priceDecimals(value)
  return (
    <span title={titleOf(value, unit)} data-testid={testId}>
      {formatDecimal(roundDecimal(value, decimals), { minDecimals: 2 })}
    </span>
  )
}

/** One labelled figure of a totals strip (a <dl>'s term and value); `strong` for the one that matters most. */
export function Fact({ label, children, strong }: { label: string; children: ReactNode; strong?: boolean }) {
  return (
    <div className={strong ? 'pf-fact pf-fact-strong' : 'pf-fact'}>
      <dt className="muted">{label}</dt>
      <dd className="num">{children}</dd>
    </div>
  )
}
