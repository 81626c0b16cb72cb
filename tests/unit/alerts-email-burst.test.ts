import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { emailSettingsInputSchema } from '../../src-main/api/schemas/alerts'
import { EmailChannel } from '../../src-main/alerts/email'
import { SecretsService } from '../../src-main/secrets/service'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { silentLogger } from '../../src-main/log'
import { openStore } from '../../src-main/store/open'
import { migrationsDir, tempDir } from '../support/temp-core'
import { emailTeardown } from '../support/email-teardown'

// A burst of alert emails against a real SMTP server that takes few connections (421 "too many"): they go
// through one shared connection pool, not a connection each, and a temporary refusal (4xx, a dropped
// connection) is tried again with backoff, as webhooks are; a permanent one (5xx) is not.

const { stores, servers, channels } = emailTeardown()

interface Server {
  port: number
  subjects: string[]
  connections: { open: number; total: number }
}

/** `answer(n)` for the n-th message (1-based): an SMTP error code to refuse it with, or null to take it. */
async function smtp(opts: { maxClients?: number; answer?: (n: number) => number | null } = {}): Promise<Server> {
  const subjects: string[] = []
  const connections = { open: 0, total: 0 }
  let n = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: opts.maxClients ?? 1,
    onConnect(_session, cb) {
      connections.open++
      connections.total++
      cb()
    },
    onClose() {
      connections.open--
    },
    onData(stream, _session, cb) {
      let data = ''
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')))
      stream.on('end', () => {
        const code = opts.answer?.(++n) ?? null
        if (code !== null) return cb(Object.assign(new Error(code < 500 ? 'Try again later' : 'Mailbox unavailable'), { responseCode: code }))
        subjects.push(/^Subject: (.*)$/m.exec(data)?.[1] ?? '')
        cb()
      })
    },
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return { port: (server.server.address() as AddressInfo).port, subjects, connections }
}

function channel(waits: number[] = []) {
  const store = openStore(tempDir(), migrationsDir)
  stores.push(store)
  const email = new EmailChannel(store.db, new SecretsService(store.db, memoryKeychain(), silentLogger), () => 1_700_000_000_000, undefined, {
    backoffMs: [30, 60],
    sleep: (ms) => {
      waits.push(ms)
      return new Promise((r) => setTimeout(r, ms))
    },
  })
  channels.push(email)
  return email
}

const settings = (port: number) => emailSettingsInputSchema.parse({ host: '127.0.0.1', port, security: 'none', from: 'alerts@example.com', to: 'me@example.com' })

describe('a burst of alert emails', () => {
  it('ten alerts at once all arrive through a server taking one connection', async () => {
    const server = await smtp({ maxClients: 1 })
    const email = channel()
    await email.set(settings(server.port))
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => email.send(`alert ${i}`, 'body')))
    expect(results.filter((r) => !r.delivered)).toEqual([])
    expect(server.subjects.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `alert ${i}`).sort())
    expect(server.connections.total).toBeLessThanOrEqual(2)
  })

  it('a temporary refusal (451) is tried again after a wait; a permanent one (550) is not', async () => {
    const server = await smtp({ answer: (n) => (n === 1 ? 451 : n === 3 ? 550 : null) })
    const waits: number[] = []
    const email = channel(waits)
    await email.set(settings(server.port))
    const first = await email.send('first', 'body')
    expect(first.delivered).toBe(true)
    expect(waits).toEqual([30])
    expect(server.subjects).toEqual(['first'])
    const refused = await email.send('second', 'body')
    expect(refused).toEqual({ delivered: false, detail: expect.stringContaining('550') })
    expect(waits).toEqual([30])
  })

  it('a server that stays away is tried three times, and says so', async () => {
    const server = await smtp()
    const port = server.port
    await new Promise<void>((r) => servers.pop()!.close(() => r()))
    const waits: number[] = []
    const email = channel(waits)
    await email.set(settings(port))
    const r = await email.send('s', 'b')
    expect(r.delivered).toBe(false)
    expect(r.detail).toMatch(/ECONNREFUSED.* after 3 attempts$/)
    expect(waits).toEqual([30, 60])
  })

  it('new settings use a new connection; stopping closes the pool', async () => {
    const a = await smtp()
    const b = await smtp()
    const email = channel()
    await email.set(settings(a.port))
    expect((await email.send('to a', 'x')).delivered).toBe(true)
    await email.set(settings(b.port))
    expect((await email.send('to b', 'x')).delivered).toBe(true)
    expect([a.subjects, b.subjects]).toEqual([['to a'], ['to b']])
    email.stop()
    await expect.poll(() => a.connections.open + b.connections.open).toBe(0)
  })

  it('emails queued on the old server when the settings change are still sent there, then its connection closes', async () => {
    const a = await smtp({ maxClients: 1 })
    const b = await smtp()
    const email = channel()
    await email.set(settings(a.port))
    const queued = Array.from({ length: 4 }, (_, i) => email.send(`queued ${i}`, 'x'))
    await email.set(settings(b.port))
    const after = await email.send('to b', 'x')
    const results = await Promise.all(queued)
    expect(results.filter((r) => !r.delivered)).toEqual([])
    expect(after.delivered).toBe(true)
    expect([a.subjects.sort(), b.subjects]).toEqual([['queued 0', 'queued 1', 'queued 2', 'queued 3'], ['to b']])
    await expect.poll(() => a.connections.open).toBe(0)
  })
})
