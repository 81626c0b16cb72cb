import type { AlertEvent, Notice } from '../api/schemas/alerts'
import type { DesktopNotifier } from '../alerts/engine'

// What leaves the engine while the app is locked says that something happened, never what: a desktop
// notification shows over a locked screen, and a lock screen is for whoever sits there. The full notice
// is in the app after unlocking (alerts in the notification centre, fills and stops in the activity feed).

export const LOCKED_NOTICE_TITLE = 'CryptoOrchestrator'
export const LOCKED_NOTICE_BODY = 'A notice arrived while locked — unlock to see it'

/** The desktop notifier that, while locked, is handed only the generic title and body. */
export function lockAwareNotifier(inner: DesktopNotifier, isLocked: () => boolean): DesktopNotifier {
  return {
    notify(title, body) {
      if (isLocked()) inner.notify(LOCKED_NOTICE_TITLE, LOCKED_NOTICE_BODY)
      else inner.notify(title, body)
    },
  }
}

/** A fired alert without its market, figures, note or delivery details (its id stays: a retold event is the same one). */
export function redactAlertEvent(e: AlertEvent): AlertEvent {
  return { ...e, venueId: '', symbol: '', price: '', title: LOCKED_NOTICE_TITLE, body: LOCKED_NOTICE_BODY, webhookDetail: null, emailDetail: null }
}

/** A notice (fill, conditional order) without its figures or market. */
export function redactNotice(n: Notice): Notice {
  return { ...n, title: LOCKED_NOTICE_TITLE, body: LOCKED_NOTICE_BODY }
}
