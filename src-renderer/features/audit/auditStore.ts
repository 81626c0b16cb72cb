import { create } from 'zustand'
import { api } from '../../api'
import { messageOf } from '../../ui/engineMessage'
import { saveFile } from '../../ui/saveFile'
import { toast } from '../toasts/toastStore'
import type { AuditEntry, AuditVerify } from '../../../src-main/api/schemas/audit'

// The Audit log page's state: the newest entries (more on request), the search, the last chain check.
// New entries arrive on the audit.recorded stream; with a search on, the page asks again instead.

const PAGE = 200

interface AuditState {
  entries: AuditEntry[]
  total: number
  search: string
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  selected: number | null
  verify: AuditVerify | null
  verifying: boolean
  exporting: boolean
  load(): Promise<void>
  loadOlder(): Promise<void>
  setSearch(search: string): void
  select(id: number | null): void
  received(entry: AuditEntry): void
  check(): Promise<void>
  exportCsv(): Promise<void>
}

let asked = 0

export const useAudit = create<AuditState>()((set, get) => ({
  entries: [],
  total: 0,
  search: '',
  status: 'idle',
  error: null,
  selected: null,
  verify: null,
  verifying: false,
  exporting: false,
  async load() {
    const mine = ++asked
    set({ status: 'loading' })
    try {
      const search = get().search.trim()
      const page = await api.invoke('audit.list', { limit: PAGE, ...(search ? { search } : {}) })
      if (mine !== asked) return
      const selected = get().selected
      set({ entries: page.entries, total: page.total, status: 'ready', error: null, selected: page.entries.some((e) => e.id === selected) ? selected : (page.entries[0]?.id ?? null) })
    } catch (err) {
      if (mine === asked) set({ status: 'error', error: messageOf(err) })
    }
  },
  async loadOlder() {
    const oldest = get().entries.at(-1)
    if (!oldest) return
    const mine = ++asked
    try {
      const search = get().search.trim()
      const page = await api.invoke('audit.list', { limit: PAGE, before: oldest.id, ...(search ? { search } : {}) })
      if (mine === asked) set((s) => ({ entries: [...s.entries, ...page.entries], total: page.total }))
    } catch (err) {
      if (mine === asked) set({ error: messageOf(err) })
    }
  },
  setSearch(search) {
    set({ search })
    void get().load()
  },
  select: (selected) => set({ selected }),
  received(entry) {
    if (get().search.trim() !== '') return void get().load()
    set((s) => (s.entries.some((e) => e.id === entry.id) ? s : { entries: [entry, ...s.entries], total: s.total + 1 }))
  },
  async check() {
    set({ verifying: true })
    try {
      set({ verify: await api.invoke('audit.verify', {}) })
    } catch (err) {
      toast.error('Could not check the audit log', messageOf(err))
    } finally {
      set({ verifying: false })
    }
  },
  async exportCsv() {
    if (get().exporting) return
    set({ exporting: true })
    try {
      const file = await api.invoke('audit.export', {})
      saveFile(file.fileName, file.mime, file.data, file.encoding)
      toast.success('Audit log exported', file.fileName)
    } catch (err) {
      toast.error('Could not export the audit log', messageOf(err))
    } finally {
      set({ exporting: false })
    }
  },
}))

/** Loads the log and follows new entries while the page is open. */
export function startAuditSync(): () => void {
  const stop = api.subscribe('audit.recorded', {}, (e) => useAudit.getState().received(e), (err) => useAudit.setState({ error: messageOf(err) }))
  void useAudit.getState().load()
  return stop
}
