import type { Reply } from '../../src-main/api/contract'
import type { ClientFrame, ServerFrame } from '../../src-main/api/wire'
import type { ConnectionState, Transport } from './types'
import { isRead } from './reads'

/** A command that changes something left, and the link dropped before its reply: it may have been done. */
export const OUTCOME_UNKNOWN_MESSAGE = 'The connection dropped after this was sent: it may have been done. Check Orders before sending again.'

/**
 * The server pings every socket each 30 s (PING_INTERVAL_MS), but the browser answers those pings itself:
 * the page never sees them. So the page watches the link on its own: after PROBE_AFTER_MS without a frame
 * it asks the engine something cheap (app.info), and a socket that brought nothing for HEARTBEAT_TIMEOUT_MS
 * (a frozen engine, a half-open link) is given up and a new one opened — a little over the server's ping
 * interval, so both ends give up on a dead link in about the same time.
 */
export const PROBE_AFTER_MS = 15_000
export const HEARTBEAT_TIMEOUT_MS = 35_000
const HEARTBEAT_CHECK_MS = 1_000

interface Pending {
  resolve: (reply: Reply<unknown>) => void
  name: string
  /** Whether its frame went out on a socket (a queued one never reached the engine). */
  sent: boolean
}
interface Sub {
  name: string
  params: unknown
  onEvent: (payload: unknown) => void
  onError: Parameters<Transport['subscribe']>[3]
}

/**
 * Headless door: the contract over a WebSocket to the page's own origin (`createSocket` hands over the
 * token, door-token.ts). Reconnects with backoff and re-opens every stream. `probe`: whether the door
 * still takes this tab's token (401: no).
 */
export function wsTransport(
  url: string,
  createSocket: (url: string) => WebSocket = (u) => new WebSocket(u),
  probe: () => Promise<number> = async () => 0,
): Transport {
  let socket: WebSocket | undefined
  let state: ConnectionState = 'connecting'
  let attempt = 0
  let opened = false
  let nextId = 0
  const pending = new Map<string, Pending>()
  const subs = new Map<string, Sub>()
  const outbox: ClientFrame[] = []
  const stateListeners = new Set<(s: ConnectionState) => void>()

  const setState = (next: ConnectionState) => {
    if (next === state) return
    state = next
    for (const l of stateListeners) l(state)
  }
  const isOpen = () => socket !== undefined && socket.readyState === WebSocket.OPEN
  const send = (frame: ClientFrame) => {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame))
      markSent(frame)
    } else outbox.push(frame)
  }
  const markSent = (frame: ClientFrame) => {
    if (frame.t === 'invoke') {
      const p = pending.get(frame.id)
      if (p) p.sent = true
    }
  }

  const connect = () => {
    const ws = createSocket(url)
    socket = ws
    let lastFrameAt = 0
    let probing = false
    let heartbeat: ReturnType<typeof setTimeout> | undefined
    const watch = () => {
      heartbeat = setTimeout(() => {
        if (socket !== ws) return
        const silent = Date.now() - lastFrameAt
        if (silent >= HEARTBEAT_TIMEOUT_MS) {
          // Its close handshake would wait on the silent engine: the socket is dropped here and now.
          ws.onopen = ws.onmessage = ws.onclose = null
          ws.close()
          lost()
          return
        }
        if (silent >= PROBE_AFTER_MS && !probing) {
          probing = true
          const id = `c${++nextId}`
          pending.set(id, { resolve: () => (probing = false), name: 'app.info', sent: false })
          send({ t: 'invoke', id, name: 'app.info', input: {} })
        }
        watch()
      }, HEARTBEAT_CHECK_MS)
    }
    ws.onopen = () => {
      lastFrameAt = Date.now()
      watch()
      attempt = 0
      opened = true
      setState('connected')
      for (const [id, sub] of subs) ws.send(JSON.stringify({ t: 'sub', id, name: sub.name, params: sub.params }))
      for (const frame of outbox.splice(0)) {
        ws.send(JSON.stringify(frame))
        markSent(frame)
      }
    }
    ws.onmessage = (message) => {
      lastFrameAt = Date.now()
      const frame = JSON.parse(String(message.data)) as ServerFrame
      if (frame.t === 'reply') {
        const p = pending.get(frame.id)
        if (p) {
          pending.delete(frame.id)
          p.resolve(frame.reply)
        } else if (!frame.reply.ok) {
          const sub = subs.get(frame.id)
          subs.delete(frame.id)
          sub?.onError(frame.reply.error)
        }
      } else if (frame.t === 'event') {
        subs.get(frame.id)?.onEvent(frame.payload)
      } else if (frame.id && pending.has(frame.id)) {
        pending.get(frame.id)!.resolve({ ok: false, error: frame.error })
        pending.delete(frame.id)
      } else {
        console.error(`engine: ${frame.error.code}: ${frame.error.message}`)
      }
    }
    const lost = () => {
      clearTimeout(heartbeat)
      socket = undefined
      for (const [id, p] of pending) {
        // A change that left may have been done (an order placed): saying "failed" invites a second one.
        const unknown = p.sent && !isRead(p.name)
        p.resolve({ ok: false, error: unknown ? { code: 'OUTCOME_UNKNOWN', message: OUTCOME_UNKNOWN_MESSAGE } : { code: 'UNAVAILABLE', message: 'Connection to the engine was lost' } })
        pending.delete(id)
      }
      // Those callers were just told the command failed; it must not run later when a socket opens.
      outbox.length = 0
      const refusedAgain = !opened && attempt >= 2
      opened = false
      if (state !== 'tokenChanged') setState('reconnecting')
      // Upgrades keep failing: ask the page itself. 401 means the engine came back with another token
      // (started with --new-token): only its newly printed address opens the door again.
      if (refusedAgain) {
        void probe().then((status) => {
          if (socket === undefined || socket.readyState !== WebSocket.OPEN) setState(status === 401 ? 'tokenChanged' : 'reconnecting')
        })
      }
      const delay = Math.min(10_000, 250 * 2 ** attempt++) * (0.75 + Math.random() * 0.5)
      // Still retrying: the engine may come back with this tab's token (a restart on the old data folder).
      setTimeout(connect, delay)
    }
    ws.onclose = lost
  }
  connect()

  return {
    invoke(name, input) {
      const id = `c${++nextId}`
      return new Promise((resolve) => {
        pending.set(id, { resolve, name, sent: false })
        send({ t: 'invoke', id, name, input })
      })
    },
    subscribe(name, params, onEvent, onError) {
      const id = `s${++nextId}`
      subs.set(id, { name, params, onEvent, onError })
      // While not connected, onopen (re)opens every stream in `subs`; sending now too would double it.
      if (isOpen()) socket!.send(JSON.stringify({ t: 'sub', id, name, params }))
      return () => {
        if (subs.delete(id) && isOpen()) socket!.send(JSON.stringify({ t: 'unsub', id }))
      }
    },
    connection: () => state,
    onConnectionChange(listener) {
      stateListeners.add(listener)
      return () => stateListeners.delete(listener)
    },
  }
}
