import { Notification } from 'electron'
import type { DesktopNotifier } from '../alerts/engine'

// Desktop notifications for the engine (fired alerts), through the OS's notification centre. Where the OS
// has none (some Linux sessions), Notification.isSupported() is false and the app's own list still has it.
export function electronNotifier(onClick: () => void): DesktopNotifier {
  return {
    notify(title, body) {
      if (!Notification.isSupported()) return
      const n = new Notification({ title, body, silent: false })
      n.on('click', onClick)
      n.show()
    },
  }
}
