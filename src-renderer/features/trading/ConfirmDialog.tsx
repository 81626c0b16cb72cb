import { useId, useState } from 'react'
import { flushSync } from 'react-dom'
import { create } from 'zustand'
import { Modal } from '../../ui/Modal'
import { DialogActions } from '../../ui/DialogActions'
import { useOverlay } from '../../app/overlays'
import { messageOf } from './ordersStore'

// The confirm step of the trading actions that cannot be taken back (kill switch, flatten, closing a
// paper account). Keyboard first: the confirm button has focus, so Enter confirms and Escape aborts —
// except for a guarded request (one a hotkey opens from a text field too): there Cancel has the focus, so
// the Enter a trader was typing cannot confirm it; Tab, Enter (or a click) does.

export interface ConfirmRequest {
  title: string
  body: string
  confirmLabel: string
  /** Its hotkey works while typing (kill switch, flatten): Enter must not confirm it. */
  guarded?: boolean
  /** A checkbox under the body, unchecked at first (e.g. "also close the positions"); run gets its state. */
  option?: { label: string; testId: string }
  /** Runs on confirm (with the option's state); a thrown error is shown in the dialog, which stays open. */
  run: (option: boolean) => Promise<void>
}

/** The request shown (read by tests of the actions that ask). */
export const useConfirm = create<{ request: ConfirmRequest | null }>()(() => ({ request: null }))

export function askConfirm(request: ConfirmRequest): void {
  useConfirm.setState({ request })
  useOverlay.getState().show('trading-confirm')
}

export function TradingConfirmDialog() {
  const open = useOverlay((s) => s.open === 'trading-confirm')
  const request = useConfirm((s) => s.request)
  return open && request ? <ConfirmBox key={request.title} request={request} /> : null
}

function ConfirmBox({ request }: { request: ConfirmRequest }) {
  const hide = useOverlay((s) => s.hide)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [option, setOption] = useState(false)
  const titleId = useId()
  const confirm = async () => {
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      await request.run(option)
      flushSync(hide)
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
    }
  }
  return (
    <Modal labelledBy={titleId} onClose={hide} className="dialog-small" testId="trading-confirm">
      <header className="modal-head">
        <h2 id={titleId}>{request.title}</h2>
      </header>
      <div className="dialog-body">
        <p>{request.body}</p>
        {request.option ? (
          <label className="form-check">
            <input type="checkbox" checked={option} onChange={(e) => setOption(e.target.checked)} disabled={busy} data-testid={request.option.testId} />
            {request.option.label}
          </label>
        ) : null}
        {request.guarded ? (
          <p className="muted" data-testid="trading-confirm-hint">
            Cancel has the focus, so Enter does not confirm: Tab to “{request.confirmLabel}”, then Enter, or click it.
          </p>
        ) : null}
        {error ? (
          <p className="inline-error" role="alert" data-testid="trading-confirm-error">
            {error}
          </p>
        ) : null}
      </div>
      <DialogActions
        onDismiss={hide}
        label={request.confirmLabel}
        busyLabel="Working…"
        busy={busy}
        danger
        onConfirm={() => void confirm()}
        autoFocus
        guarded={request.guarded ?? false}
        testId="trading-confirm-ok"
        dismissTestId="trading-confirm-cancel"
      />
    </Modal>
  )
}
