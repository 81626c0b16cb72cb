import type { WebSocket, RawData } from 'ws'
import { clientFrameSchema, type ServerFrame } from '../api/wire'
import type { ClientSession } from '../api/session'
import { formatIssues } from '../api/format-issues'
import { turnBatcher, type Corkable } from './turn-batch'
import { sendDecision, SOFT_BUFFER_BYTES } from './send-policy'

/** Close code "Try Again Later": the tab reconnects, which reloads every list it shows. */
export const CLOSE_TRY_AGAIN = 1013

/**
 * Speaks the contract over one WebSocket. Every bad frame (too large, not JSON, wrong shape, unknown
 * name) gets an error frame back and the socket keeps serving. `transport`: the connection under the
 * WebSocket, whose writes of one event-loop turn are sent together (turn-batch.ts).
 */
export function serveSocket(socket: WebSocket, session: ClientSession, transport?: Corkable): void {
  const batch = transport ? turnBatcher(transport) : null
  // Stream events skipped while the tab was behind: its views are then out of date, so once it has
  // caught up (and no reply is owed) it is asked to reconnect, which reloads them.
  let missedEvents = false
  let repliesOwed = 0
  const send = (frame: ServerFrame) => {
    if (socket.readyState !== socket.OPEN) return
    const decision = sendDecision(socket.bufferedAmount, frame.t === 'event' ? 'event' : 'reply')
    if (decision === 'terminate') return socket.terminate()
    if (decision === 'skip') {
      missedEvents = true
      return
    }
    batch?.()
    socket.send(JSON.stringify(frame))
    askToReloadIfCaughtUp()
  }
  const askToReloadIfCaughtUp = () => {
    if (!missedEvents || repliesOwed > 0 || socket.bufferedAmount > SOFT_BUFFER_BYTES / 4) return
    missedEvents = false
    socket.close(CLOSE_TRY_AGAIN, 'Fell behind the engine; reconnect to reload')
  }

  socket.on('message', (data: RawData, isBinary: boolean) => {
    // Every frame the socket accepts (up to its hard cap, well above the 15 MiB file limit) is parsed,
    // and the session holds each command to its own limit: an oversized import then gets a TOO_LARGE
    // reply carrying its id and the import limit, where an id-less error left the caller waiting.
    if (isBinary) return send({ t: 'error', error: { code: 'BAD_FRAME', message: 'Binary frames are not accepted; send JSON text' } })
    let json: unknown
    try {
      json = JSON.parse(data.toString())
    } catch (err) {
      return send({ t: 'error', error: { code: 'BAD_FRAME', message: `Frame is not valid JSON: ${(err as Error).message}` } })
    }
    const frame = clientFrameSchema.safeParse(json)
    if (!frame.success) {
      const id = typeof (json as { id?: unknown })?.id === 'string' ? (json as { id: string }).id : undefined
      return send({ t: 'error', ...(id ? { id } : {}), error: { code: 'BAD_FRAME', message: `Malformed frame: ${formatIssues(frame.error)}` } })
    }
    const f = frame.data
    switch (f.t) {
      case 'invoke':
        repliesOwed++
        void session.invoke(f.name, f.input).then((reply) => {
          repliesOwed--
          send({ t: 'reply', id: f.id, reply })
        })
        return
      case 'sub': {
        const reply = session.subscribe(f.id, f.name, f.params, (payload) => send({ t: 'event', id: f.id, payload }))
        return send({ t: 'reply', id: f.id, reply })
      }
      case 'unsub':
        session.unsubscribe(f.id)
        return
    }
  })
  socket.on('close', () => session.close())
  socket.on('error', () => session.close())
}
