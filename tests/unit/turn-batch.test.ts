import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { turnBatcher } from '../../src-main/server/turn-batch'

// The door's writes of one event-loop turn leave together: corked at the first, uncorked after the turn.

describe('turnBatcher', () => {
  it('corks once per turn and uncorks after it; the next turn corks again', () => {
    const calls: string[] = []
    const later: (() => void)[] = []
    const batch = turnBatcher({ cork: () => calls.push('cork'), uncork: () => calls.push('uncork') }, (fn) => later.push(fn))
    batch()
    batch()
    batch()
    expect(calls).toEqual(['cork'])
    expect(later).toHaveLength(1)
    later.shift()!()
    expect(calls).toEqual(['cork', 'uncork'])
    batch()
    expect(calls).toEqual(['cork', 'uncork', 'cork'])
  })

  it('on a real socket, the writes of one turn reach the peer in one piece and in order', async () => {
    const received: Buffer[] = []
    const server = net.createServer((s) => s.on('data', (d: Buffer) => received.push(d)))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as net.AddressInfo).port
    const client = net.connect(port, '127.0.0.1')
    await new Promise<void>((r) => client.once('connect', r))
    // Every system write of the socket (one chunk or several).
    let writes = 0
    const writev = client._writev?.bind(client)
    const write = client._write.bind(client)
    client._writev = (chunks, cb) => {
      writes++
      writev!(chunks, cb)
    }
    client._write = (chunk, encoding, cb) => {
      writes++
      write(chunk, encoding, cb)
    }
    const batch = turnBatcher(client)
    for (let i = 0; i < 50; i++) {
      batch()
      client.write(`frame ${i};`)
    }
    const expected = Array.from({ length: 50 }, (_, i) => `frame ${i};`).join('')
    await new Promise<void>((resolve) => {
      const check = () => (Buffer.concat(received).toString() === expected ? resolve() : setTimeout(check, 5))
      check()
    })
    expect(writes).toBe(1)
    client.destroy()
    await new Promise<void>((r) => server.close(() => r()))
  })
})
