import type { WebSocket } from 'ws'
import type { Faults } from './faults'

// One accepted WebSocket connection: ordered sends that honour the ws delay knob, server pings like
// Binance's (a ping frame every `pingIntervalMs`; no pong within `pongTimeoutMs` → disconnected).

let nextConnId = 1

export class Conn {
  readonly id = nextConnId++
  private lastSendAt = 0
  private lastPongAt = Date.now()
  private readonly pinger: NodeJS.Timeout
  private closed = false
  private readonly closeHandlers: (() => void)[] = []

  constructor(
    readonly socket: WebSocket,
    readonly path: string,
    private readonly faults: Faults,
    ping: { intervalMs: number; timeoutMs: number },
  ) {
    socket.on('pong', () => {
      this.lastPongAt = Date.now()
    })
    this.pinger = setInterval(() => {
      if (Date.now() - this.lastPongAt > ping.timeoutMs) {
        socket.terminate()
        return
      }
      if (socket.readyState === socket.OPEN) socket.ping()
    }, ping.intervalMs)
    this.pinger.unref()
    socket.on('close', () => {
      this.closed = true
      clearInterval(this.pinger)
      for (const h of this.closeHandlers) h()
    })
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler)
  }

  /** Sends one JSON message; with a ws delay the message leaves later, never before an earlier one. */
  send(message: unknown): void {
    if (!this.isOpen) return
    const text = JSON.stringify(message)
    const delay = this.faults.wsDelayMs
    if (delay <= 0 && this.lastSendAt <= Date.now()) {
      this.socket.send(text)
      return
    }
    const at = Math.max(Date.now() + delay, this.lastSendAt)
    this.lastSendAt = at
    setTimeout(() => {
      if (this.isOpen) this.socket.send(text)
    }, at - Date.now())
  }

  terminate(): void {
    this.socket.terminate()
  }
}
