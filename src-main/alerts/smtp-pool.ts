import nodemailer, { type Transporter } from 'nodemailer'
import type { MailConfig, MailSend } from './email'

// One pooled SMTP transport shared by every alert email, so a burst of alerts goes over one or two
// connections instead of one each (servers answer "421 too many connections"). It is rebuilt when the
// settings change and closed when the engine stops.

// One: alert emails are few, and personal mail servers limit connections per login.
const MAX_CONNECTIONS = 1

export class SmtpPool {
  private current: { key: string; transport: Transporter } | null = null

  readonly send: MailSend = async (c, message) => {
    const info = (await this.transportFor(c).sendMail({ from: c.from, to: c.to, subject: message.subject, text: message.text })) as { response: string }
    return info.response
  }

  close(): void {
    this.current?.transport.close()
    this.current = null
  }

  private transportFor(c: MailConfig): Transporter {
    // The password is part of the key: a new one (or a removed one) means a new login.
    const key = JSON.stringify([c.host, c.port, c.security, c.username, c.password])
    if (this.current?.key === key) return this.current.transport
    this.close()
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      host: c.host,
      port: c.port,
      secure: c.security === 'tls',
      requireTLS: c.security === 'starttls',
      ignoreTLS: c.security === 'none',
      auth: c.username ? { user: c.username, pass: c.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    })
    this.current = { key, transport }
    return transport
  }
}
