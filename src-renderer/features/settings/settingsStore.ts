import { create } from 'zustand'
import { api, ApiError } from '../../api'
import { onReconnect } from '../connection/connection'
import type { SettingView } from '../../../src-main/api/contract'
import type { SettingKey, SettingValue } from '../../../src-main/settings/definitions'

export type { SettingKey, SettingValue, SettingView }

// The settings slice: the engine's settings as last seen, plus per-setting refusals and in-flight
// writes. The engine validates and stores; this only mirrors it (reply, then the settings.changed
// stream, which also carries changes made in other windows).

interface SettingsState {
  status: 'loading' | 'ready' | 'error'
  loadError: string | null
  /** Keys in the engine's order. */
  keys: SettingKey[]
  byKey: Partial<Record<SettingKey, SettingView>>
  errors: Partial<Record<SettingKey, string>>
  pending: Partial<Record<SettingKey, boolean>>
  /** Bumped whenever the engine reports a setting (reply or stream), even with an unchanged value. */
  revisions: Partial<Record<SettingKey, number>>
  load(): Promise<void>
  set(key: SettingKey, value: SettingValue): Promise<boolean>
  reset(key: SettingKey): Promise<boolean>
  received(view: SettingView): void
  clearError(key: SettingKey): void
}

const messageOf = (err: unknown) => (err instanceof ApiError || err instanceof Error ? err.message : String(err))

export const useSettings = create<SettingsState>()((set, get) => {
  const write = async (key: SettingKey, call: () => Promise<SettingView>): Promise<boolean> => {
    set((s) => ({ pending: { ...s.pending, [key]: true } }))
    try {
      get().received(await call())
      return true
    } catch (err) {
      set((s) => ({ errors: { ...s.errors, [key]: messageOf(err) } }))
      return false
    } finally {
      set((s) => ({ pending: { ...s.pending, [key]: false } }))
    }
  }
  return {
    status: 'loading',
    loadError: null,
    keys: [],
    byKey: {},
    errors: {},
    pending: {},
    revisions: {},
    async load() {
      try {
        const views = await api.invoke('settings.list', {})
        set((s) => ({
          status: 'ready' as const,
          loadError: null,
          keys: views.map((v) => v.key),
          byKey: Object.fromEntries(views.map((v) => [v.key, v])),
          revisions: Object.fromEntries(views.map((v) => [v.key, (s.revisions[v.key] ?? 0) + 1])),
        }))
      } catch (err) {
        // A failed reload (e.g. right after a reconnect) keeps what we had; only a first load fails the page.
        set((s) => ({ status: s.keys.length > 0 ? s.status : 'error', loadError: messageOf(err) }))
      }
    },
    set: (key, value) => write(key, () => api.invoke('settings.set', { key, value })),
    reset: (key) => write(key, () => api.invoke('settings.reset', { key })),
    clearError(key) {
      set((s) => {
        const errors = { ...s.errors }
        delete errors[key]
        return { errors }
      })
    },
    received(view) {
      set((s) => {
        const errors = { ...s.errors }
        delete errors[view.key]
        const keys = s.keys.includes(view.key) ? s.keys : [...s.keys, view.key]
        const revisions = { ...s.revisions, [view.key]: (s.revisions[view.key] ?? 0) + 1 }
        return { keys, byKey: { ...s.byKey, [view.key]: view }, errors, revisions }
      })
    },
  }
})

/** Loads the settings and keeps them in sync (stream + reload after a reconnect). Returns stop. */
export function startSettingsSync(): () => void {
  const { load, received } = useSettings.getState()
  const unsubscribe = api.subscribe('settings.changed', {}, received, (err) =>
    useSettings.setState({ loadError: `settings stream refused: ${err.message}` }),
  )
  void load()
  const stopReconnect = onReconnect(() => void load())
  return () => {
    unsubscribe()
    stopReconnect()
  }
}

/** One setting's current value, or undefined until the engine has answered. */
export function useSettingValue(key: SettingKey): SettingValue | undefined {
  return useSettings((s) => s.byKey[key]?.value)
}

/** Non-hook read for actions. */
export function settingValue(key: SettingKey): SettingValue | undefined {
  return useSettings.getState().byKey[key]?.value
}
