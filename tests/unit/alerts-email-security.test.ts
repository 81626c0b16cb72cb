import { afterEach, describe, expect, it } from 'vitest'
import { emailSettingsInputSchema } from '../../src-main/api/schemas/alerts'
import { formatIssues } from '../../src-main/api/format-issues'
import { closeAlertStores, harness } from './alerts-harness'

// Security "none" sends the login in clear: it is for a relay on this machine. A user name or password with
// it is refused for any other host, naming the host, and a row saved so before is not sent.

afterEach(() => closeAlertStores())

const base = { port: 25, security: 'none', from: 'alerts@example.com', to: 'me@example.com' }
const refusal = (input: Record<string, unknown>) => {
  const r = emailSettingsInputSchema.safeParse({ ...base, ...input })
  return r.success ? null : formatIssues(r.error)
}

describe('mail security "none"', () => {
  it('refuses a login to a host that is not this machine', () => {
    expect(refusal({ host: 'smtp.gmail.com', username: 'me@gmail.com', password: 'hunter2' })).toBe(
      'security: choose TLS or STARTTLS to send a password to smtp.gmail.com (none is for a local relay)',
    )
    // A user name alone would send the saved password (or an empty one) in clear too.
    expect(refusal({ host: '192.168.1.10', username: 'me' })).toMatch(/^security: choose TLS or STARTTLS to send a password to 192\.168\.1\.10/)
    expect(refusal({ host: '128.0.0.1', password: 'x' })).toMatch(/^security: /)
    expect(refusal({ host: 'localhost.evil.example', username: 'me' })).toMatch(/^security: /)
  })

  it('takes a login to a relay on this machine, and no login anywhere', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.5.6.7']) expect(refusal({ host, username: 'me', password: 'pw' })).toBeNull()
    expect(refusal({ host: 'smtp.example.com' })).toBeNull()
    expect(refusal({ host: 'smtp.example.com', username: '', password: '' })).toBeNull()
    expect(refusal({ host: 'smtp.example.com', security: 'starttls', port: 587, username: 'me', password: 'pw' })).toBeNull()
  })

  it('a login saved with "none" for another host before this check is not sent', async () => {
    const h = harness()
    await h.email.set(emailSettingsInputSchema.parse({ ...base, host: '127.0.0.1', username: 'me', password: 'pw' }))
    h.store.sqlite.prepare("update alert_email set host = 'smtp.gmail.com'").run()
    expect(await h.email.send('s', 't')).toEqual({
      delivered: false,
      detail: 'not sent: choose TLS or STARTTLS to send a password to smtp.gmail.com (none is for a local relay)',
    })
  })
})

describe('removing a password saved with "none" for another host before this check', () => {
  it('is taken (the button re-sends the saved user name), and sending is still refused for that user name', async () => {
    const h = harness()
    await h.email.set(emailSettingsInputSchema.parse({ ...base, host: '127.0.0.1', username: 'me', password: 'pw' }))
    h.store.sqlite.prepare("update alert_email set host = 'smtp.gmail.com'").run()
    const removal = { ...base, host: 'smtp.gmail.com', username: 'me', password: null }
    expect(refusal(removal)).toBeNull()
    expect(await h.email.set(emailSettingsInputSchema.parse(removal))).toMatchObject({ hasPassword: false, username: 'me' })
    expect((await h.email.send('s', 't')).detail).toBe('not sent: choose TLS or STARTTLS to send a password to smtp.gmail.com (none is for a local relay)')
  })
})
