import type { RiskLimits, RiskSet, RiskView } from '../../../src-main/api/contract'
import { compareDecimal } from '../../ui/decimal'
import { cleanNumber } from './ticketForm'
import { LIMITS, riskInput, type Limit } from './tradingForms'

// The Risk panel's form. The same limits may be open in another window: when that one saves, a field this
// user has not edited follows the new limits, one being edited keeps what was typed, and the form says the
// limits were changed elsewhere (with their values) until its edits are saved or undone. Saving sends the
// edited fields over the latest saved limits, so the other window's changes to other fields stay. It names
// the version of those limits: a save made before another window's (its news not in yet) is refused by the
// engine, and the limits are loaded again (riskSave.ts). Pure.

type Fields = Record<Limit, string>

export interface RiskFormState {
  /** The latest saved limits, as text ('' = no limit). */
  saved: Fields
  /** Their version (risk.get's): what a save says it was made from. */
  version: number
  /** What the form shows. */
  draft: Fields
  /** The limits another window saved while this one had edits; null when there is nothing to say. */
  changedElsewhere: Fields | null
}

/**
 * 'saved': limits from a risk.changed event or a risk.set reply, which may be overtaken by newer ones.
 * 'loaded': limits read with risk.get, the engine's as they are now, even older than the form's (a backup
 * restored).
 */
export type RiskFormEvent = { type: 'edit'; limit: Limit; value: string } | { type: 'saved' | 'loaded'; risk: RiskView }

/** The event for limits the store passes on: loaded ones (risk.get) are taken whatever their version. */
export const riskFormEventOf = (risk: RiskView, loaded: boolean): RiskFormEvent => ({ type: loaded ? 'loaded' : 'saved', risk })

const fieldsOf = (risk: RiskLimits): Fields => ({
  maxOrderNotional: risk.maxOrderNotional ?? '',
  maxPositionNotional: risk.maxPositionNotional ?? '',
  priceBandPct: risk.priceBandPct ?? '',
  dailyLossLimit: risk.dailyLossLimit ?? '',
})

const isDecimal = (s: string) => /^\d+(\.\d+)?$/.test(s)

/** Whether the typed text says something else than the saved value (1,500 and 1500.0 are 1500). */
function differs(typed: string, saved: string): boolean {
  const t = cleanNumber(typed)
  if (t === saved) return false
  return !(isDecimal(t) && isDecimal(saved) && compareDecimal(t, saved) === 0)
}

const edited = (s: Pick<RiskFormState, 'saved' | 'draft'>): Limit[] => LIMITS.filter((k) => differs(s.draft[k], s.saved[k]))

export function riskFormOf(risk: RiskView): RiskFormState {
  const saved = fieldsOf(risk)
  return { saved, version: risk.version, draft: saved, changedElsewhere: null }
}

export function riskFormReducer(state: RiskFormState, event: RiskFormEvent): RiskFormState {
  if (event.type === 'edit') {
    const draft = { ...state.draft, [event.limit]: event.value }
    return { ...state, draft, changedElsewhere: edited({ saved: state.saved, draft }).length === 0 ? null : state.changedElsewhere }
  }
  // Older limits than the form has (a reply or event overtaken by a newer one) are not gone back to; loaded
  // ones are the engine's now, so a save names their version (else every save would be refused).
  if (event.type === 'saved' && event.risk.version < state.version) return state
  const saved = fieldsOf(event.risk)
  const mine = edited(state)
  const draft = { ...saved }
  for (const k of mine) if (differs(state.draft[k], saved[k])) draft[k] = state.draft[k]
  const stillEdited = edited({ saved, draft }).length > 0
  const moved = LIMITS.some((k) => saved[k] !== state.saved[k])
  return { saved, version: event.risk.version, draft, changedElsewhere: stillEdited && (moved || state.changedElsewhere !== null) ? saved : null }
}

/** risk.set's input: the edited fields as typed, the others as last saved, and the version they are from. */
export function riskFormInput(state: RiskFormState): RiskSet {
  return { ...riskInput(state.draft), expectedVersion: state.version }
}
