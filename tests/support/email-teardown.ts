import { afterEach } from 'vitest'
import type { SMTPServer } from 'smtp-server'
import type { EmailChannel } from '../../src-main/alerts/email'
import type { Store } from '../../src-main/store/open'

/** Lists a test fills with what it opened for the SMTP tests; each is closed after every test. */
export function emailTeardown(): { stores: Store[]; servers: SMTPServer[]; channels: EmailChannel[] } {
  const opened = { stores: [] as Store[], servers: [] as SMTPServer[], channels: [] as EmailChannel[] }
  afterEach(async () => {
    opened.channels.splice(0).forEach((c) => c.stop())
    opened.stores.splice(0).forEach((s) => s.close())
    await Promise.all(opened.servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))))
  })
  return opened
}
