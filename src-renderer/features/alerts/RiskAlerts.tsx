import { useEffect, useState } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { DataGrid, rowDomId } from '../../ui/DataGrid'
import { useGridKeys } from '../../ui/useRowKeys'
import { formatDecimal } from '../../ui/decimal'
import { toast } from '../toasts/toastStore'
import { useAlerts } from './alertsStore'
import { cancelRiskAlert, startRiskAlertsSync, useRiskAlerts } from './riskAlertsStore'
import { METRIC_LABELS, currentWords, thresholdWords } from './riskModel'
import { emptyRiskDraft, riskCreateInput, type RiskAlertDraft } from './riskAlertForm'
import { RISK_IDS } from './alertIds'
import { ChannelFields } from './ChannelFields'
import { useEngineForm } from '../../ui/useEngineForm'
import { submitOnModEnter } from '../../ui/modEnter'
import { useSettings } from '../settings/settingsStore'
import type { LedgerAccountView, ReportingCurrency } from '../../../src-main/api/schemas/portfolio'
import type { RiskMetric } from '../../../src-main/api/contract'

// Risk alerts: a figure of the portfolio (value, 24h P&L, drawdown from its high) reaching a threshold,
// for your accounts together or one account. The table shows each with the engine's figure now (and the
// drawdown's high); Delete cancels the selected one. The form sets one.

const fmt = (s: string) => formatDecimal(s)

export function RiskAlertsPanel() {
  useEffect(() => startRiskAlertsSync(), [])
  const active = useRiskAlerts((s) => s.active)
  const ended = useRiskAlerts((s) => s.ended)
  const error = useRiskAlerts((s) => s.error)
  const [selected, setSelected] = useState<string | null>(null)
  const ids = active.map((a) => a.id)
  const sel = selected !== null && ids.includes(selected) ? selected : (ids[0] ?? null)
  const keys = useGridKeys({ ids, selected: sel, onSelect: setSelected, onDelete: (id) => void cancelRiskAlert(id) })
  return (
    <Panel title="Risk alerts" tools={<span className="muted">{active.length} active · {ended.length} ended · Delete cancels</span>} testId="panel-risk-alerts">
      {error ? <p className="inline-error">{error}</p> : null}
      <DataGrid
        id={RISK_IDS.table}
        label="Risk alerts"
        testId="risk-alerts"
        className="alerts-table"
        emptyClassName="alerts-empty"
        rowKind="risk"
        columns={[{ label: 'Watches' }, { label: 'Of' }, { label: 'When it' }, { label: 'Now', num: true }, { label: 'High', num: true }, { label: 'Notify' }, { label: '' }]}
        empty={active.length === 0 ? 'No active risk alert. Set one on the right.' : null}
        {...keys}
      >
        {active.map((a) => (
          <tr key={a.id} id={rowDomId('risk', a.id)} aria-selected={a.id === sel} onClick={() => setSelected(a.id)} data-testid="risk-alert-row" data-alert-id={a.id} data-armed={a.armed}>
            <td>{METRIC_LABELS[a.metric]}</td>
            <td>{a.accountLabel}</td>
            <td>{thresholdWords(a, fmt(a.threshold))}</td>
            <td className="num" data-testid="risk-alert-current">
              {currentWords(a, fmt)}
            </td>
            <td className="num muted">{a.peak === null ? '' : `${fmt(a.peak)} ${a.currency}`}</td>
            <td className="muted">{[a.desktop ? 'desktop' : null, a.email ? 'email' : null, a.webhookUrl ? 'webhook' : null, a.repeat ? 'every time' : null].filter(Boolean).join(', ')}</td>
            <td className="muted" data-testid="risk-alert-waiting">
              {a.waiting ?? (a.note ? a.note : '')}
            </td>
          </tr>
        ))}
      </DataGrid>
    </Panel>
  )
}

const FIELDS = ['metric', 'account', 'currency', 'condition', 'threshold', 'note', 'webhookUrl', 'email'] as const

