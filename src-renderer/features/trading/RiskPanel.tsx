import { Fragment, useEffect, useReducer, useState, type FormEvent } from 'react'
import { Panel, EmptyState } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { splitEngineMessage, type SplitMessage } from '../../ui/engineMessage'
import { formatDateTime, zoneLabel } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { toast } from '../toasts/toastStore'
import { useOrders, type RiskView } from './ordersStore'
import { LIMITS, type Limit } from './tradingForms'
import { riskFormEventOf, riskFormOf, riskFormReducer, type RiskFormState } from './riskForm'
import { saveRiskForm } from './riskSave'
import { pullKillSwitch, resumeTrading } from './tradingActions'
import { ORDERS_IDS } from './ticketIds'
import { RiskToday } from './RiskToday'
import { submitOnModEnter } from '../../ui/modEnter'

// Risk limits (checked by the engine before any order leaves), the halted state and the kill switch.
// An empty field means "no limit". The engine validates and its refusal is shown next to the field.


const limitInfo: Record<Limit, { label: string; unit: string; hint: string; id: string }> = {
  maxOrderNotional: { label: 'Max order', unit: 'USDT', hint: 'largest value of one order', id: ORDERS_IDS.risk },
  maxPositionNotional: { label: 'Max position', unit: 'USDT', hint: 'largest position per market: held, plus open and armed buys', id: 'risk-max-position' },
  priceBandPct: { label: 'Price band', unit: '%', hint: 'limit prices this far from the mid at most', id: 'risk-price-band' },
  dailyLossLimit: { label: 'Daily loss limit', unit: 'USDT', hint: 'no new orders for the rest of the UTC day once lost', id: 'risk-daily-loss' },
}

export function RiskPanel() {
  const risk = useOrders((s) => s.risk)
  const riskLoaded = useOrders((s) => s.riskLoaded)
  return (
    <Panel title="Risk" tools={risk?.halted ? <span className="badge badge-err">halted</span> : null} testId="panel-risk">
      <HaltState risk={risk} />
      {risk ? <RiskForm risk={risk} loaded={riskLoaded} /> : <EmptyState>Loading risk limits…</EmptyState>}
      <RiskToday />
    </Panel>
  )
}

function HaltState({ risk }: { risk: RiskView | null }) {
  const format = useTimeFormat()
  return (
    <div className={`risk-halt ${risk?.halted ? 'risk-halted' : ''}`} data-testid="risk-state" data-halted={risk?.halted ? 'true' : 'false'}>
      {risk?.halted ? (
        <>
          <p role="status">
            <strong>Trading is halted.</strong> New orders are refused
            {risk.haltedAt && format ? ` since ${formatDateTime(risk.haltedAt, format)} ${zoneLabel(format)}` : ''}.
          </p>
          <button type="button" className="btn btn-primary btn-small" onClick={() => void resumeTrading()} data-testid="risk-resume">
            Resume trading
          </button>
        </>
      ) : (
        <p className="muted">Trading is on.</p>
      )}
      <button type="button" className="btn btn-danger btn-small" onClick={pullKillSwitch} data-testid="kill-switch">
        Kill switch… <Kbd combo="Mod+Shift+K" />
      </button>
    </div>
  )
}

const noErrors: SplitMessage = { fields: {}, general: null }

/** "Max order 1000 USDT · Price band no limit · …": the limits another window saved. */
function limitsText(limits: NonNullable<RiskFormState['changedElsewhere']>): string {
  return LIMITS.map((k) => `${limitInfo[k].label} ${limits[k] === '' ? 'no limit' : `${limits[k]} ${limitInfo[k].unit}`}`).join(' · ')
}

function RiskForm({ risk, loaded }: { risk: RiskView; loaded: boolean }) {
  // Saved limits (here or in another window) update the fields not being edited; typed ones are kept (riskForm.ts).
  const [form, dispatch] = useReducer(riskFormReducer, risk, riskFormOf)
  useEffect(() => dispatch(riskFormEventOf(risk, loaded)), [risk, loaded])
  const { draft, changedElsewhere } = form
  const [errors, setErrors] = useState<SplitMessage>(noErrors)
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    setBusy(true)
    setErrors(noErrors)
    // Refused as changed in another window: the store has the limits as they are now, the form follows.
    const refusal = await saveRiskForm(form)
    setBusy(false)
    if (refusal === null) toast.success('Risk limits saved')
    else setErrors(splitEngineMessage(refusal, LIMITS))
  }
  return (
    <form className="form" onSubmit={submit} onKeyDown={submitOnModEnter} noValidate data-testid="risk-form">
      {changedElsewhere ? (
        <p className="form-wide muted" role="status" data-testid="risk-changed-elsewhere">
          <strong>Limits were changed in another window:</strong> {limitsText(changedElsewhere)}. Your edits are kept; saving applies them over these.
        </p>
      ) : null}
      {LIMITS.map((k) => {
        const info = limitInfo[k]
        const error = errors.fields[k]
        return (
          <Fragment key={k}>
            <label className="form-label" htmlFor={info.id}>
              {info.label}
            </label>
            <div className="form-field">
              <div className="ot-control">
                <input
                  id={info.id}
                  className="input input-number ot-number"
                  inputMode="decimal"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="no limit"
                  value={draft[k]}
                  onChange={(e) => dispatch({ type: 'edit', limit: k, value: e.target.value })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${info.id}-error` : `${info.id}-hint`}
                  data-testid={`risk-${k}`}
                />
                <span className="muted ot-unit">{info.unit}</span>
              </div>
              {error ? (
                <p className="inline-error" id={`${info.id}-error`} role="alert" data-testid={`risk-${k}-error`}>
                  {error}
                </p>
              ) : (
                <p className="form-hint" id={`${info.id}-hint`}>
                  {info.hint}
                </p>
              )}
            </div>
          </Fragment>
        )
      })}
      {errors.general ? (
        <p className="inline-error form-wide" role="alert" data-testid="risk-error">
          {errors.general}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-small" disabled={busy} data-testid="risk-save">
          {busy ? 'Saving…' : 'Save limits'} <Kbd combo="Enter" />
        </button>
      </div>
    </form>
  )
}
