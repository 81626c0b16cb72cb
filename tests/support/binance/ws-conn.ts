import type { WebSocket } from 'ws'
import { WsConnection } from '../exchange-server/ws-conn'
import type { Faults } from './faults'

// One accepted WebSocket connection (ordered, delayable sends: ../exchange-server/ws-conn.ts) with server
// pings like Binance's: a ping frame every `pingIntervalMs`; no pong within `pongTimeoutMs` → disconnected.

let nextConnId = 1

export class Conn extends WsConnection {
  readonly id = nextConnId++
  private lastPongAt = Date.now()
  private readonly pinger: NodeJS.Timeout

  constructor(socket: WebSocket, path: string, faults: Faults, ping: { intervalMs: number; timeoutMs: number }) {
    super(socket, path, faults)
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
    socket.on('close', () => clearInterval(this.pinger))
  }
}
