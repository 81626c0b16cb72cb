import { create } from 'zustand'
import { api, ApiError } from '../../api'
import { messageOf } from '../../ui/engineMessage'
import { saveFile } from '../../ui/saveFile'
import { toast } from '../toasts/toastStore'
import type { Jurisdiction, TaxMethod, TaxPooling, TaxReport } from '../../../src-main/api/contract'
import type { TaxCarryIn, TaxCarryInInput } from '../../../src-main/api/schemas/tax'
import type { LedgerAccountView } from '../../../src-main/api/schemas/portfolio'
import { currentTaxYear, ownAccounts, yearOptions } from './taxModel'

// The Tax page's state: what is asked (jurisdiction, year, method, account) and the engine's report for
// it. A newer question's answer always wins over an older one still on its way: the engine stops the older
// computation (same view), whose CANCELED answer is not shown; Cancel, or leaving the page, stops it too.

export interface TaxQuery {
  jurisdiction: Jurisdiction
  year: number
  /** null: the jurisdiction's usual method (the engine's choice). */
  method: TaxMethod | null
  /** null: the jurisdiction's default for the year (US: per account from 2025). */
  pooling: TaxPooling | null
  /** null: all of the user's accounts. */
  account: string | null
}

interface TaxState {
  query: TaxQuery
  report: TaxReport | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  accounts: LedgerAccountView[]
  exporting: 'csv' | 'pdf' | null
  /** Losses entered as carried in from before the ledger, one per jurisdiction at most. */
  carryIns: TaxCarryIn[]
  setQuery(patch: Partial<TaxQuery>): void
  load(): Promise<void>
  /** Stops the report being computed; the one on screen (if any) stays. */
  cancel(): Promise<void>
  /**
   * The ledger's accounts for the filter. An account chosen there that the ledger no longer has (its last
   * import removed) falls back to all of the user's accounts, with a word why; returns whether it did (the
   * report was then recomputed).
   */
  loadAccounts(): Promise<boolean>
  /** The accounts list, then the report (an import elsewhere may have added or removed an account). */
  refresh(): Promise<void>
  exportAs(format: 'csv' | 'pdf'): Promise<void>
  importRates(file: File): Promise<void>
  loadCarryIns(): Promise<void>
  /** Stores the entry and recomputes the report; a refusal is thrown for the form to show. */
  setCarryIn(input: TaxCarryInInput): Promise<TaxCarryIn>
  clearCarryIn(jurisdiction: Jurisdiction): Promise<void>
}

