import { createClient } from './client'
import { ipcTransport } from './ipc-transport'
import { wsTransport } from './ws-transport'
import { doorSocket, pageToken, tokenStatus } from './door-token'
import type { PreloadApi } from '../../src-preload/index'

declare global {
  interface Window {
    api?: PreloadApi
  }
}

// The only place that picks a transport: Electron's preload bridge if present, else the headless door.
function pickTransport() {
  if (window.api) return ipcTransport(window.api)
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const token = pageToken()
  return wsTransport(`${scheme}://${location.host}/ws`, doorSocket(token), tokenStatus(token))
}

export const api = createClient(pickTransport())
export { ApiError } from './types'
export type { ApiClient, ConnectionState } from './types'
