import { moveSelection } from '../../ui/listNav'
import { compareDecimal } from '../../ui/decimal'
import { cleanNumber } from './ticketForm'

// Keyboard work in the orders tables: which row is selected, what a key asks for (move, cancel, amend),
// and the inline amend editor (price and amount typed in the row; Enter sends, Escape aborts). Pure (no
// DOM), so it is tested in Node.

export interface AmendDraft {
  id: string
  price: string
  amount: string
  /** What the row held when editing began (only what changed is sent). */
  original: { price: string | null; amount: string }
  field: 'price' | 'amount'
  sending: boolean
  error: string | null
}

export interface TableState {
  selected: string | null
  edit: AmendDraft | null
  /** The row this table last acted on (Delete sent its cancel): when it leaves, the selection moves on. */
  acted: string | null
  /** The selected row that left on its own (filled, canceled elsewhere): the selection was cleared, and is said so. */
  left: string | null
}

export const initialTable: TableState = { selected: null, edit: null, acted: null, left: null }

export type TableEvent =
  | { type: 'select'; id: string }
  /** This table sent an action that removes the row (a cancel, a close). */
  | { type: 'acted'; id: string }
  | { type: 'rows'; ids: readonly string[]; previous: readonly string[] }
  | { type: 'startEdit'; row: { id: string; price: string | null; amount: string }; field?: 'price' | 'amount' }
  | { type: 'editField'; field: 'price' | 'amount'; value: string }
  | { type: 'focusField'; field: 'price' | 'amount' }
  | { type: 'cancelEdit' }
  | { type: 'sending' }
  | { type: 'sent' }
  | { type: 'failed'; error: string }

/** The intent of a key press on a table (modifier keys are left to the app's shortcuts). */
export type KeyIntent = { kind: 'move'; id: string } | { kind: 'cancel'; id: string } | { kind: 'amend'; id: string } | null

export interface KeyPress {
  key: string
  altKey?: boolean
  ctrlKey?: boolean
  metaKey?: boolean
}

export function keyIntent(event: KeyPress, ids: readonly string[], selected: string | null, canAmend: boolean): KeyIntent {
  if (event.altKey || event.ctrlKey || event.metaKey) return null
  const next = moveSelection(event.key, ids, selected)
  if (next !== null) return { kind: 'move', id: next }
  if (selected === null || !ids.includes(selected)) return null
  if (event.key === 'Delete' || event.key === 'Backspace') return { kind: 'cancel', id: selected }
  if (canAmend && (event.key === 'Enter' || event.key === 'e' || event.key === 'E')) return { kind: 'amend', id: selected }
  return null
}

/**
 * After the rows changed: a selected row that is gone hands the selection to the row now at its place (or
 * the last one), so Delete, Delete, … works down a list. The reducer asks this only when the row left
 * because of the table's own action.
 */
export function followRows(selected: string | null, ids: readonly string[], previous: readonly string[]): string | null {
  if (selected === null) return null
  if (ids.includes(selected)) return selected
  if (ids.length === 0) return null
  const at = previous.indexOf(selected)
  if (at < 0) return null
  // The first row after it that is still here, else the nearest one before it.
  for (let i = at + 1; i < previous.length; i++) if (ids.includes(previous[i]!)) return previous[i]!
  for (let i = at - 1; i >= 0; i--) if (ids.includes(previous[i]!)) return previous[i]!
  return ids[Math.min(at, ids.length - 1)] ?? null
}

export function tableReducer(state: TableState, event: TableEvent): TableState {
  switch (event.type) {
    case 'select':
      return state.edit && state.edit.id !== event.id ? { ...state, selected: event.id, edit: null, left: null } : { ...state, selected: event.id, left: null }
    case 'acted':
      return { ...state, acted: event.id }
    case 'rows': {
      const gone = state.selected !== null && !event.ids.includes(state.selected)
      // Only a row that left because of this table's own action hands the selection on: one that left on
      // its own (a fill, a cancel from another view or client) must not leave a neighbour selected, where
      // the next Delete would cancel an order the user never chose.
      const selected = !gone ? state.selected : state.acted === state.selected ? followRows(state.selected, event.ids, event.previous) : null
      const left = gone && state.acted !== state.selected ? state.selected : state.left
      // An order that left the table (filled, canceled elsewhere) can no longer be amended.
      const edit = state.edit && event.ids.includes(state.edit.id) ? state.edit : null
      return selected === state.selected && edit === state.edit && left === state.left ? state : { ...state, selected, edit, left }
    }
    case 'startEdit':
      return {
        ...state,
        left: null,
        selected: event.row.id,
        edit: {
          id: event.row.id,
          price: event.row.price ?? '',
          amount: event.row.amount,
          original: { price: event.row.price, amount: event.row.amount },
          field: event.field ?? (event.row.price === null ? 'amount' : 'price'),
          sending: false,
          error: null,
        },
      }
    case 'editField':
      return state.edit ? { ...state, edit: { ...state.edit, [event.field]: event.value, field: event.field, error: null } } : state
    case 'focusField':
      return state.edit ? { ...state, edit: { ...state.edit, field: event.field } } : state
    case 'cancelEdit':
      return state.edit ? { ...state, edit: null } : state
    case 'sending':
      return state.edit ? { ...state, edit: { ...state.edit, sending: true, error: null } } : state
    case 'sent':
      return state.edit ? { ...state, edit: null } : state
    case 'failed':
      return state.edit ? { ...state, edit: { ...state.edit, sending: false, error: event.error } } : state
  }
}

/** What the table says when its selected row left on its own (see TableState.left); null otherwise. */
export function leftNotice(state: TableState, what: string): string | null {
  return state.left === null ? null : `The selected ${what} left this table (filled or canceled elsewhere): nothing is selected now`
}

const isDecimal = (s: string) => /^\d+(\.\d+)?$/.test(s)

/** orders.amend input from a draft: only what changed; null when nothing did. */
export function amendInput(edit: AmendDraft): { clientOrderId: string; price?: string; amount?: string } | null {
  const price = cleanNumber(edit.price)
  const amount = cleanNumber(edit.amount)
  const out: { clientOrderId: string; price?: string; amount?: string } = { clientOrderId: edit.id }
  const changed = (typed: string, was: string) => typed !== was && (!isDecimal(typed) || compareDecimal(typed, was) !== 0)
  if (edit.original.price !== null && price !== '' && changed(price, edit.original.price)) out.price = price
  if (amount !== '' && changed(amount, edit.original.amount)) out.amount = amount
  return out.price === undefined && out.amount === undefined ? null : out
}
