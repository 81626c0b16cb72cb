import { useRef } from 'react'
import { useTax } from './taxStore'
import { isPaperKind, JURISDICTIONS, METHOD_LABELS, ownAccounts, POOLING_LABELS, yearOptions } from './taxModel'
import { TAX_IDS } from './taxIds'
import type { Jurisdiction, TaxMethod, TaxPooling } from '../../../src-main/api/contract'

/** Jurisdiction, tax year, method (those the engine allows there), account; refresh and the two exports. */
export function TaxToolbar() {
  const query = useTax((s) => s.query)
  const report = useTax((s) => s.report)
  const status = useTax((s) => s.status)
  const exporting = useTax((s) => s.exporting)
  const accounts = useTax((s) => s.accounts)
  const { setQuery, refresh, cancel, exportAs, importRates } = useTax.getState()
  const ratesFile = useRef<HTMLInputElement>(null)
  // The methods of the report on screen when it is for this jurisdiction; else just "its usual one".
  const methods = report && report.jurisdiction === query.jurisdiction ? report.methods : []
  const current = report && report.jurisdiction === query.jurisdiction
  const method = query.method ?? (current ? report.method : '')
  const poolings = current ? report.poolings : []
  const pooling = query.pooling ?? (current && report.year === query.year ? report.pooling : '')
  return (
    <div className="toolbar tax-toolbar">
      <label htmlFor={TAX_IDS.jurisdiction} className="muted">
        Rules
      </label>
      <select id={TAX_IDS.jurisdiction} className="input input-small" value={query.jurisdiction} onChange={(e) => setQuery({ jurisdiction: e.target.value as Jurisdiction })} data-testid="tax-jurisdiction">
        {JURISDICTIONS.map((j) => (
          <option key={j.id} value={j.id}>
            {j.label}
          </option>
        ))}
      </select>
      <label htmlFor={TAX_IDS.year} className="muted">
        Tax year
      </label>
      <select id={TAX_IDS.year} className="input input-small" value={query.year} onChange={(e) => setQuery({ year: Number(e.target.value) })} data-testid="tax-year">
        {yearOptions(query.jurisdiction).map((y) => (
          <option key={y.year} value={y.year}>
            {y.label}
          </option>
        ))}
      </select>
      <label htmlFor={TAX_IDS.method} className="muted">
        Method
      </label>
      <select
        id={TAX_IDS.method}
        className="input input-small"
        value={method}
        disabled={methods.length < 2}
        onChange={(e) => setQuery({ method: e.target.value as TaxMethod })}
        data-testid="tax-method"
      >
        {methods.length === 0 ? <option value="">{'…'}</option> : null}
        {methods.map((m) => (
          <option key={m} value={m}>
            {METHOD_LABELS[m]}
          </option>
        ))}
      </select>
      <label htmlFor={TAX_IDS.pooling} className="muted">
        Cost basis
      </label>
      <select
        id={TAX_IDS.pooling}
        className="input input-small"
        value={pooling}
        disabled={poolings.length < 2}
        onChange={(e) => setQuery({ pooling: e.target.value as TaxPooling })}
        data-testid="tax-pooling"
      >
        {poolings.length === 0 || pooling === '' ? <option value="">{'…'}</option> : null}
        {poolings.map((p) => (
          <option key={p} value={p}>
            {POOLING_LABELS[p]}
          </option>
        ))}
      </select>
      <label htmlFor={TAX_IDS.account} className="muted">
        Accounts
      </label>
      <select id={TAX_IDS.account} className="input input-small" value={query.account ?? ''} onChange={(e) => setQuery({ account: e.target.value === '' ? null : e.target.value })} data-testid="tax-account">
        <option value="">All of mine</option>
        {ownAccounts(accounts)
          .filter((a) => !isPaperKind(a))
          .map((a) => (
            <option key={a.account} value={a.account}>
              {a.label}
            </option>
          ))}
        {/* Practice, left out of "All of mine": each is there to see alone. */}
        {accounts.some(isPaperKind) ? (
          <optgroup label="Paper (not in All of mine)">
            {accounts.filter(isPaperKind).map((a) => (
              <option key={a.account} value={a.account}>
                {a.label}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      <span className="toolbar-spacer" />
      {status === 'loading' ? (
        <>
          <span className="muted" data-testid="tax-loading">
            computing…
          </span>
          <button type="button" className="btn btn-small" onClick={() => void cancel()} data-testid="tax-cancel">
            Cancel
          </button>
        </>
      ) : null}
      <input
        ref={ratesFile}
        id={TAX_IDS.ratesFile}
        type="file"
        accept=".csv,text/csv"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) void importRates(file)
        }}
        data-testid="tax-rates-file"
      />
      <button type="button" className="btn btn-small" title="Daily exchange rates (CSV: date,base,quote,rate; the ECB's or the Bank of England's) to value USD, USDT and USDC in EUR or GBP" onClick={() => ratesFile.current?.click()} data-testid="tax-import-rates">
        Import rates…
      </button>
      <button type="button" className="btn btn-small" onClick={() => void refresh()} data-testid="tax-refresh">
        Refresh
      </button>
      <button type="button" className="btn btn-small" disabled={exporting !== null} onClick={() => void exportAs('csv')} data-testid="tax-export-csv">
        {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
      </button>
      <button type="button" className="btn btn-small" disabled={exporting !== null} onClick={() => void exportAs('pdf')} data-testid="tax-export-pdf">
        {exporting === 'pdf' ? 'Exporting…' : 'Export PDF'}
      </button>
    </div>
  )
}
