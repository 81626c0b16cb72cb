import { useEffect } from 'react'
import { Panel } from '../../ui/Panel'
import { Amount, Fact, Money, Pnl } from '../portfolio/Figures'
import { useTax } from './taxStore'
import { TaxToolbar } from './TaxToolbar'
import { TaxCarryInPanel } from './TaxCarryIn'
import { acquiredLabel, paperLeftOutNote, reportDay, RULE_LABELS, warningWhen } from './taxModel'
import { TAX_IDS } from './taxIds'
import type { TaxReport, TaxSums } from '../../../src-main/api/contract'
import './tax.css'

// Tax: a tax year's capital gains as the engine reckons them under one jurisdiction's rules — the summary
// with the taxable figure and how it was reached, the warnings that make it uncertain, and every disposal
// line (the CSV and PDF exports carry the same lines).

export function TaxPage() {
  useEffect(() => {
    // The list first: an account chosen on an earlier visit may have been removed since.
    void useTax.getState().refresh()
    // Leaving the page stops a report still computing: nobody is waiting for it.
    return () => void useTax.getState().cancel()
  }, [])
  const error = useTax((s) => s.error)
  const status = useTax((s) => s.status)
  return (
    <div className="tax-page" data-testid="tax-page">
      <TaxToolbar />
      {status === 'error' && error ? (
        <p className="inline-error tax-error" role="alert" data-testid="tax-error">
          {error}
        </p>
      ) : null}
      <Incomplete />
      <PaperAccounts />
      <TaxSummary />
      <div className="tax-body">
        <div className="tax-main">
          <TaxLines />
          <TaxIncome />
        </div>
        <div className="tax-side">
          {/* At the top: toasts rise from the bottom right and would cover its buttons. */}
          <TaxCarryInPanel />
          <TaxNotes />
          <TaxWarnings />
        </div>
      </div>
    </div>
  )
}

/** The engine's word that figures are missing (trades it could not value), above everything else. */
function Incomplete() {
  const reason = useTax((s) => s.report?.summary.incomplete ?? null)
  if (!reason) return null
  return (
    <p className="inline-error tax-error" role="alert" data-testid="tax-incomplete">
      {reason}
    </p>
  )
}

/**
 * Paper trading is practice: a report of one paper account says so first (so that no one files it), and one
 * over all accounts says which it left out, each a click from being seen alone.
 */
function PaperAccounts() {
  const report = useTax((s) => s.report)
  if (!report) return null
  if (report.paperAccount) {
    return (
      <p className="inline-error tax-error" role="status" data-testid="tax-paper-account">
        Paper account: practice trades, not for a tax return.
      </p>
    )
  }
  if (report.paperLeftOut.length === 0) return null
  const { setQuery } = useTax.getState()
  return (
    <p className="tax-paper muted" data-testid="tax-paper-left-out">
      {paperLeftOutNote(report.paperLeftOut)}{' '}
      {report.paperLeftOut.map((p) => (
        <button key={p.account} type="button" className="btn btn-small" onClick={() => setQuery({ account: p.account })} data-testid="tax-paper-see" data-account={p.account}>
          See {p.label}
        </button>
      ))}
    </p>
  )
}

function TermFacts({ label, sums, c, testId }: { label: string; sums: TaxSums; c: string; testId: string }) {
  return (
    <Fact label={`${label} (${sums.disposals})`}>
      <Pnl value={sums.gain} unit={c} testId={testId} />
    </Fact>
  )
}