let asked = 0
/** This page's name to the engine: its newer report supersedes its older one, and tax.cancel names it. */
const VIEW = `tax-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

/** The engine stopped that report (superseded, or canceled): nothing to show. */
const wasStopped = (err: unknown) => err instanceof ApiError && err.code === 'CANCELED'

const input = (q: TaxQuery) => ({
  jurisdiction: q.jurisdiction,
  year: q.year,
  ...(q.method !== null ? { method: q.method } : {}),
  ...(q.pooling !== null ? { pooling: q.pooling } : {}),
  ...(q.account !== null ? { account: q.account } : {}),
})

export const useTax = create<TaxState>()((set, get) => ({
  query: { jurisdiction: 'us', year: currentTaxYear('us'), method: null, pooling: null, account: null },
  report: null,
  status: 'idle',
  error: null,
  accounts: [],
  exporting: null,
  carryIns: [],
  setQuery(patch) {
    const q = { ...get().query, ...patch }
    // Another jurisdiction has its own methods, and another year may pool differently: start from the usual.
    const before = get().query
    if (patch.jurisdiction !== undefined && patch.jurisdiction !== before.jurisdiction && patch.method === undefined) q.method = null
    // On the year in progress, another jurisdiction opens on its own (the UK's starts on 6 April); a year the user chose stays.
    if (patch.jurisdiction !== undefined && patch.year === undefined && before.year === currentTaxYear(before.jurisdiction)) q.year = currentTaxYear(patch.jurisdiction)
    // A year the new list does not offer (the UK's is a year behind from January to 5 April) becomes its nearest.
    if (patch.jurisdiction !== undefined && patch.year === undefined) {
      const offered = yearOptions(patch.jurisdiction).map((y) => y.year)
      q.year = Math.min(Math.max(q.year, Math.min(...offered)), Math.max(...offered))
    }
    if ((patch.jurisdiction ?? before.jurisdiction) !== before.jurisdiction || (patch.year ?? before.year) !== before.year) {
      if (patch.pooling === undefined) q.pooling = null
    }
    set({ query: q })
    void get().load()
  },
  async load() {
    const mine = ++asked
    set({ status: 'loading' })
    try {
      const report = await api.invoke('tax.report', { ...input(get().query), view: VIEW })
      if (mine === asked) set({ report, status: 'ready', error: null })
    } catch (err) {
      if (mine === asked && !wasStopped(err)) set({ status: 'error', error: messageOf(err) })
    }
  },
  async cancel() {
    if (get().status !== 'loading') return
    asked++
    set({ status: get().report ? 'ready' : 'idle' })
    try {
      await api.invoke('tax.cancel', { view: VIEW })
    } catch {
      // The report then runs to its end on the engine; its answer is not shown (asked moved on).
    }
  },
  async refresh() {
    // In turn: a report asked beside the list would still be for an account the list no longer has.
    if (!(await get().loadAccounts())) await get().load()
  },
  async loadAccounts() {
    let accounts: LedgerAccountView[]
    try {
      accounts = await api.invoke('portfolio.accounts', {})
    } catch {
      // The account filter then offers "all of mine" only; the report itself says what went wrong.
      return false
    }
    const chosen = get().query.account
    const before = get().accounts.find((a) => a.account === chosen)
    set({ accounts })
    if (chosen === null || ownAccounts(accounts).some((a) => a.account === chosen)) return false
    // The selector can no longer show it (it reads "All of mine"): the report and exports follow it there.
    set({ query: { ...get().query, account: null } })
    toast.info(`Account "${before?.label ?? chosen}" is no longer in the ledger`, 'The report is now for all of your accounts.')
    await get().load()
    return true
  },
  async loadCarryIns() {
    try {
      set({ carryIns: (await api.invoke('tax.carryInList', {})).entries })
    } catch {
      // The panel then shows none entered; the report's notes say what it applied.
    }
  },
  async setCarryIn(input) {
    const entry = await api.invoke('tax.carryInSet', input)
    set({ carryIns: [...get().carryIns.filter((e) => e.jurisdiction !== entry.jurisdiction), entry] })
    await get().load()
    return entry
  },
  async clearCarryIn(jurisdiction) {
    try {
      await api.invoke('tax.carryInClear', { jurisdiction })
      set({ carryIns: get().carryIns.filter((e) => e.jurisdiction !== jurisdiction) })
      await get().load()
    } catch (err) {
      toast.error('Could not clear the losses carried in', messageOf(err))
    }
  },
  async importRates(file) {
    try {
      const r = await api.invoke('portfolio.importRates', { fileName: file.name, text: await file.text() })
      const span = r.from !== null && r.to !== null ? ` from ${new Date(r.from).toISOString().slice(0, 10)} to ${new Date(r.to).toISOString().slice(0, 10)}` : ''
      toast.success(`Imported ${r.rates} daily rates (${r.pairs.join(', ')})${span}`, `${r.inserted} new, ${r.changed > 0 ? `${r.changed} changed (the file's rate replaced the one stored), ` : ''}${r.rates - r.inserted - r.changed} already stored`)
      await get().load()
    } catch (err) {
      toast.error(`Could not import ${file.name}`, messageOf(err))
    }
  },
  async exportAs(format) {
    if (get().exporting) return
    set({ exporting: format })
    try {
      const file = await api.invoke('tax.export', { ...input(get().query), format })
      saveFile(file.fileName, file.mime, file.data, file.encoding)
      toast.success(`Saved ${file.fileName}`)
    } catch (err) {
      toast.error(`Could not export the ${format.toUpperCase()}`, messageOf(err))
    } finally {
      set({ exporting: null })
    }
  },
}))
