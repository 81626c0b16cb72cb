import { afterEach, describe, expect, it, vi } from 'vitest'
import { wsTransport } from '../../src-renderer/api/ws-transport'

// A page's socket to an engine that stopped answering (frozen, or a half-open link) must not say
// "Connected" for ever: the server's pings are answered by the browser itself and never reach the page, so
// the page asks the engine when the link goes quiet and gives the socket up when nothing comes back.

class FakeSocket {
  static OPEN = 1
  readyState = 0
  sent: { t: string; id: string; name?: string }[] = []
  closed = false
  onopen: (() => void) | null = null
  onclose: (() => void) | null = null
  onmessage: ((m: { data: string }) => void) | null = null
  send(s: string) {
    this.sent.push(JSON.parse(s))
  }
  close() {
    // A frozen engine never completes the closing handshake: no close event comes.
    this.closed = true
  }
  open() {
    this.readyState = 1
    this.onopen?.()
  }
  /** The engine answers every command it got so far. */
  answer(): number {
    const asked = this.sent.filter((f) => f.t === 'invoke')
    for (const f of asked) this.onmessage?.({ data: JSON.stringify({ t: 'reply', id: f.id, reply: { ok: true, value: {} } }) })
    this.sent = []
    return asked.length
  }
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

function setup() {
  vi.useFakeTimers()
  vi.stubGlobal('WebSocket', FakeSocket)
  const sockets: FakeSocket[] = []
  const t = wsTransport('ws://x/ws', () => {
    const s = new FakeSocket()
    sockets.push(s)
    return s as unknown as WebSocket
  })
  sockets[0]!.open()
  return { t, sockets }
}

describe('ws transport heartbeat', () => {
  it('an engine that sends nothing for 35 s: the page says Reconnecting… and opens a new socket', async () => {
    const { t, sockets } = setup()
    t.subscribe('market.book' as never, {} as never, () => {}, () => {})
    expect(t.connection()).toBe('connected')
    await vi.advanceTimersByTimeAsync(34_000)
    expect(t.connection()).toBe('connected')
    await vi.advanceTimersByTimeAsync(1_500)
    expect(t.connection()).toBe('reconnecting')
    expect(sockets[0]!.closed).toBe(true)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(sockets).toHaveLength(2)
    sockets[1]!.open()
    expect(t.connection()).toBe('connected')
    // the stream is opened again on the new socket
    expect(sockets[1]!.sent.map((f) => f.name)).toContain('market.book')
  })

  it('a quiet but answering engine keeps the connection: the page asks, the engine replies', async () => {
    const { t, sockets } = setup()
    let asked = 0
    for (let i = 0; i < 12; i++) {
      await vi.advanceTimersByTimeAsync(10_000)
      asked += sockets[0]!.answer()
    }
    expect(asked).toBeGreaterThan(0)
    expect(t.connection()).toBe('connected')
    expect(sockets).toHaveLength(1)
  })

  it('frames keep it alive without asking', async () => {
    const { t, sockets } = setup()
    t.subscribe('market.book' as never, {} as never, () => {}, () => {})
    const sub = sockets[0]!.sent.find((f) => f.t === 'sub')!.id
    sockets[0]!.sent = []
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(5_000)
      sockets[0]!.onmessage?.({ data: JSON.stringify({ t: 'event', id: sub, payload: {} }) })
    }
    expect(t.connection()).toBe('connected')
    expect(sockets[0]!.sent).toEqual([])
  })
})
