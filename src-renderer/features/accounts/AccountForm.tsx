import { useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react'
import { flushSync } from 'react-dom'
import { api } from '../../api'
import { splitEngineMessage, type SplitMessage } from '../../ui/engineMessage'
import { Kbd } from '../../ui/Kbd'
import { submitOnModEnter } from '../../ui/modEnter'
import { toast } from '../toasts/toastStore'
import { messageOf, useAccounts, type AccountView } from './accountsStore'
import { ACCOUNT_FIELD, ACCOUNT_LIST_ID, focusById } from './accountActions'
import { credentialsNeeded } from './labels'
import { credentialsToClear } from './credentialFields'
import { ConnectionTest } from './AccountDetails'

// Add or edit an exchange account. The engine checks everything (formats, URL, sandbox support) and its
// refusal is shown next to the field it names. API key, secret and passphrase are typed into uncontrolled
// password inputs: they never enter React state (nor, as a controlled input's value would, the DOM's value
// attribute) and are read once when the form is sent. They are cleared once saved or when the form closes;
// a refusal clears only the ones it finds wrong, so fixing a name or URL does not mean pasting them again.

const FIELDS = [
  'exchange',
  'label',
  'sandbox',
  'apiBaseUrl',
  'credentials.apiKey',
  'credentials.secret',
  'credentials.password',
] as const
type Field = (typeof FIELDS)[number]

const fieldId: Record<Field, string> = {
  exchange: ACCOUNT_FIELD('exchange'),
  label: ACCOUNT_FIELD('label'),
  sandbox: ACCOUNT_FIELD('sandbox'),
  apiBaseUrl: ACCOUNT_FIELD('apiBaseUrl'),
  'credentials.apiKey': ACCOUNT_FIELD('apiKey'),
  'credentials.secret': ACCOUNT_FIELD('secret'),
  'credentials.password': ACCOUNT_FIELD('password'),
}

const noErrors: SplitMessage = { fields: {}, general: null }

export function AccountForm({ account }: { account: AccountView | null }) {
  const exchanges = useAccounts((s) => s.exchanges)
  const secrets = useAccounts((s) => s.secrets)
  const hasAccounts = useAccounts((s) => s.accounts.length > 0)
  const [exchangeId, setExchangeId] = useState(account?.exchange ?? '')
  const [label, setLabel] = useState(account?.label ?? '')
  const [sandbox, setSandbox] = useState(account?.sandbox ?? false)
  const [apiBaseUrl, setApiBaseUrl] = useState(account?.apiBaseUrl ?? '')
  const apiKeyInput = useRef<HTMLInputElement>(null)
  const secretInput = useRef<HTMLInputElement>(null)
  const passwordInput = useRef<HTMLInputElement>(null)
  const [errors, setErrors] = useState<SplitMessage>(noErrors)
  const [busy, setBusy] = useState(false)
  const exchange = exchanges.find((e) => e.id === exchangeId)
  const editing = account !== null
  const showSandbox = exchange?.sandbox === true || sandbox
  const showPassword = exchange?.needsPassword === true

  const clearCredentials = () => {
    for (const input of [apiKeyInput, secretInput, passwordInput]) if (input.current) input.current.value = ''
  }

  const close = () => {
    clearCredentials()
    flushSync(() => useAccounts.getState().setEditor(null))
    focusById(ACCOUNT_LIST_ID)
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    setBusy(true)
    setErrors(noErrors)
    const apiKey = apiKeyInput.current?.value ?? ''
    const secret = secretInput.current?.value ?? ''
    const password = passwordInput.current?.value ?? ''
    const credentialsGiven = apiKey !== '' || secret !== '' || password !== ''
    const credentials = {
      apiKey,
      secret,
      ...(exchange?.needsPassword || password !== '' ? { password } : {}),
    }
    const url = apiBaseUrl.trim() === '' ? null : apiBaseUrl
    try {
      let saved: AccountView
      if (account) {
        saved = await api.invoke('accounts.update', {
          id: account.id,
          ...(label !== account.label ? { label } : {}),
          ...(sandbox !== account.sandbox ? { sandbox } : {}),
          ...(url !== account.apiBaseUrl ? { apiBaseUrl: url } : {}),
          ...(credentialsGiven ? { credentials } : {}),
        })
      } else {
        saved = await api.invoke('accounts.add', {
          exchange: exchangeId,
          label,
          sandbox: exchange?.sandbox ? sandbox : false,
          apiBaseUrl: url,
          credentials,
        })
      }
      clearCredentials()
      const store = useAccounts.getState()
      store.received({ change: account ? 'updated' : 'added', id: saved.id, account: saved })
      flushSync(() => {
        store.select(saved.id)
        store.setEditor(null)
      })
      focusById(ACCOUNT_LIST_ID)
      toast.success(account ? 'Account saved' : 'Account added', `${saved.label} · ${saved.exchangeName} · key ${saved.keyHint}`)
    } catch (err) {
      const split = splitEngineMessage(messageOf(err), FIELDS)
      for (const field of credentialsToClear(split)) {
        const input = document.getElementById(fieldId[field]) as HTMLInputElement | null
        if (input) input.value = ''
      }
      setErrors(split)
      const first = FIELDS.find((f) => split.fields[f] !== undefined)
      if (first) setTimeout(() => document.getElementById(fieldId[first])?.focus(), 0)
    } finally {
      setBusy(false)
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape' && !event.defaultPrevented && hasAccounts) {
      event.preventDefault()
      close()
    }
    // Mod+Enter saves, as the Save button does (submit refuses while a save is under way).
    submitOnModEnter(event)
  }

  const error = (field: Field) => errors.fields[field]
  const described = (field: Field, hint?: string) =>
    [hint, error(field) ? `${fieldId[field]}-error` : undefined].filter(Boolean).join(' ') || undefined
  const invalid = (field: Field) => (error(field) ? true : undefined)

  const keyStoreWarning =
    secrets && secrets.mode !== 'keychain' && secrets.locked
      ? secrets.mode === 'passphrase'
        ? 'The key store is locked: unlock it (Key store, below the list) before saving credentials.'
        : 'The key store is unavailable, so credentials cannot be saved yet. See Key store, below the list.'
      : null

  return (
    <form className="form account-form" onSubmit={submit} onKeyDown={onKeyDown} noValidate data-testid="account-form">
      {keyStoreWarning ? <p className="form-wide warn-note">{keyStoreWarning}</p> : null}

      <Row field="exchange" label="Exchange" error={error('exchange')}>
        {editing ? (
          <span className="form-static">{account.exchangeName}</span>
        ) : (
          <select
            id={fieldId.exchange}
            className="input"
            value={exchangeId}
            onChange={(e) => setExchangeId(e.target.value)}
            aria-invalid={invalid('exchange')}
            aria-describedby={described('exchange', 'account-exchange-needs')}
          >
            <option value="">Choose an exchange…</option>
            {exchanges.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        )}
        {exchange ? (
          <div className="form-hint" id="account-exchange-needs" data-testid="account-exchange-needs">
            Needs {credentialsNeeded(exchange)}.{exchange.sandbox ? ' Has a sandbox (test network).' : ''}
          </div>
        ) : null}
      </Row>

      <Row field="label" label="Label" error={error('label')}>
        <input
          id={fieldId.label}
          className="input"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          placeholder={exchange ? `e.g. ${exchange.name} main` : 'e.g. Binance main'}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid('label')}
          aria-describedby={described('label')}
        />
      </Row>

      {showSandbox ? (
        <Row field="sandbox" label="Sandbox" error={error('sandbox')}>
          <label className="form-check">
            <input
              id={fieldId.sandbox}
              type="checkbox"
              checked={sandbox}
              onChange={(e) => setSandbox(e.target.checked)}
              aria-invalid={invalid('sandbox')}
              aria-describedby={described('sandbox')}
            />
            <span>Use the exchange's test network</span>
          </label>
        </Row>
      ) : null}

      <Row field="apiBaseUrl" label="API base URL" error={error('apiBaseUrl')}>
        <input
          id={fieldId.apiBaseUrl}
          className="input mono"
          value={apiBaseUrl}
          onChange={(e) => setApiBaseUrl(e.target.value)}
          placeholder={exchange?.defaultApiOrigin ?? 'https://…'}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid('apiBaseUrl')}
          aria-describedby={described('apiBaseUrl', 'account-url-hint')}
        />
        <div className="form-hint" id="account-url-hint">
          Optional. Empty uses {exchange ? exchange.defaultApiOrigin : "the exchange's own API"}.
        </div>
      </Row>

      <div className="form-section">
        {editing ? 'New credentials (optional)' : 'Credentials'}
        {editing ? (
          <span className="form-section-note"> — leave empty to keep the stored key {account.keyHint}</span>
        ) : null}
      </div>

      <Row field="credentials.apiKey" label="API key" error={error('credentials.apiKey')}>
        <input
          id={fieldId['credentials.apiKey']}
          className="input mono"
          type="password"
          ref={apiKeyInput}
          autoComplete="new-password"
          spellCheck={false}
          aria-invalid={invalid('credentials.apiKey')}
          aria-describedby={described('credentials.apiKey', exchange ? 'account-key-format' : undefined)}
        />
        {exchange ? (
          <div className="form-hint" id="account-key-format">
            {exchange.apiKeyFormat}
          </div>
        ) : null}
      </Row>

      <Row field="credentials.secret" label="Secret" error={error('credentials.secret')}>
        <input
          id={fieldId['credentials.secret']}
          className="input mono"
          type="password"
          ref={secretInput}
          autoComplete="new-password"
          spellCheck={false}
          aria-invalid={invalid('credentials.secret')}
          aria-describedby={described('credentials.secret', exchange ? 'account-secret-format' : undefined)}
        />
        {exchange ? (
          <div className="form-hint" id="account-secret-format">
            {exchange.secretFormat}
          </div>
        ) : null}
      </Row>

      {showPassword ? (
        <Row field="credentials.password" label="Passphrase" error={error('credentials.password')}>
          <input
            id={fieldId['credentials.password']}
            className="input mono"
            type="password"
            ref={passwordInput}
            autoComplete="new-password"
            spellCheck={false}
            aria-invalid={invalid('credentials.password')}
            aria-describedby={described('credentials.password', 'account-password-hint')}
          />
          <div className="form-hint" id="account-password-hint">
            The passphrase you chose when you created the API key on {exchange?.name ?? 'the exchange'}.
          </div>
        </Row>
      ) : null}

      {errors.general ? (
        <p className="inline-error form-wide" role="alert" data-testid="account-form-error">
          {errors.general}
        </p>
      ) : null}

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="account-save">
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Add account'} <Kbd combo="Enter" />
        </button>
        {hasAccounts ? (
          <button type="button" className="btn" onClick={close}>
            Cancel <Kbd combo="Esc" />
          </button>
        ) : null}
      </div>

      {account ? (
        <>
          <div className="form-section">Connection</div>
          <div className="form-wide">
            <ConnectionTest account={account} />
          </div>
        </>
      ) : null}
    </form>
  )
}

function Row({ field, label, error, children }: { field: Field; label: string; error?: string; children: ReactNode }) {
  const id = fieldId[field]
  return (
    <>
      <label className="form-label" htmlFor={id}>
        {label}
      </label>
      <div className="form-field" data-field={field}>
        {children}
        {error ? (
          <p className="inline-error" id={`${id}-error`} role="alert" data-testid={`account-error-${field}`}>
            {error}
          </p>
        ) : null}
      </div>
    </>
  )
}
