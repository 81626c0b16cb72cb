import { useId, useState, type FormEvent } from 'react'
import { flushSync } from 'react-dom'
import { api } from '../../api'
import { Modal } from '../../ui/Modal'
import { DialogActions } from '../../ui/DialogActions'
import { submitOnModEnter } from '../../ui/modEnter'
import { splitEngineMessage } from '../../ui/engineMessage'
import { formatDecimal } from '../../ui/decimal'
import { useOverlay } from '../../app/overlays'
import { toast } from '../toasts/toastStore'
import { useBalances } from './balancesStore'
import { useSimAccountLabel } from './simAccount'
import './balances.css'

/** "Reset Simulated exchange balance…": the amount of USDT the simulated exchange's account starts over with. The engine validates. */
export function PaperResetDialog() {
  const open = useOverlay((s) => s.open === 'paper-reset')
  return open ? <ResetDialog /> : null
}

function ResetDialog() {
  const hide = useOverlay((s) => s.hide)
  const [amount, setAmount] = useState('10000')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const titleId = useId()
  const label = useSimAccountLabel()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      const venue = await api.invoke('paper.reset', { amount: amount.trim() })
      useBalances.getState().received(venue)
      flushSync(hide)
      toast.success(`${label} balance reset`, `${formatDecimal(amount.trim())} USDT; its open and conditional orders were canceled`)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const split = splitEngineMessage(message, ['amount'])
      setError(split.fields.amount ? `Amount ${split.fields.amount}` : (split.general ?? message))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal labelledBy={titleId} onClose={hide} className="dialog-small" testId="paper-reset-dialog">
      <form onSubmit={submit} onKeyDown={submitOnModEnter} noValidate data-testid="paper-reset-form">
        <header className="modal-head">
          <h2 id={titleId}>Reset {label} balance</h2>
        </header>
        <div className="dialog-body">
          <p className="muted">
            {label} starts over with this much USDT and nothing else.
          </p>
          <p className="muted" data-testid="paper-reset-cancels">
            Its open orders and its armed conditional orders (stops, take-profits, trailing stops, OCO and bracket
            legs) are canceled: they were sized for holdings that are gone.
          </p>
          <div className="reset-row">
            <label htmlFor="paper-reset-amount">Amount</label>
            <input
              id="paper-reset-amount"
              className="input input-amount"
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              onFocus={(e) => e.target.select()}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'paper-reset-error' : undefined}
              data-testid="paper-reset-amount"
            />
            <span className="muted">USDT</span>
          </div>
          {error ? (
            <p className="inline-error" id="paper-reset-error" role="alert" data-testid="paper-reset-error">
              {error}
            </p>
          ) : null}
        </div>
        <DialogActions onDismiss={hide} label="Reset" busyLabel="Resetting…" busy={busy} testId="paper-reset-submit" />
      </form>
    </Modal>
  )
}
