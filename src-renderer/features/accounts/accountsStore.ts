import { create } from 'zustand'
import { api, ApiError } from '../../api'
import { onReconnect } from '../connection/connection'
import type {
  AccountsChanged,
  AccountTestResult,
  AccountView,
  ExchangeInfo,
  SecretsStatusView,
} from '../../../src-main/api/contract'

export type { AccountView, ExchangeInfo, SecretsStatusView, AccountTestResult }

// The accounts slice: the engine's exchange accounts as last seen (list, then the accounts.changed stream),
// the exchanges it supports, the key store's status, and what the page is doing (selection, the open
// editor, connection tests in flight). Credentials never enter this store: the form holds them in its own
// state for exactly as long as the user types, and drops them when the call returns.

export type Editor = { mode: 'add' } | { mode: 'edit'; id: string } | null

interface AccountsState {
  status: 'loading' | 'ready' | 'error'
  loadError: string | null
  accounts: AccountView[]
  exchanges: ExchangeInfo[]
  secrets: SecretsStatusView | null
  secretsError: string | null
  selectedId: string | null
  editor: Editor
  /** Accounts whose connection test is running. */
  testing: Record<string, boolean>
  /** A test the engine refused to run (e.g. the key store is locked), per account. */
  testErrors: Record<string, string>
  /** The account the remove dialog asks about. */
  removeId: string | null
  load(): Promise<void>
  loadSecrets(): Promise<void>
  received(change: AccountsChanged): void
  select(id: string | null): void
  setEditor(editor: Editor): void
  test(id: string): Promise<AccountTestResult | null>
}

export const messageOf = (err: unknown) => (err instanceof ApiError || err instanceof Error ? err.message : String(err))

export const useAccounts = create<AccountsState>()((set, get) => ({
  status: 'loading',
  loadError: null,
  accounts: [],
  exchanges: [],
  secrets: null,
  secretsError: null,
  selectedId: null,
  editor: null,
  testing: {},
  testErrors: {},
  removeId: null,
  async load() {
    try {
      const [accounts, exchanges] = await Promise.all([api.invoke('accounts.list', {}), api.invoke('exchanges.list', {})])
      set((s) => ({
        status: 'ready' as const,
        loadError: null,
        accounts,
        exchanges,
        selectedId:
          s.selectedId && accounts.some((a) => a.id === s.selectedId) ? s.selectedId : (accounts[0]?.id ?? null),
      }))
    } catch (err) {
      set((s) => ({ status: s.accounts.length > 0 ? s.status : 'error', loadError: messageOf(err) }))
    }
  },
  async loadSecrets() {
    try {
      set({ secrets: await api.invoke('secrets.status', {}), secretsError: null })
    } catch (err) {
      set({ secretsError: messageOf(err) })
    }
  },
  received(change) {
    set((s) => {
      if (change.change === 'removed' || change.account === null) {
        const index = s.accounts.findIndex((a) => a.id === change.id)
        const accounts = s.accounts.filter((a) => a.id !== change.id)
        // The selection moves to the neighbour, so Delete, Delete… walks down the list.
        const selectedId =
          s.selectedId === change.id ? (accounts[Math.min(index, accounts.length - 1)]?.id ?? null) : s.selectedId
        const editor = s.editor?.mode === 'edit' && s.editor.id === change.id ? null : s.editor
        return { accounts, selectedId, editor }
      }
      const account = change.account
      const exists = s.accounts.some((a) => a.id === account.id)
      const accounts = exists ? s.accounts.map((a) => (a.id === account.id ? account : a)) : [...s.accounts, account]
      return { accounts, selectedId: s.selectedId ?? account.id }
    })
  },
  select(id) {
    set({ selectedId: id })
  },
  setEditor(editor) {
    set({ editor })
  },
  async test(id) {
    if (get().testing[id]) return null
    set((s) => {
      const testErrors = { ...s.testErrors }
      delete testErrors[id]
      return { testing: { ...s.testing, [id]: true }, testErrors }
    })
    try {
      const result = await api.invoke('accounts.test', { id })
      // The stream brings the stored result too; this makes the answer show even if it is slower.
      set((s) => ({
        accounts: s.accounts.map((a) =>
          a.id === id
            ? {
                ...a,
                canTrade: result.ok ? result.canTrade : a.canTrade,
                lastTest: {
                  ok: result.ok,
                  kind: result.kind,
                  message: result.message,
                  canTrade: result.canTrade,
                  balanceCount: result.balanceCount,
                  latencyMs: result.latencyMs,
                  at: result.at,
                },
              }
            : a,
        ),
      }))
      return result
    } catch (err) {
      set((s) => ({ testErrors: { ...s.testErrors, [id]: messageOf(err) } }))
      return null
    } finally {
      set((s) => ({ testing: { ...s.testing, [id]: false } }))
    }
  },
}))

let syncUsers = 0
let stopSync: (() => void) | undefined

/** Loads accounts, exchanges and the key store, and follows accounts.changed. Reference-counted. */
export function startAccountsSync(): () => void {
  if (syncUsers++ === 0) {
    const { load, loadSecrets, received } = useAccounts.getState()
    const unsubscribe = api.subscribe(
      'accounts.changed',
      {},
      (change) => {
        received(change)
        // Adding the first account may have created the master key: the key store's status follows.
        if (change.change === 'added') void loadSecrets()
      },
      (err) => useAccounts.setState({ loadError: `accounts stream refused: ${err.message}` }),
    )
    void load()
    void loadSecrets()
    const stopReconnect = onReconnect(() => {
      void load()
      void loadSecrets()
    })
    stopSync = () => {
      unsubscribe()
      stopReconnect()
    }
  }
  return () => {
    if (--syncUsers === 0) {
      stopSync?.()
      stopSync = undefined
    }
  }
}

export const selectedAccount = (): AccountView | undefined => {
  const { accounts, selectedId } = useAccounts.getState()
  return accounts.find((a) => a.id === selectedId)
}
