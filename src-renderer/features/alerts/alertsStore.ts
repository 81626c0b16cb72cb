import { create } from 'zustand'
import { api } from '../../api'
import { messageOf } from '../../ui/engineMessage'
import { onReconnect } from '../connection/connection'
import { toast } from '../toasts/toastStore'
import { useEngine } from '../engine/engineStore'
import { applyAlert, applyEvent, ENDED_CAP, EVENTS_CAP } from './alertsModel'
import type { AlertEvent, AlertView, EmailSettingsView } from '../../../src-main/api/contract'

// Price alerts and the notification centre, as the engine reports them: listed once, then followed on
// alerts.changed / alerts.fired for as long as the app is open (a fired alert is said on every page), and
// the engine's notices (fills of yours) said as they come.


interface AlertsState {
  status: 'loading' | 'ready' | 'error'
  error: string | null
  active: AlertView[]
  ended: AlertView[]
  events: AlertEvent[]
  /** Where alert emails go (no password, only whether one is saved); null until saved. */
  email: EmailSettingsView | null
  load(): Promise<void>
  changed(view: AlertView): void
  fired(event: AlertEvent): void
}

type Early = { kind: 'view'; view: AlertView } | { kind: 'event'; event: AlertEvent }
const buffers = new Set<Early[]>()

export const useAlerts = create<AlertsState>()((set, get) => ({
  status: 'loading',
  error: null,
  active: [],
  ended: [],
  events: [],
  email: null,
  async load() {
    // Changes that arrive while the lists are on their way are newer: kept and applied after.
    const early: Early[] = []
    buffers.add(early)
    try {
      const [active, ended, events, email] = await Promise.all([
        api.invoke('alerts.list', { scope: 'active', limit: 1000 }),
        api.invoke('alerts.list', { scope: 'history', limit: ENDED_CAP }),
        api.invoke('alerts.events', { limit: EVENTS_CAP }),
        api.invoke('alerts.emailGet', {}),
      ])
      let lists = { active, ended }
      let evs = events
      for (const e of early) {
        if (e.kind === 'view') lists = applyAlert(lists, e.view)
        else evs = applyEvent(evs, e.event).events
      }
      set({ status: 'ready', error: null, ...lists, events: evs, email })
    } catch (err) {
      set((s) => ({ status: s.status === 'ready' ? s.status : 'error', error: messageOf(err) }))
    } finally {
      buffers.delete(early)
    }
  },
  changed(view) {
    buffers.forEach((b) => b.push({ kind: 'view', view }))
    set((s) => applyAlert(s, view))
  },
  fired(event) {
    buffers.forEach((b) => b.push({ kind: 'event', event }))
    const next = applyEvent(get().events, event)
    set({ events: next.events })
    if (next.isNew) announce(event.title, event.body, event.desktop, `alert-${event.id}`)
  },
}))

/**
 * A fired alert or a notice: a toast on whatever page is open and, in the headless door's browser, a
 * desktop notification where the user allowed them (the desktop app's come from the engine's shell).
 */
function announce(title: string, body: string, desktop: boolean, tag: string, severity: 'info' | 'error' = 'info'): void {
  if (severity === 'error') toast.error(title, body)
  else toast.info(title, body)
  if (!desktop || useEngine.getState().info?.door !== 'headless') return
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  try {
    new Notification(title, { body, tag })
  } catch {
    // Some browsers allow notifications only from a service worker; the toast has said it.
  }
}

/** Follows the alerts for the app's lifetime; returns the stop. */
export function startAlertsSync(): () => void {
  const s = useAlerts.getState()
  const refused = (err: Error) => useAlerts.setState({ error: `alerts stream refused: ${err.message}` })
  const offs = [
    api.subscribe('alerts.changed', {}, s.changed, refused),
    api.subscribe('alerts.fired', {}, s.fired, refused),
    // Said as they come (fills, conditional orders triggered or failed; per Settings → Alerts); not kept.
    api.subscribe('alerts.notices', {}, (n) => announce(n.title, n.body, n.desktop, `${n.kind}-${n.at}`, n.severity), refused),
    onReconnect(() => void useAlerts.getState().load()),
  ]
  void s.load()
  return () => offs.forEach((off) => off())
}
