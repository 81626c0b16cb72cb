import { useState } from 'react'
import { api } from '../../api'
import { toast } from '../toasts/toastStore'
import { messageOf, useAccounts } from './accountsStore'

/**
 * Way out when the master key is lost from the OS keychain: the credentials sealed with it can never be
 * opened. Asks before the engine deletes them (the accounts stay, needing their keys entered again).
 */
export function ResetMasterKey() {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const reset = async () => {
    setBusy(true)
    setError(null)
    try {
      const status = await api.invoke('secrets.resetMasterKey', {})
      useAccounts.setState({ secrets: status, secretsError: null })
      setAsking(false)
      toast.success('New master key made', 'Enter each account’s API key and secret again (Edit), and the alerts’ mail password and webhooks')
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  if (!asking) {
    return (
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => setAsking(true)} data-testid="secrets-reset">
          Reset the master key…
        </button>
      </div>
    )
  }
  return (
    <div role="alertdialog" aria-labelledby="secrets-reset-ask" data-testid="secrets-reset-confirm">
      <p id="secrets-reset-ask" className="warn-note">
        This deletes every stored credential sealed with the lost key (exchange API keys, the alerts’ mail password
        and webhook URLs) and makes a new key. Your accounts, orders and history stay; enter each account’s keys again
        afterwards. If you can restore the original keychain item instead, do that: nothing is lost.
      </p>
      {error ? (
        <p className="inline-error" role="alert" data-testid="secrets-reset-error">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void reset()} data-testid="secrets-reset-yes">
          {busy ? 'Working…' : 'Delete them and make a new key'}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => setAsking(false)} autoFocus>
          Keep them
        </button>
      </div>
    </div>
  )
}
