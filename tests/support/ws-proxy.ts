import net from 'node:net'

// A TCP proxy in front of the local exchange server that can make WebSocket connections misbehave the way
// real networks do: freeze (half-open: no bytes either way, no FIN, so neither side learns of it) or refuse
// new ones. REST requests pass through untouched.

export interface WsProxy {
  /** The origin to give the account as its API URL. */
  url: string
  /** 'pass': normal; 'refuse': new WebSocket upgrades are cut at once (REST still passes). */
  mode: 'pass' | 'refuse'
  /** WebSocket connections opened through the proxy so far. */
  readonly wsOpened: number
  /** Every WebSocket connection open now stops carrying bytes both ways, without closing. */
  freezeWs(): void
  close(): Promise<void>
}

export async function startWsProxy(targetUrl: string): Promise<WsProxy> {
  const target = new URL(targetUrl)
  let wsOpened = 0
  const conns: { client: net.Socket; upstream: net.Socket; ws: boolean; frozen: boolean }[] = []
  const proxy = {} as WsProxy
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname)
    const c = { client, upstream, ws: false, frozen: false }
    conns.push(c)
    let first = true
    client.on('data', (d) => {
      if (first) {
        first = false
        if (/upgrade: websocket/i.test(d.toString('latin1'))) {
          c.ws = true
          if (proxy.mode === 'refuse') {
            client.destroy()
            upstream.destroy()
            return
          }
          wsOpened++
        }
      }
      if (!c.frozen) upstream.write(d)
    })
    upstream.on('data', (d) => {
      if (!c.frozen) client.write(d)
    })
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    // A frozen link carries nothing, not even the server's close: only the client's own end closes it.
    const upEnd = () => (c.frozen ? upstream.destroy() : end())
    client.on('error', end)
    client.on('close', end)
    upstream.on('error', upEnd)
    upstream.on('close', upEnd)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as net.AddressInfo).port
  Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    mode: 'pass',
    freezeWs() {
      for (const c of conns) if (c.ws && !c.client.destroyed) c.frozen = true
    },
    async close() {
      for (const c of conns) {
        c.client.destroy()
        c.upstream.destroy()
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  })
  Object.defineProperty(proxy, 'wsOpened', { get: () => wsOpened })
  return proxy
}
