import type { Dispatch, KeyboardEvent } from 'react'
import { toast } from '../toasts/toastStore'
import { sendEdit, type SendDraft } from './editSend'
import type { TableEvent, TableState } from './tableNav'
import { focusId } from './tradingActions'

export type { SendDraft }

// The orders tables' inline amend, around what each table sends: Enter sends the draft (once), Escape
// drops it; a draft that changes nothing closes without a call; the engine's refusal stays in the row, or
// comes as a toast when the row has gone meanwhile (see editSend).

export interface RowEditorOptions {
  /** Whether the row is still in the table (asked of the store when the answer comes). */
  present: (id: string) => boolean
  /** The amend replaces the row with a new one (an order's cancel-replace). */
  replaces: boolean
  /** The toast's title for a refusal the row can no longer show. */
  refusedTitle: string
}

export function useRowEditor(state: TableState, dispatch: Dispatch<TableEvent>, tableId: string, send: SendDraft, options: RowEditorOptions) {
  const close = () => {
    dispatch({ type: 'cancelEdit' })
    focusId(tableId)
  }
  /** The editor's keys while it is open (true: the key was the editor's, the table does nothing more). */
  const onEditorKey = (event: KeyboardEvent<HTMLElement>): boolean => {
    const edit = state.edit
    if (edit === null) return false
    // Keys typed in the editor are the editor's; only Enter and Escape are taken here. Mod+Enter (the
    // app's "send" key) sends the amendment too, never the ticket's order.
    if (event.key === 'Enter' && !event.altKey) {
      event.preventDefault()
      if (!edit.sending) {
        void sendEdit(edit, send, {
          dispatch,
          focus: () => focusId(tableId),
          present: options.present,
          replaces: options.replaces,
          refusedGone: (message) => toast.error(options.refusedTitle, message),
        })
      }
    } else if (event.key === 'Escape') {
      event.preventDefault()
      close()
    }
    return true
  }
  return { onEditorKey }
}
