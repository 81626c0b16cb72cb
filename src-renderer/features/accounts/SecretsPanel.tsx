import { useRef, useState, type FormEvent } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { submitOnModEnter } from '../../ui/modEnter'
import { toast } from '../toasts/toastStore'
import { messageOf, useAccounts, type SecretsStatusView } from './accountsStore'
import { ResetMasterKey } from './ResetMasterKey'

/**
 * Where API credentials are sealed: the OS keychain (normal), a passphrase the user chose because there
 * is no keychain (locked until unlocked once per start), or nothing usable yet, with the reason.
 */
export function SecretsPanel() {
  const secrets = useAccounts((s) => s.secrets)
  const error = useAccounts((s) => s.secretsError)
  const state = secrets ? stateOf(secrets) : null
  return (
    <Panel
      title="Key store"
      tools={state ? <span className={`badge badge-${state.tone}`}>{state.text}</span> : null}
      testId="panel-secrets"
    >
      <div className="secrets" data-testid="secrets-status" data-mode={secrets?.mode} data-locked={secrets?.locked}>
        {error ? <p className="inline-error">Key store status unavailable: {error}</p> : null}
        {!secrets ? <p className="muted">Asking the engine…</p> : <SecretsBody status={secrets} />}
      </div>
    </Panel>
  )
}

function stateOf(s: SecretsStatusView): { text: string; tone: 'ok' | 'warn' | 'err' } {
  if (s.mode === 'keychain') return { text: 'keychain', tone: 'ok' }
  if (s.mode === 'passphrase') return s.locked ? { text: 'locked', tone: 'warn' } : { text: 'passphrase', tone: 'ok' }
  return { text: 'unavailable', tone: 'err' }
}

function SecretsBody({ status }: { status: SecretsStatusView }) {
  if (status.mode === 'keychain') {
    return (
      <p>
        API keys are sealed (AES-256-GCM) in the database with a master key. <span className="muted">{status.detail}.</span>
      </p>
    )
  }
  if (status.mode === 'passphrase') {
    if (!status.locked) {
      return (
        <p>
          API keys are sealed with a key derived from your passphrase. <span className="muted">{status.detail}.</span>
        </p>
      )
    }
    return (
      <>
        <p>
          {status.detail}. Until then, accounts cannot be tested or used and new keys cannot be saved.
        </p>
        <PassphraseForm mode="unlock" />
      </>
    )
  }
  return (
    <>
      <p className="secrets-reason" data-testid="secrets-reason">
        {status.reason}
      </p>
      <p className="muted">
        API keys are never stored in plaintext, so without a key store no account can be saved.
        {status.canUsePassphrase
          ? ' You can protect them with a passphrase instead: a key is derived from it (scrypt), you enter it once each time the engine starts, and if you forget it the stored keys cannot be recovered (you would add the accounts again).'
          : ' Choosing a passphrase is not possible for this database now.'}
      </p>
      {status.canUsePassphrase ? <PassphraseForm mode="choose" /> : <ResetMasterKey />}
    </>
  )
}

/**
 * Choose a passphrase (with a second entry to catch a typo) or unlock with it. Uncontrolled inputs, read
 * when sent and cleared after each try: the passphrase never enters React state.
 */
function PassphraseForm({ mode }: { mode: 'choose' | 'unlock' }) {
  const first = useRef<HTMLInputElement>(null)
  const second = useRef<HTMLInputElement>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    const passphrase = first.current?.value ?? ''
    const clear = () => {
      if (first.current) first.current.value = ''
      if (second.current) second.current.value = ''
    }
    if (mode === 'choose' && passphrase !== (second.current?.value ?? '')) {
      setError('The two entries differ; type the same passphrase twice')
      clear()
      first.current?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      const status =
        mode === 'choose'
          ? await api.invoke('secrets.usePassphrase', { passphrase })
          : await api.invoke('secrets.unlock', { passphrase })
      useAccounts.setState({ secrets: status, secretsError: null })
      toast.success(mode === 'choose' ? 'API keys are now protected by your passphrase' : 'Key store unlocked')
    } catch (err) {
      setError(messageOf(err))
    } finally {
      clear()
      setBusy(false)
    }
  }

  return (
    <form className="form secrets-form" onSubmit={submit} onKeyDown={submitOnModEnter} noValidate data-testid={`secrets-${mode}-form`}>
      <label className="form-label" htmlFor="secrets-passphrase">
        Passphrase
      </label>
      <div className="form-field">
        <input
          id="secrets-passphrase"
          className="input"
          type="password"
          ref={first}
          autoComplete={mode === 'choose' ? 'new-password' : 'current-password'}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'secrets-error' : undefined}
        />
      </div>
      {mode === 'choose' ? (
        <>
          <label className="form-label" htmlFor="secrets-passphrase-again">
            Again
          </label>
          <div className="form-field">
            <input
              id="secrets-passphrase-again"
              className="input"
              type="password"
              ref={second}
              autoComplete="new-password"
            />
          </div>
        </>
      ) : null}
      {error ? (
        <p className="inline-error form-wide" id="secrets-error" role="alert" data-testid="secrets-error">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid={`secrets-${mode}`}>
          {busy ? 'Working…' : mode === 'choose' ? 'Use this passphrase' : 'Unlock'}
        </button>
      </div>
    </form>
  )
}
