import type { WebSocket } from 'ws'

// One accepted WebSocket connection: ordered sends that honour the ws delay knob (a delayed message never
// overtakes an earlier one) and close handlers. Each exchange's ws-conn.ts extends it with what it keeps per
// connection (pings, subscriptions, login).

export interface WsDelaySource {
  readonly wsDelayMs: number
}

export class WsConnection {
  private lastSendAt = 0
  private closed = false
  private readonly closeHandlers: (() => void)[] = []

  constructor(
    readonly socket: WebSocket,
    readonly path: string,
    private readonly delays: WsDelaySource,
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

  /** Sends one message (see encode); with a ws delay the message leaves later, never before an earlier one. */
  send(message: unknown): void {
    if (!this.isOpen) return
    const text = this.encode(message)
    const delay = this.delays.wsDelayMs
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

  /** The wire text of a message: JSON. */
  protected encode(message: unknown): string {
    return JSON.stringify(message)
  }
}