export function NewRiskAlert() {
  const [draft, setDraft] = useState<RiskAlertDraft>(emptyRiskDraft)
  const [accounts, setAccounts] = useState<LedgerAccountView[]>([])
  const { busy, errors, submit: sending, fieldError, generalError } = useEngineForm('risk', FIELDS)
  const emailReady = useAlerts((s) => s.email !== null)
  // The engine's reporting currencies, as the setting offers them.
  const currencies = useSettings((s) => s.byKey['portfolio.currency']?.options) ?? []
  const edit = (patch: Partial<RiskAlertDraft>) => setDraft((d) => ({ ...d, ...patch }))
  useEffect(() => {
    let alive = true
    api.invoke('portfolio.accounts', {}).then(
      (list) => alive && setAccounts(list.filter((a) => a.kind !== 'trader')),
      () => undefined,
    )
    return () => {
      alive = false
    }
  }, [])

  const submit = sending(async () => {
    const view = await api.invoke('alerts.riskCreate', riskCreateInput(draft, emailReady))
    useRiskAlerts.getState().changed(view)
    toast.success(`Risk alert set: ${METRIC_LABELS[view.metric]} of ${view.accountLabel} ${thresholdWords(view, fmt(view.threshold))}`)
    setDraft(emptyRiskDraft)
  })
  const drawdown = draft.metric === 'drawdown'
  return (
    <Panel title="New risk alert" testId="panel-risk-new">
      <form className="form alerts-form" onSubmit={submit} onKeyDown={submitOnModEnter} noValidate data-testid="risk-form">
        <label className="form-label" htmlFor={RISK_IDS.metric}>
          Watch
        </label>
        <div className="form-field">
          <select id={RISK_IDS.metric} className="input" value={draft.metric} onChange={(e) => edit({ metric: e.target.value as RiskMetric })} data-testid="risk-metric">
            {(Object.keys(METRIC_LABELS) as RiskMetric[]).map((m) => (
              <option key={m} value={m}>
                {METRIC_LABELS[m]}
              </option>
            ))}
          </select>
          {drawdown ? <p className="form-hint">From the highest value since set; deposits and withdrawals move the high with them.</p> : null}
        </div>
        <label className="form-label" htmlFor="risk-account">
          Of
        </label>
        <div className="form-field">
          <select id="risk-account" className="input" value={draft.account} onChange={(e) => edit({ account: e.target.value })} data-testid="risk-account">
            <option value="">My accounts (together)</option>
            {accounts.map((a) => (
              <option key={a.account} value={a.account}>
                {a.label}
              </option>
            ))}
          </select>
          {fieldError('account')}
        </div>
        <label className="form-label" htmlFor="risk-condition">
          Fires when it
        </label>
        <div className="form-field">
          <select
            id="risk-condition"
            className="input"
            value={drawdown ? 'above' : draft.condition}
            disabled={drawdown}
            onChange={(e) => edit({ condition: e.target.value as 'above' | 'below' })}
            data-testid="risk-condition"
          >
            <option value="below">{drawdown ? 'reaches' : 'falls to or under'}</option>
            <option value="above">{drawdown ? 'reaches' : 'rises to or over'}</option>
          </select>
          {fieldError('condition')}
        </div>
        <label className="form-label" htmlFor="risk-threshold">
          {drawdown ? 'Drawdown %' : 'Threshold'}
        </label>
        <div className="form-field">
          <input
            id="risk-threshold"
            className="input input-number"
            inputMode="decimal"
            autoComplete="off"
            placeholder={drawdown ? 'e.g. 10' : draft.metric === 'pnl24h' ? 'e.g. -500' : 'e.g. 9000'}
            value={draft.threshold}
            onChange={(e) => edit({ threshold: e.target.value })}
            aria-invalid={errors.fields.threshold ? true : undefined}
            data-testid="risk-threshold"
          />
          {fieldError('threshold')}
        </div>
        <label className="form-label" htmlFor="risk-currency">
          Currency
        </label>
        <div className="form-field">
          <select id="risk-currency" className="input" value={draft.currency} onChange={(e) => edit({ currency: e.target.value as ReportingCurrency | '' })} data-testid="risk-currency">
            <option value="">the reporting currency (Settings)</option>
            {currencies.map((c) => (
              <option key={c.value} value={c.value}>
                {c.value}
              </option>
            ))}
          </select>
        </div>
        <ChannelFields prefix="risk" draft={draft} edit={edit} emailReady={emailReady} repeatLabel="every time (again after it was back)" error={(f) => fieldError(f)} />
        {generalError()}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="risk-submit">
            {busy ? 'Setting…' : 'Set risk alert'} <Kbd combo="Enter" />
          </button>
        </div>
      </form>
    </Panel>
  )
}
