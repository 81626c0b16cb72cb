import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import { applySync, newerView, portfolioQuery, answers, isScopeChoice, SCOPE_MINE, type PortfolioPeriod } from './portfolioModel'
import type { EquityView, LedgerAccountView, PortfolioView, SyncStatus } from '../../../src-main/api/schemas/portfolio'

export type { EquityView, LedgerAccountView, PortfolioView, SyncStatus }

// The Portfolio page's slice: the engine's P&L view for the chosen period and account (asked once, then
// followed on portfolio.live), its equity curve (asked when the period or account changes, and every
// minute), the ledger accounts with their sync status (portfolio.syncProgress), and the screen's choices.
// Nothing here is computed: every figure is the engine's.

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

const EQUITY_REFRESH_MS = 60_000
const ACCOUNTS_REFRESH_MS = 10_000

interface PortfolioState {
  /** Screen state: the period filter and the account filter's choice (portfolioModel: '' = my accounts, a scope, or one account). */
  period: PortfolioPeriod
  account: string
  /** The scope last chosen: where "only this account" goes back to. */
  scope: string
  view: PortfolioView | null
  viewError: string | null
  equity: EquityView | null
  equityError: string | null
  equityLoading: boolean
  accounts: LedgerAccountView[]
  accountsError: string | null
  /** The import dialog is open (it lives on the Portfolio page). */
  importOpen: boolean
  setPeriod(period: PortfolioPeriod): void
  setAccount(account: string): void
  /** Only this account, or back to the scope it was picked from. */
  toggleAccount(account: string): void
  loadSummary(): Promise<void>
  loadEquity(): Promise<void>
  loadAccounts(): Promise<void>
  liveReceived(view: PortfolioView): void
  syncReceived(status: SyncStatus): void
  /** `since`: where a first sync starts (ms UTC); later ones go on from where they stopped. */
  startSync(account: string, since?: number): Promise<string | null>
  cancelSync(account: string): Promise<string | null>
  setImportOpen(open: boolean): void
}

export const usePortfolio = create<PortfolioState>()((set, get) => ({
  period: '24h',
  account: SCOPE_MINE,
  scope: SCOPE_MINE,
  view: null,
  viewError: null,
  equity: null,
  equityError: null,
  equityLoading: false,
  accounts: [],
  accountsError: null,
  importOpen: false,
  setPeriod(period) {
    if (period !== get().period) set({ period })
  },
  setAccount(account) {
    if (isScopeChoice(account)) set({ scope: account })
    if (account !== get().account) set({ account })
  },
  toggleAccount(account) {
    const s = get()
    s.setAccount(s.account === account ? s.scope : account)
  },
  async loadSummary() {
    const { period, account } = get()
    try {
      const view = await api.invoke('portfolio.summary', portfolioQuery(period, account))
      set((s) => ({ view: newerView(s.view, view, s.period, s.account), viewError: answers(view, s.period, s.account) ? null : s.viewError }))
    } catch (err) {
      if (get().period === period && get().account === account) set({ viewError: messageOf(err) })
    }
  },
  async loadEquity() {
    const { period, account } = get()
    set({ equityLoading: true })
    try {
      const equity = await api.invoke('portfolio.equity', portfolioQuery(period, account))
      // An answer for a period or account no longer shown is dropped (a newer request is on its way).
      if (answers(equity, get().period, get().account)) set({ equity, equityError: null, equityLoading: false })
    } catch (err) {
      if (get().period === period && get().account === account) set({ equityError: messageOf(err), equityLoading: false })
    }
  },
  async loadAccounts() {
    try {
      const accounts = await api.invoke('portfolio.accounts', {})
      // A sync status seen on the stream after the list was read is newer than the list's.
      const live = get().accounts
      const merged = accounts.map((a) => {
        const seen = live.find((l) => l.account === a.account)?.sync
        return seen && a.sync && seen.state === 'running' && a.sync.state === 'running' && seen.done > a.sync.done ? { ...a, sync: seen } : a
      })
      set({ accounts: merged, accountsError: null })
    } catch (err) {
      set({ accountsError: messageOf(err) })
    }
  },
  liveReceived(view) {
    set((s) => {
      const next = newerView(s.view, view, s.period, s.account)
      return next === s.view ? {} : { view: next, viewError: null }
    })
  },
  syncReceived(status) {
    const before = get().accounts.find((a) => a.account === status.account)?.sync
    set((s) => ({ accounts: applySync(s.accounts, status) }))
    // A sync that just ended changed the ledger: entries, first/last times (and the P&L, which the live stream brings).
    if (before?.state === 'running' && status.state !== 'running') void get().loadAccounts()
  },
  async startSync(account, since) {
    try {
      get().syncReceived(await api.invoke('portfolio.sync', since === undefined ? { account } : { account, since }))
      return null
    } catch (err) {
      return messageOf(err)
    }
  },
  async cancelSync(account) {
    try {
      get().syncReceived(await api.invoke('portfolio.syncCancel', { account }))
      return null
    } catch (err) {
      return messageOf(err)
    }
  },
  setImportOpen(importOpen) {
    set({ importOpen })
  },
}))

/** Follows the P&L view of the current period and account on portfolio.live; re-subscribes when they change. */
function followLive(): () => void {
  let off: (() => void) | undefined
  const open = () => {
    off?.()
    const { period, account, liveReceived } = usePortfolio.getState()
    off = api.subscribe('portfolio.live', portfolioQuery(period, account), liveReceived, (err) =>
      usePortfolio.setState({ viewError: `live P&L stream refused: ${err.message}` }),
    )
    const s = usePortfolio.getState()
    void s.loadSummary()
    void s.loadEquity()
  }
  open()
  const unwatch = usePortfolio.subscribe((s, prev) => {
    if (s.period !== prev.period || s.account !== prev.account) open()
  })
  return () => {
    unwatch()
    off?.()
  }
}

let users = 0
let stop: (() => void) | undefined

/** Follows the portfolio while the page shows it (reference-counted); returns the caller's stop. */
export function startPortfolioSync(): () => void {
  if (users++ === 0) {
    const s = usePortfolio.getState()
    const offs = [
      followLive(),
      api.subscribe('portfolio.syncProgress', {}, s.syncReceived, (err) =>
        usePortfolio.setState({ accountsError: `sync progress stream refused: ${err.message}` }),
      ),
      onReconnect(() => {
        const now = usePortfolio.getState()
        void now.loadSummary()
        void now.loadEquity()
        void now.loadAccounts()
      }),
    ]
    void s.loadAccounts()
    // The curve's newest points and the accounts' entry counts move on their own: asked for again now and then.
    const visible = () => document.visibilityState === 'visible'
    const equityTimer = setInterval(() => visible() && void usePortfolio.getState().loadEquity(), EQUITY_REFRESH_MS)
    const accountsTimer = setInterval(() => visible() && void usePortfolio.getState().loadAccounts(), ACCOUNTS_REFRESH_MS)
    stop = () => {
      clearInterval(equityTimer)
      clearInterval(accountsTimer)
      offs.forEach((off) => off())
    }
  }
  return () => {
    if (--users === 0) {
      stop?.()
      stop = undefined
    }
  }
}
