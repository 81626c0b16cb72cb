import { useEffect, useId, useMemo, useState } from 'react'
import { flushSync } from 'react-dom'
import { api } from '../../api'
import { Modal } from '../../ui/Modal'
import { DialogActions } from '../../ui/DialogActions'
import { useOverlay } from '../../app/overlays'
import { toast } from '../toasts/toastStore'
import { messageOf, useAccounts } from './accountsStore'
import { ACCOUNT_LIST_ID, focusById } from './accountActions'
import { startVenuesSync, useVenues } from '../markets/venuesStore'
import type { AccountRemovalImpact } from '../../../src-main/api/contract'

/**
 * "Remove this account?" — Delete in the list, or the palette. Enter removes (once what stops with it is
 * counted and shown), Escape keeps it.
 */
export function RemoveAccountDialog() {
  const open = useOverlay((s) => s.open === 'account-remove')
  return open ? <RemoveDialog /> : null
}

function RemoveDialog() {
  const hide = useOverlay((s) => s.hide)
  const id = useAccounts((s) => s.removeId)
  const account = useAccounts((s) => s.accounts.find((a) => a.id === s.removeId))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const titleId = useId()
  useEffect(() => startVenuesSync(), [])
  const venues = useVenues((s) => s.venues)
  // Paper accounts on this account's markets stop with it (the engine keeps their balances and orders).
  const papers = useMemo(() => venues.filter((v) => v.kind === 'paper' && v.accountId === id).map((v) => v.label), [venues, id])
  // What else stops with it, as the engine counts it now (accounts.removalImpact).
  const [impact, setImpact] = useState<AccountRemovalImpact | null>(null)
  const [impactError, setImpactError] = useState<string | null>(null)
  useEffect(() => {
    if (!id) return
    let live = true
    api.invoke('accounts.removalImpact', { id }).then(
      (value) => live && setImpact(value),
      (err: unknown) => live && setImpactError(messageOf(err)),
    )
    return () => {
      live = false
    }
  }, [id])

  // Remove is offered once the trader can see what stops with it (or that it could not be counted).
  const counted = impact !== null || impactError !== null
  useEffect(() => {
    // Enter removes from here on: the button takes the focus the dialog held while it was disabled.
    if (counted && document.activeElement?.getAttribute('data-testid') === 'account-remove-dialog') {
      document.querySelector<HTMLElement>('[data-testid="account-remove-confirm"]')?.focus()
    }
  }, [counted])

  const remove = async () => {
    if (!id || busy || !counted) return
    setBusy(true)
    setError(null)
    try {
      await api.invoke('accounts.remove', { id })
      useAccounts.getState().received({ change: 'removed', id, account: null })
      flushSync(hide)
      focusById(ACCOUNT_LIST_ID)
      toast.success('Account removed', account ? `${account.label} · ${account.exchangeName} · its stored credentials are deleted` : undefined)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal labelledBy={titleId} onClose={hide} className="dialog-small" testId="account-remove-dialog">
      <header className="modal-head">
        <h2 id={titleId}>Remove account</h2>
      </header>
      <div className="dialog-body">
        {account ? (
          <p>
            Remove <strong>{account.label}</strong> ({account.exchangeName}, key {account.keyHint})? Its sealed
            credentials are deleted from this database. Nothing changes on the exchange.
          </p>
        ) : (
          <p className="muted">This account no longer exists.</p>
        )}
        {account && papers.length > 0 ? (
          <p data-testid="account-remove-papers">
            {papers.length === 1 ? 'A paper account trades' : `${papers.length} paper accounts trade`} on its markets (
            {papers.join(', ')}): {papers.length === 1 ? 'it stops' : 'they stop'}, keeping balances and orders as they are, until you close{' '}
            {papers.length === 1 ? 'it' : 'them'}.
          </p>
        ) : null}
        {account && !counted ? (
          <p className="muted" data-testid="account-remove-counting">
            Counting what stops with it…
          </p>
        ) : null}
        {account && impact ? <ImpactList impact={impact} /> : null}
        {account && impactError ? (
          <p className="inline-error" data-testid="account-remove-impact-error">
            Could not tell what else stops with it: {impactError}
          </p>
        ) : null}
        {error ? (
          <p className="inline-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <DialogActions
        dismissLabel="Keep"
        onDismiss={hide}
        label="Remove"
        busyLabel="Removing…"
        busy={busy}
        disabled={!account || !counted}
        danger
        onConfirm={() => void remove()}
        autoFocus
        testId="account-remove-confirm"
      />
    </Modal>
  )
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** What ends with the account, and what stays on the exchange; nothing listed when nothing is affected. */
function ImpactList({ impact }: { impact: AccountRemovalImpact }) {
  const { copyRelationships: copies, conditionalOrders, alerts, riskAlerts, openOrders } = impact
  if (copies.length + conditionalOrders + alerts + riskAlerts + openOrders === 0) return null
  return (
    <div data-testid="account-remove-impact">
      <p>Removing it also:</p>
      <ul>
        {copies.length > 0 ? (
          <li data-testid="account-remove-copies">
            stops {plural(copies.length, 'copy relationship', 'copy relationships')} (
            {copies.map((c) => `${c.leaderLabel} → ${c.followerLabel}`).join(', ')}); positions the copies hold stay as they are
          </li>
        ) : null}
        {conditionalOrders > 0 ? (
          <li data-testid="account-remove-conditionals">cancels {plural(conditionalOrders, 'armed conditional order', 'armed conditional orders')} held in the app</li>
        ) : null}
        {alerts > 0 ? <li data-testid="account-remove-alerts">cancels {plural(alerts, 'active price alert', 'active price alerts')}</li> : null}
        {riskAlerts > 0 ? (
          <li data-testid="account-remove-risk-alerts">cancels {plural(riskAlerts, 'active risk alert', 'active risk alerts')} watching it</li>
        ) : null}
        {openOrders > 0 ? (
          <li data-testid="account-remove-orders">
            leaves {plural(openOrders, 'open order', 'open orders')} (stops held on the exchange included) on the exchange, where{' '}
            {openOrders === 1 ? 'it stays' : 'they stay'} and can still fill; the app can no longer see or cancel {openOrders === 1 ? 'it' : 'them'},
            and moves {openOrders === 1 ? 'it' : 'them'} to Orders history as left on exchange. Cancel {openOrders === 1 ? 'it' : 'them'} first
            (Orders) if you do not want {openOrders === 1 ? 'it' : 'them'}.
          </li>
        ) : null}
      </ul>
    </div>
  )
}
