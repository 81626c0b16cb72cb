import { useEffect, useState } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { submitOnModEnter } from '../../ui/modEnter'
import { formatDecimal } from '../../ui/decimal'
import { formatDateTime, formatTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { toast } from '../toasts/toastStore'
import { startVenuesSync, useVenues } from '../markets/venuesStore'
import { useVenueMarkets } from '../trading/venueMarkets'
import { useAlerts } from './alertsStore'
import { conditionWords, deliveryWords, tickerPrice } from './alertsModel'
import { EmailSettingsPanel } from './EmailSettingsPanel'
import { createInput, guessedCondition, useAlertForm } from './alertForm'
import { tickerKey, useLiveTickers } from './useLiveTickers'
import { ALERT_IDS } from './alertIds'
import { ActiveAlertsTable, sourceLabels } from './ActiveAlertsTable'
import { NewRiskAlert, RiskAlertsPanel } from './RiskAlerts'
import { ChannelFields } from './ChannelFields'
import { useEngineForm } from '../../ui/useEngineForm'
import type { TriggerSource } from '../../../src-main/api/contract'
import './alerts.css'

// Price alerts: set one (market, level, which price, desktop and webhook), the active ones with the live
// price and how far it still has to go (Delete cancels), the ended ones, and the notification centre
// (every alert that fired, with its webhook's fate). Risk alerts (RiskAlerts.tsx) beside them, on the
// portfolio's figures. Every figure is the engine's or its ticker's.


export function AlertsPage() {
  const status = useAlerts((s) => s.status)
  const error = useAlerts((s) => s.error)
  return (
    <div className="alerts-page" data-testid="alerts-page">
      <div className="alerts-main">
        {error ? <p className="inline-error">{status === 'error' ? 'Alerts unavailable: ' : ''}{error}</p> : null}
        <ActiveAlerts />
        <RiskAlertsPanel />
        <EndedAlerts />
        <Notifications />
      </div>
      <div className="alerts-side">
        <NewAlert />
        <NewRiskAlert />
        <EmailSettingsPanel />
      </div>
    </div>
  )
}

function ActiveAlerts() {
  const active = useAlerts((s) => s.active)
  return (
    <Panel title="Active alerts" tools={<span className="muted">{active.length} active</span>} testId="panel-alerts-active">
      <ActiveAlertsTable rows={active} tableId={ALERT_IDS.active} rowKind="alert" />
    </Panel>
  )
}

function EndedAlerts() {
  const ended = useAlerts((s) => s.ended)
  const format = useTimeFormat()
  return (
    <Panel title="Ended" tools={<span className="muted">{ended.length} fired or canceled</span>} testId="panel-alerts-ended">
      <div className="scroll">
        <table className="grid-table alerts-table" aria-label="Ended alerts" data-testid="alerts-ended">
          <thead>
            <tr>
              <th scope="col">Ended</th>
              <th scope="col">Market</th>
              <th scope="col">When</th>
              <th scope="col" className="num">Level</th>
              <th scope="col">Status</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {ended.length === 0 ? (
              <tr className="alerts-empty">
                <td colSpan={6}>No alert has fired or been canceled yet.</td>
              </tr>
            ) : null}
            {ended.map((a) => (
              <tr key={a.id} data-testid="alert-ended-row" data-alert-id={a.id} data-status={a.status}>
                <td>{format ? formatDateTime(a.updatedAt, format) : ''}</td>
                <td>{a.symbol}</td>
                <td>
                  {sourceLabels[a.source]} {conditionWords[a.condition]}
                </td>
                <td className="num" data-testid="alert-ended-level">{formatDecimal(a.price)}</td>
                <td data-testid="alert-ended-status">{a.reason ? `${a.status}: ${a.reason}` : a.status}</td>
                <td className="alerts-note">{a.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  )
}

function Notifications() {
  const events = useAlerts((s) => s.events)
  const format = useTimeFormat()
  return (
    <Panel title="Notifications" tools={<DesktopPermission />} testId="panel-alerts-events">
      <div className="scroll">
        <table id={ALERT_IDS.events} className="grid-table alerts-table" aria-label="Fired alerts" data-testid="alerts-events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Alert</th>
              <th scope="col">Detail</th>
              <th scope="col">Webhook</th>
              <th scope="col">Email</th>
            </tr>
          </thead>
          <tbody>
            {events.length === 0 ? (
              <tr className="alerts-empty">
                <td colSpan={5}>Nothing has fired yet.</td>
              </tr>
            ) : null}
            {events.map((e) => (
              <tr key={e.id} data-testid="alert-event-row" data-rule-id={e.ruleId} data-webhook={e.webhook ?? ''} data-email={e.email ?? ''}>
                <td>{format ? formatTime(e.at, format) : ''}</td>
                <td>{e.title}</td>
                <td className="muted">{e.body}</td>
                <td className={e.webhook === 'failed' ? 'neg' : undefined}>{deliveryWords(e.webhook, e.webhookDetail)}</td>
                <td className={e.email === 'failed' ? 'neg' : undefined} data-testid="alert-event-email">
                  {deliveryWords(e.email, e.emailDetail)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  )
}

/** In a browser (the headless door) desktop notifications need the user's yes, asked from a click. */
function DesktopPermission() {
  const [permission, setPermission] = useState(() => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission))
  if (window.api || permission === 'granted' || permission === 'unsupported') return null
  if (permission === 'denied') return <span className="muted">desktop notifications blocked by the browser</span>
  return (
    <button type="button" className="btn btn-small" onClick={() => void Notification.requestPermission().then(setPermission)} data-testid="alerts-allow-desktop">
      Allow desktop notifications
    </button>
  )
}

const FIELDS = ['venueId', 'symbol', 'condition', 'price', 'source', 'note', 'desktop', 'webhookUrl', 'email'] as const

function NewAlert() {
  const draft = useAlertForm((s) => s.draft)
  const { edit, reset } = useAlertForm.getState()
  const venues = useVenues((s) => s.venues)
  const markets = useVenueMarkets(draft.venueId)
  // Only a market the venue lists (not each half-typed symbol) is followed.
  const known = markets.rows.some((m) => m.symbol === draft.symbol)
  const tickers = useLiveTickers(known ? tickerKey(draft.venueId, draft.symbol) : '')
  const now = tickerPrice(tickers.get(tickerKey(draft.venueId, draft.symbol)), draft.source)
  const guessed = guessedCondition(draft, now)
  const condition = draft.condition ?? guessed
  const { busy, errors, submit: sending, fieldError, generalError } = useEngineForm('alert', FIELDS)
  const emailReady = useAlerts((s) => s.email !== null)
  useEffect(() => startVenuesSync(), [])

  const submit = sending(async () => {
    const view = await api.invoke('alerts.create', createInput({ ...draft, email: draft.email && emailReady }, guessed))
    useAlerts.getState().changed(view)
    // The price may have reached the level while the alert was being set: the engine fired it at once.
    const fired = view.fireCount > 0 ? ' (the price reached it while it was being set: fired)' : ''
    toast.success(`Alert set: ${view.symbol} ${conditionWords[view.condition]} ${formatDecimal(view.price)}${fired}`)
    reset()
  })
  return (
    <Panel title="New price alert" testId="panel-alert-new">
      <form className="form alerts-form" onSubmit={submit} onKeyDown={submitOnModEnter} noValidate data-testid="alert-form">
        <label className="form-label" htmlFor="alert-venue">
          Venue
        </label>
        <div className="form-field">
          <select id="alert-venue" className="input" value={draft.venueId} onChange={(e) => edit({ venueId: e.target.value })} data-testid="alert-venue">
            {venues.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
          {fieldError('venueId')}
        </div>
        <label className="form-label" htmlFor="alert-symbol">
          Market
        </label>
        <div className="form-field">
          <input
            id="alert-symbol"
            className="input"
            list="alert-symbols"
            autoComplete="off"
            spellCheck={false}
            value={draft.symbol}
            onChange={(e) => edit({ symbol: e.target.value.toUpperCase() })}
            data-testid="alert-symbol"
          />
          <datalist id="alert-symbols">
            {markets.rows.map((m) => (
              <option key={m.symbol} value={m.symbol} />
            ))}
          </datalist>
          {fieldError('symbol')}
        </div>
        <label className="form-label" htmlFor="alert-source">
          Price
        </label>
        <div className="form-field">
          <select id="alert-source" className="input" value={draft.source} onChange={(e) => edit({ source: e.target.value as TriggerSource })} data-testid="alert-source">
            {(Object.keys(sourceLabels) as TriggerSource[]).map((s) => (
              <option key={s} value={s}>
                {sourceLabels[s]}
              </option>
            ))}
          </select>
          <p className="form-hint" data-testid="alert-current">
            now {now === null ? '—' : formatDecimal(now)}
          </p>
        </div>
        <label className="form-label" htmlFor={ALERT_IDS.price}>
          Level
        </label>
        <div className="form-field">
          <input
            id={ALERT_IDS.price}
            className="input input-number"
            inputMode="decimal"
            autoComplete="off"
            spellCheck={false}
            placeholder="price"
            value={draft.price}
            onChange={(e) => edit({ price: e.target.value })}
            aria-invalid={errors.fields.price ? true : undefined}
            data-testid="alert-price"
          />
          {fieldError('price')}
        </div>
        <label className="form-label" htmlFor="alert-condition">
          Fires when
        </label>
        <div className="form-field">
          <select
            id="alert-condition"
            className="input"
            value={draft.condition ?? ''}
            onChange={(e) => edit({ condition: e.target.value === '' ? null : (e.target.value as 'above' | 'below') })}
            data-testid="alert-condition"
          >
            <option value="">{guessed ? `it ${conditionWords[guessed]} the level (from now)` : 'it reaches the level'}</option>
            <option value="above">it rises to the level or higher</option>
            <option value="below">it falls to the level or lower</option>
          </select>
          {condition === null ? null : (
            <p className="form-hint">
              {sourceLabels[draft.source]} {condition === 'above' ? '≥' : '≤'} {draft.price || 'level'}
            </p>
          )}
        </div>
        <ChannelFields
          prefix="alert"
          draft={draft}
          edit={edit}
          emailReady={emailReady}
          repeatLabel="every time (fires again after the price has been 0.1 % back across the level)"
          error={(f) => fieldError(f)}
        />
        {generalError()}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="alert-submit">
            {busy ? 'Setting…' : 'Set alert'} <Kbd combo="Enter" />
          </button>
        </div>
        <p className="form-hint form-wide">Alerts are watched by the engine while the app or its headless engine runs; they re-arm at start.</p>
      </form>
    </Panel>
  )
}
