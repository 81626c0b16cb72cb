import { flushSync } from 'react-dom'
import { api } from '../../api'
import type { Action } from '../../app/hotkeys/registry'
import { navigate, useRoute } from '../../app/router'
import { useOverlay } from '../../app/overlays'
import { toast } from '../toasts/toastStore'
import { messageOf, selectedAccount, useAccounts } from './accountsStore'
import { useVenues } from '../markets/venuesStore'
import { testFacts, testOutcome, tradeBadge } from './labels'

// The accounts actions, in the palette from anywhere (each one brings the Accounts page up when it needs
// it). Inside the account list, Enter edits and Delete removes the selected account (see AccountsPage).

export const ACCOUNT_FIELD = (name: string) => `account-field-${name}`
export const ACCOUNT_LIST_ID = 'accounts-table'

/** Focuses an element by id once React has drawn it. */
export function focusById(id: string): void {
  const el = document.getElementById(id)
  if (el) el.focus()
  else setTimeout(() => document.getElementById(id)?.focus(), 30)
}

function show(change: () => void, focus?: string): void {
  flushSync(() => {
    if (useRoute.getState().page !== 'accounts') navigate('accounts')
    change()
  })
  if (focus) focusById(focus)
}

export function startAdd(): void {
  show(() => useAccounts.getState().setEditor({ mode: 'add' }), ACCOUNT_FIELD('exchange'))
}

export function startEdit(id: string): void {
  show(() => {
    useAccounts.getState().select(id)
    useAccounts.getState().setEditor({ mode: 'edit', id })
  }, ACCOUNT_FIELD('label'))
}

export function askRemove(id: string): void {
  useAccounts.setState({ removeId: id })
  useOverlay.getState().show('account-remove')
}

/** Tests the account's connection; the outcome shows on the Accounts page, and as a toast from elsewhere. */
export async function testAccount(id: string): Promise<void> {
  const account = useAccounts.getState().accounts.find((a) => a.id === id)
  const result = await useAccounts.getState().test(id)
  if (useRoute.getState().page === 'accounts') return
  const label = account?.label ?? 'Account'
  if (result === null) {
    const refused = useAccounts.getState().testErrors[id]
    if (refused) toast.error(`${label}: connection test not run`, refused)
    return
  }
  const outcome = testOutcome(result)
  if (result.ok) {
    toast.success(`${label}: ${outcome.text}`, `${testFacts(result)} · ${tradeBadge(result.canTrade).text}`)
  } else {
    toast.error(`${label}: ${outcome.text}`, result.message)
  }
}

/**
 * A fresh connection for the account (after the exchange refused its key and that was fixed there); the
 * venue's status after it shows on the Accounts page, and as a toast from elsewhere.
 */
export async function reconnectAccount(id: string): Promise<void> {
  const label = useAccounts.getState().accounts.find((a) => a.id === id)?.label ?? 'Account'
  const elsewhere = () => useRoute.getState().page !== 'accounts'
  try {
    const view = await api.invoke('accounts.reconnect', { id })
    useVenues.getState().received(view)
    if (!elsewhere()) return
    if (view.connection === 'live') toast.success(`${label}: reconnected`)
    // Reconnected, its order stream subscribing again: the status line says when it is.
    else if (view.connection === 'rest-only') toast.success(`${label}: reconnected`, view.reason ?? undefined)
    else toast.error(`${label}: ${view.connection}`, view.reason ?? undefined)
  } catch (err) {
    toast.error(`${label}: not reconnected`, messageOf(err))
  }
}

const hasSelection = () => selectedAccount() !== undefined

export function accountActions(): Action[] {
  return [
    {
      id: 'accounts.add',
      title: 'Add exchange account',
      section: 'Accounts',
      keys: ['Alt+N'],
      run: startAdd,
    },
    {
      id: 'accounts.edit',
      title: 'Edit selected account',
      section: 'Accounts',
      enabled: hasSelection,
      run: () => {
        const a = selectedAccount()
        if (a) startEdit(a.id)
      },
    },
    {
      id: 'accounts.test',
      title: 'Test connection of selected account',
      section: 'Accounts',
      keys: ['Alt+T'],
      enabled: () => {
        const a = selectedAccount()
        return a !== undefined && !useAccounts.getState().testing[a.id]
      },
      run: () => {
        const a = selectedAccount()
        return a ? testAccount(a.id) : undefined
      },
    },
    {
      id: 'accounts.reconnect',
      title: 'Reconnect selected account',
      section: 'Accounts',
      keys: ['Alt+R'],
      enabled: hasSelection,
      run: () => {
        const a = selectedAccount()
        return a ? reconnectAccount(a.id) : undefined
      },
    },
    {
      id: 'accounts.remove',
      title: 'Remove selected account…',
      section: 'Accounts',
      enabled: hasSelection,
      run: () => {
        const a = selectedAccount()
        if (a) askRemove(a.id)
      },
    },
    {
      id: 'accounts.list',
      title: 'Focus account list',
      section: 'Accounts',
      run: () => show(() => undefined, ACCOUNT_LIST_ID),
    },
    {
      id: 'secrets.unlock',
      title: 'Unlock the key store with your passphrase',
      section: 'Accounts',
      enabled: () => {
        const s = useAccounts.getState().secrets
        return s?.mode === 'passphrase' && s.locked
      },
      run: () => show(() => undefined, 'secrets-passphrase'),
    },
    {
      id: 'secrets.usePassphrase',
      title: 'Protect API keys with a passphrase (no keychain)…',
      section: 'Accounts',
      enabled: () => {
        const s = useAccounts.getState().secrets
        return s?.mode === 'unavailable' && s.canUsePassphrase
      },
      run: () => show(() => undefined, 'secrets-passphrase'),
    },
  ]
}
