import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { emailSettingsInputSchema } from '../../src-main/api/schemas/alerts'
import { EmailChannel } from '../../src-main/alerts/email'
import { SecretsService } from '../../src-main/secrets/service'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { silentLogger } from '../../src-main/log'
import { openStore } from '../../src-main/store/open'
import { migrationsDir, tempDir } from '../support/temp-core'
import { emailTeardown } from '../support/email-teardown'

// A server that has the whole message but answers late (content scanning, a slow relay) may deliver it:
// a timeout after the message was sent is reported, never sent again (the user would get it twice or
// three times, and read "not delivered"). A failure before the message went is still tried again.

const { stores, servers, channels } = emailTeardown()

/** Takes every message and answers `answerAfterMs` later (never when null). */
async function slowServer(answerAfterMs: number | null): Promise<{ port: number; received: string[] }> {
  const received: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    socketTimeout: 60_000,
    onData(stream, _s, cb) {
      let data = ''
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')))
      stream.on('end', () => {
        received.push(/^Subject: (.*)$/m.exec(data)?.[1] ?? '')
        if (answerAfterMs !== null) setTimeout(() => cb(), answerAfterMs)
      })
    },
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return { port: (server.server.address() as AddressInfo).port, received }
}

async function channel(port: number, answerTimeoutMs?: number) {
  const store = openStore(tempDir(), migrationsDir)
  stores.push(store)
  const email = new EmailChannel(store.db, new SecretsService(store.db, memoryKeychain(), silentLogger), () => 1_700_000_000_000, undefined, {
    backoffMs: [10, 10],
    answerTimeoutMs,
  })
  channels.push(email)
  await email.set(emailSettingsInputSchema.parse({ host: '127.0.0.1', port, security: 'none', from: 'a@example.com', to: 'me@example.com' }))
  return email
}

it('no answer after the message was sent: reported once, not sent again', async () => {
  const server = await slowServer(null)
  const email = await channel(server.port, 400)
  const r = await email.send('BTC/USDT crossed 100000', 'body')
  expect(server.received).toEqual(['BTC/USDT crossed 100000'])
  expect(r).toEqual({ delivered: false, detail: 'no answer after the message was sent (it may have arrived: not sent again)' })
})

it('an answer more than 20 s late is waited for (the default wait is minutes, as RFC 5321 asks)', async () => {
  const server = await slowServer(21_000)
  const email = await channel(server.port)
  const r = await email.send('slow', 'body')
  expect(r.delivered).toBe(true)
  expect(server.received).toEqual(['slow'])
}, 40_000)
