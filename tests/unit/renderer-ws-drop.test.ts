import { afterEach, describe, expect, it, vi } from 'vitest'
import { wsTransport } from '../../src-renderer/api/ws-transport'

// The link drops after a command left: a read is simply unavailable, but a command that changes something
// (an order) may have been done, so the caller is told OUTCOME_UNKNOWN, never a plain refusal.

class FakeSocket {
  static OPEN = 1
  readyState = 0
  sent: string[] = []
  onopen: (() => void) | null = null
  onclose: (() => void) | null = null
  onmessage: ((m: { data: string }) => void) | null = null
  send(s: string) {
    this.sent.push(s)
  }
  open() {
    this.readyState = 1
    this.onopen?.()
  }
  drop() {
    this.readyState = 3
    this.onclose?.()
  }
}

afterEach(() => vi.useRealTimers())

describe('ws transport, connection lost mid-command', () => {
  it('says OUTCOME_UNKNOWN for a sent command that changes something, UNAVAILABLE for a read or one never sent', async () => {
    vi.useFakeTimers()
    vi.stubGlobal('WebSocket', FakeSocket)
    const sockets: FakeSocket[] = []
    const t = wsTransport('ws://x/ws', () => {
      const s = new FakeSocket()
      sockets.push(s)
      return s as unknown as WebSocket
    })
    sockets[0]!.open()
    const order = t.invoke('orders.submit' as never, {} as never)
    const read = t.invoke('orders.list' as never, {} as never)
    sockets[0]!.drop()
    const notSent = t.invoke('orders.cancel' as never, {} as never) // queued while down: never left
    vi.advanceTimersByTime(1000)
    sockets[1]!.drop()
    expect(await order).toEqual({
      ok: false,
      error: { code: 'OUTCOME_UNKNOWN', message: 'The connection dropped after this was sent: it may have been done. Check Orders before sending again.' },
    })
    expect(await read).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(await notSent).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    vi.unstubAllGlobals()
  })
})
