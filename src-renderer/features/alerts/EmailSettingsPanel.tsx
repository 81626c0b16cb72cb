import { useState, type FormEvent, type ReactNode } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { submitOnModEnter } from '../../ui/modEnter'
import { splitEngineMessage, type SplitMessage, messageOf } from '../../ui/engineMessage'
import { toast } from '../toasts/toastStore'
import { useAlerts } from './alertsStore'
import type { EmailSettingsView } from '../../../src-main/api/contract'
import { emailDraftOf, emailRemovePasswordInput, emailSaveInput, type EmailDraft as Draft } from './emailForm'

// Where alert emails go: the SMTP server, its login and the two addresses. The password goes one way:
// typed here, sealed by the engine with the master key; the page only learns whether one is saved.

const FIELDS = ['host', 'port', 'security', 'username', 'password', 'from', 'to'] as const
const noErrors: SplitMessage = { fields: {}, general: null }

const securityLabels = { starttls: 'STARTTLS (587)', tls: 'TLS (465)', none: 'none (a local relay)' } as const

export function EmailSettingsPanel() {
  const saved = useAlerts((s) => s.email)
  // Saved settings (here or elsewhere) reset the form; typing is not overwritten meanwhile.
  return (
    <Panel title="Email" tools={saved ? <span className="muted">to {saved.to}</span> : <span className="muted">not set</span>} testId="panel-alert-email">
      <EmailForm key={saved?.updatedAt ?? 0} saved={saved} />
    </Panel>
  )
}

function EmailForm({ saved }: { saved: EmailSettingsView | null }) {
  const [draft, setDraft] = useState(() => emailDraftOf(saved))
  const [errors, setErrors] = useState<SplitMessage>(noErrors)
  const [busy, setBusy] = useState<'save' | 'test' | 'remove' | null>(null)
  // "Remove saved password" asks once more, inline, before deleting it.
  const [confirmRemove, setConfirmRemove] = useState(false)
  const edit = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))

  const save = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    setBusy('save')
    setErrors(noErrors)
    try {
      const view = await api.invoke('alerts.emailSet', emailSaveInput(draft))
      useAlerts.setState({ email: view })
      toast.success('Mail settings saved')
    } catch (err) {
      setErrors(splitEngineMessage(messageOf(err), FIELDS))
    } finally {
      setBusy(null)
    }
  }

  const removePassword = async () => {
    if (busy || saved === null) return
    setBusy('remove')
    setErrors(noErrors)
    try {
      const view = await api.invoke('alerts.emailSet', emailRemovePasswordInput(saved))
      useAlerts.setState({ email: view })
      toast.success('Saved mail password removed')
    } catch (err) {
      setErrors(splitEngineMessage(messageOf(err), FIELDS))
    } finally {
      setBusy(null)
      setConfirmRemove(false)
    }
  }

  const test = async () => {
    if (busy) return
    setBusy('test')
    try {
      const r = await api.invoke('alerts.emailTest', {})
      if (r.delivered) toast.success('Test email sent', r.detail)
      else toast.error('Test email not sent', r.detail)
    } catch (err) {
      toast.error('Test email not sent', messageOf(err))
    } finally {
      setBusy(null)
    }
  }

  const field = (name: (typeof FIELDS)[number], label: string, input: ReactNode) => (
    <>
      <label className="form-label" htmlFor={`alert-mail-${name}`}>
        {label}
      </label>
      <div className="form-field">
        {input}
        {errors.fields[name] ? (
          <p className="inline-error" role="alert" data-testid={`alert-mail-${name}-error`}>
            {errors.fields[name]}
          </p>
        ) : null}
      </div>
    </>
  )
  const text = (name: 'host' | 'port' | 'username' | 'from' | 'to', placeholder: string) => (
    <input
      id={`alert-mail-${name}`}
      className="input"
      autoComplete="off"
      spellCheck={false}
      placeholder={placeholder}
      value={draft[name]}
      onChange={(e) => edit({ [name]: e.target.value })}
      data-testid={`alert-mail-${name}`}
    />
  )
  return (
    <form className="form alerts-form" onSubmit={save} onKeyDown={submitOnModEnter} noValidate data-testid="alert-mail-form">
      {field('host', 'SMTP server', text('host', 'smtp.example.com'))}
      {field('port', 'Port', text('port', '587'))}
      {field(
        'security',
        'Security',
        <select id="alert-mail-security" className="input" value={draft.security} onChange={(e) => edit({ security: e.target.value as Draft['security'] })} data-testid="alert-mail-security">
          {(Object.keys(securityLabels) as Draft['security'][]).map((k) => (
            <option key={k} value={k}>
              {securityLabels[k]}
            </option>
          ))}
        </select>,
      )}
      {field('username', 'User', text('username', 'optional'))}
      {field(
        'password',
        'Password',
        <input
          id="alert-mail-password"
          className="input"
          type="password"
          autoComplete="new-password"
          placeholder={saved?.hasPassword ? 'saved — empty keeps it for this server' : 'optional'}
          value={draft.password}
          onChange={(e) => edit({ password: e.target.value })}
          data-testid="alert-mail-password"
        />,
      )}
      {field('from', 'From', text('from', 'alerts@example.com'))}
      {field('to', 'To', text('to', 'me@example.com'))}
      {errors.general ? (
        <p className="inline-error form-wide" role="alert" data-testid="alert-mail-error">
          {errors.general}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-small" disabled={busy !== null} data-testid="alert-mail-save">
          {busy === 'save' ? 'Saving…' : 'Save'} <Kbd combo="Enter" />
        </button>
        <button type="button" className="btn btn-small" disabled={busy !== null || saved === null} onClick={() => void test()} data-testid="alert-mail-test">
          {busy === 'test' ? 'Sending…' : 'Send test email'}
        </button>
      </div>
      {saved?.hasPassword ? (
        confirmRemove ? (
          <div className="form-wide" role="group" aria-label="Remove saved password" data-testid="alert-mail-remove-confirm">
            <p className="form-hint">
              Delete the saved password for {saved.host}? Alert emails are then sent without it (a server that needs a login refuses them) until you enter
              one again. Use this too when the key store says the email password cannot be opened.
            </p>
            <div className="form-actions">
              <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void removePassword()} data-testid="alert-mail-remove-ok">
                {busy === 'remove' ? 'Removing…' : 'Remove password'}
              </button>
              <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => setConfirmRemove(false)} data-testid="alert-mail-remove-cancel">
                Keep it
              </button>
            </div>
          </div>
        ) : (
          <div className="form-actions form-wide">
            <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => setConfirmRemove(true)} data-testid="alert-mail-remove-password">
              Remove saved password…
            </button>
          </div>
        )
      ) : null}
      <p className="form-hint form-wide">The password is sealed with the app's master key (OS keychain); it is never shown again.</p>
    </form>
  )
}
