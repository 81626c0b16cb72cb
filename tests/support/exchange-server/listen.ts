import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

// Running a local exchange server's HTTP + WebSocket listener on 127.0.0.1, and stopping it.

export interface ListenOptions {
  /** 0 or undefined: a free port. */
  port: number | undefined
  /** Which upgrade paths are WebSocket endpoints; others get a plain 404. */
  wsPath: (path: string) => boolean
  acceptWs: (ws: WebSocket, req: IncomingMessage) => void
  /** Runs first on close (detach from the engine, stop stream timers). */
  onClose: () => void
}

export interface Listening {
  port: number
  /** onClose, then every WebSocket client terminated and both servers closed (open HTTP connections dropped). */
  close(): Promise<void>
}

export async function listenLocal(server: Server, options: ListenOptions): Promise<Listening> {
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (!options.wsPath(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => options.acceptWs(ws, req))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })

  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      options.onClose()
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
