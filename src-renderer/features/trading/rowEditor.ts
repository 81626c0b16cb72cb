import type { Dispatch, KeyboardEvent } from 'react'
import { messageOf } from './ordersStore'
import type { AmendDraft, TableEvent, TableState } from './tableNav'
import { focusId } from './tradingActions'

// The orders tables' inline amend, around what each table sends: Enter sends the draft (once), Escape
// drops it; a draft that changes nothing closes without a call; the engine's refusal stays in the row.

/** What a table sends for a draft: null when the draft changes nothing; `select`: the row to select after. */
export type SendDraft = (edit: AmendDraft) => Promise<{ select?: string } | void> | null

export function useRowEditor(state: TableState, dispatch: Dispatch<TableEvent>, tableId: string, send: SendDraft) {
  const close = () => {
    dispatch({ type: 'cancelEdit' })
    focusId(tableId)
  }
  const sendEdit = async (edit: AmendDraft) => {
    const sending = send(edit)
    if (sending === null) return close()
    dispatch({ type: 'sending' })
    try {
      const after = await sending
      dispatch({ type: 'sent' })
      if (after?.select !== undefined) dispatch({ type: 'select', id: after.select })
      focusId(tableId)
    } catch (err) {
      dispatch({ type: 'failed', error: messageOf(err) })
    }
  }
  /** The editor's keys while it is open (true: the key was the editor's, the table does nothing more). */
  const onEditorKey = (event: KeyboardEvent<HTMLElement>): boolean => {
    const edit = state.edit
    if (edit === null) return false
    // Keys typed in the editor are the editor's; only Enter and Escape are taken here.
    if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault()
      if (!edit.sending) void sendEdit(edit)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      close()
    }
    return true
  }
  return { onEditorKey }
}
