import { compareDecimal } from '../../ui/decimal'
import { cleanNumber } from '../trading/ticketForm'

// The active alerts table's inline level editor (Enter or E on a row, like the conditional orders table):
// the draft, the key that opens it, and the alerts.amend input it sends. Pure (no DOM), tested in Node.

export interface LevelDraft {
  id: string
  /** The level when editing began (nothing is sent when it is typed back). */
  original: string
  price: string
  sending: boolean
  /** The engine's refusal, shown in the row until the level is typed again. */
  error: string | null
}

export function startLevelEdit(alert: { id: string; price: string }): LevelDraft {
  return { id: alert.id, original: alert.price, price: alert.price, sending: false, error: null }
}

/** Whether a key on the selected row opens the editor (Enter or E; keys with a modifier are the app's). */
export function editKey(event: { key: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean }): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey) return false
  return event.key === 'Enter' || event.key === 'e' || event.key === 'E'
}

/** alerts.amend input from the draft; null when the level did not change (or is empty). The engine validates. */
export function alertLevelInput(draft: LevelDraft): { id: string; price: string } | null {
  const price = cleanNumber(draft.price)
  if (price === '') return null
  if (/^\d+(\.\d+)?$/.test(price) && compareDecimal(price, draft.original) === 0) return null
  return { id: draft.id, price }
}