function TaxSummary() {
  const report = useTax((s) => s.report)
  if (!report) return <div className="pf-totals tax-summary muted">Computing the report…</div>
  const s = report.summary
  const c = report.currency
  return (
    <dl className="pf-totals tax-summary" data-testid="tax-summary" data-year={report.year} data-jurisdiction={report.jurisdiction} data-method={report.method}>
      <Fact label="Disposals">
        <span data-testid="tax-disposals">{s.all.disposals}</span>
      </Fact>
      <Fact label={`Proceeds (${c})`}>
        <Money value={s.all.proceeds} unit={c} testId="tax-proceeds" />
      </Fact>
      <Fact label={`Cost (${c})`}>
        <Money value={s.all.cost} unit={c} testId="tax-cost" />
      </Fact>
      <Fact label="Gain or loss">
        <Pnl value={s.all.gain} unit={c} testId="tax-gain" />
      </Fact>
      {s.short ? <TermFacts label="Short term" sums={s.short} c={c} testId="tax-short-gain" /> : null}
      {s.long ? <TermFacts label={report.jurisdiction === 'de' ? 'Over a year (tax-free)' : 'Long term'} sums={s.long} c={c} testId="tax-long-gain" /> : null}
      {report.jurisdiction === 'uk' ? (
        <>
          <Fact label="Gains">
            <Pnl value={s.gains} unit={c} testId="tax-gains" />
          </Fact>
          <Fact label="Losses">
            <Pnl value={s.losses} unit={c} testId="tax-losses" />
          </Fact>
        </>
      ) : null}
      {s.allowance ? (
        <Fact label={s.allowance.label}>
          <Money value={s.allowance.amount} unit={c} testId="tax-allowance" />
        </Fact>
      ) : null}
      {s.carriedIn ? (
        <Fact label="Losses brought in">
          <Pnl value={s.carriedIn.total} unit={c} testId="tax-carried-in" />
        </Fact>
      ) : null}
      {s.deductible !== null && s.deductible !== '0.00' ? (
        <Fact label="Offsets other income">
          <Money value={s.deductible} unit={c} testId="tax-deductible" />
        </Fact>
      ) : null}
      {s.carriedOut ? (
        <Fact label={`Carried to ${report.yearLabel.includes('/') ? 'next year' : report.year + 1}`}>
          <Pnl value={s.carriedOut.total} unit={c} testId="tax-carried-out" />
        </Fact>
      ) : null}
      <Fact label={`Taxable gain (${c})`} strong>
        <Money value={s.taxable} unit={c} testId="tax-taxable" />
      </Fact>
      {report.income.count > 0 ? (
        <>
          <Fact label={`Income (${report.income.count})`}>
            <Money value={report.income.total} unit={c} testId="tax-income-total" />
          </Fact>
          {report.income.allowance ? (
            <Fact label={report.income.allowance.label}>
              <Money value={report.income.allowance.amount} unit={c} testId="tax-income-allowance" />
            </Fact>
          ) : null}
          <Fact label={`Taxable income (${c})`} strong>
            <Money value={report.income.taxable} unit={c} testId="tax-income-taxable" />
          </Fact>
        </>
      ) : null}
      <div className="pf-asof muted">
        {report.jurisdictionName} · {report.yearLabel}
        <br />
        {reportDay(report.start, report.timeZone)} – {reportDay(report.end, report.timeZone)} ({report.timeZone})
      </div>
    </dl>
  )
}

const COLUMNS = ['Asset', 'Amount', 'Acquired', 'Disposed', 'Proceeds', 'Cost', 'Gain', 'Term', 'Matched by', 'Account'] as const
const NUMERIC = new Set<string>(['Amount', 'Proceeds', 'Cost', 'Gain'])

function TaxLines() {
  const report = useTax((s) => s.report)
  const lines = report?.lines ?? []
  const more = report ? report.lineCount - lines.length : 0
  const tools = report ? <span className="muted">{more > 0 ? `first ${lines.length} of ${report.lineCount} lines — the exports carry all` : `${report.lineCount} lines`}</span> : null
  return (
    <Panel title="Disposals" tools={tools} testId="panel-tax-lines">
      <div className="scroll" tabIndex={0} id={TAX_IDS.lines} aria-label="Disposal lines (arrows scroll)">
        <table className="grid-table tax-table" aria-label="Disposals" data-testid="tax-lines">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c} scope="col" className={NUMERIC.has(c) ? 'num' : undefined}>
                  {c === 'Proceeds' || c === 'Cost' || c === 'Gain' ? `${c}${report ? ` (${report.currency})` : ''}` : c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report && lines.length === 0 ? (
              <tr className="tax-empty">
                <td colSpan={COLUMNS.length}>No disposal in {report.yearLabel}: nothing was sold, swapped or spent in these accounts.</td>
              </tr>
            ) : null}
            {report ? lines.map((l, i) => <LineRow key={`${l.disposal}-${i}`} line={l} report={report} />) : null}
          </tbody>
        </table>
      </div>
    </Panel>
  )
}

