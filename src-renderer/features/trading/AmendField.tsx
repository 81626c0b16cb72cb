import type { AmendDraft, TableEvent } from './tableNav'

/** One field of an orders table's inline amend (its draft's 'price' or 'amount'), named for what it edits here. */
export function AmendField({ edit, field, dispatch, label, testId }: { edit: AmendDraft; field: 'price' | 'amount'; dispatch: (e: TableEvent) => void; label: string; testId: string }) {
  return (
    <input
      className="input input-number orders-edit"
      aria-label={label}
      inputMode="decimal"
      autoComplete="off"
      spellCheck={false}
      // The field the editor opened on (or was last typed in) has focus.
      autoFocus={edit.field === field}
      value={edit[field]}
      readOnly={edit.sending}
      onFocus={(e) => {
        e.target.select()
        if (edit.field !== field) dispatch({ type: 'focusField', field })
      }}
      onChange={(e) => dispatch({ type: 'editField', field, value: e.target.value })}
      data-testid={testId}
    />
  )
}
