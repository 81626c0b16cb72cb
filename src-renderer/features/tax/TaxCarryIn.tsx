import { useEffect, useState } from 'react'
import { Panel } from '../../ui/Panel'
import { useEngineForm } from '../../ui/useEngineForm'
import { submitOnModEnter } from '../../ui/modEnter'
import { groupDigits } from '../../ui/decimal'
import { toast } from '../toasts/toastStore'
import { useTax } from './taxStore'
import { CARRY_IN_WORDS, taxYearLabel, yearOptions } from './taxModel'
import { TAX_IDS } from './taxIds'
import type { Jurisdiction } from '../../../src-main/api/contract'
import type { TaxCarryIn } from '../../../src-main/api/schemas/tax'
import { carryInput, draftOf, type CarryInDraft } from './carryInForm'

// Losses carried in from before this ledger, as the user's last return states them, for the jurisdiction
// on screen. The engine stores them and starts every report from that year on from them; the summary's
// "Losses brought in" and the notes show what it applied.

const FIELDS = ['year', 'amount', 'shortTerm', 'longTerm'] as const

/** The engine's money text ("3300.50") grouped for reading. */
const money = (s: string) => s.replace(/^\d+/, (int) => groupDigits(int))

export function TaxCarryInPanel() {
  const jurisdiction = useTax((s) => s.query.jurisdiction)
  const reportYear = useTax((s) => s.query.year)
  const entry = useTax((s) => s.carryIns.find((e) => e.jurisdiction === jurisdiction))
  useEffect(() => void useTax.getState().loadCarryIns(), [])
  // Keyed: another jurisdiction or a newly stored entry starts the form from what is stored; with none
  // stored, from the report's year.
  return (
    <Panel title="Losses from before this ledger" tools={<span className="muted">{entry ? `into ${taxYearLabel(jurisdiction, entry.year)}` : 'none entered'}</span>} testId="panel-tax-carry-in">
      <CarryInForm key={entry ? `${jurisdiction}-${entry.updatedAt}` : `${jurisdiction}-new-${reportYear}`} jurisdiction={jurisdiction} entry={entry} reportYear={reportYear} />
    </Panel>
  )
}

function CarryInForm({ jurisdiction, entry, reportYear }: { jurisdiction: Jurisdiction; entry: TaxCarryIn | undefined; reportYear: number }) {
  const [draft, setDraft] = useState<CarryInDraft>(() => draftOf(entry, reportYear))
  const { busy, errors, submit: sending, fieldError, generalError } = useEngineForm('tax-carry', FIELDS)
  const words = CARRY_IN_WORDS[jurisdiction]
  const edit = (patch: Partial<CarryInDraft>) => setDraft((d) => ({ ...d, ...patch }))

  const submit = sending(async () => {
    const saved = await useTax.getState().setCarryIn(carryInput(jurisdiction, draft))
    toast.success(`Losses carried into ${taxYearLabel(jurisdiction, saved.year)} saved: ${money(saved.amount)} ${words.currency}`)
  })
  const amountField = (field: 'amount' | 'shortTerm' | 'longTerm', label: string) => (
    <>
      <label className="form-label" htmlFor={`tax-carry-${field}`}>
        {label}
      </label>
      <div className="form-field">
        <input
          id={`tax-carry-${field}`}
          className="input input-number"
          inputMode="decimal"
          autoComplete="off"
          placeholder={`loss in ${words.currency}, e.g. 5000`}
          value={draft[field]}
          onChange={(e) => edit({ [field]: e.target.value })}
          aria-invalid={errors.fields[field] ? true : undefined}
          data-testid={`tax-carry-${field}`}
        />
        {fieldError(field)}
      </div>
    </>
  )
  return (
    <form className="form tax-carry-form" onSubmit={submit} onKeyDown={submitOnModEnter} noValidate data-testid="tax-carry-form" data-stored={entry ? entry.amount : ''}>
      <p className="form-hint form-wide">{words.hint}</p>
      <label className="form-label" htmlFor={TAX_IDS.carryYear}>
        Carried into
      </label>
      <div className="form-field">
        <select id={TAX_IDS.carryYear} className="input" value={draft.year} onChange={(e) => edit({ year: Number(e.target.value) })} data-testid="tax-carry-year">
          {yearOptions(jurisdiction).map((y) => (
            <option key={y.year} value={y.year}>
              {y.label}
            </option>
          ))}
        </select>
        {fieldError('year')}
      </div>
      {jurisdiction === 'us' ? (
        <>
          {amountField('shortTerm', 'Short-term loss')}
          {amountField('longTerm', 'Long-term loss')}
        </>
      ) : (
        amountField('amount', words.amountLabel)
      )}
      {generalError()}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="tax-carry-save">
          {busy ? 'Saving…' : 'Save'}
        </button>
        {entry ? (
          <button type="button" className="btn btn-small" onClick={() => void useTax.getState().clearCarryIn(jurisdiction)} data-testid="tax-carry-clear">
            Clear
          </button>
        ) : null}
      </div>
    </form>
  )
}

