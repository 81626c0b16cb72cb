import { api, ApiError } from '../../api'
import { messageOf, useOrders } from './ordersStore'
import { riskFormInput, type RiskFormState } from './riskForm'

// Saving the Risk panel's form. The save names the version of the limits the form shows; when another
// window saved since (and its news has not reached this one yet) the engine refuses it, nothing saved. The
// limits are then loaded again into the store, so the form shows them with the user's edits kept (riskForm.ts),
// and the user is told plainly to check them and save again.

export const CHANGED_ELSEWHERE =
  'Not saved: the risk limits were changed in another window. The form now shows them, with your edits kept; check them and save again.'

/** Saves the form; null when saved, else why not (the engine's words, or CHANGED_ELSEWHERE). */
export async function saveRiskForm(form: RiskFormState): Promise<string | null> {
  try {
    useOrders.getState().riskChanged(await api.invoke('risk.set', riskFormInput(form)))
    return null
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 'CONFLICT')) return messageOf(err)
    try {
      useOrders.getState().riskRead(await api.invoke('risk.get', {}))
    } catch {
      // Not loaded again: the engine's refusal names the limits as they are now.
      return messageOf(err)
    }
    return CHANGED_ELSEWHERE
  }
}
