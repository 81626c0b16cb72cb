import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isCommandName, isStreamName } from '../src-main/api/names'
import { IPC } from '../src-main/api/ipc-channels'

// The renderer's only door to the engine: invoke(command, input) and subscribe(stream, params, cb) for
// the contract's names. No raw ipcRenderer, no Node, nothing else crosses the bridge.
type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }

const listeners = new Map<string, (payload: unknown) => void>()
// Every page (each load runs this file afresh) numbers its subscriptions under a random prefix of its own:
// during a reload the old page may still subscribe, and its ids must neither collide with the new page's
// nor have their events handed to the new page's listeners. getRandomValues, unlike randomUUID, needs no
// secure context; the sandboxed preload has the page's Web Crypto.
const pageId = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')
const idPrefix = `s-${pageId}-`
let nextId = 0

ipcRenderer.on(IPC.event, (_e: IpcRendererEvent, id: unknown, payload: unknown) => {
  if (typeof id === 'string' && id.startsWith(idPrefix)) listeners.get(id)?.(payload)
})

const api = {
  invoke(name: string, input: unknown): Promise<Reply> {
    if (!isCommandName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_COMMAND', message: `Unknown command ${name}` } })
    }
    return ipcRenderer.invoke(IPC.invoke, name, input) as Promise<Reply>
  },
  /** Starts a stream; onError gets a refusal (bad params). Returns the function that stops it. */
  subscribe(
    name: string,
    params: unknown,
    onEvent: (payload: unknown) => void,
    onError?: (error: { code: string; message: string }) => void,
  ): () => void {
    const id = `${idPrefix}${++nextId}`
    if (!isStreamName(name)) {
      onError?.({ code: 'UNKNOWN_STREAM', message: `Unknown stream ${name}` })
      return () => {}
    }
    listeners.set(id, onEvent)
    void (ipcRenderer.invoke(IPC.subscribe, id, name, params) as Promise<Reply>).then((reply) => {
      if (!reply.ok) {
        listeners.delete(id)
        onError?.(reply.error)
      }
    })
    return () => {
      listeners.delete(id)
      void ipcRenderer.invoke(IPC.unsubscribe, id)
    }
  },
}

export type PreloadApi = typeof api

contextBridge.exposeInMainWorld('api', api)
