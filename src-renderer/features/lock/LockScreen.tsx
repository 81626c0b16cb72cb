import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useNow } from '../../ui/useNow'
import { submitOnModEnter } from '../../ui/modEnter'
import { useLock } from './lockStore'
import { startLockedNotices, useLockedNotices } from './lockedNotices'
import './lock.css'

/**
 * Everything the locked app shows: the passphrase field and the engine's answer. The rest of the app is
 * not drawn (and the engine sends it nothing) until the passphrase is right.
 */
export function LockScreen() {
  const status = useLock((s) => s.status)
  const error = useLock((s) => s.error)
  const busy = useLock((s) => s.busy)
  const notices = useLockedNotices((s) => s.count)
  const [passphrase, setPassphrase] = useState('')
  const field = useRef<HTMLInputElement>(null)
  const now = useNow()
  const waitS = status?.retryAt != null ? Math.max(0, Math.ceil((status.retryAt - now) / 1000)) : 0

  useEffect(() => field.current?.focus(), [])
  useEffect(() => startLockedNotices(), [])
  useEffect(() => {
    useLock.setState({ error: null })
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy || passphrase === '') return
    const unlocked = await useLock.getState().unlock(passphrase)
    if (!unlocked) {
      setPassphrase('')
      field.current?.focus()
    }
  }

  return (
    <main className="lock-screen" data-testid="lock-screen" aria-labelledby="lock-title">
      <form className="lock-card" onSubmit={(e) => void submit(e)} onKeyDown={submitOnModEnter} data-testid="lock-form">
        <h1 id="lock-title" className="lock-title">
          CryptoOrchestrator is locked
        </h1>
        <p className="muted">The engine keeps running: conditional orders, copy trading and alerts stay armed.</p>
        {notices > 0 && (
          <p role="status" data-testid="lock-notices">
            {notices === 1 ? 'A notice arrived' : `${notices} notices arrived`} while locked — unlock to see {notices === 1 ? 'it' : 'them'}
          </p>
        )}
        <label htmlFor="lock-passphrase">Passphrase</label>
        <input
          id="lock-passphrase"
          className="input"
          ref={field}
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby="lock-error"
          data-testid="lock-passphrase"
        />
        <div id="lock-error" className="lock-error" role="alert" data-testid="lock-error">
          {waitS > 0 ? `Too many wrong passphrases: try again in ${waitS} s` : status?.retryAt != null ? 'You can try again now' : error}
        </div>
        <button type="submit" className="btn lock-submit" disabled={busy || passphrase === ''} data-testid="lock-unlock">
          {busy ? 'Checking…' : 'Unlock'}
        </button>
      </form>
    </main>
  )
}
