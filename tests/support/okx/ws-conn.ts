import type { WebSocket } from 'ws'
import type { Faults } from './faults'

// One accepted WebSocket connection: ordered sends that honour the ws delay knob, plus what the OKX stream
// layer keeps per connection (its subscriptions and, after `login`, its account).

let nextConnId = 1

export class Conn {
  readonly id = nextConnId++
  /** OKX's connection id, echoed in event replies. */
  readonly connId = Math.random().toString(16).slice(2, 10)
  /** "channel|instId" or "channel|instType:<type>" → the subscription's arg as the client sent it. */
  readonly subscriptions = new Map<string, Record<string, string>>()
  accountId: string | undefined
  private lastSendAt = 0
  private closed = false
  private readonly closeHandlers: (() => void)[] = []

  constructor(
    readonly socket: WebSocket,
    /** "public" | "private" | "business" */
    readonly kind: string,
    readonly path: string,
    private readonly faults: Faults,
  ) {
    socket.on('close', () => {
      this.closed = true
      for (const h of this.closeHandlers) h()
    })
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler)
  }

  /** Sends one message (JSON, or a raw string such as "pong"); with a ws delay it leaves later, in order. */
  send(message: unknown): void {
    if (!this.isOpen) return
    const text = typeof message === 'string' ? message : JSON.stringify(message)
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
