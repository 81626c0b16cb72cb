import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { serveSocket } from '../../src-main/server/ws-door'
import { keepAlive } from '../../src-main/server/heartbeat'
import type { ClientSession } from '../../src-main/api/session'
import type { Reply } from '../../src-main/api/errors'

// A tab that stops reading (frozen, asleep behind an SSH tunnel) must not make the engine queue stream
// events for it without limit: past a soft mark its events are skipped (replies still go), past a hard
// mark the socket is cut, and a socket that misses a pong is cut too.

const MiB = 1024 * 1024

class FakeSocket extends EventEmitter {
  readonly OPEN = 1
  readyState = 1
  bufferedAmount = 0
  sent: { t: string; id?: string }[] = []
  closed: { code?: number; reason?: string } | null = null
  terminated = false
  pings = 0
  send(data: string) {
    this.sent.push(JSON.parse(data) as { t: string; id?: string })
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason }
    this.readyState = 2
  }
  terminate() {
    this.terminated = true
    this.readyState = 3
  }
  ping() {
    this.pings++
  }
  /** A client frame arriving. */
  receive(frame: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false)
  }
}

function fakeSession() {
  const emitters = new Map<string, (payload: unknown) => void>()
  const replies: ((r: Reply<unknown>) => void)[] = []
  const session = {
    invoke: () => new Promise<Reply<unknown>>((resolve) => replies.push(resolve)),
    subscribe: (id: string, _name: unknown, _params: unknown, send: (p: unknown) => void) => {
      emitters.set(id, send)
      return { ok: true, value: null }
    },
    unsubscribe: () => {},
    close: () => {},
  } as unknown as ClientSession
  return { session, emitters, replies }
}

const flush = () => new Promise((r) => setImmediate(r))

describe('headless door under a tab that stops reading', () => {
  it('skips stream events while the socket holds over 4 MiB, still sends replies, and cuts it past 16 MiB', async () => {
    const socket = new FakeSocket()
    const { session, emitters, replies } = fakeSession()
    serveSocket(socket as unknown as WebSocket, session)
    socket.receive({ t: 'sub', id: 's1', name: 'market.book', params: {} })
    const emit = emitters.get('s1')!
    emit({ n: 1 })
    expect(socket.sent.filter((f) => f.t === 'event')).toHaveLength(1)

    socket.bufferedAmount = 5 * MiB
    emit({ n: 2 })
    emit({ n: 3 })
    expect(socket.sent.filter((f) => f.t === 'event')).toHaveLength(1)

    socket.receive({ t: 'invoke', id: 'c1', name: 'app.info', input: {} })
    replies.shift()!({ ok: true, value: 1 })
    await flush()
    expect(socket.sent.at(-1)).toMatchObject({ t: 'reply', id: 'c1' })
    expect(socket.terminated).toBe(false)

    socket.bufferedAmount = 17 * MiB
    emit({ n: 4 })
    expect(socket.terminated).toBe(true)
  })

  it('a tab that missed events asks it to reconnect and reload (1013) once it has caught up and no reply is owed', async () => {
    const socket = new FakeSocket()
    const { session, emitters, replies } = fakeSession()
    serveSocket(socket as unknown as WebSocket, session)
    socket.receive({ t: 'sub', id: 's1', name: 'orders.changed', params: {} })
    socket.bufferedAmount = 5 * MiB
    emitters.get('s1')!({ n: 1 })
    socket.receive({ t: 'invoke', id: 'c1', name: 'orders.submit', input: {} })

    socket.bufferedAmount = 0
    emitters.get('s1')!({ n: 2 })
    // The submit's reply is still owed: the socket stays open for it.
    expect(socket.closed).toBeNull()
    replies.shift()!({ ok: true, value: 'accepted' })
    await flush()
    expect(socket.sent.at(-1)).toMatchObject({ t: 'reply', id: 'c1' })
    expect(socket.closed).toMatchObject({ code: 1013 })
  })

  it('pings every interval and cuts a socket that did not answer the previous ping', () => {
    const answers = new FakeSocket()
    const silent = new FakeSocket()
    const sockets = new Set([answers, silent])
    const ticks: (() => void)[] = []
    keepAlive(sockets as unknown as Set<WebSocket>, 30_000, (fn) => {
      ticks.push(fn)
      return () => {}
    })
    ticks[0]!()
    expect(answers.pings).toBe(1)
    expect(silent.pings).toBe(1)
    answers.emit('pong')
    ticks[0]!()
    expect(answers.terminated).toBe(false)
    expect(silent.terminated).toBe(true)
    expect(answers.pings).toBe(2)
  })
})
