import { afterEach, describe, expect, it, vi } from 'vitest'
import { wsTransport } from '../../src-renderer/api/ws-transport'

// After the engine restarts with a new access token, every reconnect of an open tab is refused (401):
// the tab says so and what to do, instead of "Reconnecting…" for ever.

class RefusedSocket {
  static made = 0
  readyState = 0
  onopen: (() => void) | null = null
  onclose: (() => void) | null = null
  onmessage: ((m: { data: string }) => void) | null = null
  constructor() {
    RefusedSocket.made++
    // The upgrade is refused: the socket closes without ever opening.
    queueMicrotask(() => {
      this.readyState = 3
      this.onclose?.()
    })
  }
  send() {}
}

afterEach(() => vi.useRealTimers())

describe('WebSocket transport when the token no longer opens the door', () => {
  it('tells the user to open the newly printed address once reconnects keep being refused with 401', async () => {
    vi.useFakeTimers()
    const probe = vi.fn(async () => 401)
    const t = wsTransport('ws://x/ws', () => new RefusedSocket() as unknown as WebSocket, probe)
    const states: string[] = []
    t.onConnectionChange((s) => states.push(s))
    for (let i = 0; i < 6 && t.connection() !== 'tokenChanged'; i++) await vi.advanceTimersByTimeAsync(15_000)
    expect(t.connection()).toBe('tokenChanged')
    // It goes on trying: the engine may come back with this tab's token.
    const made = RefusedSocket.made
    await vi.advanceTimersByTimeAsync(15_000)
    expect(RefusedSocket.made).toBeGreaterThan(made)
  })

  it('keeps saying "Reconnecting…" while the engine is simply down', async () => {
    vi.useFakeTimers()
    const probe = vi.fn(async () => 0)
    const t = wsTransport('ws://x/ws', () => new RefusedSocket() as unknown as WebSocket, probe)
    for (let i = 0; i < 4; i++) await vi.advanceTimersByTimeAsync(15_000)
    expect(t.connection()).toBe('reconnecting')
  })
})
