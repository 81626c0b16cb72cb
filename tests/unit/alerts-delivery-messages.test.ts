import type { AddressInfo } from 'node:net'
import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { emailSettingsInputSchema } from '../../src-main/api/schemas/alerts'
import { formatIssues } from '../../src-main/api/format-issues'
import { deliverWebhook } from '../../src-main/alerts/webhook'
import { closeAlertStores, harness } from './alerts-harness'

// What the user reads when a delivery cannot work as set: TLS asked of a plain SMTP port, a webhook that
// redirects, and an IPv6 address in the SMTP server field.

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  closeAlertStores()
  await Promise.all(closers.splice(0).map((c) => c()))
})

const base = { port: 25, security: 'starttls', from: 'alerts@example.com', to: 'me@example.com' }

describe('delivery messages', () => {
  it('TLS asked of a plain SMTP port says to use STARTTLS or TLS, once (not retried)', async () => {
    let connections = 0
    const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    server.server.on('connection', () => connections++)
    closers.push(() => new Promise((r) => server.close(() => r())))
    const port = (server.server.address() as AddressInfo).port
    const h = harness()
    await h.email.set(emailSettingsInputSchema.parse({ ...base, host: '127.0.0.1', port, security: 'tls' }))
    expect(await h.email.send('s', 't')).toEqual({
      delivered: false,
      detail: `The server did not start TLS on port ${port}: use STARTTLS (usually 587) or TLS (usually 465)`,
    })
    expect(connections).toBe(1)
  })

  it('a webhook that redirects names where to, and is not followed', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/moved') res.writeHead(307, { location: 'https://hooks.example.com/new/path?token=x' }).end()
      else res.writeHead(302).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    closers.push(() => new Promise((r) => server.close(() => r())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    expect(await deliverWebhook(`${url}/moved`, {})).toEqual({ delivered: false, detail: 'HTTP 307: redirect to hooks.example.com not followed; give the final URL', attempts: 1 })
    expect(await deliverWebhook(`${url}/nowhere`, {})).toEqual({ delivered: false, detail: 'HTTP 302: redirect not followed; give the final URL', attempts: 1 })
  })

  it('the SMTP server field takes an IPv6 address, bracketed or not', () => {
    for (const host of ['::1', '[::1]', '2001:db8::25', '[2001:DB8::25]']) {
      const r = emailSettingsInputSchema.safeParse({ ...base, host })
      expect(r.success ? r.data.host : formatIssues(r.error)).toBe(host.replace(/^\[|\]$/g, ''))
    }
    for (const host of ['smtp example', 'smtp.example.com:587', '[smtp.example.com]', '::g']) {
      expect(emailSettingsInputSchema.safeParse({ ...base, host }).success).toBe(false)
    }
    // A relay on this machine over IPv6 may take a login with security none.
    expect(emailSettingsInputSchema.safeParse({ ...base, host: '[::1]', security: 'none', username: 'me', password: 'pw' }).success).toBe(true)
  })
})
