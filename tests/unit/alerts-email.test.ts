import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { alertCreateSchema, emailSettingsInputSchema } from '../../src-main/api/schemas/alerts'
import { AppError } from '../../src-main/api/errors'
import { BTC, VENUE } from './conditional-harness'
import { closeAlertStores, harness } from './alerts-harness'
import { rejected } from '../support/thrown'

// The email channel of alerts against a real SMTP server on loopback (smtp-server): the settings keep the
// password sealed (never in SQLite as text, never in a view), a test email and a fired alert arrive with
// the right login, subject and text, and a wrong password is recorded as the server's refusal.

const USER = 'trader@example.com'
const PASSWORD = 'pw-Ünïcode-9f3a7c'

interface Received {
  from: string
  to: string[]
  data: string
}

/** The message as text: quoted-printable soft breaks joined and =XX bytes decoded (UTF-8). */
const decoded = (data: string) =>
  Buffer.from(data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')

const servers: SMTPServer[] = []
afterEach(async () => {
  closeAlertStores()
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))))
})

async function smtp(): Promise<{ port: number; mail: Received[] }> {
  const mail: Received[] = []
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === USER && auth.password === PASSWORD) cb(null, { user: USER })
      else cb(new Error('Authentication failed'))
    },
    onData(stream, session, cb) {
      let data = ''
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')))
      stream.on('end', () => {
        mail.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data })
        cb()
      })
    },
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return { port: (server.server.address() as AddressInfo).port, mail }
}

const setup = () => harness()

const settings = (port: number, password: string | null | undefined = PASSWORD) =>
  emailSettingsInputSchema.parse({ host: '127.0.0.1', port, security: 'none', username: USER, ...(password === undefined ? {} : { password }), from: 'alerts@example.com', to: 'me@example.com' })

describe('alert emails', () => {
  it('keeps the password sealed, sends a test email and a fired alert with the right login, subject and text', async () => {
    const server = await smtp()
    const h = setup()
    expect(h.email.view()).toBeNull()
    const view = await h.email.set(settings(server.port))
    expect(view).toEqual({ host: '127.0.0.1', port: server.port, security: 'none', username: USER, hasPassword: true, from: 'alerts@example.com', to: 'me@example.com', updatedAt: 1_700_000_000_000 })
    expect(JSON.stringify(view)).not.toContain(PASSWORD)
    // Not in the database as text (nor in its UTF-8 bytes).
    const row = h.store.sqlite.prepare('select * from alert_email').get() as Record<string, unknown>
    expect(Buffer.from(JSON.stringify(row)).includes(Buffer.from(PASSWORD))).toBe(false)
    expect((row.password_ciphertext as Buffer).includes(Buffer.from(PASSWORD))).toBe(false)

    const test = await h.email.test()
    expect(test.delivered).toBe(true)
    expect(test.detail).toMatch(/^250/)
    expect(server.mail).toHaveLength(1)
    expect(server.mail[0]).toMatchObject({ from: 'alerts@example.com', to: ['me@example.com'] })
    expect(server.mail[0]!.data).toContain('Subject: CryptoOrchestrator: test email')

    // Saved again without a password: the sealed one is kept.
    expect((await h.email.set(settings(server.port, undefined))).hasPassword).toBe(true)
    // Pointed at another server (or port, security, user) without it, it is refused: the saved password is
    // only ever sent where it was given. Nothing changed.
    const noPassword = { ...settings(server.port) }
    delete noPassword.password
    expect((await h.email.set(noPassword)).hasPassword).toBe(true)
    for (const moved of [{ host: 'mail.elsewhere.example' }, { port: server.port + 1 }, { username: 'someone@example.com' }]) {
      await expect(h.email.set({ ...noPassword, ...moved })).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringMatching(/^password: enter the password again for the new server/),
      })
    }
    expect(h.email.view()).toMatchObject({ host: '127.0.0.1', port: server.port, username: USER, hasPassword: true })
    h.ticks.price('100')
    const a = await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '105', email: true, note: 'sell half' }))
    expect(a.email).toBe(true)
    h.ticks.price('105.5')
    expect(h.fired).toMatchObject([{ ruleId: a.id, email: 'pending' }])
    await h.engine.settled()
    expect(h.fired[1]).toMatchObject({ ruleId: a.id, email: 'delivered', emailDetail: expect.stringMatching(/^250/) })
    expect(server.mail).toHaveLength(2)
    const mail = decoded(server.mail[1]!.data)
    expect(mail).toContain('Subject: BTC/USDT rose to 105')
    expect(mail).toContain('Last 105.5 on Simulated exchange')
    expect(mail).toContain('Last 105.5 on Simulated exchange — sell half')
    expect(mail).toContain('alert level 105 (rises to)')
    expect(h.store.sqlite.prepare('select email, email_detail from alert_events').get()).toMatchObject({ email: 'delivered' })
  })

  it('records a refused login as the server said it; the alert has fired all the same', async () => {
    const server = await smtp()
    const h = setup()
    await h.email.set(settings(server.port, 'wrong'))
    h.ticks.price('100')
    await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'below', price: '99', email: true }))
    h.ticks.price('98')
    await h.engine.settled()
    expect(h.fired.at(-1)).toMatchObject({ email: 'failed', emailDetail: expect.stringMatching(/Invalid login.*Authentication failed/) })
    expect(h.fired.at(-1)!.emailDetail).not.toContain('wrong')
    expect(server.mail).toHaveLength(0)
    expect(h.engine.list({ scope: 'history', limit: 5 })).toMatchObject([{ status: 'fired' }])
  })

  it('an alert set to email needs the mail settings first; the settings refuse a bad address or host', async () => {
    const h = setup()
    h.ticks.price('100')
    const err = await rejected(h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '105', email: true })), AppError)
    expect(err).toMatchObject({ code: 'CONFLICT', message: 'email: save the mail settings first (Alerts page → Email), then set an alert to email' })
    await expect(h.email.test()).rejects.toMatchObject({ code: 'CONFLICT' })
    const bad = emailSettingsInputSchema.safeParse({ host: 'smtp example', port: 0, security: 'tls', from: 'nope', to: 'me@example.com' })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['from', 'host', 'port'])
  })
})
