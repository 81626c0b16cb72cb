import type { AmendDraft, TableEvent } from './tableNav'

// One inline amend sent, and its answer reported: the table's editor shows a refusal in the row, but an
// amend is a cancel-replace, so a refusal can come after the row has gone (the original canceled, its
// replacement refused). Then the editor is gone with the row, and the refusal is said in a toast.

/** What a table sends for a draft: null when the draft changes nothing; `select`: the row to select after. */
export type SendDraft = (edit: AmendDraft) => Promise<{ select?: string } | void> | null

export interface EditEffects {
  dispatch: (event: TableEvent) => void
  /** Puts the focus back on the table. */
  focus: () => void
  /** Whether the row is still in the table now (read when the answer comes, not when the draft was sent). */
  present: (id: string) => boolean
  /** The amend replaces the row (cancel-replace): the row leaving is this table's doing. */
  replaces: boolean
  /** Says a refusal the row can no longer show. */
  refusedGone: (message: string) => void
}

export async function sendEdit(edit: AmendDraft, send: SendDraft, fx: EditEffects): Promise<void> {
  const sending = send(edit)
  if (sending === null) {
    fx.dispatch({ type: 'cancelEdit' })
    fx.focus()
    return
  }
  fx.dispatch({ type: 'sending' })
  // A cancel-replace takes the row away itself: not a row that "left on its own (filled or canceled elsewhere)".
  if (fx.replaces) fx.dispatch({ type: 'acted', id: edit.id })
  try {
    const after = await sending
    fx.dispatch({ type: 'sent' })
    if (after?.select !== undefined) fx.dispatch({ type: 'select', id: after.select })
    fx.focus()
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    fx.dispatch({ type: 'failed', error: message })
    if (!fx.present(edit.id)) {
      fx.refusedGone(message)
      fx.focus()
    }
  }
}
