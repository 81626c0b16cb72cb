import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { alertCreateSchema, emailSettingsInputSchema } from '../../src-main/api/schemas/alerts'
import { BTC, VENUE } from './conditional-harness'
import { closeAlertStores, harness } from './alerts-harness'
import { tempDir } from '../support/temp-core'

// Quitting waits for alert deliveries under way, but not for ever: an SMTP server that takes the
// connection and never answers (the send may wait minutes for it) is left after the shutdown limit, and
// its event is marked failed at the next start instead of holding the app open.

const sockets: net.Socket[] = []
const servers: net.Server[] = []
afterEach(async () => {
  closeAlertStores()
  sockets.splice(0).forEach((s) => s.destroy())
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

it('an email whose server never answers does not hold shutdown past its limit; the next start marks it failed', async () => {
  // Accepts and says nothing: no greeting, so nodemailer waits on it.
  const server = net.createServer((socket) => sockets.push(socket))
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const dataDir = tempDir()
  const h = harness({ dataDir })
  await h.email.set(emailSettingsInputSchema.parse({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, security: 'none', from: 'a@example.com', to: 'me@example.com' }))
  h.ticks.price('100')
  await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '101', email: true, desktop: false }))
  h.ticks.price('101')
  await expect.poll(() => sockets.length).toBe(1)

  h.engine.stop()
  // Resolves at its limit although the email is still under way (before: only when the send ended).
  await h.engine.settled(200)
  // Shutdown goes on: the mail connections close, the send fails, and nothing is written to the store any more.
  h.email.stop()
  closeAlertStores()

  const again = harness({ dataDir })
  again.engine.start()
  expect(again.engine.events(10)).toMatchObject([{ email: 'failed', emailDetail: 'the app stopped before it was delivered' }])
})
