import type { ReactNode } from 'react'
import { Kbd } from './Kbd'

// The row of buttons at the foot of every dialog: the Escape one (Cancel, Keep) and the Enter one, which
// submits the dialog's form or runs `onConfirm`, shows its busy words while working, and is red when it
// removes or risks something.

interface DialogActionsProps {
  /** The Escape button's words. */
  dismissLabel?: string
  onDismiss: () => void
  /** The Enter button's words, and what it says while `busy`. */
  label: ReactNode
  busyLabel: string
  busy: boolean
  disabled?: boolean
  danger?: boolean
  /** Without it the Enter button submits the dialog's form. */
  onConfirm?: () => void
  /** The Enter button takes the focus when the dialog opens (a confirmation without fields). */
  autoFocus?: boolean
  /**
   * The Escape button takes the focus instead, and the other shows no Enter key: confirming takes a
   * deliberate Tab, Enter or a click. For confirmations a hotkey opens from inside a text field, where the
   * next Enter may be part of what was being typed.
   */
  guarded?: boolean
  testId: string
  dismissTestId?: string
}

export function DialogActions({
  dismissLabel = 'Cancel',
  onDismiss,
  label,
  busyLabel,
  busy,
  disabled = false,
  danger = false,
  onConfirm,
  autoFocus = false,
  guarded = false,
  testId,
  dismissTestId,
}: DialogActionsProps) {
  return (
    <div className="dialog-actions">
      <button type="button" className="btn" onClick={onDismiss} data-autofocus={guarded ? true : undefined} data-testid={dismissTestId}>
        {dismissLabel} <Kbd combo="Esc" />
      </button>
      <button
        type={onConfirm ? 'button' : 'submit'}
        className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
        disabled={busy || disabled}
        onClick={onConfirm}
        // A disabled button cannot hold the focus: the dialog itself takes it then.
        data-autofocus={autoFocus && !guarded && !disabled ? true : undefined}
        data-testid={testId}
      >
        {busy ? busyLabel : label}
        {guarded ? null : (
          <>
            {' '}
            <Kbd combo="Enter" />
          </>
        )}
      </button>
    </div>
  )
}
