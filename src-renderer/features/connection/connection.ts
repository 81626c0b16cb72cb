import { useSyncExternalStore } from 'react'
import { api, type ConnectionState } from '../../api'

/** The engine connection state, live. */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(api.onConnectionChange, api.connection)
}

/**
 * Calls `reload` each time the connection comes back after a loss: streams are re-opened by the
 * transport, but whatever happened while we were away has to be fetched again.
 */
export function onReconnect(reload: () => void): () => void {
  let lost = false
  return api.onConnectionChange((state) => {
    if (state === 'reconnecting' || state === 'disconnected' || state === 'tokenChanged') lost = true
    else if (state === 'connected' && lost) {
      lost = false
      reload()
    }
  })
}

export const connectionLabels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
  tokenChanged: 'The engine restarted with a new access token: open the address it printed',
}
