import type { PreloadApi } from '../../src-preload/index'
import type { Transport } from './types'

/** Electron: the preload's bridge. The window lives and dies with the engine, so it is always connected. */
export function ipcTransport(bridge: PreloadApi): Transport {
  return {
    invoke: (name, input) => bridge.invoke(name, input) as ReturnType<Transport['invoke']>,
    subscribe: (name, params, onEvent, onError) =>
      bridge.subscribe(name, params, onEvent, (e) => onError(e as Parameters<typeof onError>[0])),
    connection: () => 'connected',
    onConnectionChange: () => () => {},
  }
}
