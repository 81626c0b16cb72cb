import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import type { AppInfo } from '../../../src-main/api/contract'

export type { AppInfo }

// What the engine says about itself (app.info). Reloaded after a reconnect: the engine may have
// restarted in between (new start time, maybe a new version).
interface EngineState {
  info: AppInfo | null
  error: string | null
  load(): Promise<void>
}

export const useEngine = create<EngineState>()((set) => ({
  info: null,
  error: null,
  async load() {
    try {
      set({ info: await api.invoke('app.info', {}), error: null })
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) })
    }
  },
}))

export function startEngineSync(): () => void {
  const { load } = useEngine.getState()
  void load()
  return onReconnect(() => void load())
}
