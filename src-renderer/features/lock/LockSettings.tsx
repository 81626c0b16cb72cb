import { useState, type FormEvent } from 'react'
import { api } from '../../api'
import { messageOf } from '../../ui/engineMessage'
import { toast } from '../toasts/toastStore'
import { submitOnModEnter } from '../../ui/modEnter'
import { useLock } from './lockStore'

/**
 * Settings → Security: set, change or remove the lock passphrase, and lock now. The engine checks the
 * passphrase's rules and the current one; the form only checks that the new one was typed the same twice.
 */
export function LockSettings() {
  const status = useLock((s) => s.status)
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const enabled = status?.enabled === true

  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true)
    setError(null)
    try {
      await what()
      setCurrent('')
      setNext('')
      setAgain('')
      toast.success(done)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }
  const save = (e: FormEvent) => {
    e.preventDefault()
    // Refused when the Save button is disabled: Mod+Enter submits the form whatever the button's state.
    if (busy || next === '') return
    if (next !== again) return setError('The new passphrase and its repetition differ')
    void run(() => api.invoke('lock.setPassphrase', enabled ? { current, next } : { next }), enabled ? 'Lock passphrase changed' : 'Lock passphrase set: the app now starts locked')
  }
  const remove = () => void run(() => api.invoke('lock.clear', { current }), 'Lock removed')

  return (
    <form className="lock-settings" onSubmit={save} onKeyDown={submitOnModEnter} data-testid="lock-settings" data-enabled={enabled}>
      <p className="muted" data-testid="lock-state">
        {status === null
          ? 'Asking the engine…'
          : enabled
            ? `App lock on: the app starts locked${status.idleMinutes > 0 ? ` and locks after ${status.idleMinutes} min without input` : ''}.`
            : 'No lock passphrase is set: anyone at this screen can use the app.'}
      </p>
      <div className="lock-settings-fields">
        {enabled ? (
          <>
            <label htmlFor="lock-current">Current passphrase</label>
            <input id="lock-current" className="input" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="lock-current" />
          </>
        ) : null}
        <label htmlFor="lock-next">{enabled ? 'New passphrase' : 'Lock passphrase'}</label>
        <input id="lock-next" className="input" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-testid="lock-next" />
        <label htmlFor="lock-again">Repeat it</label>
        <input id="lock-again" className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="lock-again" />
      </div>
      {error ? (
        <p className="inline-error" role="alert" data-testid="lock-settings-error">
          {error}
        </p>
      ) : null}
      <div className="lock-settings-actions">
        <button type="submit" className="btn" disabled={busy || next === ''} data-testid="lock-save">
          {enabled ? 'Change passphrase' : 'Set passphrase'}
        </button>
        {enabled ? (
          <>
            <button type="button" className="btn" disabled={busy || current === ''} onClick={remove} data-testid="lock-remove">
              Remove lock
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => void useLock.getState().lockNow().catch(() => undefined)} data-testid="lock-now" title="Alt+Shift+L">
              Lock now
            </button>
          </>
        ) : null}
      </div>
    </form>
  )
}