function LineRow({ line: l, report }: { line: TaxReport['lines'][number]; report: TaxReport }) {
  const c = report.currency
  return (
    <tr data-testid="tax-line" data-asset={l.asset} data-rule={l.rule}>
      <td>{l.asset}</td>
      <td className="num">
        <Amount value={l.amount} />
      </td>
      <td>{acquiredLabel(l, report.timeZone)}</td>
      <td>{reportDay(l.disposedAt, report.timeZone)}</td>
      <td className="num">
        <Money value={l.proceeds} unit={c} testId="tax-line-proceeds" />
      </td>
      <td className="num">
        <Money value={l.cost} unit={c} testId="tax-line-cost" />
      </td>
      <td className="num">
        <Pnl value={l.gain} unit={c} testId="tax-line-gain" />
      </td>
      <td>{l.term ?? '—'}</td>
      <td>
        {RULE_LABELS[l.rule]}
        {l.cause === 'fee' ? <span className="muted"> · fee</span> : null}
        {l.unpriced ? (
          <span className="tax-unpriced" title="Its cost or proceeds count 0 for something that had no price then" data-testid="tax-line-unpriced">
            {' '}
            · no price
          </span>
        ) : null}
      </td>
      <td className="muted">{l.account}</td>
    </tr>
  )
}

/** Income received in the year (staking and other rewards, interest, airdrops), each at its value then. */
function TaxIncome() {
  const report = useTax((s) => s.report)
  if (!report || report.income.count === 0) return null
  const c = report.currency
  const shown = report.income.lines.length
  return (
    <Panel title="Income received" tools={<span className="muted">{shown < report.income.count ? `first ${shown} of ${report.income.count}` : `${report.income.count} lines`} · not capital gains</span>} testId="panel-tax-income">
      <div className="scroll" tabIndex={0} aria-label="Income lines (arrows scroll)">
        <table className="grid-table tax-table" aria-label="Income received" data-testid="tax-income-lines">
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Received</th>
              <th scope="col" className="num">
                Value ({c})
              </th>
              <th scope="col">What</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {report.income.lines.map((l, i) => (
              <tr key={`${l.receivedAt}-${i}`} data-testid="tax-income-line" data-asset={l.asset}>
                <td>{l.asset}</td>
                <td className="num">
                  <Amount value={l.amount} />
                </td>
                <td>{reportDay(l.receivedAt, report.timeZone)}</td>
                <td className="num">
                  <Money value={l.value} unit={c} testId="tax-income-line-value" />
                </td>
                <td className="ellipsis" title={l.what ?? 'The source did not say'} data-testid="tax-income-line-what">
                  {l.what ?? '—'}
                </td>
                <td className="muted">{l.account}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  )
}

function TaxNotes() {
  const report = useTax((s) => s.report)
  const notes = [...(report?.summary.notes ?? []), ...(report?.income.notes ?? [])]
  return (
    <Panel title="How it was reckoned" testId="panel-tax-notes">
      <ul className="tax-notes" data-testid="tax-notes">
        {notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </Panel>
  )
}

function TaxWarnings() {
  const report = useTax((s) => s.report)
  const warnings = report?.warnings ?? []
  return (
    <Panel title="Warnings" tools={<span className="muted">{warnings.length}</span>} testId="panel-tax-warnings">
      {warnings.length === 0 ? (
        <p className="muted tax-notes">None: every disposal has a cost basis and every trade a price.</p>
      ) : (
        <ul className="tax-notes" data-testid="tax-warnings">
          {warnings.map((w) => (
            <li key={`${w.kind}-${w.asset}-${w.account}`} data-kind={w.kind}>
              <strong>{w.asset}</strong> <span className="muted">({w.account}, {warningWhen(w, report?.timeZone ?? 'UTC')}{w.amount ? `, ${w.amount}` : ''})</span>: {w.message}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  )
}
