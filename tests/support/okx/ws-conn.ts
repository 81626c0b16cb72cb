import type { WebSocket } from 'ws'
import { WsConnection } from '../exchange-server/ws-conn'
import type { Faults } from './faults'

// One accepted WebSocket connection (ordered, delayable sends: ../exchange-server/ws-conn.ts) plus what the
// OKX stream layer keeps per connection (its subscriptions and, after `login`, its account).

let nextConnId = 1

export class Conn extends WsConnection {
  readonly id = nextConnId++
  /** OKX's connection id, echoed in event replies. */
  readonly connId = Math.random().toString(16).slice(2, 10)
  /** "channel|instId" or "channel|instType:<type>" → the subscription's arg as the client sent it. */
  readonly subscriptions = new Map<string, Record<string, string>>()
  accountId: string | undefined

  constructor(
    socket: WebSocket,
    /** "public" | "private" | "business" */
    readonly kind: string,
    path: string,
    faults: Faults,
  ) {
    super(socket, path, faults)
  }

  /** A raw string (such as "pong") goes out as it is; anything else as JSON. */
  protected override encode(message: unknown): string {
    return typeof message === 'string' ? message : JSON.stringify(message)
  }
}
