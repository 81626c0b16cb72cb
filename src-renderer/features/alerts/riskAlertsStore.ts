import { create } from 'zustand'
import { api } from '../../api'
import { messageOf } from '../../ui/engineMessage'
import { onReconnect } from '../connection/connection'
import { toast } from '../toasts/toastStore'
import { applyAlert, ENDED_CAP } from './alertsModel'
import type { RiskAlertView } from '../../../src-main/api/contract'

// Risk alerts as the engine reports them: listed when the Alerts page opens, then followed on
// alerts.riskChanged (their figures move with the portfolio). Fired ones reach the notification centre
// through the price alerts' store, like any alert.

interface RiskAlertsState {
  active: RiskAlertView[]
  ended: RiskAlertView[]
  error: string | null
  load(): Promise<void>
  changed(view: RiskAlertView): void
}

export const useRiskAlerts = create<RiskAlertsState>()((set) => ({
  active: [],
  ended: [],
  error: null,
  async load() {
    try {
      const [active, ended] = await Promise.all([api.invoke('alerts.riskList', { scope: 'active' }), api.invoke('alerts.riskList', { scope: 'history', limit: ENDED_CAP })])
      set({ active, ended, error: null })
    } catch (err) {
      set({ error: messageOf(err) })
    }
  },
  changed(view) {
    set((s) => applyAlert(s, view))
  },
}))

export async function cancelRiskAlert(id: string): Promise<void> {
  try {
    useRiskAlerts.getState().changed(await api.invoke('alerts.riskCancel', { id }))
  } catch (err) {
    toast.error('Risk alert not canceled', messageOf(err))
  }
}

/** Follows the risk alerts while the Alerts page is open; returns the stop. */
export function startRiskAlertsSync(): () => void {
  const s = useRiskAlerts.getState()
  const offs = [
    api.subscribe('alerts.riskChanged', {}, s.changed, (err) => useRiskAlerts.setState({ error: `risk alerts stream refused: ${err.message}` })),
    onReconnect(() => void useRiskAlerts.getState().load()),
  ]
  void s.load()
  return () => offs.forEach((off) => off())
}
